#!/usr/bin/env python3
"""`vcio` with one benchmark-only workaround, used by the harness only when the real CLI crashes with it.

pipeline/runner/executors.py passes ``max_tasks_per_child`` together with a "fork" context; CPython
3.11-3.13 refuse that combination (``ValueError: max_tasks_per_child is incompatible with the 'fork'
multiprocessing start method``), so every ``vcio run --jobs N`` (N >= 2, 2+ clients) exits 70.
This wrapper drops ``max_tasks_per_child`` in that one case (workers are then never recycled) and
otherwise runs the real CLI unchanged, so the end-to-end numbers can still be measured.

    .venv/bin/python bench/vcio_patched.py run --inputs ... --out ... --all --jobs 2
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.runner import executors  # noqa: E402

_original = executors.ProcessPoolExecutor


def _pool(*args, mp_context=None, max_tasks_per_child=None, **kwargs):
    if max_tasks_per_child and mp_context is not None and mp_context.get_start_method() == "fork":
        max_tasks_per_child = None
    return _original(*args, mp_context=mp_context, max_tasks_per_child=max_tasks_per_child, **kwargs)


executors.ProcessPoolExecutor = _pool

from pipeline.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
