"""Facilitator's views files: the shipped data walk, validation of uploads, and the TOML round trip."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer import config, links, plain, registry, views

GOOD = """title = "Walk"

[[view]]
title = "Tulsa map"
note = "Point at the north side."
page = "neighborhoods"
[view.link]
city = "tulsa"
basemap = true
tracts = ["40143000100"]
"""


@pytest.fixture(scope="module")
def walk() -> views.ViewsFile:
    return views.load()


def test_the_data_walk_is_a_fifteen_minute_sequence(walk):
    assert walk.title
    assert 8 <= len(walk.views) <= 12
    assert all(view.title and len(view.note) > 40 for view in walk.views)


def test_the_data_walk_visits_all_nine_cities(walk):
    visited = {view.link["city"] for view in walk.views if "city" in view.link}
    visited |= {c for view in walk.views for c in view.link.get("cities", ())}
    assert visited == set(config.CITIES)


def test_the_data_walk_notes_state_no_numbers(walk):
    """The app shows the numbers, computed from the data; a note that quoted one could go stale or wrong."""
    for view in walk.views:
        assert not re.search(r"[0-9]", view.title + view.note), view.title


def _registered_url_paths() -> set[str]:
    return set(registry.BY_ID)


def test_the_data_walk_opens_pages_the_app_has(walk):
    paths = _registered_url_paths()
    wanted = {view.page for view in walk.views}
    if len(paths) < len(wanted):
        pytest.skip(f"the walk's pages are not all registered in app.py yet ({sorted(wanted - paths)})")
    assert wanted <= paths, f"rename the walk's pages or the app's: {sorted(wanted - paths)}"


def test_the_data_walk_round_trips_through_toml(walk):
    assert views.parse(views.dumps(walk)) == walk


def test_prompts_are_read_in_order_and_written_back():
    content = GOOD.replace('note =', 'prompts = ["Does this match \\"your\\" street?", "Who lives here?"]\nnote =')
    view = views.parse(content).views[0]
    assert view.prompts == ('Does this match "your" street?', "Who lives here?")
    assert views.parse(views.dumps(views.parse(content))) == views.parse(content)
    assert views.parse(GOOD).views[0].prompts == ()


def test_a_view_gives_its_query_params():
    view = views.parse(GOOD).views[0]
    assert view.link == {"city": "tulsa", "basemap": True, "tracts": ("40143000100",)}
    assert view.query_params() == {"city": "tulsa", "basemap": "1", "tracts": "40143000100"}


@pytest.mark.parametrize("content, problem", [
    (b"\xff\xfe" + GOOD.encode("utf-16-le"), "The file is not UTF-8 text"),
    (b"#" * (views.MAX_BYTES + 1), "larger than 64 KB"),
    ("title = \n", "The file is not valid TOML: Invalid value (at line 1, column 9)"),
    ('title = "Walk"\n', "The file has no views"),
    ('title = "Walk"\nauthor = "me"\n' + GOOD.split("\n", 1)[1], "Unknown setting 'author' at the top"),
    (GOOD.replace('title = "Walk"', 'title = ""'), "The file's title must be non-empty text."),
    (GOOD.replace('note =', 'notes ='), "View 1: unknown setting 'notes' (expected: title, note, prompts, page, link)."),
    (GOOD.replace('city = "tulsa"', 'city = "gotham"'), "View 1: Ignored city=gotham (must be one of:"),
    (GOOD.replace('basemap = true', 'pctile = 500'), "View 1: Ignored pctile=500 (must be 1-100)."),
    (GOOD.replace('basemap = true', 'colour = "red"'), "View 1: Ignored unknown setting colour."),
    (GOOD.replace('basemap = true', 'pctile = 2.5'), "View 1: link setting 'pctile' must be text"),
    (GOOD.replace('basemap = true', 'view = 2'), "View 1: link cannot set 'view'"),
    (GOOD.replace('page = "neighborhoods"', 'page = "../etc"'), "View 1: page must be a page's address"),
    (GOOD.replace('page = "neighborhoods"', ''), "View 1: page must be a page's address"),
    (GOOD.replace('title = "Tulsa map"', 'title = 3'), "View 1: the title must be non-empty text."),
    (GOOD.replace('Point at', 'x' * 1501), "View 1: the note is longer than 1500 characters."),
    ('title = "Walk"\n' + "\n".join(['[[view]]\ntitle = "x"\npage = "gaps"'] * 51), "51 views; at most 50"),
    (GOOD.replace('note =', 'prompts = "Why?"\nnote ='), "View 1: prompts must be a list of questions"),
    (GOOD.replace('note =', 'prompts = ["a", "b", "c", "d", "e", "f"]\nnote ='), "View 1 has 6 prompts; at most 5"),
    (GOOD.replace('note =', 'prompts = ["Why?", 3]\nnote ='), "View 1: prompt 2 must be non-empty text."),
    (GOOD.replace('note =', 'prompts = ["  "]\nnote ='), "View 1: prompt 1 must be non-empty text."),
    (GOOD.replace('note =', 'prompts = ["Why?\\nHow?"]\nnote ='), "View 1: prompt 1 must be one line."),
    (GOOD.replace('note =', f'prompts = ["{"x" * 201}"]\nnote ='), "View 1: prompt 1 is longer than 200 characters."),
])
def test_bad_files_are_refused_with_a_clear_message(content, problem):
    with pytest.raises(views.ViewsFileError) as error:
        views.parse(content)
    assert any(p.startswith(problem) or problem in p for p in error.value.problems), error.value.problems


def test_every_problem_is_reported_at_once():
    bad = GOOD.replace('city = "tulsa"', 'city = "gotham"').replace('note =', 'notes =')
    with pytest.raises(views.ViewsFileError) as error:
        views.parse(bad)
    assert len(error.value.problems) == 2


def test_pages_are_checked_against_the_apps_pages_when_given():
    assert views.parse(GOOD, pages={"neighborhoods"}).views[0].page == "neighborhoods"
    with pytest.raises(views.ViewsFileError, match="there is no page 'neighborhoods'"):
        views.parse(GOOD, pages={"start", "gaps"})


# ---- properties ----

TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=60).filter(str.strip)
LINKS = st.fixed_dictionaries({}, optional={
    "city": st.sampled_from(list(config.CITIES)), "pctile": st.integers(1, 100), "basemap": st.booleans(),
    "cities": st.lists(st.sampled_from(list(config.CITIES)), min_size=2, max_size=9, unique=True).map(tuple),
    "tracts": st.lists(st.from_regex(r"[0-9]{11}", fullmatch=True), max_size=3, unique=True).map(tuple),
})
VIEW = st.builds(views.View, title=TEXT.filter(lambda t: "\n" not in t), page=st.from_regex(r"[a-z][a-z-]{0,12}",
                 fullmatch=True), note=st.one_of(st.just(""), TEXT), link=LINKS,
                 prompts=st.lists(TEXT.filter(lambda t: "\n" not in t and "\r" not in t and t == t.strip()),
                                  max_size=3).map(tuple))
FILES = st.builds(views.ViewsFile, title=TEXT, views=st.lists(VIEW, min_size=1, max_size=4).map(tuple))


@settings(max_examples=150, deadline=None)
@given(FILES)
def test_property_dumps_then_parse_is_identity(views_file):
    assert views.parse(views.dumps(views_file)) == views_file


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300),
                 st.dictionaries(st.sampled_from(["title", "page", "note", "city", "pctile", "x"]),
                                 st.text(max_size=20), max_size=4)
                 .map(lambda d: GOOD + "".join(f"{k} = {views._toml_string(v)}\n" for k, v in d.items()))))
def test_property_arbitrary_uploads_fail_only_with_a_views_file_error(content):
    try:
        result = views.parse(content)
    except views.ViewsFileError as error:
        assert error.problems and all(isinstance(p, str) for p in error.problems)
    else:
        assert all(links.encode(v.link) is not None for v in result.views)


def _nested(depth: int, kind: str) -> str:
    """A TOML value nested `depth` deep: lists [[[...]]] or inline tables {a={a=...}}."""
    return "[" * depth + "1" + "]" * depth if kind == "list" else "{a=" * depth + "1" + "}" * depth


@pytest.mark.parametrize("kind", ["list", "table"])
@pytest.mark.parametrize("where", ["top", "link"])
def test_a_deeply_nested_file_is_refused_in_words_not_a_crash(kind, where):
    """A 1-2 KB file nested 600 deep made tomllib raise RecursionError inside the upload callback."""
    value = _nested(600, kind)
    content = (f"x = {value}\n" + GOOD) if where == "top" else GOOD + f"pctile = {value}\n"  # in [view.link]
    assert len(content.encode()) < 4000
    with pytest.raises(views.ViewsFileError) as refused:
        views.parse(content.encode())
    assert refused.value.problems == ["The file nests lists or tables too deeply to read; a views file needs "
                                      "at most a view's [view.link] inside a [[view]]."]


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 3000), st.sampled_from(["list", "table"]), st.integers(1, 60_000),
       st.sampled_from(["title", "note", "page", "key"]))
def test_property_nesting_and_long_tokens_fail_only_with_a_views_file_error(depth, kind, length, field):
    """Deep nesting anywhere, and very long titles, notes, page names and keys (up to the size limit)."""
    long = "w" * length
    content = GOOD + (f"x = {_nested(depth, kind)}\n" if depth > 1 else
                      (f'{long} = 1\n' if field == "key" else f'{field} = "{long}"\n'))
    try:
        views.parse(content.encode())
    except views.ViewsFileError as error:
        assert error.problems and all(isinstance(p, str) and len(p) < 400 for p in error.problems)


@pytest.mark.parametrize("number, expected", [(1, (None, 2)), (2, (1, 3)), (11, (10, None)), (99, (10, None))])
def test_neighbours(walk, number, expected):
    assert len(walk.views) == 11
    assert views.neighbours(walk, number) == expected


def test_step_params_open_the_view_in_presentation_mode():
    walk = views.parse(GOOD)
    assert views.step_params(walk, 1) == {"city": "tulsa", "basemap": "1", "tracts": "40143000100",
                                          "present": "1", "view": "1"}
    assert links.decode(views.step_params(walk, 1))[0]["view"] == 1


def test_presentation_css_is_static_hides_controls_and_keeps_the_stepper():
    import ui
    css = ui.PRESENTATION_CSS
    for hidden in ('[data-testid="stSidebar"]', '[data-testid="stHeader"]', '[class*="st-key-controls"]'):
        assert hidden in css
    assert "view_stepper" not in css and "present_exit" not in css
    # offline and safe: nothing fetched, nothing executed
    for forbidden in ("url(", "@import", "<script", "http", "{0", "{}"):
        assert forbidden not in css


def test_with_view_appends_a_checked_view():
    walk = views.parse(GOOD)
    added = views.with_view(walk, views.View("Gaps at the median", "race-class-gaps", "", {"pctile": 50}))
    assert [v.title for v in added.views] == ["Tulsa map", "Gaps at the median"]
    with pytest.raises(views.ViewsFileError, match="title must be non-empty"):
        views.with_view(walk, views.View("", "race-class-gaps"))
    full = views.ViewsFile("Full", tuple([walk.views[0]] * views.MAX_VIEWS))
    with pytest.raises(views.ViewsFileError, match="already has 50 views"):
        views.with_view(full, walk.views[0])


def test_a_deeply_nested_upload_keeps_the_app_and_says_why():
    """Through the sidebar's uploader: the problem is shown, the sidebar and the page stay."""
    from harness.apptest import app_test
    at = app_test().run()
    deep = (f"x = {_nested(600, 'list')}\n" + GOOD).encode()
    at.file_uploader(key="views_file_upload").upload("walk.toml", deep, "application/toml").run()
    assert not at.exception
    assert [plain.as_read(e.value) for e in at.sidebar.error] == [
        "The file nests lists or tables too deeply to read; a views file needs at most a view's "
        "[view.link] inside a [[view]]."]
    assert at.selectbox(key="city").value == config.DEFAULT_CITY and at.title
