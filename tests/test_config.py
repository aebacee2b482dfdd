"""The registries are complete: every metric documents itself, every city resolves."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from explorer import config

ALL_METRICS = [*config.METRICS.values(), *config.NATIONAL_OUTCOMES.values()]


@pytest.mark.parametrize("metric", ALL_METRICS, ids=lambda m: m.id)
def test_every_metric_is_documented(metric):
    for field in ("id", "label", "description", "unit", "fmt", "level", "source_file", "column", "cohort", "year"):
        assert str(getattr(metric, field)).strip(), f"{metric.id} lacks {field}"
    assert isinstance(metric.higher_is_better, bool)
    assert metric.description.endswith("."), "descriptions are one full sentence"
    assert (config.RAW_DIR / metric.source_file).is_file(), f"{metric.id}: source file missing"


@pytest.mark.parametrize("metric", ALL_METRICS, ids=lambda m: m.id)
def test_every_metric_source_column_exists_in_its_raw_file(metric):
    header = pd.read_csv(config.RAW_DIR / metric.source_file, nrows=0, encoding="utf-8-sig").columns
    assert metric.source_column() in header
    if metric.se_column:
        assert metric.se_column.format(race="pooled", gender="pooled") in header


@pytest.mark.parametrize("metric_id, value, shown", [
    ("household_income_p25", 26212.0, "$26,212"),
    ("top20_p25", 0.084, "8.4%"),
    ("income_rank_p25", 0.3466, "34.7"),
    ("incarceration_p25", 0.109, "10.9%"),
    ("household_income_p25", math.nan, "no estimate"),
    ("income_rank_p25", None, "no estimate"),
])
def test_metric_format(metric_id, value, shown):
    assert config.get_metric(metric_id).format(value) == shown


@pytest.mark.parametrize("bad", ["", "atlantis", None, "DETROIT"])
def test_unknown_city_is_a_clear_error(bad):
    with pytest.raises(ValueError, match="Unknown city"):
        config.get_city(bad)


def test_unknown_metric_is_a_clear_error():
    with pytest.raises(ValueError, match="Unknown metric"):
        config.get_metric("happiness")


def test_nine_cities_with_place_files():
    assert len(config.CITIES) == 9
    for city in config.CITIES.values():
        assert (config.GEO / "places_tiger2019" / city.boundary_file).is_file()
        assert len(city.place_geoid) == 7 and city.place_geoid.startswith(city.state_fips)
        assert city.main_county.startswith(city.state_fips)
