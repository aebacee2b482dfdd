"""Babel extraction of the texts in data/pilots.yaml and data/evidence.yaml, so the pilot profiles and the
evidence cards are translated like the code's texts.

The profiles are written in English in the YAML file; explorer.pilots reads each shown text through `_()`.
This extractor hands Babel exactly those texts, as the loader keeps them (`one_line`: runs of white space
made one space), registered in babel.cfg:

    [extractors]
    pilots_yaml = explorer.catalog_extract:extract_pilots
    [pilots_yaml: data/pilots.yaml]

What a reader sees is extracted: theme labels, the initiative's facts, the takeaways (title, text, how they
connect), and per city the pilot's name, its summary and the text of every fact in its sections. What is
not text for a reader is left out: source addresses, ids, theme tags, `place` and `confirmed`.
Pure Python (PyYAML); no Streamlit, nothing from the app.
"""
from __future__ import annotations

from collections.abc import Iterator

import yaml

# The story sections of a profile (explorer.pilots.SECTIONS): lists of facts, each with a `text`.
FACT_LISTS = ("partners", "served", "done", "learned", "results", "timeline")
TAKEAWAY_TEXTS = ("title", "text", "connects")


def one_line(text: str) -> str:
    """A YAML text as the app keeps it and the catalog looks it up: runs of white space made one space."""
    return " ".join(text.split())


def _mapping(node) -> dict[str, yaml.Node]:
    """A mapping node's values by key (an empty dict for any other node: a broken file yields what it can)."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {key.value: value for key, value in node.value if isinstance(key, yaml.ScalarNode)}


def _items(node) -> list[yaml.Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _text(node, where: str) -> Iterator[tuple[int, str, str]]:
    """(line, text, where) for a non-empty string scalar; nothing for anything else."""
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str" and node.value.strip():
        yield node.start_mark.line + 1, one_line(node.value), where


def _facts(node, where: str) -> Iterator[tuple[int, str, str]]:
    for index, fact in enumerate(_items(node)):
        yield from _text(_mapping(fact).get("text"), f"{where} #{index + 1}")


def pilot_texts(source: str) -> Iterator[tuple[int, str, str]]:
    """Every text a reader sees in a pilots.yaml document: (1-based line, text, where in the file)."""
    top = _mapping(yaml.compose(source, Loader=yaml.SafeLoader))
    for key, label in _mapping(top.get("themes")).items():
        yield from _text(label, f"theme {key}")
    yield from _facts(top.get("initiative"), "initiative")
    for index, takeaway in enumerate(_items(top.get("takeaways"))):
        fields = _mapping(takeaway)
        for name in TAKEAWAY_TEXTS:
            yield from _text(fields.get(name), f"takeaway #{index + 1}, {name}")
    for city_id, profile in _mapping(top.get("cities")).items():
        fields = _mapping(profile)
        yield from _text(fields.get("pilot"), f"{city_id}, pilot name")
        yield from _text(_mapping(fields.get("summary")).get("text"), f"{city_id}, summary")
        for section in FACT_LISTS:
            yield from _facts(fields.get(section), f"{city_id}, {section}")


def evidence_texts(source: str) -> Iterator[tuple[int, str, str]]:
    """Every text a reader sees in an evidence.yaml document (explorer.evidence): each strategy's name, what it
    is and its bottom line; each card's study and what it found. Not ids, themes, cities, strengths or sources."""
    top = _mapping(yaml.compose(source, Loader=yaml.SafeLoader))
    for strategy_id, strategy in _mapping(top.get("strategies")).items():
        fields = _mapping(strategy)
        for name in ("name", "what", "bottom_line"):
            yield from _text(fields.get(name), f"strategy {strategy_id}, {name}")
    for index, card in enumerate(_items(top.get("cards"))):
        fields = _mapping(card)
        for name in ("study", "found"):
            yield from _text(fields.get(name), f"card #{index + 1}, {name}")


def _extract(fileobj, options, texts, file_name: str) -> Iterator[tuple[int, None, str, list[str]]]:
    data = fileobj.read()
    source = data.decode(options.get("encoding", "utf-8")) if isinstance(data, bytes) else data
    for lineno, text, where in texts(source):
        yield lineno, None, text, [f"{file_name}: {where}"]


def extract_pilots(fileobj, keywords, comment_tags, options) -> Iterator[tuple[int, None, str, list[str]]]:
    """Babel's extractor interface: (lineno, funcname, message, comments) for each text of the file.
    The comment (where the text is: "newark, results #2") reaches the catalog as a translator's note."""
    return _extract(fileobj, options, pilot_texts, "pilots.yaml")


def extract_evidence(fileobj, keywords, comment_tags, options) -> Iterator[tuple[int, None, str, list[str]]]:
    """The same for data/evidence.yaml ("card #3, found")."""
    return _extract(fileobj, options, evidence_texts, "evidence.yaml")
