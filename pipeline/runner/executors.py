"""Where per-client work runs: in this process, a local process pool, or a Dask cluster.

Results come back to the driver, which writes every file, so workers need no shared disk.
"""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor, as_completed, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Iterator, Sequence

from ..errors import SchedulerUnavailable, UsageError
from .client_job import ClientJob, ClientOutput, process_client, time_limit_message
from .parentdeath import pool_worker_started

# The renderers import their libraries lazily (for a fast `vcio --help`): name the libraries themselves so
# the fork server imports them once and every worker starts warm.
# matplotlib is left out: it only draws roadmap charts when documents.roadmap_charts = "picture".
PRELOAD = ["pipeline.runner.client_job", "pipeline.render.deck", "pipeline.render.docx", "pipeline.render.wordcharts",
           "pipeline.render.nativechart", "pipeline.render.workbook", "pipeline.history", "pptx", "pptx.chart.xlsx",
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


# An unreachable scheduler must fail the run in seconds, before the ingest, not after a long wait.
CONNECT_SECONDS = 10


def check_scheduler(address: str) -> None:
    """Reach the scheduler now, so a run that could not send its clients anywhere stops before the ingest."""
    _connect(address).close()


def _connect(address: str):
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("--executor dask needs the optional extra: pip install 'vcio[dask]'") from None
    _refused_at_once(address)
    try:
        return Client(address, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise SchedulerUnavailable(f"cannot reach the Dask scheduler {address} within {CONNECT_SECONDS} s "
                                   f"({type(exc).__name__}: {exc})") from exc


def _refused_at_once(address: str) -> None:
    """A tcp:// scheduler whose port refuses connections: said at once (Dask would retry until its timeout)."""
    import socket

    scheme, _, rest = address.rpartition("://")
    host, _, port = rest.rpartition(":")
    if scheme not in ("", "tcp") or not host or not port.isdecimal():
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_SECONDS).close()
    except ConnectionRefusedError as exc:
        raise SchedulerUnavailable(f"cannot reach the Dask scheduler {address}: {exc.strerror}") from exc
    except OSError:
        return  # unresolvable or slow: the client's own attempt says why


def run_dask(jobs: Sequence[ClientJob], address: str) -> Iterator[ClientOutput]:
    """Each job's result from the cluster, as they finish.

    What a job reads from disk (templates, logos, lifecycle catalog) is sent once to every worker, so workers
    need only the Python environment. At most one job per worker thread is in the cluster at a time, so a job
    starts when it is sent, and the per-client time limit is kept here: a timer signal cannot interrupt a
    worker thread. A client over its limit fails; its thread may go on until the task ends by itself.
    """
    from distributed import wait as wait_for_first

    from .remote import WorkerFiles, process_remote

    if not jobs:
        return
    client = _connect(address)
    try:
        files = client.scatter(WorkerFiles.collect(jobs), broadcast=True)
        queue = list(jobs)
        running: dict = {}  # future -> (job, deadline or None)
        while queue or running:
            slots = max(1, sum(client.nthreads().values()))
            while queue and len(running) < slots:
                job = queue.pop(0)
                future = client.submit(process_remote, job, files, pure=False)
                limit = _time_limit(job)
                running[future] = (job, time.monotonic() + limit if limit else None)
            deadlines = [d for _, d in running.values() if d is not None]
            timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            try:
                done = wait_for_first(list(running), timeout=timeout, return_when="FIRST_COMPLETED").done
            except TimeoutError:
                done = set()
            for future in done:
                job, _ = running.pop(future)
                yield _dask_result(future, job)
            now = time.monotonic()
            for future in [f for f, (_, d) in running.items() if d is not None and d <= now]:
                job, _ = running.pop(future)
                future.cancel()
                yield ClientOutput(job.client.name, job.slug, "failed", error=f"TimeLimitExceeded: "
                                   f"{time_limit_message(_time_limit(job))}")
    finally:
        client.close()


def _time_limit(job: ClientJob) -> int:
    return job.settings.for_client(job.client.name).documents.render_timeout_seconds


def _dask_result(future, job: ClientJob) -> ClientOutput:
    try:
        return future.result()
    except Exception as exc:  # a worker died or the cluster lost the task: that client fails, the run goes on
        return ClientOutput(job.client.name, job.slug, "failed", error=f"dask worker failed: {exc!r}")
