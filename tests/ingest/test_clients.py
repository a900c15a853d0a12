from pipeline.ingest.clients import ClientResolver, normalise_name, strip_site_suffix


def roster():
    return ClientResolver.from_roster_rows([
        {"name": "Acme Dental", "aliases": ["Acme Dental - Annex"], "domains": ["acmedental.com", "acmedental.onmicrosoft.com"], "psa_id": "ACME"},
        {"name": "Cedar & Finch LLP", "aliases": [], "domains": ["cedarfinch.com"]},
    ])


def test_normalise_name_ignores_case_punctuation_and_legal_suffixes():
    assert normalise_name("Acme Dental, Inc.") == normalise_name("ACME DENTAL") == "acme dental"
    assert normalise_name("Cedar & Finch, LLP") == normalise_name("Cedar and Finch") == "cedar and finch"


def test_site_suffix():
    assert strip_site_suffix("Acme Dental - Main") == "Acme Dental"


def test_roster_alias_is_not_a_guess_but_normalisation_is():
    resolver = roster()
    exact = resolver.by_name("acme dental - annex")
    assert exact.client == "Acme Dental" and not exact.guessed
    guess = resolver.by_name("ACME DENTAL, INC.")
    assert guess.client == "Acme Dental" and guess.guessed
    site = resolver.by_name("Acme Dental - Main")
    assert site.client == "Acme Dental" and site.guessed
    assert resolver.by_name("ACME").client == "Acme Dental"  # psa id


def test_upn_domain_and_guest_upns():
    resolver = roster()
    assert resolver.by_upn("ann@acmedental.com").client == "Acme Dental"
    assert resolver.by_upn("bob_partner.com#EXT#@acmedental.onmicrosoft.com").client == "Acme Dental"
    assert resolver.by_upn("x@mail.cedarfinch.com").client == "Cedar & Finch LLP"
    assert resolver.by_upn("someone@other.com") is None
    assert resolver.by_upn("3F2A9C") is None


def test_unknown_names_get_suggestions():
    resolver = roster()
    assert resolver.by_name("Acme Dentistry Group") is None
    assert resolver.suggestions("Acme Dentistry Group")[0] == "Acme Dental"
