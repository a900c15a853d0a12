import re

import pytest

from pipeline.runner.names import document_name, safe_filename, slugify, unique_slugs


@pytest.mark.parametrize("name", ["../../etc", "CON", "a/b", "x" * 300, "Café 東京 🚀", "", "...", "nul", "COM1"])
def test_slugs_are_safe(name):
    slug = slugify(name)
    assert re.fullmatch(r"[a-z0-9-]+", slug)
    assert len(slug) <= 60
    assert slug not in {"con", "nul", "com1", ".", ".."}


def test_slugs_are_unique_and_stable():
    slugs = unique_slugs(["Acme Dental", "ACME dental", "Acme-Dental", "Other"])
    assert list(slugs.values()) == ["acme-dental", "acme-dental-2", "acme-dental-3", "other"]


@pytest.mark.parametrize("name", ["../../etc", "a/b", "C:\\evil", "CON", "x" * 300, "Café 東京 🚀", "tab\there"])
def test_file_names_never_contain_path_separators(name):
    file_name = document_name(name, "QBR", "2026-Q4", ".pptx")
    assert "/" not in file_name and "\\" not in file_name and "\t" not in file_name
    assert not file_name.startswith(".")
    assert len(file_name.encode("utf-8")) <= 150
    assert file_name.endswith(" - QBR - 2026-Q4.pptx")


def test_file_names_keep_readable_spelling():
    assert safe_filename("Cedar & Finch LLP") == "Cedar & Finch LLP"
    assert safe_filename("Café 東京") == "Café 東京"


def test_names_without_latin_letters_get_stable_distinct_slugs():
    first, second = slugify("東京歯科"), slugify("مرحبا")
    assert first != second and first.startswith("client-") and slugify("東京歯科") == first


def test_the_cadence_rule_names_each_clients_next_regular_review():
    from pipeline.quarters import Quarter, next_review, review_due

    q4 = Quarter(2026, 4)
    assert next_review("quarterly", q4, 1) == Quarter(2027, 1)
    assert next_review("semiannual", q4, 1) == Quarter(2027, 2)
    assert next_review("annual", q4, 1) == Quarter(2027, 4)
    assert next_review("semiannual", q4, 7) == Quarter(2027, 2)  # fiscal Q4 of a July year ends in June
    assert review_due("semiannual", Quarter(2027, 1), 1) == (
        False, "not due this quarter (semiannual reviews in fiscal Q2 and Q4; this is FY2027 Q1)")
