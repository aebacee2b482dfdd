"""The pilot profiles file: schema, sources, themes, peers, and the markdown it produces."""
from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml

from explorer import config, pilots

ROOT = Path(__file__).resolve().parents[1]
PILOTS_YAML = ROOT / "data" / "pilots.yaml"
DECLARED_THEMES = {"housing-stability": "Housing stability", "youth-employment": "Youth employment",
                   "financial-security": "Financial security", "early-childhood": "Early childhood",
                   "adult-education": "Adult education", "employer-practices": "Employer practices"}
# FACTS: no public result was found for these four pilots; the file must not claim one.
NO_PUBLIC_RESULT = ("cincinnati", "detroit", "dayton", "tulsa")


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load(PILOTS_YAML.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def loaded() -> pilots.Pilots:
    return pilots.load_pilots(PILOTS_YAML)


def all_facts(loaded: pilots.Pilots):
    yield from loaded.initiative
    for profile in loaded.profiles.values():
        yield profile.summary
        for facts in profile.sections.values():
            yield from facts


def write(tmp_path: Path, content: dict) -> Path:
    path = tmp_path / "pilots.yaml"
    path.write_text(yaml.safe_dump(content), encoding="utf-8")
    return path


def test_every_registry_city_has_a_profile_in_registry_order(loaded):
    assert list(loaded.profiles) == list(config.CITIES)


def test_themes_are_the_declared_list(loaded):
    assert loaded.themes == DECLARED_THEMES
    for profile in loaded.profiles.values():
        assert profile.themes and set(profile.themes) <= set(DECLARED_THEMES)


def test_every_fact_has_an_http_source(loaded):
    facts = list(all_facts(loaded))
    assert len(facts) > 50
    for fact in facts:
        assert fact.sources and all(url.startswith(("https://", "http://")) for url in fact.sources), fact.text
    for takeaway in loaded.takeaways:
        assert takeaway.sources


@pytest.mark.parametrize("city_id", NO_PUBLIC_RESULT)
def test_cities_without_a_public_result_claim_none(loaded, city_id):
    assert loaded.profiles[city_id].sections["results"] == ()


@pytest.mark.parametrize(("city_id", "number"), [("newark", "1,932"), ("racine", "408"), ("lansing", "5,092")])
def test_published_results_keep_their_numbers(loaded, city_id, number):
    assert any(number in fact.text for fact in loaded.profiles[city_id].sections["results"])


def test_unconfirmed_fact_is_marked(loaded):
    """FACTS marks the Newark trial dates [U]: kept only as unconfirmed."""
    timeline = loaded.profiles["newark"].sections["timeline"]
    assert [fact.confirmed for fact in timeline] == [True, False]
    assert "(unconfirmed)" in pilots.fact_markdown(timeline[1])


def test_three_takeaways_one_per_place(loaded):
    assert [t.place for t in loaded.takeaways] == ["story", "peers", "numbers"]
    assert loaded.takeaway("numbers").title.startswith("Data and evidence")


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda d: d["cities"]["detroit"].pop("partners"), "city 'detroit': is missing the field 'partners'"),
    (lambda d: d["cities"]["tulsa"].pop("results"), "city 'tulsa': is missing the field 'results'"),
    (lambda d: d["cities"]["racine"].pop("pilot"), "city 'racine': is missing the field 'pilot'"),
    (lambda d: d["cities"].pop("dayton"), "city 'dayton': has no profile"),
    (lambda d: d["cities"]["newark"]["results"][0].pop("sources"), "city 'newark', 'results' #1: is missing the "
                                                                   "field 'sources'"),
    (lambda d: d["cities"]["newark"]["results"][0].update(sources=[]), "needs 'sources'"),
    (lambda d: d["cities"]["lansing"]["results"][0].update(sources=["ftp://example.org/a"]), "not an http(s)"),
    (lambda d: d["cities"]["lansing"]["done"][0].update(sources=["javascript:alert(1)"]), "not an http(s)"),
    (lambda d: d["cities"]["lansing"]["done"][0].update(sources=["www.example.org/no-scheme"]), "not an http(s)"),
    (lambda d: d["cities"]["newark"]["themes"].append("transport"), "unknown theme 'transport'"),
    (lambda d: d["cities"]["dayton"].update(served=[]), "city 'dayton', 'served': must hold at least one fact"),
    (lambda d: d["cities"]["dayton"].update(results="none"), "must be a list of facts"),
    (lambda d: d["cities"]["dayton"]["done"][0].update(confirmed="maybe"), "'confirmed' must be true or false"),
    (lambda d: d["cities"].update(albuquerque={}), "unknown city 'albuquerque'"),
    (lambda d: d["takeaways"][0].pop("sources"), "takeaway #1: is missing the field 'sources'"),
    (lambda d: d["takeaways"][0].update(place="sidebar"), "'place' must be one of"),
])
def test_schema_errors_name_the_city_and_field(raw, tmp_path, mutate, message):
    broken = copy.deepcopy(raw)
    mutate(broken)
    with pytest.raises(pilots.PilotsFileError, match="^data/pilots.yaml, ") as error:
        pilots.load_pilots(write(tmp_path, broken))
    assert message in str(error.value)


def test_the_unbroken_copy_loads(raw, tmp_path):
    """The schema tests above break a copy that loads: they fail for the reason they name."""
    assert pilots.load_pilots(write(tmp_path, copy.deepcopy(raw))).profiles["newark"].pilot


def test_missing_and_malformed_files_are_named(tmp_path):
    with pytest.raises(pilots.PilotsFileError, match="nothing.yaml could not be read"):
        pilots.load_pilots(tmp_path / "nothing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("cities: [unclosed", encoding="utf-8")
    with pytest.raises(pilots.PilotsFileError, match="not valid YAML"):
        pilots.load_pilots(bad)


@pytest.mark.parametrize(("city_id", "expected"), [
    ("detroit", ["lansing", "rochester", "newark"]),
    ("newark", ["detroit"]),
    ("tulsa", ["new-orleans", "racine"]),
    ("rochester", ["detroit", "lansing"]),
    ("cincinnati", []),
    ("dayton", []),
])
def test_peers_share_a_theme(loaded, city_id, expected):
    found = pilots.peers(loaded, city_id)
    assert sorted(peer.city_id for peer in found) == sorted(expected)
    for peer in found:
        assert set(peer.shared_themes) <= set(loaded.theme_labels(city_id))
        assert peer.summary.sources


def test_peers_with_more_shared_themes_come_first(tmp_path, raw):
    changed = copy.deepcopy(raw)
    changed["cities"]["rochester"]["themes"] = ["financial-security", "housing-stability"]
    found = pilots.peers(pilots.load_pilots(write(tmp_path, changed)), "detroit")
    assert found[0].city_id == "rochester" and len(found[0].shared_themes) == 2


@pytest.mark.parametrize(("url", "ok"), [
    ("https://www.newarknj.gov/news/x", True), ("http://example.org", True), ("https://", False),
    ("ftp://example.org", False), ("javascript:alert(1)", False), ("example.org", False),
    ("https://exa mple.org", False), (None, False), (42, False),
])
def test_is_web_address(url, ok):
    assert pilots.is_web_address(url) is ok


@pytest.mark.parametrize(("text", "expected"), [
    ("$250 million and $150,000", r"\$250 million and \$150,000"),
    ("*bold* _it_ [x](y) <b>", r"\*bold\* \_it\_ \[x\](y) \<b\>"),
    ("plain text, 78%.", "plain text, 78%."),
])
def test_escape_markdown(text, expected):
    assert pilots.escape_markdown(text) == expected


@pytest.mark.parametrize(("url", "expected"), [
    ("https://www.bi.team/blogs/x/", "[bi.team](https://www.bi.team/blogs/x/)"),
    ("https://example.org/a_(b)", r"[example.org](https://example.org/a_%28b%29)"),
])
def test_link_markdown(url, expected):
    assert pilots.link_markdown(url, pilots.source_label(url)) == expected


def test_link_markdown_refuses_other_schemes():
    with pytest.raises(ValueError):
        pilots.link_markdown("javascript:alert(1)", "x")


def every_text(loaded: pilots.Pilots) -> list[str]:
    """Every sentence a reader can see: the initiative, each profile's summary and sections, the takeaways."""
    texts = [fact.text for fact in loaded.initiative]
    for profile in loaded.profiles.values():
        texts += [profile.pilot, profile.summary.text]
        texts += [fact.text for facts in profile.sections.values() for fact in facts]
    texts += [text for t in loaded.takeaways for text in (t.title, t.connects)]
    return texts


def test_the_behavioral_insights_team_is_spelled_out(loaded):
    """Readers are not data experts: never the bare initials, one spelling (the US arm's) throughout."""
    texts = every_text(loaded)
    assert not [text for text in texts if re.search(r"\bBIT\b", text)]
    assert not [text for text in texts if "Behavioural" in text]
    assert sum("Behavioral Insights Team" in text for text in texts) >= 8


@pytest.mark.parametrize(("city_id", "number"), [("lansing", "5,092"), ("racine", "408")])
def test_a_wider_programs_result_says_so_first(loaded, city_id, number):
    """Where the only result is the wider program's, the sentence opens by saying it is not the pilot's."""
    result = next(fact for fact in loaded.profiles[city_id].sections["results"] if number in fact.text)
    assert re.match(r"This result is the (wider|whole) program's, not the pilot's", result.text)
