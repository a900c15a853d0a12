"""The wheel carries every file the code loads: checked here against pyproject.toml, and for real by
`make check-install` (a wheel installed in a fresh environment, run from an empty folder)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pipeline.resources import TEMPLATE_NAMES, builtin_template, data_path, profiles_dir

REPO = Path(__file__).resolve().parent.parent
SETUPTOOLS = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def _source_packages() -> set[str]:
    """Every folder under pipeline/ holding Python code or files the code reads."""
    found = set()
    for folder in [REPO / "pipeline", *(p for p in (REPO / "pipeline").rglob("*") if p.is_dir())]:
        if folder.name == "__pycache__" or not any(f.is_file() for f in folder.iterdir()):
            continue
        found.add(".".join(folder.relative_to(REPO).parts))
    return found


def test_every_source_package_is_in_the_wheel():
    missing = _source_packages() - set(SETUPTOOLS["packages"])
    assert not missing, f"add {sorted(missing)} to [tool.setuptools] packages in pyproject.toml"


def test_templates_are_mapped_into_the_package_from_the_top_level_folder():
    assert SETUPTOOLS["package-dir"] == {"pipeline.templates": "templates"}
    assert "pipeline.templates" in SETUPTOOLS["packages"]
    for name in TEMPLATE_NAMES:
        assert builtin_template(name).is_file()
        assert builtin_template(name).read_bytes() == (REPO / "templates" / name).read_bytes()


def test_package_data_patterns_cover_every_data_file():
    patterns = SETUPTOOLS["package-data"]
    for package in ("pipeline.data", "pipeline.data.lifecycle", "pipeline.ingest.profiles", "pipeline.templates"):
        folder = REPO.joinpath(*package.split(".")) if package != "pipeline.templates" else REPO / "templates"
        for file in folder.iterdir():
            if file.is_file():
                assert any(file.match(p) for p in patterns[package]), f"{file} is not shipped: add it to {package}"


def test_runtime_files_resolve_inside_the_package():
    assert data_path("default_config.toml").is_file()
    assert data_path("lifecycle", "windows.json").is_file()
    assert (profiles_dir() / "datto_rmm_device_details.toml").is_file()
