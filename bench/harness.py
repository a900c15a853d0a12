#!/usr/bin/env python3
"""vcio benchmark harness: times every pipeline stage at 50 / 500 / 2,000 clients and writes bench/RESULTS.md.

    .venv/bin/python bench/harness.py                 # everything (N = 50, 500, 2000; takes a while)
    .venv/bin/python bench/harness.py --quick         # N = 50 only, small repeats, no big ingest
    .venv/bin/python bench/harness.py --clients 500 --only stages,cli
    .venv/bin/python bench/harness.py --report-only   # rewrite RESULTS.md from bench/out/results.json

Results accumulate in bench/out/results.json (a partial run updates only what it measured), and
RESULTS.md is rewritten from that file at the end of every run. See bench/README.md.

Measuring is done in fresh child processes (this file re-invoked with a hidden ``_child`` mode), so
one stage's memory never inflates the next stage's peak and imports are paid where a real run pays them.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
VENV_PY = ROOT / ".venv" / "bin" / "python"
VCIO = ROOT / ".venv" / "bin" / "vcio"
AS_OF = "2026-11-20"  # the review date of the generated data (same as the samples)
DEFAULT_NS = (50, 500, 2000)

# Targets from the performance issue.
TARGET_FULL_2000_S = 300.0
TARGET_FLOOR_RATIO = 5.0
TARGET_BIG_INGEST_S = 10.0
TARGET_CLI_S = 0.5
TARGET_PEAK_MB = 2048.0
TARGET_RESUME_SHARE = 0.10

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# =============================================================================================
# Memory helpers (Linux /proc; no psutil needed)
# =============================================================================================
def _status_kb(field: str, pid: str | int = "self") -> int:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    m = re.search(rf"^{field}:\s+(\d+)\s+kB", text, re.M)
    return int(m.group(1)) if m else 0


def rss_mb() -> float:
    return _status_kb("VmRSS") / 1024


def hwm_mb() -> float:
    """Peak RSS of this process since start or since the last reset_hwm()."""
    return _status_kb("VmHWM") / 1024


def reset_hwm() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _proc_table() -> dict[int, tuple[int, float]]:
    """pid -> (parent pid, CPU seconds user+system so far), from one pass over /proc/*/stat."""
    table: dict[int, tuple[int, float]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # the command name may contain spaces and parentheses: split after the last ')'
        rest = stat.rsplit(")", 1)[1].split()
        table[int(entry)] = (int(rest[1]), (int(rest[11]) + int(rest[12])) / _TICK)
    return table


def _tree(pid: int, table: dict[int, tuple[int, float]] | None = None) -> list[int]:
    table = table if table is not None else _proc_table()
    kids: dict[int, list[int]] = {}
    for child, (parent, _cpu) in table.items():
        kids.setdefault(parent, []).append(child)
    out, stack = [], [pid]
    while stack:
        p = stack.pop()
        out.append(p)
        stack.extend(kids.get(p, []))
    return out


def _pss_kb(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    m = re.search(r"^Pss:\s+(\d+)\s+kB", text, re.M)
    return int(m.group(1)) if m else 0


class TreePoller(threading.Thread):
    """Samples the RSS (and PSS: shared copy-on-write pages counted once) of a process tree."""

    def __init__(self, pid: int, interval: float = 0.25):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.stop_event = threading.Event()
        self.peak_rss_mb = 0.0
        self.peak_pss_mb = 0.0
        self.peak_procs = 0
        self.peak_driver_rss_mb = 0.0
        self.cpu_s: dict[int, float] = {}
        self.timeline: list[tuple[float, float, float, float, int]] = []  # t, tree rss, tree pss, biggest rss, procs
        self.t0 = time.perf_counter()

    def run(self) -> None:
        n = 0
        while not self.stop_event.is_set():
            table = _proc_table()
            pids = _tree(self.pid, table)
            for p in pids:  # CPU of every process of the tree, as last seen (forkserver workers are
                if p in table:  # not children of the driver, so rusage would miss them)
                    self.cpu_s[p] = max(self.cpu_s.get(p, 0.0), table[p][1])
            rss = [(_status_kb("VmRSS", p) / 1024) for p in pids]
            # PSS is costlier to read: every other sample
            pss = sum(_pss_kb(p) for p in pids) / 1024 if n % 2 == 0 else None
            total = sum(rss)
            self.peak_rss_mb = max(self.peak_rss_mb, total)
            if pss is not None:
                self.peak_pss_mb = max(self.peak_pss_mb, pss)
            live = [r for r in rss if r > 0]
            self.peak_procs = max(self.peak_procs, len(live))
            biggest = max(rss) if rss else 0.0
            self.peak_driver_rss_mb = max(self.peak_driver_rss_mb, biggest)
            if n % 4 == 0:
                self.timeline.append((round(time.perf_counter() - self.t0, 1), round(total, 1),
                                      round(pss, 1) if pss is not None else -1, round(biggest, 1), len(live)))
            n += 1
            self.stop_event.wait(self.interval)

    def stop(self) -> None:
        self.stop_event.set()
        self.join(timeout=5)


def run_measured(cmd: list[str], log_path: Path, env: dict | None = None, poll: bool = True,
                 timeout: float | None = None) -> dict:
    """Run a command, measuring wall time, /usr/bin/time -v max RSS and the process tree's peak RSS/PSS."""
    time_bin = shutil.which("time") or "/usr/bin/time"
    use_time = os.path.exists("/usr/bin/time")
    time_out = log_path.with_suffix(".time.txt")
    full = (["/usr/bin/time", "-v", "-o", str(time_out)] + cmd) if use_time else cmd
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen(full, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        poller = TreePoller(proc.pid) if poll else None
        if poller:
            poller.start()
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = proc.wait()
        wall = time.perf_counter() - t0
        if poller:
            poller.stop()
    result = {"cmd": " ".join(cmd), "rc": rc, "wall_s": round(wall, 3)}
    if use_time and time_out.exists():
        text = time_out.read_text()
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        if m:
            result["max_rss_single_process_mb"] = round(int(m.group(1)) / 1024, 1)
        m = re.search(r"User time \(seconds\): ([\d.]+)", text)
        if m:
            result["user_s"] = float(m.group(1))
        m = re.search(r"System time \(seconds\): ([\d.]+)", text)
        if m:
            result["sys_s"] = float(m.group(1))
    if poller:
        result.update(peak_tree_rss_mb=round(poller.peak_rss_mb, 1), peak_tree_pss_mb=round(poller.peak_pss_mb, 1),
                      peak_procs=poller.peak_procs, tree_cpu_s=round(sum(poller.cpu_s.values()), 1),
                      timeline=poller.timeline)
    del time_bin
    return result


# =============================================================================================
# Child mode: everything that imports vcio runs here, in a fresh process
# =============================================================================================
def _time(fn, *args, **kwargs):
    t0 = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - t0, value


def _stats(values: list[float]) -> dict:
    if not values:
        return {}
    s = sorted(values)
    return {"n": len(s), "median_ms": round(statistics.median(s) * 1000, 2), "p90_ms": round(s[int(0.9 * (len(s) - 1))] * 1000, 2),
            "max_ms": round(s[-1] * 1000, 2), "total_s": round(sum(s), 3),
            "clients_per_s": round(len(s) / sum(s), 2) if sum(s) else None}


def _prepare(data: Path):
    """What pipeline.runner.run does before the per-client work, returning (ingested, clients, jobs-factory)."""
    from pipeline import __version__
    from pipeline.ingest import IngestOptions, ingest_folder
    from pipeline.render.context import RunFacts
    from pipeline.runner.client_job import ClientJob, catalog_for
    from pipeline.runner.names import unique_slugs
    from pipeline.runner.run import RunOptions, load_run_config, templates_for

    as_of = date.fromisoformat(AS_OF)
    options = RunOptions(inputs=data, out=Path("/nonexistent"))
    config = load_run_config(options)
    templates = templates_for(config)
    ingest_opts = IngestOptions(as_of=as_of, stale_days=int(config.get("thresholds.stale_input_days", 30)),
                                format_overrides=config.get("ingest.formats", {}) or {})

    def ingest():
        return ingest_folder(data, ingest_opts)

    def jobs_for(ingested, clients):
        slugs = unique_slugs(list(clients))
        lifecycle_dirs = tuple(p for p in [data / "lifecycle"] if p.is_dir())
        catalog = catalog_for(lifecycle_dirs)
        reports = {f.path: f.as_manifest() for f in ingested.files}
        out = {}
        for name, client in clients.items():
            facts = RunFacts(quarter="2026-Q4", as_of=as_of, vcio_version=__version__,
                             files=[reports[p] for p in client.input_sources if p in reports],
                             catalog_snapshot=catalog.snapshot_date.isoformat())
            out[name] = ClientJob(client, slugs[name], facts, config, *templates, lifecycle_dirs)
        return out

    return ingest, jobs_for, templates


def _renderers() -> dict:
    """The document renderers that exist right now (docx/pptx/charts are being written in parallel)."""
    found = {}
    try:
        from pipeline.render.xlsx import render_workbook
        found["xlsx"] = render_workbook
    except Exception as exc:  # noqa: BLE001
        found["xlsx_error"] = repr(exc)
    try:
        from pipeline.render.charts import roadmap_charts
        found["charts"] = roadmap_charts
    except Exception as exc:  # noqa: BLE001
        found["charts_error"] = repr(exc)
    try:
        from pipeline.render.docx import render_roadmap
        found["docx"] = render_roadmap
    except Exception as exc:  # noqa: BLE001
        found["docx_error"] = repr(exc)
    try:
        from pipeline.render.pptx import render_deck
        found["pptx"] = render_deck
    except Exception as exc:  # noqa: BLE001
        found["pptx_error"] = repr(exc)
    return found


def _sample(names_by_size: list[str], k: int) -> list[str]:
    """k clients spread evenly over the size order (smallest to largest, the largest always in)."""
    n = len(names_by_size)
    if k >= n:
        return list(names_by_size)
    idx = sorted({round(i * (n - 1) / (k - 1)) for i in range(k)})
    return [names_by_size[i] for i in idx]


def child_stages(args) -> dict:
    """Ingest, model, findings+context (all clients), rendering per document (a size-stratified sample)."""
    from pipeline.model import build_clients
    from pipeline.runner.client_job import analyse
    from pipeline.runner.csvout import findings_csv

    data = Path(args.data)
    out: dict = {"data": str(data), "rss_start_mb": round(rss_mb(), 1)}
    ingest, jobs_for, templates = _prepare(data)
    # ---- ingest (repeat; keep the last result)
    times, ingested = [], None
    reset_hwm()
    for _ in range(args.repeat):
        ingested = None
        t, ingested = _time(ingest)
        times.append(t)
    out["ingest"] = {"runs_s": [round(t, 3) for t in times], "median_s": round(statistics.median(times), 3),
                     "rows": ingested.rows_read, "files": len(ingested.files), "rejects": len(ingested.rejects),
                     "unknown_clients": len(ingested.unknown_clients),
                     "peak_rss_mb": round(hwm_mb(), 1)}
    # ---- model
    reset_hwm()
    times, clients = [], None
    for _ in range(args.repeat):
        clients = None
        t, clients = _time(build_clients, ingested)
        times.append(t)
    out["model"] = {"runs_s": [round(t, 3) for t in times], "median_s": round(statistics.median(times), 3),
                    "clients": len(clients), "assets": sum(len(c.assets) for c in clients.values()),
                    "users": sum(len(c.users) for c in clients.values()), "peak_rss_mb": round(hwm_mb(), 1)}
    jobs = jobs_for(ingested, clients)
    # ---- findings + context, every client
    reset_hwm()
    per, contexts, failures, findings = [], {}, [], []
    by_size = sorted(jobs, key=lambda n: (len(clients[n].assets) + len(clients[n].users), n))
    sample = set(_sample(by_size, args.sample))
    t_all = time.perf_counter()
    for name in by_size:
        try:
            t, (ctx, _counts) = _time(analyse, jobs[name])
        except Exception as exc:  # noqa: BLE001 - a failure is a result here
            failures.append({"client": name, "stage": "analyse", "error": f"{type(exc).__name__}: {exc}"})
            continue
        per.append(t)
        findings.append(len(ctx["findings"]))
        if name in sample:
            contexts[name] = ctx
    out["analyse"] = {**_stats(per), "wall_s": round(time.perf_counter() - t_all, 3),
                      "findings_median": statistics.median(findings) if findings else None,
                      "findings_max": max(findings) if findings else None, "peak_rss_mb": round(hwm_mb(), 1)}
    # ---- rendering, per document, on the sample
    renderers = _renderers()
    out["renderers"] = {k: v for k, v in renderers.items() if k.endswith("_error")}
    roadmap_t, qbr_t = templates
    names = [n for n in by_size if n in contexts]
    # warm-up on the smallest client: first-call imports, font cache, template parsing caches
    if names:
        _render_one(renderers, contexts[names[0]], roadmap_t, qbr_t, findings_csv, names[0], failures, warm=True)
    reset_hwm()
    cols: dict[str, list[float]] = {"findings_csv": [], "xlsx": [], "charts": [], "docx": [], "pptx": [], "total": []}
    sizes: dict[str, list[int]] = {"docx": [], "pptx": [], "xlsx": []}
    rows = []
    for name in names:
        t_an = per[by_size.index(name)] if len(per) == len(by_size) else None
        r = _render_one(renderers, contexts[name], roadmap_t, qbr_t, findings_csv, name, failures)
        for key, value in r["t"].items():
            cols[key].append(value)
        for key, value in r["bytes"].items():
            sizes[key].append(value)
        total = sum(r["t"].values()) + (t_an or 0)
        cols["total"].append(total)
        rows.append({"client": name, "assets": len(clients[name].assets), "users": len(clients[name].users),
                     "findings": len(contexts[name]["findings"]),
                     **{k: round(v * 1000, 1) for k, v in r["t"].items()},
                     "analyse": round((t_an or 0) * 1000, 1), "total": round(total * 1000, 1)})
    out["render"] = {k: _stats(v) for k, v in cols.items() if v}
    out["render_bytes_median"] = {k: int(statistics.median(v)) for k, v in sizes.items() if v}
    out["render_peak_rss_mb"] = round(hwm_mb(), 1)
    out["render_sample"] = rows
    out["failures"] = failures
    out["rss_end_mb"] = round(rss_mb(), 1)
    return out


def _render_one(renderers, ctx, roadmap_t, qbr_t, findings_csv, name, failures, warm=False) -> dict:
    t, b = {}, {}

    def step(key, fn):
        try:
            dt, value = _time(fn)
        except Exception as exc:  # noqa: BLE001
            if not warm:
                failures.append({"client": name, "stage": key, "error": f"{type(exc).__name__}: {exc}"})
            return None
        t[key] = dt
        return value

    step("findings_csv", lambda: findings_csv(name, ctx["findings"]))
    if "xlsx" in renderers:
        data = step("xlsx", lambda: renderers["xlsx"](ctx))
        if data:
            b["xlsx"] = len(data)
    charts = None
    if "charts" in renderers:
        charts = step("charts", lambda: renderers["charts"](ctx))
    if "docx" in renderers and charts is not None:
        data = step("docx", lambda: renderers["docx"](ctx, roadmap_t, charts))
        if data:
            b["docx"] = len(data)
    if "pptx" in renderers:
        data = step("pptx", lambda: renderers["pptx"](ctx, qbr_t))
        if data:
            b["pptx"] = len(data)
    return {"t": t, "bytes": b}


def child_floor(args) -> dict:
    """Load and save the two templates with no content: the least any per-client document can cost."""
    import docx
    from docxtpl import DocxTemplate
    from pptx import Presentation

    roadmap = ROOT / "templates" / "roadmap.docx"
    qbr = ROOT / "templates" / "qbr.pptx"

    def pptx_floor():
        buf = io.BytesIO()
        Presentation(str(qbr)).save(buf)
        return buf

    def docxtpl_floor():
        buf = io.BytesIO()
        DocxTemplate(str(roadmap)).save(buf)
        return buf

    def docx_floor():
        buf = io.BytesIO()
        docx.Document(str(roadmap)).save(buf)
        return buf

    def xlsx_floor():
        import xlsxwriter
        buf = io.BytesIO()
        book = xlsxwriter.Workbook(buf, {"in_memory": True})
        book.add_worksheet("Findings")
        book.close()
        return buf

    out = {"templates": {"roadmap.docx": roadmap.stat().st_size, "qbr.pptx": qbr.stat().st_size}}
    for name, fn in [("pptx", pptx_floor), ("docxtpl", docxtpl_floor), ("python_docx", docx_floor),
                     ("xlsx_empty", xlsx_floor)]:
        fn()  # warm
        medians = []
        for _ in range(args.repeat):
            ts = [_time(fn)[0] for _ in range(15)]
            medians.append(statistics.median(ts))
        out[name] = {"median_ms": round(statistics.median(medians) * 1000, 2),
                     "runs_ms": [round(m * 1000, 2) for m in medians]}
    out["floor_ms"] = round(out["pptx"]["median_ms"] + out["docxtpl"]["median_ms"], 2)
    return out


def child_ingest(args) -> dict:
    data = Path(args.data)
    reset_hwm()
    t0 = time.perf_counter()
    import pipeline.ingest  # noqa: F401 - the import is part of what a run pays
    ingest, _jobs_for, _templates = _prepare(data)
    t_import = time.perf_counter() - t0
    runs = []
    result = None
    for _ in range(args.repeat):
        result = None
        t, result = _time(ingest)
        runs.append(t)
    return {"import_s": round(t_import, 3), "runs_s": [round(r, 2) for r in runs],
            "median_s": round(statistics.median(runs), 2), "rows": result.rows_read,
            "by_entity": {e: len(v) for e, v in result.records.items()}, "rejects": len(result.rejects),
            "peak_rss_mb": round(hwm_mb(), 1), "rss_end_mb": round(rss_mb(), 1)}


def _profile_text(profiler: cProfile.Profile, top: int) -> dict:
    out = {}
    for key in ("cumulative", "tottime"):
        buf = io.StringIO()
        stats = pstats.Stats(profiler, stream=buf)
        stats.strip_dirs() if False else None
        stats.sort_stats(key).print_stats(top)
        text = buf.getvalue()
        text = text.replace(str(ROOT) + "/", "").replace(str(ROOT / ".venv" / "lib" / "python3.11" / "site-packages") + "/", "")
        text = re.sub(r"/\S*/lib/python3\.11/", "", text)
        out[key] = text[text.find("   ncalls"):] if "   ncalls" in text else text
    return out


def child_profile_client(args) -> dict:
    from pipeline.model import build_clients
    from pipeline.runner.client_job import process_client

    ingest, jobs_for, _templates = _prepare(Path(args.data))
    ingested = ingest()
    clients = build_clients(ingested)
    jobs = jobs_for(ingested, clients)
    # "mid-size": the client closest to the target device count
    name = min(jobs, key=lambda n: (abs(len(clients[n].assets) - args.target_devices), n))
    small = min(jobs, key=lambda n: (len(clients[n].assets), n))
    process_client(jobs[small])  # warm-up: imports, font cache, catalog
    t0 = time.perf_counter()
    base = process_client(jobs[name])
    t_plain = time.perf_counter() - t0
    profiler = cProfile.Profile()
    profiler.enable()
    output = process_client(jobs[name])
    profiler.disable()
    return {"client": name, "assets": len(clients[name].assets), "users": len(clients[name].users),
            "status": output.status, "error": output.error, "unprofiled_s": round(t_plain, 3),
            "plain_status": base.status, "profile": _profile_text(profiler, args.top)}


def child_profile_ingest(args) -> dict:
    ingest, _jobs_for, _templates = _prepare(Path(args.data))
    profiler = cProfile.Profile()
    t0 = time.perf_counter()
    profiler.enable()
    result = ingest()
    profiler.disable()
    return {"rows": result.rows_read, "profiled_s": round(time.perf_counter() - t0, 2),
            "profile": _profile_text(profiler, args.top)}


def child_driver(args) -> dict:
    """Driver-side costs per client in pipeline/runner/run.py that do not shrink with more workers:
    the state file saved after every client (grows with the clients done: quadratic in total), the
    fsync'd atomic writes, and the fingerprints computed before any work starts."""
    import tempfile

    from pipeline.model import build_clients
    from pipeline.runner.atomic import atomic_write
    from pipeline.runner.fingerprint import client_fingerprint
    from pipeline.runner.run import RunOptions, load_run_config, templates_for
    from pipeline.runner.state import RunState

    out: dict = {}
    quarter_dir = Path(args.run_dir) / "2026-Q4"
    state = RunState.load(quarter_dir)
    out["state_clients"] = len(state.clients)
    out["state_bytes"] = (quarter_dir / ".vcio-state.json").stat().st_size if (quarter_dir / ".vcio-state.json").exists() else 0
    with tempfile.TemporaryDirectory(dir=str(Path(args.run_dir).parent)) as tmp:
        state.path = Path(tmp) / ".vcio-state.json"
        times = [_time(state.save)[0] for _ in range(5)]
        out["state_save_ms_at_this_size"] = round(statistics.median(times) * 1000, 1)
        payload = os.urandom(150_000)
        times = [_time(atomic_write, Path(tmp) / f"doc{i}.bin", payload)[0] for i in range(20)]
        out["atomic_write_150kB_ms"] = round(statistics.median(times) * 1000, 2)
    n = out["state_clients"]
    # save() after client k costs ~ k/n of the measured save: total ~ n/2 saves at this size
    out["estimated_state_saves_total_s"] = round(out["state_save_ms_at_this_size"] / 1000 * n / 2, 1)
    # fingerprints (sequential, before the pool starts)
    ingest, _jobs_for, templates = _prepare(Path(args.data))
    ingested = ingest()
    clients = build_clients(ingested)
    config = load_run_config(RunOptions(inputs=Path(args.data), out=Path(args.run_dir)))
    t0 = time.perf_counter()
    for client in clients.values():
        client_fingerprint(client, AS_OF, "2026-Q4", config, templates_for(config), ())
    out["fingerprints_all_s"] = round(time.perf_counter() - t0, 2)
    return out


def child_main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["stages", "floor", "ingest", "profile_client", "profile_ingest", "driver"])
    ap.add_argument("--run-dir")
    ap.add_argument("--data")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sample", type=int, default=50)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--target-devices", type=int, default=100)
    ap.add_argument("--json-out", required=True)
    args = ap.parse_args(argv)
    fn = {"stages": child_stages, "floor": child_floor, "ingest": child_ingest,
          "profile_client": child_profile_client, "profile_ingest": child_profile_ingest,
          "driver": child_driver}[args.what]
    result = fn(args)
    Path(args.json_out).write_text(json.dumps(result, indent=1, default=str))
    return 0


def run_child(what: str, log_dir: Path, *extra: str, poll: bool = False) -> dict:
    started = stamp()
    json_out = log_dir / f"child-{what}-{int(time.time() * 1000)}.json"
    cmd = [str(VENV_PY), str(Path(__file__).resolve()), "_child", what, "--json-out", str(json_out), *extra]
    measured = run_measured(cmd, log_dir / f"child-{what}.log", poll=poll)
    if measured["rc"] != 0 or not json_out.exists():
        tail = (log_dir / f"child-{what}.log").read_text(errors="replace")[-3000:]
        return {"error": f"child {what} exited {measured['rc']}", "log_tail": tail, "process": measured}
    result = json.loads(json_out.read_text())
    json_out.unlink()
    result["process"] = {k: v for k, v in measured.items() if k != "timeline"}
    result["stamp"] = started
    return result


# =============================================================================================
# Driver
# =============================================================================================
def machine_info() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kb = 0
    try:
        mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    except (OSError, AttributeError):
        pass
    versions = {}
    code = ("import importlib.metadata as m, json, sys; out={'python': sys.version.split()[0]}\n"
            "for p in ['vcio','python-pptx','python-docx','docxtpl','matplotlib','pandas','pyarrow','openpyxl',"
            "'xlsxwriter','lxml','click','Jinja2','SQLAlchemy','numpy']:\n"
            "    try: out[p]=m.version(p)\n    except Exception: out[p]=None\n"
            "print(json.dumps(out))")
    try:
        versions = json.loads(subprocess.run([str(VENV_PY), "-c", code], capture_output=True, text=True,
                                             check=True).stdout)
    except (subprocess.CalledProcessError, ValueError):
        pass
    try:
        load = os.getloadavg()
    except OSError:
        load = None
    return {"nproc": os.cpu_count(), "cpu_model": cpu, "mem_total_gb": round(mem_kb / 1024 / 1024, 1),
            "kernel": platform.release(), "versions": versions, "loadavg_at_start": load,
            "time_v": os.path.exists("/usr/bin/time"),
            "git_head": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                       cwd=ROOT).stdout.strip()}


def generate(out_dir: Path, *args: str) -> dict:
    cmd = [str(VENV_PY), str(BENCH / "generate.py"), "--out", str(out_dir), *args]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"generate failed: {proc.stderr}")
    info = json.loads((out_dir / ".generated.json").read_text())
    info["cmd"] = " ".join(cmd[1:]).replace(str(ROOT) + "/", "")
    info["wall_s"] = round(time.perf_counter() - t0, 2)
    return info


POOL_BUG = "max_tasks_per_child is incompatible with the 'fork'"


def stamp() -> dict:
    """When, and on which code: other engineers commit while the benchmark runs."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "pipeline", "templates"],
                           capture_output=True, text=True, cwd=ROOT).stdout.splitlines()
    return {"at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "git_head": head,
            "modified_files": len(dirty)}


def cli_run(data: Path, out: Path, jobs: int, log_dir: Path, label: str, resume: bool = False) -> dict:
    """One `vcio run` as a subprocess. If the real CLI dies of the known process-pool bug (exit 70,
    max_tasks_per_child with a fork context), the failure is recorded and the run is repeated through
    bench/vcio_patched.py, which only drops max_tasks_per_child, so the rest can still be measured."""
    started = stamp()
    result = _cli_run_once([str(VCIO)], data, out, jobs, log_dir, label, resume)
    if result["rc"] == 70 and POOL_BUG in (log_dir / f"cli-{label}.log").read_text(errors="replace"):
        broken = {k: result[k] for k in ("cmd", "rc", "wall_s")}
        broken["error"] = "ValueError: " + POOL_BUG + " multiprocessing start method (pipeline/runner/executors.py)"
        result = _cli_run_once([str(VENV_PY), str(BENCH / "vcio_patched.py")], data, out, jobs, log_dir,
                               label + "-patched", resume)
        result["real_cli_failed"] = broken
        result["entry"] = "bench/vcio_patched.py (workaround: no max_tasks_per_child)"
    else:
        result["entry"] = "vcio"
    result["stamp"] = started
    return result


def _cli_run_once(entry: list[str], data: Path, out: Path, jobs: int, log_dir: Path, label: str,
                  resume: bool) -> dict:
    if not resume and out.exists():
        shutil.rmtree(out)
    cmd = entry + ["run", "--inputs", str(data), "--out", str(out), "--as-of", AS_OF, "--all",
                   "--jobs", str(jobs)] + (["--resume"] if resume else [])
    env = dict(os.environ, PYTHONHASHSEED="0")
    result = run_measured(cmd, log_dir / f"cli-{label}.log", env=env)
    result["cmd"] = result["cmd"].replace(str(ROOT) + "/", "")
    manifest = out / "2026-Q4" / "manifest.json"
    if manifest.exists():
        m = json.loads(manifest.read_text())
        statuses: dict[str, int] = {}
        for c in m.get("clients", []):
            statuses[c["status"]] = statuses.get(c["status"], 0) + 1
        result["manifest_status"] = m.get("status")
        result["client_statuses"] = statuses
        errors: dict[str, int] = {}
        for c in m.get("clients", []):
            if c.get("error"):
                key = c["error"][:160]
                errors[key] = errors.get(key, 0) + 1
        result["errors"] = dict(sorted(errors.items(), key=lambda kv: -kv[1])[:10])
        result["unchanged"] = sum(1 for c in m.get("clients", []) if c.get("reason", "").startswith("unchanged"))
    log_text = (log_dir / f"cli-{label}.log").read_text(errors="replace")
    result["log_warnings"] = sorted({line.split(" ", 2)[-1][:200] for line in log_text.splitlines()
                                     if " WARNING " in line or " ERROR " in line})[:10]
    result["log_tail"] = log_text[-1500:] if result["rc"] not in (0, 1) else ""
    result["tracebacks"] = log_text.count("Traceback")
    # thin the timeline for the JSON
    tl = result.get("timeline", [])
    if len(tl) > 120:
        step = len(tl) / 120
        result["timeline"] = [tl[int(i * step)] for i in range(120)] + [tl[-1]]
    return result


def startup_times(repeat: int = 5) -> dict:
    out = {}
    for flag in ("--help", "--version"):
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            subprocess.run([str(VCIO), flag], capture_output=True, check=False)
            times.append(time.perf_counter() - t0)
        out[flag] = {"median_s": round(statistics.median(times), 3), "runs_s": [round(t, 3) for t in times]}
    # the bare interpreter, for reference
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([str(VENV_PY), "-c", "pass"], capture_output=True)
        times.append(time.perf_counter() - t0)
    out["python -c pass"] = {"median_s": round(statistics.median(times), 3)}
    code = "import time;t=time.perf_counter();import pipeline.cli;print(time.perf_counter()-t)"
    p = subprocess.run([str(VENV_PY), "-X", "importtime", "-c", code], capture_output=True, text=True, cwd=ROOT)
    heavy = []
    for line in p.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m and int(m.group(2)) > 3000:
            heavy.append((int(m.group(2)), m.group(4).strip()))
    out["heavy_imports_us"] = sorted(heavy, reverse=True)[:12]
    return out


def load_results(path: Path) -> dict:
    if path.exists():
        try:
            return json.loads(path.read_text())
        except ValueError:
            pass
    return {}


def save_results(path: Path, results: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(results, indent=1, default=str))
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_child":
        return child_main(argv[1:])
    ap = argparse.ArgumentParser(description="vcio benchmark harness (see bench/README.md)")
    ap.add_argument("--clients", default=",".join(map(str, DEFAULT_NS)), help="comma-separated N (default 50,500,2000)")
    ap.add_argument("--quick", action="store_true", help="N=50 only, no big ingest, no profiles: a smoke run")
    ap.add_argument("--only", default="", help="comma-separated subset of: floor,stages,cli,resume,big,startup,profile")
    ap.add_argument("--jobs", type=int, default=2, help="--jobs for the end-to-end CLI runs (default 2)")
    ap.add_argument("--repeat", type=int, default=3, help="repeats of the small timed things (default 3)")
    ap.add_argument("--cli-repeat", type=int, default=None,
                    help="end-to-end runs per N (default: 3 for N<=50, else 1; the 2,000 run takes minutes)")
    ap.add_argument("--sample", type=int, default=50, help="clients per N whose documents are rendered in-process")
    ap.add_argument("--big-devices", type=int, default=1_000_000)
    ap.add_argument("--big-users", type=int, default=500_000)
    ap.add_argument("--big-repeat", type=int, default=2)
    ap.add_argument("--profile-data", default=None, help="dataset for the per-client profile (default: the 500 set)")
    ap.add_argument("--out", type=Path, default=BENCH / "out")
    ap.add_argument("--results", type=Path, default=BENCH / "RESULTS.md")
    ap.add_argument("--report-only", action="store_true", help="rewrite RESULTS.md from OUT/results.json")
    args = ap.parse_args(argv)

    json_path = args.out / "results.json"
    results = load_results(json_path)
    if args.report_only:
        write_report(results, args.results)
        print(f"wrote {args.results}")
        return 0
    ns = [50] if args.quick else [int(x) for x in args.clients.split(",") if x.strip()]
    everything = {"floor", "stages", "cli", "resume", "driver", "big", "startup", "profile"}
    only = set(filter(None, args.only.split(","))) or (everything - {"big", "profile"} if args.quick else everything)
    unknown = only - everything
    if unknown:
        ap.error(f"--only: unknown {sorted(unknown)}")
    log_dir = args.out / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)

    def say(msg: str) -> None:
        print(f"[{datetime.now():%H:%M:%S}] {msg}", flush=True)

    results["machine"] = machine_info()
    results.setdefault("runs", []).append({"at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                           "argv": ["bench/harness.py", *argv]})
    results.setdefault("datasets", {})
    results.setdefault("stages", {})
    results.setdefault("cli", {})
    save_results(json_path, results)

    if "floor" in only:
        say("floor: open + save the templates with no content")
        results["floor"] = run_child("floor", log_dir, "--repeat", str(args.repeat))
        save_results(json_path, results)
        say(f"  floor {results['floor'].get('floor_ms')} ms per client")

    for n in ns:
        data = args.out / f"data-{n}"
        if only & {"stages", "cli", "resume"} or ("profile" in only and n == 500):
            say(f"N={n}: generating data")
            results["datasets"][str(n)] = generate(data, "--clients", str(n))
            save_results(json_path, results)
        if "stages" in only:
            say(f"N={n}: stages in-process (ingest, model, analyse every client, render a sample of {args.sample})")
            results["stages"][str(n)] = run_child("stages", log_dir, "--data", str(data), "--repeat",
                                                  str(args.repeat), "--sample", str(args.sample))
            save_results(json_path, results)
            s = results["stages"][str(n)]
            if "error" in s:
                say(f"  ERROR {s['error']}\n{s.get('log_tail', '')}")
            else:
                say(f"  ingest {s['ingest']['median_s']} s, model {s['model']['median_s']} s, analyse median "
                    f"{s['analyse'].get('median_ms')} ms, render total median {s['render'].get('total', {}).get('median_ms')} ms")
        if "cli" in only:
            reps = args.cli_repeat or (3 if n <= 50 else 1)
            runs = []
            for i in range(reps):
                say(f"N={n}: end-to-end `vcio run --all --jobs {args.jobs}` ({i + 1}/{reps})")
                r = cli_run(data, args.out / f"run-{n}", args.jobs, log_dir, f"{n}-full-{i + 1}")
                runs.append(r)
                say(f"  rc={r['rc']} wall={r['wall_s']} s peak tree RSS={r.get('peak_tree_rss_mb')} MB "
                    f"PSS={r.get('peak_tree_pss_mb')} MB statuses={r.get('client_statuses')}")
            entry = results["cli"].setdefault(str(n), {})
            entry["full_runs"] = runs
            entry["full_median_s"] = statistics.median(r["wall_s"] for r in runs)
            entry["jobs"] = args.jobs
            save_results(json_path, results)
        if "resume" in only and (args.out / f"run-{n}" / "2026-Q4" / "manifest.json").exists():
            say(f"N={n}: `--resume` rerun, nothing changed")
            r = cli_run(data, args.out / f"run-{n}", args.jobs, log_dir, f"{n}-resume", resume=True)
            if (r.get("unchanged") or 0) < n:
                # Something the fingerprint covers (vcio.toml defaults, templates, pipeline/data) changed
                # between the runs -- other engineers edit the tree while this runs. That rerun rendered the
                # changed clients again and saved their new fingerprints: measure once more.
                say(f"  only {r.get('unchanged')} of {n} unchanged (config/templates/data edited meanwhile?): "
                    "measuring --resume once more")
                first = {k: v for k, v in r.items() if k != "timeline"}
                r = cli_run(data, args.out / f"run-{n}", args.jobs, log_dir, f"{n}-resume-2", resume=True)
                r["first_attempt"] = first
            entry = results["cli"].setdefault(str(n), {})
            entry["resume"] = r
            save_results(json_path, results)
            say(f"  rc={r['rc']} wall={r['wall_s']} s unchanged={r.get('unchanged')}")

        if "driver" in only and (args.out / f"run-{n}" / "2026-Q4" / ".vcio-state.json").exists():
            say(f"N={n}: driver-side costs (state save, atomic writes, fingerprints)")
            results.setdefault("driver", {})[str(n)] = run_child("driver", log_dir, "--data", str(data), "--run-dir",
                                                                 str(args.out / f"run-{n}"))
            save_results(json_path, results)
            say(f"  {results['driver'][str(n)]}")

    if "big" in only:
        data = args.out / "data-1m"
        say(f"big ingest: generating {args.big_devices:,} device rows + {args.big_users:,} user rows")
        results["big_dataset"] = generate(data, "--devices", str(args.big_devices), "--users", str(args.big_users))
        save_results(json_path, results)
        say(f"big ingest: ingest_folder x{args.big_repeat} in a fresh process")
        results["big_ingest"] = run_child("ingest", log_dir, "--data", str(data), "--repeat", str(args.big_repeat),
                                          poll=True)
        save_results(json_path, results)
        b = results["big_ingest"]
        say(f"  {b.get('median_s')} s, peak RSS {b.get('peak_rss_mb')} MB {b.get('error', '')}")

    if "startup" in only:
        say("vcio --help / --version, median of 5")
        results["startup"] = startup_times(5)
        save_results(json_path, results)

    if "profile" in only:
        pdata = Path(args.profile_data) if args.profile_data else args.out / "data-500"
        if not (pdata / ".generated.json").exists():
            results["datasets"]["500"] = generate(pdata, "--clients", "500")
        say(f"profile: process_client on a mid-size client of {pdata.name}")
        results["profile_client"] = run_child("profile_client", log_dir, "--data", str(pdata), "--top", "30")
        save_results(json_path, results)
        big = args.out / "data-1m"
        if (big / ".generated.json").exists():
            say("profile: ingest of the big dataset under cProfile (slower than unprofiled)")
            results["profile_ingest"] = run_child("profile_ingest", log_dir, "--data", str(big), "--top", "30")
            save_results(json_path, results)

    write_report(results, args.results)
    say(f"wrote {args.results} and {json_path}")
    return 0


# =============================================================================================
# RESULTS.md
# =============================================================================================
def _fmt(v, unit: str = "", nd: int = 1) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, float):
        return f"{v:,.{nd}f}{unit}"
    return f"{v:,}{unit}" if isinstance(v, int) else f"{v}{unit}"


def _verdict(ok: bool | None) -> str:
    return "n/a (not measured)" if ok is None else ("**met**" if ok else "**NOT met**")


def write_report(results: dict, path: Path) -> None:
    m = results.get("machine", {})
    v = m.get("versions", {})
    lines: list[str] = []
    w = lines.append
    w("# vcio benchmark results")
    w("")
    w("Generated by `bench/harness.py` (raw numbers: `bench/out/results.json`, logs: `bench/out/logs/`). "
      "How to run and what each number means: [bench/README.md](README.md).")
    w("")
    w("## Machine")
    w("")
    w(f"- CPU: {m.get('cpu_model')} — nproc **{m.get('nproc')}**, memory {m.get('mem_total_gb')} GB, kernel {m.get('kernel')}; "
      f"load average at start {m.get('loadavg_at_start')}")
    w(f"- Python {v.get('python')}; vcio {v.get('vcio')}; python-pptx {v.get('python-pptx')}, python-docx {v.get('python-docx')}, "
      f"docxtpl {v.get('docxtpl')}, matplotlib {v.get('matplotlib')}, pandas {v.get('pandas')}, pyarrow {v.get('pyarrow')}, "
      f"openpyxl {v.get('openpyxl')}, XlsxWriter {v.get('xlsxwriter')}, lxml {v.get('lxml')}, click {v.get('click')}")
    w(f"- Tree at git HEAD `{m.get('git_head')}` plus uncommitted work of the other engineers (measured as it stood).")
    w("- Shared, noisy machine: every small timing is a median of repeats; single runs are marked.")
    w("")
    w("Commands run (in order):")
    w("")
    w("```sh")
    for r in results.get("runs", [])[-6:]:
        w(f".venv/bin/python {' '.join(r['argv'])}   # {r['at']}")
    for n, d in sorted(results.get("datasets", {}).items(), key=lambda kv: int(kv[0])):
        w(f".venv/bin/python {d.get('cmd', '')}")
    if results.get("big_dataset"):
        w(f".venv/bin/python {results['big_dataset'].get('cmd', '')}")
    for n, c in sorted(results.get("cli", {}).items(), key=lambda kv: int(kv[0])):
        runs = c.get("full_runs") or []
        if runs:
            w(runs[0]["cmd"] + (f"   # x{len(runs)}" if len(runs) > 1 else ""))
        if c.get("resume"):
            w(c["resume"]["cmd"])
    w("```")
    w("")

    # ------------------------------------------------------------------ targets
    floor = results.get("floor", {})
    floor_ms = floor.get("floor_ms")
    stages = results.get("stages", {})
    cli = results.get("cli", {})
    c2000 = cli.get("2000", {})
    full2000 = c2000.get("full_median_s")
    big = results.get("big_ingest", {})
    st = results.get("startup", {})
    w("## Targets")
    w("")
    w("| Target | Measured | Verdict |")
    w("|---|---|---|")
    w(f"| 2,000 clients, full documents, end to end < 5 min (`vcio run --all --jobs {c2000.get('jobs', 2)}`) | "
      f"{_fmt(full2000, ' s')} ({_fmt(full2000 / 60 if full2000 else None, ' min', 1)}); "
      f"{_fmt(2000 / full2000 if full2000 else None, ' clients/s', 2)} | "
      f"{_verdict(None if full2000 is None else full2000 < TARGET_FULL_2000_S)} |")
    ratio_cells = []
    ratio_ok = None
    for n in sorted(stages, key=int):
        s = stages[n]
        tot = s.get("render", {}).get("total", {}).get("median_ms") if "render" in s else None
        if tot and floor_ms:
            r = tot / floor_ms
            ratio_cells.append(f"N={n}: {tot:.0f} ms = {r:.1f}x")
            ratio_ok = (ratio_ok if ratio_ok is not None else True) and r < TARGET_FLOOR_RATIO
    e2e_cells = []
    for n in sorted(cli, key=int):
        c = cli[n]
        if c.get("full_median_s") and floor_ms:
            per = c["full_median_s"] * c.get("jobs", 2) / int(n) * 1000
            e2e_cells.append(f"N={n}: {per:.0f} ms = {per / floor_ms:.1f}x")
    w(f"| Per client < 5x floor (floor = open+save both templates, {_fmt(floor_ms, ' ms', 1)}) | "
      f"in-process median (analyse + findings.csv + xlsx + charts + docx + pptx): {'; '.join(ratio_cells) or 'n/a'}"
      f"{'<br>end to end, wall x jobs / clients: ' + '; '.join(e2e_cells) if e2e_cells else ''} | {_verdict(ratio_ok)} |")
    big_ok = None if "median_s" not in big else big["median_s"] < TARGET_BIG_INGEST_S
    w(f"| Ingest 1M device rows + 500k user rows < 10 s | {_fmt(big.get('median_s'), ' s', 1)} "
      f"(runs {big.get('runs_s')}), {_fmt(big.get('rows'))} rows, peak RSS {_fmt(big.get('peak_rss_mb'), ' MB', 0)} | {_verdict(big_ok)} |")
    hv = [st.get("--help", {}).get("median_s"), st.get("--version", {}).get("median_s")]
    cli_ok = None if None in hv else max(hv) < TARGET_CLI_S
    w(f"| `vcio --help` / `--version` < 0.5 s | {_fmt(hv[0], ' s', 3)} / {_fmt(hv[1], ' s', 3)} (median of 5; "
      f"bare `python -c pass` {_fmt(st.get('python -c pass', {}).get('median_s'), ' s', 3)}) | {_verdict(cli_ok)} |")
    run2000 = (c2000.get("full_runs") or [{}])[0]
    peak = run2000.get("peak_tree_pss_mb")
    mem_cells = []
    for n in sorted(cli, key=int):
        r0 = (cli[n].get("full_runs") or [{}])[0]
        if r0:
            mem_cells.append(f"N={n}: PSS {_fmt(r0.get('peak_tree_pss_mb'), ' MB', 0)}, RSS sum {_fmt(r0.get('peak_tree_rss_mb'), ' MB', 0)}, "
                             f"largest process {_fmt(r0.get('max_rss_single_process_mb'), ' MB', 0)}")
    grows = _memory_growth(cli)
    mem_ok = None if peak is None else (peak < TARGET_PEAK_MB and grows is not None and not grows["with_total"])
    w(f"| Peak memory < 2 GB for the 2,000-client run, growing with clients in flight, not total | "
      f"{'<br>'.join(mem_cells) or 'n/a'}<br>{grows['text'] if grows else ''} | {_verdict(mem_ok)} |")
    res = c2000.get("resume") or {}
    share_cells, share_ok = [], None
    for n in sorted(cli, key=int):
        c = cli[n]
        if c.get("resume") and c.get("full_median_s"):
            share = c["resume"]["wall_s"] / c["full_median_s"]
            share_cells.append(f"N={n}: {c['resume']['wall_s']:.1f} s / {c['full_median_s']:.1f} s = {share:.0%} "
                               f"({c['resume'].get('unchanged')} unchanged)")
            if n == "2000" or share_ok is None:
                share_ok = share < TARGET_RESUME_SHARE if n == "2000" else (share_ok if share_ok is not None else None)
    if res and c2000.get("full_median_s"):
        share_ok = res["wall_s"] / c2000["full_median_s"] < TARGET_RESUME_SHARE
    elif share_cells:
        share_ok = all(float(c.split("= ")[1].split("%")[0]) / 100 < TARGET_RESUME_SHARE for c in share_cells)
    w(f"| `--resume` rerun with nothing changed < 10% of the full run | {'<br>'.join(share_cells) or 'n/a'} | {_verdict(share_ok)} |")
    w("")

    # ------------------------------------------------------------------ per stage
    w("## Per stage (in-process, sequential, one fresh process per N)")
    w("")
    w("Ingest and model: whole dataset, median of repeats. Analyse (findings + roll-ups + render context, "
      "`pipeline.runner.client_job.analyse`): every client. Documents: a size-stratified sample of clients "
      "(smallest to largest, the largest always included), one warm-up client excluded. "
      "Peak RSS is this process's high-water mark during the stage (reset before each stage; it includes the "
      "ingested data the process already holds).")
    w("")
    w("| N | Stage | Median per client | p90 / max per client | Clients per second | Total | Peak RSS |")
    w("|---|---|---|---|---|---|---|")
    for n in sorted(stages, key=int):
        s = stages[n]
        if "error" in s:
            w(f"| {n} | (failed) | {s['error']} | | | | |")
            continue
        ds = results.get("datasets", {}).get(n, {}).get("stats", {})
        ing, mod, an = s["ingest"], s["model"], s["analyse"]
        w(f"| {n} | ingest ({ing['rows']:,} rows, {ing['files']} files) | {ing['median_s'] / int(n) * 1000:.1f} ms | | "
          f"{int(n) / ing['median_s']:.0f} ({ing['rows'] / ing['median_s']:,.0f} rows/s) | {ing['median_s']:.2f} s | {ing['peak_rss_mb']:.0f} MB |")
        w(f"| {n} | model ({mod['assets']:,} assets, {mod['users']:,} users) | {mod['median_s'] / int(n) * 1000:.1f} ms | | "
          f"{int(n) / mod['median_s']:.0f} | {mod['median_s']:.2f} s | {mod['peak_rss_mb']:.0f} MB |")
        w(f"| {n} | findings + context ({an.get('n')} clients; findings median {an.get('findings_median')}, max {an.get('findings_max')}) | "
          f"{_fmt(an.get('median_ms'), ' ms')} | {_fmt(an.get('p90_ms'), ' ms')} / {_fmt(an.get('max_ms'), ' ms')} | "
          f"{_fmt(an.get('clients_per_s'), '', 1)} | {_fmt(an.get('total_s'), ' s', 2)} | {_fmt(an.get('peak_rss_mb'), ' MB', 0)} |")
        rend = s.get("render", {})
        for key, label in [("findings_csv", "findings.csv"), ("xlsx", "xlsx workbook"), ("charts", "charts (matplotlib PNGs)"),
                           ("docx", "docx roadmap (charts excluded)"), ("pptx", "pptx QBR deck"),
                           ("total", "**per client, all of the above + analyse**")]:
            st_ = rend.get(key)
            if not st_:
                continue
            w(f"| {n} | {label} (sample {st_['n']}) | {_fmt(st_.get('median_ms'), ' ms')} | {_fmt(st_.get('p90_ms'), ' ms')} / "
              f"{_fmt(st_.get('max_ms'), ' ms')} | {_fmt(st_.get('clients_per_s'), '', 2)} | {_fmt(st_.get('total_s'), ' s', 2)} | "
              f"{_fmt(s.get('render_peak_rss_mb'), ' MB', 0) if key == 'total' else ''} |")
        if s.get("renderers"):
            w(f"| {n} | renderers missing | {s['renderers']} | | | | |")
        if ds:
            w(f"| {n} | dataset | {ds.get('devices'):,} devices, {ds.get('users'):,} users; size mix {ds.get('size_mix')} | | | | |")
    w("")
    # floor detail
    if floor and "error" not in floor:
        w("### Floor (open + save a template with no content, median of "
          f"{len(floor.get('pptx', {}).get('runs_ms', []))} x 15)")
        w("")
        w("| Operation | Median |")
        w("|---|---|")
        w(f"| python-pptx `Presentation(templates/qbr.pptx).save()` | {floor['pptx']['median_ms']} ms |")
        w(f"| docxtpl `DocxTemplate(templates/roadmap.docx).save()` | {floor['docxtpl']['median_ms']} ms |")
        w(f"| python-docx `Document(templates/roadmap.docx).save()` | {floor['python_docx']['median_ms']} ms |")
        w(f"| XlsxWriter empty one-sheet workbook (reference, not in the floor) | {floor['xlsx_empty']['median_ms']} ms |")
        w(f"| **floor per client = pptx + docxtpl** | **{floor['floor_ms']} ms** |")
        w("")
        for n in sorted(stages, key=int):
            rend = stages[n].get("render", {})
            if rend.get("docx") and rend.get("pptx"):
                w(f"- N={n}: pptx {rend['pptx']['median_ms']:.0f} ms = {rend['pptx']['median_ms'] / floor['pptx']['median_ms']:.1f}x its floor; "
                  f"docx + charts {rend['docx']['median_ms'] + rend['charts']['median_ms']:.0f} ms = "
                  f"{(rend['docx']['median_ms'] + rend['charts']['median_ms']) / floor['docxtpl']['median_ms']:.1f}x its floor "
                  f"(charts alone {rend['charts']['median_ms']:.0f} ms)")
        w("")

    # ------------------------------------------------------------------ end to end
    if cli:
        w("## End to end (`vcio run --all`, subprocess)")
        w("")
        w("Wall time from launch to exit. RSS sum = sum of VmRSS over the process tree at one instant (counts "
          "the fork-shared pages once per worker, so it overstates); PSS = proportional set size summed over the "
          "tree (shared pages split between sharers: the honest total); largest process = `/usr/bin/time -v` "
          "maximum resident set size (the biggest single process, usually the driver).")
        w("")
        w("| N | Run | Wall | Clients/s | CPU (tree) | Peak PSS (tree) | Peak RSS sum (tree) | Largest process | Procs | Exit | Clients ok/failed/skipped |")
        w("|---|---|---|---|---|---|---|---|---|---|---|")
        for n in sorted(cli, key=int):
            c = cli[n]
            for i, r in enumerate(c.get("full_runs", [])):
                w(_cli_row(n, f"full {i + 1}", r))
            if c.get("resume"):
                w(_cli_row(n, "--resume", c["resume"]))
        w("")
        for n in sorted(cli, key=int):
            for r in c.get("full_runs", [])[:1] + ([cli[n]["resume"]] if cli[n].get("resume") else []):
                pass
        errs = {}
        for n in sorted(cli, key=int):
            for r in cli[n].get("full_runs", []) + ([cli[n]["resume"]] if cli[n].get("resume") else []):
                for e, k in (r.get("errors") or {}).items():
                    errs.setdefault(e, {})[n] = errs.setdefault(e, {}).get(n, 0) + k
                if r.get("log_tail"):
                    errs.setdefault(f"run exited {r['rc']}: …{r['log_tail'][-400:]}", {})[n] = 1
        if errs:
            w("Client errors seen in the manifests (count per N):")
            w("")
            for e, per in errs.items():
                w(f"- `{e}` — {per}")
            w("")
        tl = (cli.get("2000") or cli.get(max(cli, key=int)) or {}).get("full_runs", [{}])[0].get("timeline")
        if tl:
            nn = "2000" if "2000" in cli else max(cli, key=int)
            w(f"Memory over time, N={nn} full run (t s: tree RSS sum / tree PSS / largest process MB, processes):")
            w("")
            w("```")
            step = max(1, len(tl) // 24)
            for t, rss, pss, big_, procs in tl[::step] + [tl[-1]]:
                w(f"t={t:7.1f}s  rss_sum={rss:8.1f}  pss={pss:8.1f}  largest={big_:8.1f}  procs={procs}")
            w("```")
            w("")

    # ------------------------------------------------------------------ big ingest
    if big:
        w("## Big ingest (1M device rows + 500k user rows)")
        w("")
        bd = results.get("big_dataset", {}).get("stats", {})
        w(f"- Dataset: {bd.get('rows')} + {bd.get('m365_user_rows'):,} M365 user rows in "
          f"{bd.get('clients')} tenant folders, {_fmt((bd.get('bytes') or 0) / 1e6, ' MB', 0)} on disk; size mix {bd.get('size_mix')}; "
          f"generated in {bd.get('seconds')} s" if bd else "- Dataset: n/a")
        if "error" in big:
            w(f"- **Failed**: {big['error']}\n\n```\n{big.get('log_tail', '')}\n```")
        else:
            w(f"- `ingest_folder`: runs {big.get('runs_s')} s, median **{big.get('median_s')} s** "
              f"({big.get('rows', 0) / big['median_s']:,.0f} rows/s); import + config {big.get('import_s')} s; "
              f"records by entity {big.get('by_entity')}; rejects {big.get('rejects')}")
            w(f"- Peak RSS of the ingesting process **{big.get('peak_rss_mb'):,.0f} MB** (still held after: "
              f"{big.get('rss_end_mb'):,.0f} MB) — about {big.get('peak_rss_mb', 0) * 1024 / max(1, big.get('rows', 1)):.2f} kB per row")
        w("")

    # ------------------------------------------------------------------ startup
    if st:
        w("## Start-up")
        w("")
        w(f"- `vcio --help`: {st.get('--help', {}).get('runs_s')} s; `vcio --version`: {st.get('--version', {}).get('runs_s')} s")
        if st.get("heavy_imports_us"):
            w(f"- Heaviest imports of `import pipeline.cli` (cumulative µs, `-X importtime`): "
              + ", ".join(f"{name} {us / 1000:.0f} ms" for us, name in st["heavy_imports_us"][:8]))
        w("")

    # ------------------------------------------------------------------ profiles
    pc = results.get("profile_client")
    pi = results.get("profile_ingest")
    if pc or pi:
        w("## Profiles (cProfile)")
        w("")
        if pc and "error" not in pc:
            w(f"### `process_client` on one mid-size client: {pc['client']} ({pc['assets']} assets, {pc['users']} users), "
              f"status {pc['status']}, {pc['unprofiled_s']} s unprofiled")
            w("")
            w("Top by cumulative time:")
            w("")
            w("```")
            w("\n".join(pc["profile"]["cumulative"].splitlines()[:32]))
            w("```")
            w("")
            w("Top by own time:")
            w("")
            w("```")
            w("\n".join(pc["profile"]["tottime"].splitlines()[:20]))
            w("```")
            w("")
        elif pc:
            w(f"process_client profile failed: {pc.get('error')}")
        if pi and "error" not in pi:
            w(f"### Ingest of the big dataset ({pi['rows']:,} rows; {pi['profiled_s']} s under the profiler)")
            w("")
            w("Top by cumulative time:")
            w("")
            w("```")
            w("\n".join(pi["profile"]["cumulative"].splitlines()[:32]))
            w("```")
            w("")
            w("Top by own time:")
            w("")
            w("```")
            w("\n".join(pi["profile"]["tottime"].splitlines()[:20]))
            w("```")
            w("")
    notes = BENCH / "analysis.md"  # the hand-written reading of these numbers
    if notes.exists():
        w(notes.read_text())
    path.write_text("\n".join(lines) + "\n")


def _cli_row(n: str, label: str, r: dict) -> str:
    st = r.get("client_statuses") or {}
    cps = int(n) / r["wall_s"] if label.startswith("full") and r.get("wall_s") else None
    cpu = r.get("tree_cpu_s") or ((r.get("user_s") or 0) + (r.get("sys_s") or 0))
    return (f"| {n} | {label} | {r['wall_s']:.1f} s | {_fmt(cps, '', 2)} | {cpu:.0f} s | {_fmt(r.get('peak_tree_pss_mb'), ' MB', 0)} | "
            f"{_fmt(r.get('peak_tree_rss_mb'), ' MB', 0)} | {_fmt(r.get('max_rss_single_process_mb'), ' MB', 0)} | "
            f"{r.get('peak_procs')} | {r['rc']} | {st.get('ok', 0)}/{st.get('failed', 0)}/{st.get('skipped', 0)} |")


def _memory_growth(cli: dict) -> dict | None:
    """Does the peak grow with the total number of clients? Compare the peak PSS across N."""
    pts = []
    for n in sorted(cli, key=int):
        r0 = (cli[n].get("full_runs") or [{}])[0]
        if r0.get("peak_tree_pss_mb"):
            pts.append((int(n), r0["peak_tree_pss_mb"], r0.get("max_rss_single_process_mb")))
    if len(pts) < 2:
        return None
    (n0, p0, d0), (n1, p1, d1) = pts[0], pts[-1]
    slope = (p1 - p0) / (n1 - n0)
    # more than ~0.25 MB per extra client is "grows with the total" (the inputs alone are ~0.1 MB per client)
    with_total = slope > 0.25
    text = (f"peak PSS {p0:.0f} MB at N={n0} -> {p1:.0f} MB at N={n1}: {slope:.2f} MB per extra client "
            f"({'grows with the total' if with_total else 'roughly flat'}); largest process {d0} -> {d1} MB")
    return {"with_total": with_total, "slope": slope, "text": text}


if __name__ == "__main__":
    sys.exit(main())
