"""Where per-client work runs: in this process, a local process pool, or a Dask cluster.

Results come back to the driver, which writes every file, so workers need no shared disk.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, as_completed, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Iterator, Sequence

from ..errors import UsageError
from .client_job import ClientJob, ClientOutput, process_client
from .parentdeath import pool_worker_started

# The renderers import their libraries lazily (for a fast `vcio --help`): name the libraries themselves so
# the fork server imports them once and every worker starts warm.
# matplotlib is left out: it only draws roadmap charts when documents.roadmap_charts = "picture".
PRELOAD = ["pipeline.runner.client_job", "pipeline.render.pptx", "pipeline.render.docx", "pipeline.render.wordcharts",
           "pipeline.render.nativechart", "pipeline.render.xlsx", "pipeline.history", "pptx", "pptx.chart.xlsx",
           "pptx.chart.xmlwriter", "docx", "docxtpl", "xlsxwriter", "jinja2.sandbox"]
# A long run's workers are recycled now and then: each client leaves a little memory behind.
TASKS_PER_WORKER = 200


def run_local(jobs: Sequence[ClientJob], workers: int, task=process_client) -> Iterator[ClientOutput]:
    """Each job's result, as they finish. Workers and their fork server end when this process ends, however
    it ends (see parentdeath.py)."""
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield task(job)
        return
    # forkserver with the heavy libraries preloaded: they are imported once (about 2 s) in the server and
    # every worker forks from it; unlike plain fork it allows recycling workers (max_tasks_per_child).
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    queue = list(jobs)
    while queue:
        interrupted: list[ClientJob] = []
        queue = yield from _pool_pass(queue, workers, task, context, interrupted)
        # A worker died (killed, out of memory) and broke the pool: every client then in flight lost its
        # result. Each is retried alone, so only the client that kills its worker fails.
        for job in interrupted:
            yield from _pool_pass_alone(job, task, context)


def _pool_pass(queue: list[ClientJob], workers: int, task, context, interrupted: list[ClientJob]):
    """Run jobs until they are done or the pool breaks; returns the jobs never started.

    A broken pool shows up either as a future's BrokenProcessPool or as submit() raising it: in both
    cases the clients in flight go to `interrupted` and the rest wait for the next pool.
    """
    started = 0
    futures: dict = {}
    with ProcessPoolExecutor(max_workers=min(workers, len(queue)), mp_context=context,
                             max_tasks_per_child=TASKS_PER_WORKER, initializer=pool_worker_started) as pool:
        while started < len(queue) or futures:
            # At most a few jobs per worker in flight: memory grows with the clients in flight, not the total.
            while started < len(queue) and len(futures) < workers * 2:
                try:
                    futures[pool.submit(task, queue[started])] = queue[started]
                except BrokenProcessPool:
                    interrupted.extend(futures.values())
                    return queue[started:]
                started += 1
            done = next(as_completed(futures))
            job = futures.pop(done)
            if isinstance(done.exception(), BrokenProcessPool):
                interrupted.append(job)
                interrupted.extend(futures.values())
                for other in futures:
                    other.cancel()
                return queue[started:]
            try:
                yield _result(done, job)
            except GeneratorExit:  # the driver stops taking results: start nothing more
                pool.shutdown(wait=True, cancel_futures=True)
                raise
    return []


def _pool_pass_alone(job: ClientJob, task, context) -> Iterator[ClientOutput]:
    with ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=pool_worker_started) as pool:
        future = pool.submit(task, job)
        wait([future])
        yield _result(future, job)


def _result(future, job: ClientJob) -> ClientOutput:
    try:
        return future.result()
    except Exception as exc:  # a worker died (killed, out of memory): that client fails, the run goes on
        return ClientOutput(job.client.name, job.slug, "failed", error=f"worker process failed: {exc!r}")


def run_dask(jobs: Sequence[ClientJob], scheduler: str) -> Iterator[ClientOutput]:
    try:
        from distributed import Client, as_completed as dask_completed
    except ImportError:
        raise UsageError("--executor dask needs the optional extra: pip install 'vcio[dask]'") from None
    client = Client(scheduler)
    try:
        futures = client.map(process_client, list(jobs), pure=False)
        by_future = dict(zip(futures, jobs))
        for future in dask_completed(futures):
            job = by_future[future]
            try:
                yield future.result()
            except Exception as exc:
                yield ClientOutput(job.client.name, job.slug, "failed", error=f"dask worker failed: {exc!r}")
    finally:
        client.close()
