"""The pages, declared once in explorer.registry: every name used for a page elsewhere is one of them."""
from __future__ import annotations

from explorer import config, home_text, links, registry, views


def test_every_page_has_its_script_and_its_own_id_and_address():
    assert all((config.ROOT / page.file).is_file() for page in registry.PAGES)
    assert len(registry.BY_ID) == len({page.file for page in registry.PAGES}) == len(registry.PAGES) == 8
    assert registry.DEFAULT.id == "start" and registry.for_url_path("") == registry.DEFAULT
    assert registry.for_url_path("neighborhoods").file == "pages/maps.py" == registry.file_of("neighborhoods")
    assert all(page.url_path == page.id for page in registry.PAGES)


def test_link_fields_home_steps_and_the_data_walk_name_registered_pages_only():
    named = {page for field in links.FIELDS.values() for page in field.pages if page != "*"}
    named |= {page for field in links.FIELDS.values() for page in field.widget_keys}
    assert named <= set(registry.BY_ID), named - set(registry.BY_ID)
    assert set(home_text.NEXT_STEPS) <= set(registry.BY_ID)
    walk = views.load(pages=tuple(registry.BY_ID))
    assert {view.page for view in walk.views} <= set(registry.BY_ID)
    assert links.FIELDS["county"].pages == ("tract-gaps",) and registry.file_of("tract-gaps") == "pages/race_gap_map.py"


def test_only_the_national_page_leaves_the_menu_of_a_site_without_the_pack():
    hidden = [page.id for page in registry.PAGES if not registry.in_menu(page, has_national=False)]
    assert hidden == ["tract-gaps"]
    assert all(registry.in_menu(page, has_national=True) for page in registry.PAGES)
