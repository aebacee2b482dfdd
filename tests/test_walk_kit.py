"""The data-walk kit (explorer.walk_kit): a facilitator's sheet and one poster per view, from any views file."""
from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from pypdf import PdfReader

from explorer import config, links, registry, views, walk_kit
from explorer.data import cache
from explorer.maps import scales
from tests.conftest import open_page

ROOT = "https://explorer.example.org/walk"  # a site served below a path, as behind a proxy


def page_text(page) -> str:
    return " ".join(page.extract_text().split())


def qr_codes(page) -> list[str]:
    import zxingcpp
    return [result.text for image in page.images for result in zxingcpp.read_barcodes(image.image.convert("L"))]


@pytest.fixture(scope="module")
def walk() -> views.ViewsFile:
    return views.load()


@pytest.fixture(scope="module")
def kit(walk) -> PdfReader:
    posters = walk_kit.posters(walk, ROOT, cache)
    return PdfReader(io.BytesIO(walk_kit.kit_pdf(walk, posters, minutes=6)))


def test_the_kit_has_the_sheet_then_one_landscape_letter_poster_per_view(kit, walk):
    assert len(kit.pages) == len(walk.views) + 1 == 12
    for page in kit.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (792, 612)  # points: 11 x 8.5 inches, landscape


def test_each_poster_holds_its_title_and_prompts_in_order(kit, walk):
    for number, (view, page) in enumerate(zip(walk.views, kit.pages[1:]), start=1):
        words = page_text(page)
        assert view.title in words and f"Station {number} of {len(walk.views)}" in words
        places = [words.index(f"{n}. {prompt}") for n, prompt in enumerate(view.prompts, start=1)]
        assert places == sorted(places) and len(places) == len(view.prompts) >= 2


def test_each_posters_qr_code_opens_that_view(kit, walk):
    """Decoded from the printed page, each code is the view's link; opened, it sets that view's page state."""
    for view, page in zip(walk.views, kit.pages[1:]):
        (decoded,) = qr_codes(page)
        assert decoded == walk_kit.view_link(ROOT, view)
        assert links.short(decoded) in page_text(page).replace(" ", "")  # the printed text, wrapped or not
        parts = urlsplit(decoded)
        assert parts.netloc == "explorer.example.org"
        page_id = parts.path.removeprefix("/walk").strip("/") or registry.DEFAULT.id
        assert page_id == view.page
        params = {name: values[-1] for name, values in parse_qs(parts.query).items()}
        assert "view" not in params and "present" not in params  # a phone opens the view, not the walk
        at = open_page(registry.file_of(page_id), params=params)
        assert not at.exception, view.title
        for name, value in view.link.items():
            key = links.FIELDS[name].key_on(page_id)
            if key and name != "basemap":
                shown = at.session_state[key]
                assert (tuple(shown) if isinstance(value, tuple) else shown) == value, (view.title, name)


def test_a_map_poster_uses_the_screens_bins_and_colours(kit, walk):
    """Detroit compared with itself: the poster's legend is the page's (cache.tract_scale over the study area)."""
    number, view = next((n, v) for n, v in enumerate(walk.views, start=1) if v.link.get("scale") == "within")
    figure = cache.kit_figure(view.page, view.link)
    study = cache.study_tracts("detroit")
    legend = scales.legend_table(study["household_income_p25"],
                                 cache.tract_scale("household_income_p25", "within", "detroit"))
    assert figure.legend.equals(legend)
    assert legend["range"].iloc[0].startswith("under $") and legend["tracts"].sum() == len(study)
    words = page_text(kit.pages[number])
    for label, count in zip(legend["range"], legend["tracts"]):
        assert f"{label} ({count} tracts)" in words
    fills = {area[1] for area in figure.areas}
    assert fills <= {tuple(int(c) for c in rgb) for rgb in (*legend["colour"].map(scales.hex_to_rgb),)}
    assert len(figure.areas) == len(study)


def test_the_county_map_poster_is_the_contiguous_us_in_the_pages_bins(walk):
    view = next(v for v in walk.views if v.page == "us-counties")
    figure = cache.kit_figure(view.page, view.link)
    from explorer.maps import county_map
    counties = cache.counties()
    legend = scales.legend_table(county_map.county_values(counties, "black")["value"],
                                 county_map.county_scale(counties, "black"))
    assert list(figure.legend["tracts"]) == list(legend["tracts"])
    assert figure.legend["range"].iloc[-1] == "no estimate for this group"
    lons = [point[0] for rings, _ in figure.areas for ring in rings for point in ring]
    assert -125 < min(lons) and max(lons) < -66  # no Alaska, Hawaii or Puerto Rico


def test_the_sheet_lists_the_stations_in_order_with_their_times(kit, walk):
    words = page_text(kit.pages[0])
    assert "Facilitator's sheet" in words and walk.title in words
    total = walk_kit.WELCOME_MINUTES + 6 * len(walk.views) + walk_kit.CLOSE_MINUTES
    assert f"{len(walk.views)} stations, 6 minutes at each: about {total} minutes" in words
    places = [words.index(f"{n} {walk_kit.schedule(len(walk.views), 6)[n][0]} {view.title}")
              for n, view in enumerate(walk.views, start=1)]
    assert places == sorted(places)
    assert "0:05 Nine cities, one question" in words  # after the 5-minute welcome
    assert "1:11 Whole room: what did we see? 1:21 End" in words  # 5 + 11 x 6 = 71, then 10 to close


def test_the_schedule_counts_welcome_rounds_and_close():
    assert walk_kit.schedule(3, 7) == [("0:00", "Welcome"), ("0:05", "Station 1"), ("0:12", "Station 2"),
                                       ("0:19", "Station 3"), ("0:26", "Whole room: what did we see?"),
                                       ("0:36", "End")]


def test_long_notes_are_cut_on_the_sheet_and_the_posters_never_show_notes():
    note = "Secret for the facilitator. " + "word " * (views.MAX_NOTE // 5 - 6)
    walk = views.ViewsFile("Long notes", tuple(views.View(f"View {n}", "pilot", note, {"city": "racine"}, ("Why?",))
                                               for n in range(1, 13)))
    reader = PdfReader(io.BytesIO(walk_kit.kit_pdf(walk, walk_kit.posters(walk, ROOT, cache))))
    assert len(reader.pages) == 13
    sheet = page_text(reader.pages[0])
    assert sheet.count("Secret for the facilitator") == 12 and sheet.count(" ...") == 12
    assert "12 stations" in sheet and "View 12" in sheet
    assert "Secret" not in page_text(reader.pages[1]) and "1. Why?" in page_text(reader.pages[1])


def test_a_walk_of_fifty_views_lists_every_station_over_as_many_sheet_pages_as_it_needs():
    walk = views.ViewsFile("Long walk", tuple(views.View(f"Station title {n}", "start", "A note.")
                                              for n in range(1, views.MAX_VIEWS + 1)))
    reader = PdfReader(io.BytesIO(walk_kit.kit_pdf(walk, walk_kit.posters(walk, ROOT, cache))))
    sheets = next(i for i, page in enumerate(reader.pages) if "Station 1 of 50" in page_text(page))
    assert 2 <= sheets <= 3 and len(reader.pages) == sheets + views.MAX_VIEWS
    listed = " ".join(page_text(page) for page in reader.pages[:sheets])
    assert all(f"Station title {n} " in listed + " " for n in range(1, 51)) and "1 station," not in listed


def test_text_from_a_views_file_is_printed_as_it_is():
    """Markup and symbols are drawn as characters; what Latin-1 cannot draw becomes '?', never an error."""
    title = "<b>Tulsa</b> & **north** [link](javascript:x) 漢"
    walk = views.ViewsFile(title, (views.View(title, "neighborhoods", "", {"city": "tulsa"}, ("<i>¿Qué ve?</i>",)),))
    reader = PdfReader(io.BytesIO(walk_kit.kit_pdf(walk, walk_kit.posters(walk, ROOT, cache))))
    words = page_text(reader.pages[1])
    assert "<b>Tulsa</b> & **north** [link](javascript:x) ?" in words and "1. <i>¿Qué ve?</i>" in words


def test_a_tract_gap_view_without_the_national_data_says_so(monkeypatch, tmp_path):
    from explorer.national import read
    monkeypatch.setenv(read.NATIONAL_DIR_ENV, str(tmp_path))
    walk = views.ViewsFile("Gaps", (views.View("Gaps by tract", "tract-gaps", "", {"city": "detroit"}),))
    reader = PdfReader(io.BytesIO(walk_kit.kit_pdf(walk, walk_kit.posters(walk, ROOT, cache))))
    assert "This map needs the national data" in page_text(reader.pages[1])
    assert qr_codes(reader.pages[1]) == [f"{ROOT}/tract-gaps"]


def test_a_tract_gap_view_with_the_national_data_draws_the_pages_gap_classes(monkeypatch, national_pack):
    from explorer.national import race_gaps, read
    monkeypatch.setenv(read.NATIONAL_DIR_ENV, str(national_pack))
    figure = cache.kit_figure("tract-gaps", {"county": "26163"})
    tracts, _, _ = cache.national_county_data("26163")
    gaps = race_gaps.race_gap(tracts, "kfr", "pooled", "25")
    assert figure.legend.equals(race_gaps.gap_legend(gaps, "kfr"))
    assert len(figure.areas) == len(gaps) > 0


def test_the_site_root_drops_the_page_from_the_address():
    assert links.site_root("https://h.org/walk/neighborhoods?city=tulsa", "neighborhoods") == "https://h.org/walk"
    assert links.site_root("https://h.org/", "start") == "https://h.org"
    assert links.site_root("http://127.0.0.1:8501/pilot", "pilot") == "http://127.0.0.1:8501"
    assert walk_kit.view_link("https://h.org", views.View("Home", "start")) == "https://h.org/"


def test_the_kit_is_offered_in_the_panel_and_built_only_when_clicked(monkeypatch):
    """A rerun draws the button without building the kit (a build that fails would show here if it ran)."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("the kit was built on a rerun")
    monkeypatch.setattr(walk_kit, "kit_pdf", refuse)
    at = open_page("pages/maps.py", city="tulsa")
    assert not at.exception
    labels = [button.proto.label for button in at.get("download_button")]
    assert "Data-walk kit (PDF)" in labels
    assert at.number_input(key="views_file_minutes").value == views.STATION_MINUTES


def test_prompts_in_the_example_ask_the_room_and_quote_no_numbers(walk):
    for view in walk.views:
        assert 2 <= len(view.prompts) <= 3, view.title
        for prompt in view.prompts:
            assert prompt.endswith("?") and not re.search(r"[0-9]", prompt), prompt
    assert any("you" in prompt.lower() for view in walk.views for prompt in view.prompts)


def test_the_kit_names_each_posters_city_in_its_headline(kit, walk):
    for view, page in zip(walk.views, kit.pages[1:]):
        if "city" in view.link:
            assert config.CITIES[view.link["city"]].label in page_text(page)
