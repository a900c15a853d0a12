"""The inputs README `vcio init` writes and docs/FORMATS.md say, for every built-in profile, how its file is made
and how far it is verified, and the claims match the profiles."""

from __future__ import annotations

import re

import pytest

from pipeline.ingest.profiles import load_profiles
from pipeline.ingest.suggest import pull_command
from pipeline.resources import data_path

from ..conftest import REPO

PROFILES = {p.name: p for p in load_profiles()}
INPUTS_README = data_path("inputs_readme.md").read_text(encoding="utf-8")
FORMATS = (REPO / "docs" / "FORMATS.md").read_text(encoding="utf-8")


def formats_rows() -> dict[str, list[str]]:
    rows = {}
    for line in FORMATS.splitlines():
        match = re.match(r"\| `([a-z0-9_]+)` \| (.+) \|$", line)
        if match:
            rows[match[1]] = [cell.strip() for cell in re.split(r"(?<!\\)\|", match[2])]
    return rows


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_formats_md_lists_the_profile_with_its_entity_and_verification(name):
    row = formats_rows().get(name)
    assert row is not None, f"docs/FORMATS.md has no row for {name}"
    _tool, entity, how, verified, _source = row
    assert entity == PROFILES[name].entity
    assert verified.strip("*") == PROFILES[name].verified
    pull = pull_command(PROFILES[name])
    if pull:
        assert f"`{pull}`" in how, f"{name}: say that `{pull}` writes it"


def test_the_inputs_readme_names_every_profile_and_states_its_verification_truly():
    claims = re.findall(r"`([a-z0-9_]+)`,\s+(?:verified:\s+)?\**(yes|partial|no)\b", INPUTS_README)
    assert claims, "no verification claims found"
    for name, verified in claims:
        assert PROFILES[name].verified == verified, f"inputs README says {name} is {verified}"
    claimed = {name for name, _ in claims}
    for name, profile in PROFILES.items():
        assert f"`{name}`" in INPUTS_README, f"the inputs README does not name {name}"
        if not name.startswith("vcio_"):
            assert name in claimed, f"the inputs README does not say how far {name} is verified"
        pull = pull_command(profile)
        if pull:
            assert f"`{pull}" in INPUTS_README, f"the inputs README does not say that `{pull}` writes {name}"


def test_the_inputs_readme_says_api_dumps_are_expected_and_points_at_nothing_a_package_user_lacks():
    flat = " ".join(INPUTS_README.split())
    assert "Most PSA, RMM and Pax8 profiles expect an API dump, not the CSV the vendor's web page exports" in flat
    assert "`vcio profiles suggest" in flat and "`vcio profiles list`" in flat
    assert "](" not in INPUTS_README, "a link: the inputs README must stand alone in a working folder"
    assert not re.search(r"README'?s? .*section|docs/|FORMATS\.md|PROFILE-FORMAT", INPUTS_README)
