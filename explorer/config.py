"""Paths and registries: the nine cities and the metrics the app can show.

Everything the rest of the package needs to know about *which* data exists lives here as data,
so that adding a city or a metric is one entry, not edits across pages.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from explorer.i18n import N_, _, localized, translated

ROOT = Path(__file__).resolve().parents[1]
RAW_DIR = ROOT / "data" / "raw"
PROCESSED_DIR = ROOT / "data" / "processed"
PILOTS_FILE = ROOT / "data" / "pilots.yaml"
REBUILD_COMMAND = "python -m explorer.data.build"

OPPORTUNITY = RAW_DIR / "opportunity"
GEO = RAW_DIR / "geo"

# Raw files the build reads (all copied unchanged from their public sources; see data/raw/*/SOURCES.md).
RAW_FILES = {
    "tract_income": OPPORTUNITY / "tract_kfr_rP_gP_p25.csv",
    "tract_top20": OPPORTUNITY / "tract_kfr_top20_rP_gP_p25.csv",
    "county_outcomes": OPPORTUNITY / "county_outcomes_simple.csv",
    "cz_outcomes": OPPORTUNITY / "cz_outcomes_simple_9cz_extract.csv",
    "national_percentiles": OPPORTUNITY / "national_percentile_outcomes.csv",
    "social_capital_county": OPPORTUNITY / "social_capital_county.csv",
    "mobility_2014": OPPORTUNITY / "chetty2014_county" / "mobility.csv",
    "us_counties": GEO / "us-atlas-3.0.1" / "counties-10m.json",
    "us_states": GEO / "us-atlas-3.0.1" / "states-10m.json",
    "monroe_tracts": GEO / "derived" / "monroe_ny_36055_tracts2010_dissolved_from_tiger_bg.geojson",
}
STATE_TRACT_FILES = {fips: GEO / "tracts_cb2018" / f"cb_2018_{fips}_tract_500k.json"
                     for fips in ("22", "26", "34", "39", "40", "55")}

# Processed tables (written by explorer.data.build, read only through explorer.data.cache).
PROCESSED_FILES = {
    "tracts": "tracts.parquet",              # every US tract: pooled outcomes at p25 + national percentiles
    "tract_shapes": "tract_shapes.parquet",  # study-area tract polygons (GeoJSON text, simplified)
    "study_counties": "study_counties.parquet",  # city -> counties holding >= 1% of its area
    "county_shapes": "county_shapes.parquet",    # study-county outlines (dissolved tracts)
    "city_shapes": "city_shapes.parquet",    # the nine city boundaries
    "counties": "counties.parquet",          # every US county: outcomes by race x gender, social capital, 2014 mobility
    "national_counties": "national_counties.parquet",  # every US county polygon (1:10m)
    "commuting_zones": "commuting_zones.parquet",  # the nine commuting zones
    "national_percentiles": "national_percentiles.parquet",  # the nation by parent percentile 1-100
}

STUDY_COUNTY_MIN_SHARE = 0.01  # a county is in a city's study area if it holds >= 1% of the city's area


def processed_dir() -> Path:
    """Where processed tables are read from; EXPLORER_DATA_DIR overrides it (tests, fault drills)."""
    return Path(os.environ.get("EXPLORER_DATA_DIR", PROCESSED_DIR))


@dataclass(frozen=True)
class City:
    id: str
    name: str
    state: str            # two-letter postal code
    state_fips: str
    place_geoid: str      # 7-digit Census place GEOID (TIGER 2019)
    main_county: str      # 5-digit FIPS of the county holding most of the city
    cz: int               # Opportunity Insights commuting zone id
    cz_name: str          # the CZ's name in the OI files (not always the city's name)
    boundary_file: str    # file name under data/raw/geo/places_tiger2019

    @property
    def label(self) -> str:
        return f"{self.name}, {self.state}"


CITIES: dict[str, City] = {c.id: c for c in (
    City("cincinnati", "Cincinnati", "OH", "39", "3915000", "39061", 12701, "Cincinnati", "oh_cincinnati.json"),
    City("dayton", "Dayton", "OH", "39", "3921000", "39113", 12501, "Dayton", "oh_dayton.json"),
    City("detroit", "Detroit", "MI", "26", "2622000", "26163", 11600, "Detroit", "mi_detroit.json"),
    City("lansing", "Lansing", "MI", "26", "2646000", "26065", 11700, "Lansing", "mi_lansing.json"),
    City("new-orleans", "New Orleans", "LA", "22", "2255000", "22071", 3300, "New Orleans", "la_new-orleans.json"),
    City("newark", "Newark", "NJ", "34", "3451000", "34013", 19600, "Newark", "nj_newark.json"),
    City("racine", "Racine", "WI", "55", "5566000", "55101", 24000, "Kenosha", "wi_racine.json"),
    City("rochester", "Rochester", "NY", "36", "3663000", "36055", 18000, "Buffalo", "ny_rochester.json"),
    City("tulsa", "Tulsa", "OK", "40", "4075000", "40143", 30402, "Tulsa", "ok_tulsa.json"),
)}
DEFAULT_CITY = "detroit"


NO_ESTIMATE = N_("no estimate")  # what a missing (suppressed) value reads, never zero; legends add why (scales)
PARISH_STATE = ("Louisiana", "22")  # the one state whose counties are parishes: its name and its FIPS code


def county_label(name: str, state: str) -> str:
    """'Wayne County'; Louisiana's counties are parishes ('Orleans Parish'). `state`: the state's name or its
    2-digit FIPS code. The one place a county's kind is decided, for every page, table, tooltip and brief."""
    return (_("{name} Parish") if state in PARISH_STATE else _("{name} County")).format(name=name)


def get_city(city_id: str) -> City:
    """The registry entry for city_id, or a ValueError that names the valid ids."""
    try:
        return CITIES[city_id]
    except (KeyError, TypeError):
        raise ValueError(f"Unknown city {city_id!r}; expected one of: {', '.join(CITIES)}") from None


# Groups in the Opportunity Insights files: column names use these codes.
class Labels(dict):
    """Codes -> labels, written in English and read in the reader's language (each lookup translates)."""

    def __getitem__(self, key):
        return _(super().__getitem__(key))

    def get(self, key, default=None):
        return self[key] if key in self else default

    def values(self):
        return [self[key] for key in self]

    def items(self):
        return [(key, self[key]) for key in self]


RACES = Labels({"pooled": N_("All races"), "white": N_("White"), "black": N_("Black"), "hisp": N_("Hispanic"),
                "asian": N_("Asian"), "natam": N_("Native American")})
GENDERS = Labels({"pooled": N_("All genders"), "male": N_("Men"), "female": N_("Women")})
COUNTY_RACES = ("pooled", "black", "white", "hisp")  # the county "simple" file has no Asian/Native American

COHORT = N_("children born 1978-83, followed to 2014-15")


@dataclass(frozen=True)
class Metric:
    """One outcome the app can show. `column` may hold {race} and {gender} placeholders."""
    id: str
    label_en: str         # the texts in English (the catalog's ids); `label` etc. are the reader's language
    description_en: str   # one plain-language sentence for community partners
    unit_en: str          # what the number counts
    fmt: str              # a str.format pattern for one value
    higher_is_better: bool
    level: str            # tract, county, commuting_zone, national
    source_file: str      # raw file name under data/raw
    column: str
    cohort_en: str = COHORT
    year_en: str = N_("incomes measured in 2014-15")
    se_column: str | None = None
    groups: tuple[str, ...] = field(default_factory=tuple)  # which placeholders `column` takes
    scale: float = 1.0    # multiply the stored value by this for display (ranks 0-1 -> 0-100)

    label = translated("label_en")
    description = translated("description_en")
    unit = translated("unit_en")
    cohort = translated("cohort_en")
    year = translated("year_en")

    def source_column(self, race: str = "pooled", gender: str = "pooled") -> str:
        return self.column.format(race=race, gender=gender)

    def format(self, value: float | None) -> str:
        """The value as shown on screen; missing estimates read as such, never as zero."""
        if value is None or value != value:
            return _(NO_ESTIMATE)
        return localized(self.fmt.format(value * self.scale))


METRICS: dict[str, Metric] = {m.id: m for m in (
    Metric("household_income_p25", N_("Household income at about age 35"),
           N_("Average yearly household income, at about age 35, of children who grew up in this tract "
           "in families at the 25th percentile of US incomes (about $27,000 a year)."),
           N_("US dollars (2015)"), "${:,.0f}", True, "tract",
           "opportunity/tract_kfr_rP_gP_p25.csv", "Household_Income_at_Age_35_rP_gP_p25"),
    Metric("top20_p25", N_("Chance of reaching the top 20%"),
           N_("Share of children from families at the 25th percentile who grew up in this tract and, as "
           "adults, reached the top fifth of household incomes in the US."),
           N_("share of children"), "{:.1%}", True, "tract",
           "opportunity/tract_kfr_top20_rP_gP_p25.csv", "Frac._in_Top_20%_Based_on_Household_Income_rP_gP_p25"),
    Metric("income_rank_p25", N_("Household income rank at about age 35"),
           N_("Where children from families at the 25th percentile ended up, on average, on the national "
           "income ladder as adults (0 = bottom, 100 = top)."),
           N_("national percentile rank"), "{:.1f}", True, "county",
           "opportunity/county_outcomes_simple.csv", "kfr_{race}_{gender}_p25",
           se_column="kfr_{race}_{gender}_p25_se", groups=("race", "gender"), scale=100),
    Metric("incarceration_p25", N_("In prison or jail on April 1, 2010"),
           N_("Share of children from families at the 25th percentile who were in prison or jail on "
           "Census day, April 1, 2010 (at ages 27-32)."),
           N_("share of children"), "{:.1%}", False, "county",
           "opportunity/county_outcomes_simple.csv", "jail_{race}_{gender}_p25",
           year_en=N_("April 1, 2010"), se_column="jail_{race}_{gender}_p25_se", groups=("race", "gender")),
    Metric("economic_connectedness", N_("Economic connectedness"),
           N_("How many friends with higher incomes people with lower incomes have: 1 means as many as "
           "if friendships ignored income, below 1 means fewer."),
           N_("ratio (1 = no income segregation of friendships)"), "{:.2f}", True, "county",
           "opportunity/social_capital_county.csv", "ec_county",
           cohort_en=N_("Facebook users aged 25-44 in 2022"), year_en=N_("2022"), se_column="ec_se_county"),
    Metric("absolute_mobility_2014", N_("Absolute upward mobility (2014 study)"),
           N_("Expected income rank as adults of children whose parents were at the 25th percentile "
           "(Chetty, Hendren, Kline and Saez, 2014)."),
           N_("national percentile rank"), "{:.1f}", True, "county",
           "opportunity/chetty2014_county/mobility.csv", "absolute",
           cohort_en=N_("children born 1980-82"), year_en=N_("incomes measured 2011-12")),
    Metric("relative_mobility_2014", N_("Relative mobility: rank-rank slope (2014 study)"),
           N_("The rank-rank slope: how far up the national income ladder a child ends up for each step higher "
           "their parents stood. A higher slope means where a child starts matters more (less mobility); a "
           "lower slope means children from poorer and richer families end up closer together."),
           N_("percentile points per parent percentile"), "{:.3f}", False, "county",
           "opportunity/chetty2014_county/mobility.csv", "relative",
           cohort_en=N_("children born 1980-82"), year_en=N_("incomes measured 2011-12")),
)}

# National outcomes by parent percentile (national_percentile_outcomes.csv), for the gap charts.
NATIONAL_OUTCOMES: dict[str, Metric] = {m.id: m for m in (
    Metric("kfr", N_("Household income rank"), N_("Children's average household income rank as adults."),
           N_("national percentile rank"), "{:.1f}", True, "national",
           "opportunity/national_percentile_outcomes.csv", "kfr_{race}_{gender}", groups=("race", "gender"), scale=100),
    Metric("kir", N_("Individual income rank"), N_("Children's average own (individual) income rank as adults."),
           N_("national percentile rank"), "{:.1f}", True, "national",
           "opportunity/national_percentile_outcomes.csv", "kir_{race}_{gender}", groups=("race", "gender"), scale=100),
    Metric("jail", N_("In prison or jail on April 1, 2010"),
           N_("Share of children who were in prison or jail on Census day 2010."),
           N_("share of children"), "{:.1%}", False, "national",
           "opportunity/national_percentile_outcomes.csv", "jail_{race}_{gender}",
           year_en=N_("April 1, 2010"), groups=("race", "gender")),
    Metric("kfr_top20", N_("Chance of reaching the top 20%"),
           N_("Share of children whose household income as adults is in the top fifth."),
           N_("share of children"), "{:.1%}", True, "national",
           "opportunity/national_percentile_outcomes.csv", "kfr_top20_{race}_{gender}", groups=("race", "gender")),
    Metric("working", N_("Employed"), N_("Share of children who were working as adults (in 2015)."),
           N_("share of children"), "{:.1%}", True, "national",
           "opportunity/national_percentile_outcomes.csv", "working_{race}_{gender}",
           year_en=N_("2015"), groups=("race", "gender")),
    Metric("married", N_("Married"), N_("Share of children who were married as adults (in 2015)."),
           N_("share of children"), "{:.1%}", True, "national",
           "opportunity/national_percentile_outcomes.csv", "married_{race}_{gender}",
           year_en=N_("2015"), groups=("race", "gender")),
)}


def get_metric(metric_id: str) -> Metric:
    for registry in (METRICS, NATIONAL_OUTCOMES):
        if metric_id in registry:
            return registry[metric_id]
    raise ValueError(f"Unknown metric {metric_id!r}; expected one of: {', '.join([*METRICS, *NATIONAL_OUTCOMES])}")


TRACT_METRICS = tuple(m.id for m in METRICS.values() if m.level == "tract")


def tract_metric(metric_id: str) -> Metric:
    """The tract-level metric `metric_id` (the neighborhood map's outcomes); anything else raises ValueError.
    The one check of "is this a tract metric" for the maps, scales and the store."""
    metric = get_metric(metric_id)
    if metric.level != "tract":
        raise ValueError(f"Metric {metric_id!r} is not a tract metric; expected one of: {', '.join(TRACT_METRICS)}")
    return metric
