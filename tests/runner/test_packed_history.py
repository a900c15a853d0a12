"""Jobs carry their history view pickled (PackedHistory): the worker sees exactly the view the driver read."""

from __future__ import annotations

import pickle

from pipeline.history import HistoryStore
from pipeline.runner.client_job import ClientJob, PackedHistory

from ..history.factories import CLIENT, finding, record


def test_a_packed_view_unpacks_to_the_same_view_and_is_smaller(tmp_path):
    store = HistoryStore.open(None, tmp_path)
    record(store, "2026-Q4", [finding(f"PC-{n}") for n in range(40)])
    view = store.client_view(CLIENT, "2027-Q1")
    store.close()
    packed = PackedHistory(view)
    assert repr(packed.unpack()) == repr(view)  # the fingerprint is over repr(view): it must not change
    assert isinstance(packed.blob, bytes)
    assert pickle.loads(pickle.dumps(packed)).unpack() == packed.unpack()  # survives the trip to a worker
    job = ClientJob(client=None, slug="x", facts=None, settings=None, roadmap_template=None, qbr_template=None,
                    history=packed)
    assert repr(job.history_view()) == repr(view)
    assert ClientJob(None, "x", None, None, None, None, history=view).history_view() is view
