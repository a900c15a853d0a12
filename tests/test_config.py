"""Settings are typed and validated once: every command refuses the same bad value, naming file, section, key."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import Settings, find_config, load_settings, settings_from
from pipeline.errors import ConfigError, ExitStatus

from .conftest import INPUTS, run_cli


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "vcio.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_defaults_load_into_typed_values():
    settings = load_settings(None)
    assert isinstance(settings, Settings)
    assert settings.thresholds.stale_input_days == 30 and isinstance(settings.thresholds.stale_input_days, int)
    assert settings.hardware.max_age("desktop") == 5.0 and settings.hardware.max_age("virtual") is None
    assert settings.prices.device("printer") == settings.prices.other
    assert settings.documents.roadmap_template is None and settings.documents.roadmap_charts == "native"
    assert settings.locale.effective_date_format == "%b %d, %Y"


@pytest.mark.parametrize("text, message", [
    ('[thresholds]\nstale_input_days = "thirty"\n', '[thresholds] stale_input_days = \'thirty\': expected a whole number'),
    ("[thresholds]\nstale_input_days = 2.5\n", "expected a whole number"),
    ("[thresholds]\nstale_input_days = -1\n", "must be at least 0"),
    ("[thresholds]\nmissing_patches = true\n", "expected a whole number"),
    ("[budget]\nquarters = 0\n", "[budget] quarters = 0: must be at least 1"),
    ("[budget]\nannual_escalation_percent = 250\n", "must be at most 100"),
    ('[msp]\ninternal_view = "yes"\n', "expected true or false"),
    ('[documents]\nroadmap_charts = "svg"\n', "not one of 'native', 'picture'"),
    ('[locale]\nlanguage = "fr-FR"\n', "not one of 'en-US', 'en-GB'"),
    ('[locale]\ndate_format = "dd/mm/yyyy"\n', "holds no date field"),
    ("[thresholds]\neol_medium_months = 24\neol_low_months = 12\n", "must not exceed eol_low_months"),
    ("[thresholds]\nno_such_key = 1\n", "[thresholds] has unknown key(s) no_such_key"),
    ("[nonsense]\nx = 1\n", "unknown section(s) [nonsense]"),
    ('[ingest.formats]\n"rmm/*.csv" = 3\n', "expected a table of texts"),
    ("[hardware.max_age_years]\ndesktop = 0\n", "[hardware.max_age_years] desktop = 0: must be at least 1"),
    ('[clients."Acme"]\nthresholds = 5\n', '[clients."Acme"]: [thresholds] must be a table'),
    ("[thresholds\n", "not valid TOML"),
])
def test_a_bad_value_is_refused_naming_file_section_and_key(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert message in str(info.value)
    assert str(path) in str(info.value)
    assert info.value.status == ExitStatus.USAGE


def test_per_client_overrides_are_validated_and_merged(tmp_path):
    path = write(tmp_path, '[clients."Acme Dental".hardware.max_age_years]\ndesktop = 7\n')
    settings = load_settings(path)
    assert settings.for_client("Acme Dental").hardware.max_age("desktop") == 7.0
    assert settings.for_client("Acme Dental").hardware.max_age("laptop") == 4.0
    assert settings.for_client("Someone Else") is settings
    assert settings.for_client("Acme Dental").fingerprint() != settings.fingerprint()


def test_paths_are_absolute_relative_to_the_settings_file(tmp_path, monkeypatch):
    path = write(tmp_path, '[documents]\nroadmap_template = "brand/roadmap.docx"\n[msp]\nlogo = "logo.png"\n')
    monkeypatch.chdir("/")
    settings = load_settings(path)
    assert settings.documents.roadmap_template == tmp_path / "brand" / "roadmap.docx"
    assert settings.msp.logo == tmp_path / "logo.png"
    assert settings.documents.roadmap_template.is_absolute()


def test_picture_charts_without_matplotlib_name_the_extra(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "matplotlib" else real(name, *a))
    with pytest.raises(ConfigError, match=r"pip install 'vcio\[pictures\]'"):
        settings_from({"documents": {"roadmap_charts": "picture"}}, None)


def test_settings_travel_to_workers_by_pickle():
    import pickle

    settings = settings_from({"ingest": {"formats": {"rmm/*.csv": "vcio_devices"}}, "clients": {"A": {}}}, None)
    again = pickle.loads(pickle.dumps(settings))
    assert again == settings and again.ingest.formats == {"rmm/*.csv": "vcio_devices"}
    assert again.for_client("A") == settings.for_client("A")


def test_run_and_validate_refuse_the_same_bad_value_with_exit_2(tmp_path):
    path = write(tmp_path, '[thresholds]\nstale_input_days = "thirty"\n')
    ran = run_cli("run", "--inputs", str(INPUTS), "--out", str(tmp_path / "out"), "--as-of", "2026-11-20",
                  "--config", str(path))
    validated = run_cli("validate", "--inputs", str(INPUTS), "--as-of", "2026-11-20", "--config", str(path))
    checked = run_cli("templates", "check", "--config", str(path))
    for result in (ran, validated, checked):
        assert result.returncode == 2, result.stderr
        assert "[thresholds] stale_input_days = 'thirty': expected a whole number" in result.stderr
    assert "internal error" not in ran.stderr


def test_the_settings_file_is_found_beside_or_inside_the_inputs(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    assert find_config(None, inputs) is None
    write(tmp_path, "")
    assert find_config(None, inputs) == tmp_path / "vcio.toml"
    (inputs / "vcio.toml").write_text("")
    assert find_config(None, inputs) == inputs / "vcio.toml"
    assert find_config(tmp_path / "x.toml", inputs) == tmp_path / "x.toml"


def test_appendix_row_caps_are_accepted_with_one_deprecation_warning(tmp_path, caplog):
    """Grouped appendices made the row caps obsolete: an older vcio.toml still loads, and says so once."""
    path = write(tmp_path, '[documents]\nroadmap_appendix_rows = 200\n'
                           '[clients."Acme Dental".documents]\ndeck_appendix_rows = 12\n')
    with caplog.at_level("WARNING", logger="vcio"):
        settings = load_settings(path)
        again = load_settings(path)
    assert settings.documents.roadmap_appendix_rows == 200  # kept, so the file loads
    assert settings.deprecations == again.deprecations == (
        f"{path}: [documents] roadmap_appendix_rows is no longer used (the roadmap's appendix lists one line per "
        "kind of finding, and the findings workbook lists every row); remove it",
        f'{path} [clients."Acme Dental"]: [documents] deck_appendix_rows is no longer used (the deck\'s appendix '
        "lists one line per kind of finding, and the findings workbook lists every row); remove it")
    warned = [r.getMessage() for r in caplog.records if "no longer used" in r.getMessage()]
    assert warned == list(settings.deprecations)  # logged once, not at every load
    assert load_settings(None).deprecations == ()
