"""Colour scales: quantile bins from the real tract data, outliers kept out, missing = grey."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from explorer import config
from explorer.data import store
from explorer.maps import scales

RAW_COLUMNS = {"household_income_p25": "Household_Income_at_Age_35_rP_gP_p25",
               "top20_p25": "Frac._in_Top_20%_Based_on_Household_Income_rP_gP_p25"}
OUTLIERS = (0.0, 1_062_314.0)  # the noise values in the national income file


@pytest.fixture(scope="module")
def national_tracts() -> pd.DataFrame:
    return store.read_table("tracts", config.processed_dir())


def _scale(breaks, metric="household_income_p25"):
    colours = tuple(scales.hex_to_rgb(c) for c in scales.RDYLBU[len(breaks) + 1])
    return scales.Scale(config.METRICS[metric], tuple(breaks), colours, "test")


@pytest.mark.parametrize("metric_id", config.TRACT_METRICS)
def test_national_breaks_are_the_raw_file_quantiles(metric_id, raw_tracts, national_tracts):
    """Seven bins at the 1/7 ... 6/7 quantiles of every US tract in data/raw, rounded to the legend step."""
    values = raw_tracts[RAW_COLUMNS[metric_id]].dropna().to_numpy()
    step = scales.BREAK_STEPS[metric_id]
    expected = np.round(np.quantile(values, np.arange(1, 7) / 7) / step) * step
    scale = scales.tract_scale(metric_id, "national", national_tracts, None)
    assert scale.breaks == pytest.approx(tuple(expected))
    assert len(scale.colours) == 7


def test_income_outliers_do_not_stretch_the_scale(raw_tracts):
    """The $0 and $1,062,314 tracts fall in the open-ended outer bins and move no break."""
    income = raw_tracts[RAW_COLUMNS["household_income_p25"]]
    assert (income == OUTLIERS[0]).sum() == 2 and (income == OUTLIERS[1]).sum() == 2
    with_outliers = scales.quantile_breaks(income, "household_income_p25")
    without = scales.quantile_breaks(income[~income.isin(OUTLIERS)], "household_income_p25")
    assert np.abs(np.subtract(with_outliers, without)).max() <= scales.BREAK_STEPS["household_income_p25"]
    assert 15_000 < with_outliers[0] and with_outliers[-1] < 60_000
    labels = scales.bin_labels(_scale(with_outliers))
    assert labels[0] == f"under ${with_outliers[0]:,.0f}" and labels[-1] == f"${with_outliers[-1]:,.0f} or more"
    assert "1,062,314" not in " ".join(labels)


def test_within_area_breaks_come_from_the_area(national_tracts):
    study = store.study_tracts("detroit", config.processed_dir())
    scale = scales.tract_scale("household_income_p25", "within", national_tracts, study)
    expected = np.round(np.quantile(study["household_income_p25"].dropna(), np.arange(1, 7) / 7) / 100) * 100
    assert scale.breaks == pytest.approx(tuple(expected))
    assert scale.basis == "this area's tracts"


@pytest.mark.parametrize("value, expected_bin", [
    (10_000, 0), (25_999, 0), (26_000, 1), (29_999, 1), (30_000, 2), (45_000, 6), (1_062_314, 6),
    (0, 0), (float("nan"), -1),
])
def test_bin_index(value, expected_bin):
    scale = _scale((26_000, 30_000, 33_000, 36_000, 40_000, 44_000))
    assert scales.bin_index([value], scale).tolist() == [expected_bin]


def test_missing_is_grey_and_counted():
    scale = _scale((26_000, 30_000, 33_000, 36_000, 40_000, 44_000))
    values = [20_000, float("nan"), 50_000, float("nan")]
    rgb = scales.colours(values, scale)
    assert rgb.tolist() == [list(scale.colours[0]), list(scales.MISSING_RGB), list(scale.colours[-1]),
                            list(scales.MISSING_RGB)]
    legend = scales.legend_table(values, scale)
    assert legend.iloc[-1].tolist() == [scales.rgb_to_hex(scales.MISSING_RGB), scales.MISSING_LABEL, 2]
    assert legend["tracts"].sum() == 4


def test_palette_runs_warm_to_cool():
    """Low outcomes red, high outcomes blue (ColorBrewer RdYlBu, colour-blind safe)."""
    first, last = scales.RDYLBU[7][0], scales.RDYLBU[7][-1]
    assert scales.hex_to_rgb(first)[0] > scales.hex_to_rgb(first)[2]
    assert scales.hex_to_rgb(last)[2] > scales.hex_to_rgb(last)[0]


@pytest.mark.parametrize("values, bins", [([1.0] * 30, 1), ([1.0, 2.0] * 20, 2), (list(range(100)), 7), ([], 1)])
def test_few_distinct_values_give_fewer_bins(values, bins):
    scale = scales.make_scale(values, "top20_p25", "test")
    assert len(scale.colours) == bins == len(scale.breaks) + 1
    assert len(scales.bin_labels(scale)) == bins


@pytest.mark.parametrize("metric_id, scale_id", [("no_such_metric", "national"), ("household_income_p25", "nope"),
                                                 ("income_rank_p25", "national")])
def test_bad_ids_raise_a_clear_error(metric_id, scale_id, national_tracts):
    with pytest.raises(ValueError, match="Unknown|not a tract metric"):
        scales.tract_scale(metric_id, scale_id, national_tracts, national_tracts)


def test_a_legend_swatch_is_a_square_of_the_palette_colour_and_nothing_else():
    assert scales.swatch_image("#d73027") == (
        "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='24' height='16'%3E"
        "%3Crect width='24' height='16' fill='%23d73027'/%3E%3C/svg%3E")
    for bad in ("red", "#d73027'/><script>", "#12345", "url(x)"):
        with pytest.raises(ValueError):
            scales.swatch_image(bad)
