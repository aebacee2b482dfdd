"""A city's key mobility numbers next to the nation: pure functions over the data layer's tables.

All outcomes are for children who grew up in low-income families (parents at the 25th percentile of
US household income), born 1978-83 and followed to about age 35 (incomes in 2014-15), except:
economic connectedness (Social Capital Atlas, Facebook users aged 25-44 in 2022) and the 2014
mobility study (children born 1980-82). County numbers are for the city's MAIN county (the county
holding most of the city). Suppressed estimates (fewer than 20 children) stay missing and read
"no estimate (...)", never zero.

Each key number names its national reference, because "the nation" means different things:
- `national_mean_p25`: the US mean for all children whose parents were at the 25th percentile;
- `median_tract`: the middle US tract (half of the tracts with an estimate are above, half below);
- `median_county`: the middle US county (half of the counties with an estimate are above, half below).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import altair as alt
import pandas as pd

from explorer import config, stats
from explorer.i18n import N_, _, localized, translated

NO_ESTIMATE_OI = N_("no estimate (fewer than 20 children)")
NO_ESTIMATE_PUBLISHED = N_("no estimate (not published for this county)")

HOW_TO_READ_KEY_NUMBERS = N_("""
**How to read this.** Each row is one outcome for children who grew up in low-income families (parents
at the 25th percentile of US incomes, about \\$27,000 a year), born 1978-83 and measured at about age 35.
*Income rank* is where they ended up on the national income ladder (0 = bottom, 100 = top).
The *95% interval* is the range the true value very likely lies in; where it includes the US value, the
difference may be chance, and *City vs US* says "about the same". *In prison or jail* counts those held
on Census day 2010. *Economic connectedness* (2022) is how many higher-income friends people with lower
incomes have (1 = as many as if income did not matter). The 2014 study's *absolute mobility* is an
income rank like the first rows; *relative mobility* is the rank-rank slope, how far up the ladder a child
ends up for each step higher their parents stood: a higher slope means where a child starts matters more.
"No estimate" means the source published none, usually because fewer than 20 children were counted.
""")
HOW_TO_READ_COMPARISON = N_("""
**How to read this.** Each bar is one city; the dashed orange line is the United States. Numbers are for
children who grew up in low-income families (parents at the 25th percentile of US incomes), mostly
measured at about age 35. County numbers are for each city's main county; the top-20% chance is the
city's middle tract. The thin black whiskers are 95% intervals, drawn where the source publishes a
standard error: where two cities' whiskers overlap, the difference between them may be chance. A
missing bar means the source published no estimate (usually fewer than 20 children). *Relative mobility* is
the rank-rank slope: a higher slope means children's adult incomes follow their parents' more closely, so
where a child starts matters more; for that number a lower bar is better.
""")

# What each national reference is, in plain words (shown next to the numbers; read in the reader's language).
NATIONAL_REFERENCES: dict[str, str] = config.Labels({
    "national_mean_p25": N_("US average for children whose parents were at the 25th percentile"),
    "median_tract": N_("the middle US tract (half of US tracts are above it)"),
    "median_county": N_("the middle US county (half of US counties are above it)"),
})
NATIONAL_REFERENCES_SHORT: dict[str, str] = config.Labels({
    "national_mean_p25": N_("US average"), "median_tract": N_("middle US tract"),
    "median_county": N_("middle US county"),
})
# Where a city's value comes from.
CITY_SOURCES: dict[str, str] = config.Labels({
    "main_county": N_("the city's main county"),
    "city_tracts": N_("the middle tract of the city (tracts mostly inside the city limits)"),
})


@dataclass(frozen=True)
class KeyNumber:
    """One number on the profile: which metric, which column of which table, and which US reference."""
    id: str
    label_en: str               # label for the profile table and chart titles (English; `label` is the reader's)
    short_en: str               # column header of the comparison table (English; `short` is the reader's)
    metric_id: str              # config.METRICS id: format, unit, direction of "better"
    column: str                 # column in the counties table (main_county) or the tracts table
    city_source: str            # CITY_SOURCES key
    national: str               # NATIONAL_REFERENCES key
    national_column: str        # column in national_percentiles (national_mean_p25) or the same table
    se_column: str | None = None
    missing_text: str = NO_ESTIMATE_OI

    label = translated("label_en")
    short = translated("short_en")

    @property
    def metric(self) -> config.Metric:
        return config.METRICS[self.metric_id]

    @property
    def unit(self) -> str:
        """The unit of the displayed number (after the metric's scale): % for shares."""
        return "%" if self.metric.fmt.endswith("%}") else self.metric.unit

    def shown(self, value: float) -> float:
        """The value in display units (ranks 0-100, shares in percent) for tables and charts."""
        if value is None or math.isnan(value):
            return math.nan
        return value * self.metric.scale * (100 if self.unit == "%" else 1)

    @property
    def decimals(self) -> int:
        """Decimal places of the displayed number, as in the metric's own format."""
        return int(self.metric.fmt.split(".")[1][0]) if "." in self.metric.fmt else 0

    @property
    def display_format(self) -> str:
        """printf-style format of the displayed number, for table columns."""
        return f"%.{self.decimals}f%%" if self.unit == "%" else f"%.{self.decimals}f"

    @property
    def help(self) -> str:
        """One plain sentence on the number and what the US reference row is, for column headers."""
        better = _("Higher is better.") if self.metric.higher_is_better else _("Lower is better.")
        return _("{description} {better} Value from {source}; US row: {reference}.").format(
            description=self.metric.description, better=better, source=CITY_SOURCES[self.city_source],
            reference=NATIONAL_REFERENCES[self.national])

    def format(self, value: float) -> str:
        if value is None or math.isnan(value):
            return _(self.missing_text)
        return self.metric.format(value)


def _rank(race: str, label: str, short: str) -> KeyNumber:
    return KeyNumber(f"income_rank_{race}", label, short, "income_rank_p25",
                     f"kfr_{race}_pooled_p25", "main_county", "national_mean_p25", f"kfr_{race}_pooled",
                     se_column=f"kfr_{race}_pooled_p25_se")


def _jail(race: str, label: str, short: str) -> KeyNumber:
    return KeyNumber(f"incarceration_{race}_men", label, short, "incarceration_p25",
                     f"jail_{race}_male_p25", "main_county", "national_mean_p25", f"jail_{race}_male",
                     se_column=f"jail_{race}_male_p25_se")


# Each label is one whole text per group (a group's name is not glued into a sentence).
KEY_NUMBERS: dict[str, KeyNumber] = {k.id: k for k in (
    _rank("pooled", N_("Income rank at ~35: all children"), N_("Income rank: all")),
    _rank("black", N_("Income rank at ~35: Black children"), N_("Income rank: Black")),
    _rank("white", N_("Income rank at ~35: White children"), N_("Income rank: White")),
    _rank("hisp", N_("Income rank at ~35: Hispanic children"), N_("Income rank: Hispanic")),
    KeyNumber("top20_median_tract", N_("Chance of reaching the top 20%"), N_("Top 20% chance"), "top20_p25",
              "top20_p25", "city_tracts", "median_tract", "top20_p25"),
    _jail("black", N_("In prison or jail in 2010: Black men"), N_("Jail 2010: Black men")),
    _jail("white", N_("In prison or jail in 2010: White men"), N_("Jail 2010: White men")),
    KeyNumber("economic_connectedness", N_("Economic connectedness"), N_("Economic connectedness"),
              "economic_connectedness", "ec_county",
              "main_county", "median_county", "ec_county", se_column="ec_se_county",
              missing_text=NO_ESTIMATE_PUBLISHED),
    KeyNumber("absolute_mobility_2014", N_("Absolute mobility (2014 study)"), N_("Absolute mobility 2014"),
              "absolute_mobility_2014", "absolute",
              "main_county", "median_county", "absolute", missing_text=NO_ESTIMATE_PUBLISHED),
    KeyNumber("relative_mobility_2014", N_("Relative mobility (2014 study)"), N_("Relative mobility 2014"),
              "relative_mobility_2014", "relative",
              "main_county", "median_county", "relative", missing_text=NO_ESTIMATE_PUBLISHED),
)}


def _float(value) -> float:
    return math.nan if value is None or pd.isna(value) else float(value)


def national_values(counties: pd.DataFrame, tracts: pd.DataFrame, national: pd.DataFrame) -> dict[str, float]:
    """Key number id -> the national reference value (medians skip missing estimates)."""
    at_p25 = national.loc[national["par_pctile"] == 25].iloc[0]
    tables = {"median_tract": tracts, "median_county": counties}
    return {key.id: _float(at_p25[key.national_column]) if key.national == "national_mean_p25"
            else _float(tables[key.national][key.national_column].median())
            for key in KEY_NUMBERS.values()}


def city_values(county: pd.Series, city_tracts: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Key number id -> (estimate, standard error or NaN) for one city.

    `county` is the main county's row of the counties table; `city_tracts` the city's study tracts
    (cache.study_tracts) of which only those mostly inside the city (`in_city`) count.
    """
    inside = city_tracts.loc[city_tracts["in_city"]]
    values = {}
    for key in KEY_NUMBERS.values():
        if key.city_source == "city_tracts":
            values[key.id] = (_float(inside[key.column].median()), math.nan)
        else:
            values[key.id] = (_float(county[key.column]), _float(county[key.se_column]) if key.se_column else math.nan)
    return values


def versus_us(key: KeyNumber, estimate: float, low: float, high: float, us: float) -> str:
    """Plain words for the city against the US value: 'higher (better)', 'lower (worse)', or 'about the
    same' when the 95% interval includes the US value (the difference may then be chance)."""
    if math.isnan(estimate) or math.isnan(us):
        return "-"
    if (not math.isnan(low) and low <= us <= high) or estimate == us:
        return _("about the same")
    higher = estimate > us
    better = higher == key.metric.higher_is_better
    if higher:
        return _("higher (better)") if better else _("higher (worse)")
    return _("lower (better)") if better else _("lower (worse)")


def key_numbers(county: pd.Series, city_tracts: pd.DataFrame, national: dict[str, float]) -> pd.DataFrame:
    """The profile table: one row per key number, raw values plus the text shown on screen.

    Columns: key, label, city, low, high, us, difference (city minus US, raw units), city_text,
    interval_text ('' when there is no standard error), us_text, us_reference, versus_us, city_source.
    """
    rows = []
    for key_id, (estimate, se) in city_values(county, city_tracts).items():
        key = KEY_NUMBERS[key_id]
        low, high = stats.interval95(estimate, se)
        rows.append({
            "key": key_id, "label": key.label, "city": estimate, "low": low, "high": high,
            "us": national[key_id], "difference": estimate - national[key_id],
            "city_text": key.format(estimate),
            "interval_text": "" if math.isnan(low) else _("{low} to {high}").format(low=key.format(low),
                                                                                    high=key.format(high)),
            "us_text": key.format(national[key_id]), "us_reference": NATIONAL_REFERENCES[key.national],
            "versus_us": versus_us(key, estimate, low, high, national[key_id]),
            "city_source": CITY_SOURCES[key.city_source],
        })
    return pd.DataFrame(rows)


def reference_note() -> str:
    """One sentence saying what the 'United States' column holds, for under the profile table."""
    short = NATIONAL_REFERENCES_SHORT
    return _("The United States column is either the average for all US children whose parents were at the 25th "
             "percentile (*{national_mean}*) or the middle of all US tracts or counties, with half of them above "
             "it (*{median_tract}*, *{median_county}*).").format(
        national_mean=short["national_mean_p25"], median_tract=short["median_tract"],
        median_county=short["median_county"])


def profile_table(numbers: pd.DataFrame) -> pd.DataFrame:
    """The profile's table as shown: text columns a reader can scan (and download)."""
    return pd.DataFrame({
        _("Key number"): numbers["label"],
        _("This city"): numbers["city_text"],
        _("95% interval"): numbers["interval_text"].replace("", "-"),
        _("United States"): numbers["us_text"],
        _("City vs US"): numbers["versus_us"],
        _("US value is the"): [NATIONAL_REFERENCES_SHORT[KEY_NUMBERS[k].national] for k in numbers["key"]],
    })


# The comparison table's first column and its reference row (English here: `_()` where shown; the
# comparison's functions below use the reader's words, city_column() and us_row()).
CITY = N_("City")
US_ROW = N_("United States (reference)")


def city_column() -> str:
    return _(CITY)


def us_row() -> str:
    return _(US_ROW)


def comparison_table(per_city: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Cities side by side in display units (ranks 0-100, shares in %), plus the nation as a row.

    `per_city` maps a city label to its key_numbers() frame. Missing estimates stay NaN (a table
    shows them as empty cells; the profile page says why). Headers and the reference row are in the reader's
    language (city_column(), column_label(), us_row()).
    """
    first = next(iter(per_city.values()))
    city = city_column()
    columns = {key.id: column_label(key) for key in KEY_NUMBERS.values()}
    rows = [{city: label, **{columns[k]: KEY_NUMBERS[k].shown(v) for k, v in zip(frame["key"], frame["city"])}}
            for label, frame in per_city.items()]
    rows.append({city: us_row(), **{columns[k]: KEY_NUMBERS[k].shown(v) for k, v in zip(first["key"], first["us"])}})
    return pd.DataFrame(rows)


def comparison_display(table: pd.DataFrame):
    """The comparison as the page shows it (a pandas Styler over the same values): each number in its own
    format, "no estimate" where the source has none. A static table, so that its headers wrap and all ten
    numbers fit a laptop's page and a projector (a data grid's headers do not wrap: it scrolled sideways)."""
    formats = {column_label(key): (lambda value, fmt=key.display_format: localized(fmt % value))
               for key in KEY_NUMBERS.values()}
    return table.style.format(formats, na_rep=_(config.NO_ESTIMATE))


def column_meanings() -> str:
    """What each comparison column is (its help), as a Markdown list of our own texts."""
    return "\n".join(f"- **{column_label(key)}**: {key.help}" for key in KEY_NUMBERS.values())


def column_label(key: KeyNumber) -> str:
    """The comparison column header in the reader's language: the short label, with '(%)' for shares."""
    return f"{key.short} (%)" if key.unit == "%" else key.short


def column_id(key: KeyNumber) -> str:
    """The column header in English: the same in every language, so a widget's choice survives a switch."""
    return f"{key.short_en} (%)" if key.unit == "%" else key.short_en


def key_for_column(column: str) -> KeyNumber:
    """The key number behind a comparison_table column label (the reader's or the English one)."""
    return next(key for key in KEY_NUMBERS.values() if column in (column_label(key), column_id(key)))


def sort_cities(table: pd.DataFrame, column: str, descending: bool = True) -> pd.DataFrame:
    """Sort the city rows by a column (missing values last), keeping the US reference row at the bottom."""
    reference = table[city_column()] == us_row()
    cities = table[~reference].sort_values(column, ascending=not descending, na_position="last", kind="stable")
    return pd.concat([cities, table[reference]], ignore_index=True)


# Okabe-Ito colours (safe for the common colour-vision deficiencies).
CITY_BAR = "#0072B2"
US_RULE = "#D55E00"


def comparison_intervals(per_city: dict[str, pd.DataFrame], key_id: str) -> pd.DataFrame:
    """City, low, high: each city's 95% interval for one key number in display units (NaN if none)."""
    key = KEY_NUMBERS[key_id]
    rows = []
    for label, frame in per_city.items():  # plain lists: boolean indexing and iterrows per city cost ~10x more
        keys, lows, highs = frame["key"].tolist(), frame["low"].tolist(), frame["high"].tolist()
        rows += [{"City": label, "low": key.shown(lows[i]), "high": key.shown(highs[i])}
                 for i, found in enumerate(keys) if found == key_id]
    return pd.DataFrame(rows, columns=["City", "low", "high"])


def comparison_chart(table: pd.DataFrame, key: KeyNumber, intervals: pd.DataFrame | None = None) -> alt.LayerChart:
    """Horizontal bars of one key number across cities, the US value as a dashed vertical rule, and
    95% intervals as thin black whiskers where the source publishes a standard error.

    `table` is comparison_table() output (optionally sorted): bar order follows its row order.
    Colours are from the Okabe-Ito palette; the rule is also dashed and labelled, so colour is
    never the only cue.
    """
    column, city = column_label(key), city_column()
    reference = table[city] == us_row()
    cities = table.loc[~reference, [city, column]].rename(columns={city: "City", column: "value"})
    us_value = table.loc[reference, column].iloc[0]
    order = list(cities["City"])
    number = f",.{key.decimals}f"
    y = alt.Y("City:N", sort=order, title=None, axis=alt.Axis(labelFontSize=13, labelLimit=220))
    bars = alt.Chart(cities.dropna()).mark_bar(color=CITY_BAR).encode(
        x=alt.X("value:Q", title=column), y=y,
        tooltip=[alt.Tooltip("City:N", title=city), alt.Tooltip("value:Q", title=key.short, format=number)])
    layers = [bars]
    if intervals is not None and intervals["low"].notna().any():
        layers.append(alt.Chart(intervals.dropna()).mark_rule(color="black", size=1.5).encode(
            x="low:Q", x2="high:Q", y=y,
            tooltip=[alt.Tooltip("City:N", title=city),
                     alt.Tooltip("low:Q", title=_("95% interval from"), format=number),
                     alt.Tooltip("high:Q", title=_("to"), format=number)]))
    if not math.isnan(us_value):
        label = _("United States: {value}").format(value=localized(key.display_format % us_value))
        rule = pd.DataFrame({"value": [us_value], "label": [label]})
        layers.append(alt.Chart(rule).mark_rule(color=US_RULE, strokeDash=[6, 4], size=3).encode(
            x="value:Q", tooltip=[alt.Tooltip("label:N", title=_("Reference"))]))
        layers.append(alt.Chart(rule).mark_text(color=US_RULE, align="left", dx=4, dy=-4, baseline="bottom",
                                                fontWeight="bold", fontSize=13).encode(
            x="value:Q", y=alt.value(0), text="label:N"))
    return alt.layer(*layers).properties(height=alt.Step(34))
