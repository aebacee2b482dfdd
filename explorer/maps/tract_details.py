"""Words and tables for the neighborhood map: tract details, comparisons with medians, the tract table.

Values are the Opportunity Insights tract estimates for children born 1978-83 whose parents were at
the 25th income percentile, measured as adults in 2014-15, on 2010 Census tracts. A tract with fewer
than 20 such children has no published estimate: it reads "no estimate", never zero.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from explorer import config
from explorer.i18n import N_, _, localized, ngettext
from explorer.maps import own_layer, scales, tract_map

HOW_TO_READ_TRACTS = N_(
    "**How to read this map.** Each shape is a census tract (a neighborhood of about 4,000 people). "
    "Its colour shows how children who grew up there in low-income families (parents at the 25th "
    "percentile, about $27,000 a year) were doing as adults: red and orange = lower than most places, "
    "blue = higher. Grey tracts have too few such children (fewer than 20) for an estimate. "
    "The dark line is the city boundary; faint grey lines are county lines. Hover over or tap a "
    "tract for its numbers; click or tap one or more tracts to compare them below."
)
ABOUT_TRACT_DATA = N_(
    "Data: Opportunity Insights, *The Opportunity Atlas* (Chetty, Friedman, Hendren, Jones and Porter). "
    "Children born 1978-83, incomes measured in 2014-15 (in 2015 dollars), placed in the 2010 census "
    "tract where they grew up. The map covers every county holding at least "
    "{share} of the city's area (a county the boundary only grazes is left out)."
)


def about_tract_data() -> str:
    """The data note under the map, in the reader's language."""
    return _(ABOUT_TRACT_DATA).format(share=localized(f"{config.STUDY_COUNTY_MIN_SHARE:.0%}"))


SCALE_HELP = {
    "national": N_("Colours split all US tracts into seven equal-sized groups, so cities can be compared."),
    "within": N_("Colours split this area's own tracts into seven equal-sized groups, to show contrast "
                 "inside the area (the same colour can mean different values in different cities)."),
}
MAX_SELECTED = 5  # tracts compared side by side; more would not fit a laptop screen
MAX_LISTED = 24   # search results offered to pick; the table below lists them all
MAX_OUTLINED = 200  # search results outlined on the map (a word such as "detroit" matches hundreds)
SEARCH_HELP = N_("Type part of a neighborhood or place name (Opportunity Atlas labels, such as Brightmoor or "
               "Livonia) or a tract number. Capitals, accents and hyphens do not matter. Matching tracts are "
               "outlined in blue on the map and listed in the table below; pick one to see its details.")


def found_text(count: int) -> str:
    """The line above the search's results."""
    fields = {"count": localized(f"{count:,}"), "listed": MAX_LISTED, "max": MAX_SELECTED}
    if count > MAX_LISTED:
        return ngettext("{count} tract matches, outlined in blue on the map. Pick from the first {listed} to see "
                        "the details (up to {max}):",
                        "{count} tracts match, outlined in blue on the map. Pick from the first {listed} to see "
                        "the details (up to {max}):", count).format(**fields)
    return ngettext("{count} tract matches, outlined in blue on the map. Pick it to see the details:",
                    "{count} tracts match, outlined in blue on the map. Pick from them to see the details "
                    "(up to {max}):", count).format(**fields)


TOO_MANY_TRACTS = N_("Up to {max} tracts can be compared at once, so only the first {max} picked are shown. "
                     "Click a selected tract again to unselect it, or use Clear selection.")


def too_many_tracts() -> str:
    """What the map and the details say when more than MAX_SELECTED tracts are picked."""
    return _(TOO_MANY_TRACTS).format(max=MAX_SELECTED)


OUTCOME_HELP = N_("What the colours show, for children of low-income families.")
STREET_MAP_HELP = N_("Show streets and place names under the tracts (needs an internet connection). "
                   "Off: only our own layers are drawn.")
STREET_MAP_ON = N_("Street map on: the streets and place names come from an outside map service, so they need an "
                 "internet connection. With none, the map shows only the app's own layers on a blank background; "
                 "the colours and numbers are still right.")
DETAILS_HOW_TO = N_("Click or tap one or more tracts on the map (up to {max}) to see them here side by side, "
                    "next to the city, county, region and US medians.")


def details_how_to() -> str:
    return _(DETAILS_HOW_TO).format(max=MAX_SELECTED)



def _share(percent: float) -> tuple[str, str]:
    """(kind, figure): 'plain' with the whole percent ('84%'); 'all' / 'none' with one decimal ('99.7%') where
    the whole percent would read 100 or 0; 'all_over' / 'none_under' where even one decimal would."""
    whole = f"{percent:.0f}"
    if whole not in ("0", "100"):
        return "plain", localized(f"{whole}%")
    one = f"{percent:.1f}"
    if one in ("0.0", "100.0"):  # still 0 or 100 to one decimal: say the side it is on
        return ("all_over", "") if whole == "100" else ("none_under", "")
    return ("all" if whole == "100" else "none"), localized(f"{one}%")


def share_words(percent: float) -> str:
    """'84%', or 'almost all (99.7%)' / 'almost none (0.3%)' where the whole percent would read 100 or 0
    (a share that is not everyone is never written as 100%, nor one that is not no one as 0%)."""
    kind, figure = _share(percent)
    return {"plain": "{percent}", "all": _("almost all ({percent})"), "none": _("almost none ({percent})"),
            "all_over": _("almost all (over 99.9%)"), "none_under": _("almost none (under 0.1%)")}[kind].format(
        percent=figure)


def _ranking(pctile: float, value: str | None) -> str:
    """The tract's national ranking as one whole phrase per case (alone, or after its value when `value` is
    given), so that each language words it by its own grammar."""
    if pctile != pctile:
        return _("{value}, no national ranking").format(value=value) if value is not None else \
            _("no national ranking")
    higher = pctile >= 50
    share = pctile if higher else 100 - pctile
    kind, figure = _share(share)
    if kind == "all":
        texts = (_("higher than almost all ({percent}) of US tracts"), _("lower than almost all ({percent}) of US tracts"),
                 _("{value}, higher than almost all ({percent}) of US tracts"),
                 _("{value}, lower than almost all ({percent}) of US tracts"))
    elif kind == "all_over":
        texts = (_("higher than almost all (over 99.9%) of US tracts"),
                 _("lower than almost all (over 99.9%) of US tracts"),
                 _("{value}, higher than almost all (over 99.9%) of US tracts"),
                 _("{value}, lower than almost all (over 99.9%) of US tracts"))
    else:  # a plain share (a share of at least half is never "almost none")
        texts = (_("higher than {percent} of US tracts"), _("lower than {percent} of US tracts"),
                 _("{value}, higher than {percent} of US tracts"), _("{value}, lower than {percent} of US tracts"))
        figure = figure if kind == "plain" else share_words(share)
    text = texts[(0 if higher else 1) + (0 if value is None else 2)]
    return text.format(percent=figure, value=value)


def percentile_words(pctile: float) -> str:
    """'higher than 84% of US tracts' / 'lower than almost all (99.8%) of US tracts' from a national
    percentile 0-100."""
    return _ranking(pctile, None)


def value_in_words(metric: config.Metric, value: float, pctile: float) -> str:
    """'$24,300, lower than 72% of US tracts', or the no-estimate sentence."""
    if value != value:
        return scales.missing_label().capitalize()
    return _ranking(pctile, metric.format(value))


@dataclass(frozen=True)
class Benchmark:
    """A median to compare a tract with, and what it is a median over (in words)."""
    name: str
    value: float
    over: str


def _count(n: int) -> str:
    return localized(f"{n:,}")


def _all_tracts(n: int) -> str:
    return ngettext("the {count} tract with an estimate", "all {count} tracts with an estimate", n).format(
        count=_count(n))


def benchmarks(metric_id: str, county: str, county_name: str, study: pd.DataFrame, medians: dict,
               city: config.City) -> list[Benchmark]:
    """City, county, commuting-zone and national medians for a tract in `county` (medians:
    store.tract_medians). The city median is over study tracts mostly (> half their area) inside the
    city boundary."""
    inside = study.loc[study["in_city"], metric_id].dropna()
    by_county, by_cz = medians["county"], medians["cz"]
    result = [Benchmark(city.name, float(inside.median()) if len(inside) else float("nan"),
                        ngettext("{count} tract with an estimate, mostly inside the city",
                                 "{count} tracts with an estimate, mostly inside the city", len(inside)).format(
                            count=_count(len(inside))))]
    if county in by_county.index:
        row = by_county.loc[county]
        result.append(Benchmark(county_name, float(row["median"]), _all_tracts(int(row["tracts"]))))
    cz = medians.get("county_cz", {}).get(county, city.cz)
    if cz in by_cz.index:
        row = by_cz.loc[cz]
        counties = int(row["counties"])
        over = ngettext("{tracts} tracts with an estimate in its {counties} county",
                        "{tracts} tracts with an estimate in its {counties} counties", counties).format(
            tracts=_count(int(row["tracts"])), counties=counties)
        if cz == city.cz and row["czname"] != city.name:  # OI names Rochester's region "Buffalo", Racine's "Kenosha"
            name = _("{name} commuting zone, which includes {city}").format(name=row["czname"], city=city.name)
        else:
            name = _("{name} commuting zone").format(name=row["czname"])
        result.append(Benchmark(name, float(row["median"]), over))
    national, count = medians["national"]
    result.append(Benchmark(_("United States"), national, _all_tracts(count)))
    return result


Comparison = tuple[str, tuple[tuple[str, str, str], ...]]  # a tract's title and its comparison_table rows


def comparisons(metric_id: str, study: pd.DataFrame, medians: dict, city: config.City) -> dict[str, Comparison]:
    """Every study tract's title ('Brightmoor, Detroit - tract 5001') and the rows of its comparison with the
    city, county, region and US medians, built in one pass (the medians are the same for a county's tracts)."""
    metric = config.get_metric(metric_id)
    names = tract_map.county_names(study)
    titles = tract_map.tract_labels(study)
    by_county: dict[str, tuple] = {}
    result = {}
    for tract_id, county, name, title, value, pctile in zip(study["tract"], study["county_fips"], names, titles,
                                                            study[metric_id], study[f"{metric_id}_pctile"]):
        if county not in by_county:
            by_county[county] = tuple((_("{name} (median)").format(name=b.name), metric.format(b.value), b.over)
                                      for b in benchmarks(metric_id, county, name, study, medians, city))
        result[tract_id] = (title, ((_("This tract"), value_in_words(metric, value, pctile), ""), *by_county[county]))
    return result


def comparison_frame(metric_id: str, rows) -> pd.DataFrame:
    """Rows 'This tract', city, county, CZ, US: the value as shown on screen and what it is a median over."""
    return pd.DataFrame(list(rows), columns=[_("Place"), config.get_metric(metric_id).label, _("Median over")])


def selected_tracts(selection: dict | None, shown: pd.DataFrame, limit: int | None = MAX_SELECTED) -> list[str]:
    """Tract ids picked on the map, from Streamlit's pydeck selection state.

    `shown` is tract_map.mapped_tracts(...) (feature order). Streamlit keeps the selection under a fixed
    widget key across city changes, so an index is trusted only if the picked object's label `n`
    matches the tract drawn at that index now; stale or malformed picks are dropped.
    """
    def by_layer(part: str) -> list:
        group = selection.get(part) if isinstance(selection, dict) else None
        items = group.get(tract_map.TRACT_LAYER_ID) if isinstance(group, dict) else None
        return items if isinstance(items, list) else []

    indices, objects = by_layer("indices"), by_layer("objects")
    labels = tract_map.tract_labels(shown).tolist() if len(shown) else []
    picked: list[str] = []
    for position, index in enumerate(indices):
        if not isinstance(index, int) or not 0 <= index < len(shown):
            continue
        picked_object = objects[position] if position < len(objects) and isinstance(objects[position], dict) else {}
        if picked_object.get("n") != labels[index]:
            continue
        tract = shown["tract"].iloc[index]
        if tract not in picked:
            picked.append(tract)
    return picked[:limit]


def folded(text: str) -> str:
    """Text as the search compares it: lower case, accents dropped, hyphens and punctuation as spaces
    ('Saint-Roch' -> 'saint roch', 'Bywater' -> 'bywater'); dots kept for tract numbers ('54.01')."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").casefold()
    return " ".join(re.sub(r"[^0-9a-z.]+", " ", plain).split())


def search_tracts(table: pd.DataFrame, query: str) -> pd.DataFrame:
    """Rows that match every word typed: a word with letters anywhere in the tract's neighborhood and place
    ('bright' finds Brightmoor), a number at the start of the tract number ('5001', '54.01') or of its 11-digit
    id. Case, accents and hyphens do not matter; at most the first eight words count. `table` is a
    tract_table (its titles in the reader's language: the place is the title without its tract number)."""
    words = folded((query or "")[:80]).split()[:8]
    if not words:
        return table
    ids = table[column("id")].astype(str)
    numbers = tract_map.tract_number(ids)
    template = _(tract_map.TRACT_TITLE)
    places = pd.Series([folded(title.replace(template.format(place="", number=number), " ", 1))
                        for title, number in zip(table[column("tract")].tolist(), numbers.tolist())],
                       index=table.index, dtype=object)
    hit = pd.Series(True, index=table.index)
    for word in words:
        if any(ch.isalpha() for ch in word):
            hit &= places.str.contains(word, regex=False)
        else:
            hit &= numbers.str.startswith(word).to_numpy() | ids.str.startswith(word).to_numpy()
    return table[hit]


TABLE_COLUMNS = {"tract": N_("Tract"), "id": N_("Tract ID"), "county": N_("County"),
                 "in_city": N_("Mostly in the city"), "pctile": N_("National percentile")}
"""The tract table's headers (the metric's column is named by its label), in English: `column` reads them."""


def column(name: str) -> str:
    """A tract table header (TABLE_COLUMNS: tract, id, county, in_city, pctile) in the reader's language."""
    return _(TABLE_COLUMNS[name])


TABLE_HELP = {"pctile": N_("0-100, among all US tracts"),
              "tract": N_("Neighborhood and place (Opportunity Atlas labels), tract number"),
              "id": N_("11-digit 2010 Census tract GEOID")}


def table_help(name: str) -> str:
    """A tract table header's help (TABLE_HELP) in the reader's language."""
    return _(TABLE_HELP[name])


TABLE_FORMATS = {"household_income_p25": "localized", "top20_p25": "percent"}
"""How the tract table shows each metric's column (Streamlit NumberColumn presets)."""


def tract_table(study: pd.DataFrame, metric_id: str) -> pd.DataFrame:
    """The map's values as a table: one row per study-area tract, the same numbers as the map, its headers in
    the reader's language (`column`).

    Values stay in their stored units (dollars; shares 0-1) so the CSV download is exact.
    """
    metric = config.tract_metric(metric_id)
    return pd.DataFrame({
        column("tract"): tract_map.tract_labels(study).to_numpy(),
        column("id"): study["tract"].astype(str).to_numpy(),
        column("county"): tract_map.county_names(study).to_numpy(),
        column("in_city"): study["in_city"].to_numpy(dtype=bool),
        metric.label: study[metric_id].to_numpy(),
        column("pctile"): study[f"{metric_id}_pctile"].to_numpy(),
    })


def no_estimates(study: pd.DataFrame, metric_id: str) -> bool:
    """True when not one tract of the study area has a published estimate of the metric."""
    return bool(study[metric_id].isna().all())


def no_estimates_text(metric_id: str, city: config.City) -> str:
    return _("Opportunity Insights publishes no tract estimates of “{outcome}” for {city}'s area (every tract "
             "has fewer than 20 children in the data).").format(outcome=config.METRICS[metric_id].label.lower(),
                                                               city=city.label)


def capped(tracts: list[str], drawn: set[str] | None = None) -> tuple[list[str], bool]:
    """(the first MAX_SELECTED of `tracts` that are `drawn`, whether more were given): a link's or a
    map's selection as the details show it; the page says too_many_tracts() when the flag is set."""
    kept = [t for t in tracts if drawn is None or t in drawn]
    return kept[:MAX_SELECTED], len(kept) > MAX_SELECTED


OWN_DATA_HOW_TO_READ = N_(
    "Purple circles show your file: one per tract (at its middle) or per place; bigger and darker = higher. "
    "Small grey circles: no value in your file. Hover over or tap a tract to read its value. Your file is kept "
    "for this browser session only and is never saved.")
OWN_DATA_PREFIX = N_("Your data: {name}")
"""Uploaded columns in the tract table are named 'Your data: <name>': never mistaken for ours, and a
name can never start a spreadsheet formula (=, +, -, @) in the CSV download (each language's words come first)."""


def with_own_data(table: pd.DataFrame, own: own_layer.OwnData | None) -> pd.DataFrame:
    """The tract table with a tract file's numeric columns joined on the tract id (blank where the file
    has no row for a tract). Points files and no upload leave the table as it is."""
    if own is None or own.kind != "tracts":
        return table
    prefix = _(OWN_DATA_PREFIX)
    uploaded = own.frame.rename(columns=lambda c: c if c == "tract" else prefix.format(name=c))
    merged = table.merge(uploaded, left_on=column("id"), right_on="tract", how="left")
    return merged.drop(columns="tract")


def own_values(own: own_layer.OwnData | None, tract_id: str) -> pd.DataFrame | None:
    """One tract's uploaded values as rows (column name, value), for the tract details; None for no tract file."""
    if own is None or own.kind != "tracts":
        return None
    row = own.frame[own.frame["tract"] == tract_id]
    columns = [c for c in own.frame.columns if c != "tract"]
    values = row.iloc[0][columns].tolist() if len(row) else [float("nan")] * len(columns)
    return pd.DataFrame({_("Your data"): columns, _("Value"): pd.Series(values, dtype="float64")})
