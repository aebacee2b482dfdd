"""What the evidence says (data/evidence.yaml through explorer.evidence): the cards' schema, what each strategy and
card holds, and the file's checks, which name what is wrong."""
from __future__ import annotations

import copy

import pytest
import yaml

from explorer import catalog_extract, config, evidence, pilots
from explorer.evidence import EVIDENCE_FILE

PILOTS = pilots.load_pilots()
CITY_THEMES = {city: profile.themes for city, profile in PILOTS.profiles.items()}
FOUND = evidence.load_evidence(CITY_THEMES)
RAW = yaml.safe_load(EVIDENCE_FILE.read_text(encoding="utf-8"))
USED_THEMES = {theme for themes in CITY_THEMES.values() for theme in themes}


@pytest.mark.parametrize("card", FOUND.cards, ids=[c.study_en[:40] for c in FOUND.cards])
def test_every_card_has_a_source_address_a_strength_from_the_list_and_a_theme_a_pilot_uses(card):
    assert card.sources and all(pilots.is_web_address(url) for url in card.sources)
    assert card.strength in ("randomized", "quasi-experimental", "descriptive")
    assert FOUND.strategies[card.strategy].theme in USED_THEMES
    assert card.study_en and card.found_en


def test_every_pilot_city_has_evidence_for_what_it_tried_and_every_strategy_one_to_three_cards():
    assert all(FOUND.of_city(city) for city in config.CITIES)
    assert all(1 <= len(FOUND.cards_for(s)) <= 3 for s in FOUND.strategies)
    for strategy in FOUND.strategies.values():  # a city listed under a strategy carries its theme
        assert all(strategy.theme in CITY_THEMES[city] for city in strategy.cities)


def test_the_ten_strategies_of_the_issue_each_belong_to_the_pilot_that_tried_it():
    assert {s.id: s.cities for s in FOUND.strategies.values()} == {
        "reminder-letters": ("newark",), "eviction-prevention": ("detroit", "newark"),
        "childrens-savings": ("lansing",), "tax-time-savings": ("rochester",),
        "financial-coaching": ("detroit", "rochester"), "preschool-attendance": ("dayton",),
        "youth-internships": ("new-orleans",), "sector-training": ("tulsa",),
        "high-school-equivalency": ("racine",), "employer-practices": ("cincinnati",)}


@pytest.mark.parametrize("strategy, study_starts, numbers", [
    # numbers exactly as the studies state them (read at the card's sources)
    ("reminder-letters", "Newark's own trial", ("20 times", "1,932 properties")),
    ("eviction-prevention", "Emergency financial assistance in Santa Clara", ("81 percent", "73 percent", "$2,000")),
    ("childrens-savings", "SEED for Oklahoma Kids", ("99.9 percent", "4.5 percent", "$3,243", "$952")),
    ("tax-time-savings", "SaveUSA", ("50 percent match, up to $500", "8 percentage points")),
    ("preschool-attendance", "Show Up to Grow Up", ("2.5 days", "18 weeks", "9.3 percentage points")),
    ("youth-internships", "One Summer Plus", ("43 percent", "16 months", "3.95 fewer per 100")),
    ("sector-training", "Year Up", ("$8,000 (33 percent)", "$8,251")),
    ("high-school-equivalency", "GED Bridge", ("52.8 percent", "22.4", "24.7 percent", "7.2 percent")),
    ("employer-practices", "Stable schedules at Gap", ("5.1 percent", "3.3 percent", "1.8 percent")),
])
def test_a_card_states_the_study_s_own_numbers(strategy, study_starts, numbers):
    card = next(c for c in FOUND.cards_for(strategy) if c.study_en.startswith(study_starts))
    assert all(number in card.found_en for number in numbers)


def test_a_descriptive_study_says_it_cannot_show_cause():
    for card in (c for c in FOUND.cards if c.strength == "descriptive"):
        assert "no comparison group" in card.found_en.lower() or "with no comparison group" in card.found_en.lower()


def test_others_that_tried_something_similar_are_the_other_pilots_in_the_same_themes():
    assert sorted((city, s.id) for city, s in FOUND.similar("detroit")) == [
        ("lansing", "childrens-savings"), ("newark", "eviction-prevention"), ("newark", "reminder-letters"),
        ("rochester", "financial-coaching"), ("rochester", "tax-time-savings")]
    assert FOUND.similar("cincinnati") == []
    assert FOUND.cities_in("youth-employment") == ["new-orleans", "tulsa"]


def test_the_printed_source_line_names_each_site_once():
    assert evidence.source_hosts(FOUND.cards_for("eviction-prevention")) == [
        "leo.nd.edu", "science.sciencemag.org", "nlihc.org", "researchwithrutgers.com", "expydoc.com"]


def test_the_catalog_gets_every_text_a_reader_sees_and_nothing_else():
    texts = {text for _line, text, _where in catalog_extract.evidence_texts(EVIDENCE_FILE.read_text(encoding="utf-8"))}
    expected = {t for s in FOUND.strategies.values() for t in (s.name_en, s.what_en, s.bottom_line_en)}
    expected |= {t for c in FOUND.cards for t in (c.study_en, c.found_en)}
    assert texts == expected
    assert not any(text.startswith("http") for text in texts)


def broken(change) -> dict:
    raw = copy.deepcopy(RAW)
    change(raw)
    return raw


@pytest.mark.parametrize("change, message", [
    (lambda d: d["cards"][0].update(strength="anecdotal"), "card #1, 'strength': must be one of: randomized"),
    (lambda d: d["cards"][0].update(sources=[]), "card #1: needs 'sources'"),
    (lambda d: d["cards"][0].update(sources=["javascript:alert(1)"]), "is not an http(s) address"),
    (lambda d: d["cards"][0].update(strategy="magic"), "unknown strategy 'magic'"),
    (lambda d: d["cards"][0].update(found=" "), "card #1, 'found': needs non-empty text"),
    (lambda d: d["cards"][0].update(confirmed="yes"), "'confirmed': must be true or false"),
    (lambda d: d["cards"][0].update(rating=5), "unknown field(s) rating"),
    (lambda d: d["strategies"]["reminder-letters"].update(theme="space-travel"), "is not a theme of any pilot"),
    (lambda d: d["strategies"]["reminder-letters"].update(cities=["dayton"]), "dayton's pilot does not carry"),
    (lambda d: d["strategies"]["reminder-letters"].update(cities=["atlantis"]), "unknown city 'atlantis'"),
    (lambda d: d["cards"].extend([dict(d["cards"][0])] * 2), "has 5 cards; each strategy needs 1 to 3"),
    (lambda d: d.update(cards=[c for c in d["cards"] if c["strategy"] != "childrens-savings"]), "has 0 cards"),
])
def test_a_broken_file_names_what_is_wrong(change, message):
    with pytest.raises(evidence.EvidenceFileError) as raised:
        evidence.parse_evidence(broken(change), CITY_THEMES)
    assert message in str(raised.value) and str(raised.value).startswith("data/evidence.yaml, ")


def test_a_missing_or_unreadable_file_is_one_clear_error(tmp_path):
    with pytest.raises(evidence.EvidenceFileError, match="could not be read"):
        evidence.load_evidence(CITY_THEMES, tmp_path / "nothing.yaml")
    (tmp_path / "bad.yaml").write_text("cards: [", encoding="utf-8")
    with pytest.raises(evidence.EvidenceFileError, match="not valid YAML"):
        evidence.load_evidence(CITY_THEMES, tmp_path / "bad.yaml")
