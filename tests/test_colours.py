"""The race colours stay tellable apart for readers with the common colour-vision deficiencies.

Simulation: Machado, Oliveira and Fernandes (2009), severity 1.0 (full protanopia, deuteranopia and
tritanopia), applied to linear RGB. Difference: CIE76 delta-E in CIELAB (D65 white).

Threshold: 15. A delta-E of about 2.3 is the smallest difference people notice between two large
patches side by side; chart lines are 3 px wide, legend swatches are small and a projector washes colours
out, so a pair of groups needs several times that. 15 sits well above the just-noticeable level while a
classic red/green confusion pair falls far below it under deuteranopia (checked below, so the check can fail).
"""
from __future__ import annotations

import colorsys
import itertools

import numpy as np
import pytest

from explorer import charts, config

MIN_DELTA_E = 15.0

MACHADO_2009 = {  # severity 1.0, linear RGB in and out
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
SRGB_TO_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375],
                        [0.2126729, 0.7151522, 0.0721750],
                        [0.0193339, 0.1191920, 0.9503041]])
D65 = np.array([0.95047, 1.0, 1.08883])


def linear_rgb(hex_colour: str) -> np.ndarray:
    srgb = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def lab(linear: np.ndarray) -> np.ndarray:
    t = (SRGB_TO_XYZ @ linear) / D65
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen(hex_colour: str, deficiency: str | None = None) -> np.ndarray:
    """CIELAB of a colour as seen with full `deficiency` (None: typical colour vision)."""
    linear = linear_rgb(hex_colour)
    if deficiency:
        linear = np.clip(MACHADO_2009[deficiency] @ linear, 0, 1)
    return lab(linear)


def delta_e(first: str, second: str, deficiency: str | None = None) -> float:
    return float(np.linalg.norm(seen(first, deficiency) - seen(second, deficiency)))


def is_orange(hex_colour: str) -> bool:
    """Orange: a saturated hue between red-orange and amber (15-50 degrees on the HSV wheel)."""
    hue, saturation, _ = colorsys.rgb_to_hsv(*(int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)))
    return 15 <= hue * 360 <= 50 and saturation > 0.5


def test_colour_science_matches_known_values():
    np.testing.assert_allclose(seen("#FFFFFF"), [100, 0, 0], atol=0.01)
    np.testing.assert_allclose(seen("#FF0000"), [53.24, 80.09, 67.20], atol=0.05)  # sRGB red in CIELAB
    for matrix in MACHADO_2009.values():
        np.testing.assert_allclose(matrix.sum(axis=1), 1, atol=1e-5)  # greys stay grey


def test_the_check_catches_a_red_green_confusion():
    red, green = "#D62728", "#2CA02C"  # a common red/green pair, clearly apart for typical vision
    assert delta_e(red, green) > 60
    assert delta_e(red, green, "deuteranopia") == pytest.approx(7.3, abs=0.1)  # below the threshold: caught
    assert delta_e(red, green, "tritanopia") > 60  # tritanopia leaves red and green apart


def test_the_palette_covers_the_six_groups():
    assert list(charts.RACE_COLORS) == list(config.RACES)
    assert charts.RACE_COLORS["pooled"] == "#595959"  # "All races" stays a neutral dark grey


@pytest.mark.parametrize("deficiency", [None, *MACHADO_2009])
@pytest.mark.parametrize("first, second", list(itertools.combinations(config.RACES, 2)))
def test_every_pair_of_groups_differs_enough(first, second, deficiency):
    difference = delta_e(charts.RACE_COLORS[first], charts.RACE_COLORS[second], deficiency)
    assert difference >= MIN_DELTA_E, f"{first} and {second}: delta-E {difference:.1f} ({deficiency or 'typical'})"


def test_black_and_native_american_are_not_both_orange():
    black, natam = charts.RACE_COLORS["black"], charts.RACE_COLORS["natam"]
    assert is_orange(black) and not is_orange(natam)
    assert is_orange("#E69F00")  # the amber these two groups used to share the orange family with
