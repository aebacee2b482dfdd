"""Presentation mode's headline: the view in words, from its link state (explorer.headline)."""
from __future__ import annotations

import pytest

from explorer import headline, links, registry, views


@pytest.mark.parametrize("page, state, expected", [
    ("us-counties", {"city": "detroit", "group": "black", "gender": "male"},
     "Every US county - Black children, men - household income rank at about age 35, parents at the 25th "
     "percentile - colours compared with the US"),
    ("us-counties", {"group": "black_white_gap"},
     "Every US county - the Black-white gap - white minus Black household income rank at about age 35, parents "
     "at the 25th percentile - colours compared with the US"),
    ("race-class-gaps", {"city": "tulsa", "outcome": "jail", "gender": "male", "pctile": 40},
     "Tulsa, OK and the US - sons by race and parents' income - in prison or jail on April 1, 2010, parents at "
     "the 40th percentile"),
    ("neighborhoods", {"city": "new-orleans", "metric": "top20_p25", "scale": "within"},
     "New Orleans, LA - chance of reaching the top 20% - children of low-income families (parents at the 25th "
     "percentile) - colours compared within the New Orleans area"),
    ("tract-gaps", {"show": "group", "race": "white", "gender": "female", "pctile": 75},
     "Wayne County, Michigan - White children, women - household income rank, high-income parents (75th "
     "percentile) - each tract of the county"),
])
def test_the_headline_names_place_group_outcome_parents_and_scale(page, state, expected):
    county = "Wayne County, Michigan" if page == "tract-gaps" else None
    assert headline.view_headline(page, state, county) == expected


def test_defaults_fill_what_the_state_leaves_out():
    assert headline.view_headline("neighborhoods", {}) == headline.view_headline("neighborhoods", links.DEFAULTS)
    assert headline.view_headline("neighborhoods", {}).startswith("Detroit, MI - household income at about age 35")


@pytest.mark.parametrize("number, ordinal", [(1, "1st"), (2, "2nd"), (3, "3rd"), (11, "11th"), (12, "12th"),
                                             (13, "13th"), (21, "21st"), (25, "25th"), (100, "100th")])
def test_ordinal(number, ordinal):
    assert headline.ordinal(number) == ordinal


def test_every_view_of_the_data_walk_has_a_headline_naming_its_city_or_its_scope():
    walk = views.load(pages=tuple(registry.BY_ID))
    for view in walk.views:
        text = headline.view_headline(view.page, view.link)
        assert text.count(headline.SEPARATOR) >= 1 and "{" not in text, (view.title, text)


def test_the_projector_legend_escapes_its_text_and_takes_only_palette_colours():
    import pandas as pd

    from ui.widgets import legend_html
    legend = pd.DataFrame({"colour": ["#d73027", "#bebebe"], "range": ["under <b>5</b>", "no estimate"], "tracts": [3, 1]})
    html = legend_html(legend, "Rank & <i>file</i>")
    assert "under &lt;b&gt;5&lt;/b&gt;" in html and "Rank &amp; &lt;i&gt;file&lt;/i&gt;" in html
    assert html.count("<tr>") == 3 and 'style="background:#d73027"' in html
    with pytest.raises(ValueError, match="colour"):
        legend_html(legend.assign(colour=["red;background:url(x)", "#bebebe"]), "t")
