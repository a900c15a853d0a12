"""Where per-client work runs: in this process, a local process pool, or a Dask cluster.

Results come back to the driver, which writes every file, so workers need no shared disk.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Iterator, Sequence

from ..status import UsageError
from .client_job import ClientJob, ClientOutput, process_client

PRELOAD = ["pipeline.runner.client_job", "pipeline.render.pptx", "pipeline.render.docx", "pipeline.render.charts",
           "pipeline.render.xlsx"]
# A long run's workers are recycled now and then: each client leaves a little memory behind.
TASKS_PER_WORKER = 200


def run_local(jobs: Sequence[ClientJob], workers: int, keep_context: bool) -> Iterator[ClientOutput]:
    task = _task(keep_context)
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield task(job)
        return
    # forkserver with the heavy libraries preloaded: they are imported once (about 2 s) in the server and
    # every worker forks from it; unlike plain fork it allows recycling workers (max_tasks_per_child).
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context,
                             max_tasks_per_child=TASKS_PER_WORKER) as pool:
        # At most a few jobs per worker in flight: memory grows with the clients in flight, not the total.
        pending = iter(jobs)
        futures = {}
        for job in pending:
            futures[pool.submit(task, job)] = job
            if len(futures) >= workers * 2:
                break
        while futures:
            done = next(as_completed(futures))
            job = futures.pop(done)
            yield _result(done, job)
            for job in pending:
                futures[pool.submit(task, job)] = job
                break


def _result(future, job: ClientJob) -> ClientOutput:
    try:
        return future.result()
    except Exception as exc:  # a worker died (killed, out of memory): that client fails, the run goes on
        return ClientOutput(job.client.name, job.slug, "failed", error=f"worker process failed: {exc!r}")


def run_dask(jobs: Sequence[ClientJob], scheduler: str, keep_context: bool) -> Iterator[ClientOutput]:
    try:
        from distributed import Client, as_completed as dask_completed
    except ImportError:
        raise UsageError("--executor dask needs the optional extra: pip install 'vcio[dask]'") from None
    client = Client(scheduler)
    try:
        futures = client.map(_task(keep_context), list(jobs), pure=False)
        by_future = dict(zip(futures, jobs))
        for future in dask_completed(futures):
            job = by_future[future]
            try:
                yield future.result()
            except Exception as exc:
                yield ClientOutput(job.client.name, job.slug, "failed", error=f"dask worker failed: {exc!r}")
    finally:
        client.close()


class _task:
    """A picklable callable: process one client, keeping its context when the driver needs it."""

    def __init__(self, keep_context: bool):
        self.keep_context = keep_context

    def __call__(self, job: ClientJob) -> ClientOutput:
        return process_client(job, keep_context=self.keep_context)

