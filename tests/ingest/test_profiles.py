"""Every built-in profile loads, is detected from its own headers, and maps only canonical fields."""

import pytest

from pipeline.errors import ProfileError
from pipeline.ingest.profiles import BUILTIN_DIR, detect, header_key, load_profile, load_profiles
from pipeline.ingest.schema import ENTITIES

PROFILES = load_profiles()


def full_header(profile):
    names = list(profile.required)
    for alternatives in profile.columns.values():
        if not any(header_key(a) == header_key(n) for a in alternatives for n in names):
            names.append(alternatives[0])
    return names


def test_there_are_built_in_profiles_for_every_tool_family():
    kinds = {p.source_kind for p in PROFILES}
    assert {"rmm", "psa", "m365", "distributor", "warranty", "vcio"} <= kinds
    assert len(PROFILES) >= 25


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_profile_is_detected_from_its_own_header(profile):
    header = full_header(profile)
    assert detect(header, PROFILES).name == profile.name
    # Detection ignores order, case, surrounding spaces and extra columns.
    shuffled = [f"  {h.upper()} " for h in reversed(header)] + ["Some Extra Column"]
    assert detect(shuffled, PROFILES).name == profile.name


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_profile_declares_its_verification(profile):
    assert profile.verified in {"yes", "partial", "no"}
    assert profile.verified_note, f"{profile.name} must say where its headers come from"
    if profile.entity in ENTITIES:
        assert set(profile.columns) <= set(ENTITIES[profile.entity])


def test_missing_required_header_means_no_match():
    profile = next(p for p in PROFILES if p.name == "pswarranty")
    header = [h for h in full_header(profile) if h != "EndDate"]
    detected = detect(header, PROFILES)
    assert detected is None or detected.name != "pswarranty"


def test_a_bad_profile_names_the_file_and_problem(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('name = "mine"\nentity = "device"\nrequired = ["A"]\n[columns]\nhostnme = "A"\n')
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    assert "mine.toml" in str(info.value) and "hostnme" in str(info.value)


def test_user_profiles_extend_and_override(tmp_path):
    (tmp_path / "grid.toml").write_text(
        'name = "my_ninja_grid"\nentity = "device"\nverified = "yes"\nverified_note = "our export"\n'
        'required = ["Device Name", "Org", "OS Caption"]\n[columns]\nhostname = "Device Name"\n'
        'client = "Org"\nos = "OS Caption"\n')
    profiles = load_profiles([tmp_path])
    assert detect(["Device Name", "Org", "OS Caption"], profiles).name == "my_ninja_grid"
    assert BUILTIN_DIR.is_dir()
