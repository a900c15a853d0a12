"""Client names become safe, unique, readable folder and file names; nothing is written outside --out."""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from pipeline.runner.names import document_name, safe_filename, slugify, unique_slugs
from tests.hostile.conftest import (HOSTILE_NAMES, LONG_STEM, QUARTER, TEXT_CLIENT, add_roster_rows, client_entries,
                                    files_under, no_traceback, write_devices)

RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
UNSAFE_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def _safe_component(name: str) -> None:
    assert name and name not in {".", ".."}, name
    assert not UNSAFE_IN_NAMES.search(name), f"unsafe character in {name!r}"
    assert len(name.encode("utf-8")) <= 255, f"{len(name.encode())} bytes: {name!r}"
    assert name.split(".")[0].strip().lower() not in RESERVED, f"reserved device name: {name!r}"
    assert name == name.strip() and not name.endswith("."), f"trailing space or dot: {name!r}"


def test_hostile_names_run_to_the_end(hostile_run):
    no_traceback(hostile_run.result)
    assert hostile_run.result.returncode == 0, hostile_run.result.stderr[-3000:]
    entries = client_entries(hostile_run.manifest)
    for name in [*HOSTILE_NAMES.values(), TEXT_CLIENT]:
        assert entries[name]["status"] == "ok", entries[name]


def test_hostile_names_get_safe_unique_folders_and_file_names(hostile_run):
    entries = client_entries(hostile_run.manifest)
    quarter_dir = (hostile_run.out / QUARTER).resolve()
    slugs = [e["slug"] for e in entries.values()]
    assert len(slugs) == len(set(slugs)), "slugs are unique within the run"
    for entry in entries.values():
        slug = entry["slug"]
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), slug
        assert len(slug) <= 64 and slug not in RESERVED
        folder = quarter_dir / slug
        assert folder.is_dir() and folder.resolve().parent == quarter_dir
        for key, relative in entry["files"].items():
            path = (quarter_dir / relative).resolve()
            assert path.parent == folder.resolve(), f"{key}: {relative} is not in the client's folder"
            assert path.is_file()
            _safe_component(path.name)


@pytest.mark.parametrize("key, slug, file_prefix", [
    ("dotdot", "etc", "_.._etc - "),
    ("con", "con-client", "_CON - "),
    ("slash", "a-b", "a_b - "),
    ("slash_twin", "a-b-2", "a b - "),
    ("emoji", "unicorn-dental", "\U0001F984 Unicorn Dental \U0001F680 - "),
    ("arabic", None, "شركة الأمل للتجارة - "),
    ("chinese", None, "北京科技有限公司 - "),
    ("at", "home-networks", "@Home Networks - "),
    ("markup", "tom-jerry-s-shop-ltd", "Tom & Jerry's _Shop_ _Ltd_ - "),
    ("control", "ctrl-char-co", "Ctrl_Char Co - "),
])
def test_file_names_keep_the_clients_spelling(hostile_run, key, slug, file_prefix):
    entry = client_entries(hostile_run.manifest)[HOSTILE_NAMES[key]]
    if slug:
        assert entry["slug"] == slug
    else:  # a name with no Latin letters: an ASCII slug from a digest of the name, never empty
        assert re.fullmatch(r"client-[0-9a-f]{6}(-\d+)?", entry["slug"]), entry["slug"]  # stable across runs
    for key_ in ("roadmap", "qbr", "workbook"):
        name = Path(entry["files"][key_]).name
        assert unicodedata.normalize("NFC", name).startswith(unicodedata.normalize("NFC", file_prefix)), name


def test_long_names_are_shortened_and_stay_unique(hostile_run):
    entries = client_entries(hostile_run.manifest)
    a, b = entries[HOSTILE_NAMES["long_a"]], entries[HOSTILE_NAMES["long_b"]]
    assert a["slug"] != b["slug"] and b["slug"] == a["slug"] + "-2"
    for entry in (a, b):
        name = Path(entry["files"]["roadmap"]).name
        assert name.startswith(LONG_STEM[:60]) and len(name.encode("utf-8")) <= 255


def test_nothing_is_written_outside_the_output_folder(hostile_run):
    new = files_under(hostile_run.root) - hostile_run.before
    out = hostile_run.out.resolve()
    outside = [p for p in new if not p.resolve().is_relative_to(out) and p != hostile_run.log]
    assert outside == []
    for path in files_under(hostile_run.out):
        assert path.resolve().is_relative_to(out), f"{path} escapes --out"
        assert not path.is_symlink()
    # the "../../etc" client: no folder named etc above the quarter folder
    assert not (hostile_run.out / "etc").exists() and not (hostile_run.out.parent / "etc").exists()


@pytest.mark.parametrize("name", [*HOSTILE_NAMES.values(), "..", ".", "", " ", "COM1.txt", "lpt9", "con.tar.gz",
                                  "a\\b", "x" * 1000, "\u00e9" * 300, "C:\\Windows", "name\x00with nul", "\u202e" + "cod.exe"])
def test_name_functions_are_safe_for_any_name(name):
    _safe_component(safe_filename(name))
    _safe_component(document_name(name, "Roadmap", QUARTER, ".docx"))
    slug = slugify(name)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) and slug not in RESERVED


def test_slugs_are_unique_for_names_that_collide():
    names = ["a/b", "a b", "A-B", "a_b", "北京", "東京", "", "CON", "con client"]
    slugs = unique_slugs(names)
    assert len(set(slugs.values())) == len(names)


# ----------------------------------------------------------------------------- in process, every write watched
class WriteWatch:
    """Every file the process creates, writes, renames, removes or opens as a database (audit hook)."""

    active = False
    seen: list[tuple[str, str]] = []
    WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

    @classmethod
    def hook(cls, event, args):
        if not cls.active:
            return
        if event == "open":
            path, _mode, flags = args
            if isinstance(path, (str, bytes, os.PathLike)) and isinstance(flags, int) and flags & cls.WRITE:
                cls.seen.append((event, os.fsdecode(path)))
        elif event in {"os.rename", "shutil.copyfile", "shutil.move"}:
            cls.seen.append((event, os.fsdecode(args[1])))
        elif event in {"os.mkdir", "os.remove", "os.rmdir", "os.symlink", "os.link", "os.truncate", "os.chmod",
                       "sqlite3.connect"}:
            if isinstance(args[0], (str, bytes, os.PathLike)):
                cls.seen.append((event, os.fsdecode(args[0])))


@pytest.mark.slow
def test_every_write_of_a_run_is_under_the_output_folder(tmp_path, monkeypatch):
    """In process (--jobs 1), an audit hook sees every file operation of the whole run."""
    import matplotlib

    import pipeline.render.roadmap_charts  # noqa: F401 - fonts and caches are set up before watching
    from pipeline.runner.run import RunOptions, run

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "clients.csv").write_text("name,aliases,domains,psa_id,tier,vcio,fiscal_year_start,cadence\n",
                                        encoding="utf-8")
    add_roster_rows(inputs, list(HOSTILE_NAMES.values()))
    write_devices(inputs / "devices.csv",
                  [[name, f"DEV-{n}", f"SN{n}", "desktop", "Microsoft Windows 7 Professional", "2015-01-01", ""]
                   for n, name in enumerate(HOSTILE_NAMES.values())])
    out = tmp_path / "a" / "b" / "out"
    if not getattr(WriteWatch, "hooked", False):
        sys.addaudithook(WriteWatch.hook)
        WriteWatch.hooked = True
    WriteWatch.seen = []
    WriteWatch.active = True
    try:
        outcome = run(RunOptions(inputs=inputs, out=out, as_of=date(2026, 11, 20), all_clients=True, jobs=1,
                                 progress=False))
    finally:
        WriteWatch.active = False
    assert int(outcome.status) == 0
    allowed = [out.resolve()]
    caches = [Path(matplotlib.get_cachedir()).resolve(), Path(matplotlib.get_configdir()).resolve()]
    outside = []
    for event, raw in WriteWatch.seen:
        path = Path(raw) if os.path.isabs(raw) else Path.cwd() / raw
        path = path.resolve()
        if any(path.is_relative_to(a) for a in allowed):
            continue
        if event == "os.mkdir" and out.resolve().is_relative_to(path):
            continue  # creating --out itself (mkdir -p)
        if "__pycache__" in path.parts or any(path.is_relative_to(c) for c in caches) or raw.startswith("/dev/"):
            continue  # Python's bytecode cache and matplotlib's font cache: no client data
        outside.append((event, raw))
    assert outside == [], outside
    assert len(WriteWatch.seen) > 20, "the hook saw the run's writes"
