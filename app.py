"""Economic Mobility Explorer: the router.

Page config, the pages (from explorer.registry), the shared sidebar (city picker, presentation mode, facilitator's
views, the link to this view) and one error boundary; the URL carries each page's state (explorer.links).
Each page is a thin script in pages/ that reads state, calls `explorer` and renders.
"""
from pathlib import Path

import streamlit as st

import serve
import ui
from explorer import registry
from explorer.i18n import _
from explorer.data import cache

HERE = Path(__file__).parent

serve.prepare()  # start-up settings (uploads kept in memory, no old pages/ mode) if `streamlit run` started us

# An emoji tab icon is drawn by the browser; a ":material/...:" one would be fetched from Google's font host.
ui.speak()  # the session's language (the link's, the browser's or English), before any word is drawn
st.set_page_config(page_title=_("Economic Mobility Explorer"), page_icon="📈",
                   layout="wide", initial_sidebar_state="auto")

national = cache.has_national_pack()  # without it, its page leaves the menu but its links still open
navigation = st.navigation([st.Page(HERE / p.file, title=_(p.title), icon=p.icon, url_path=p.url_path,
                                    default=(p == registry.DEFAULT),
                                    visibility="visible" if registry.in_menu(p, national) else "hidden")
                            for p in registry.PAGES])
page = registry.for_url_path(navigation.url_path).id  # the default page's url_path reads ""
share_slot = ui.before_page(page)  # a newly opened link, city, presentation, views
ui.run_page(navigation)
ui.after_page(page, share_slot)  # the page's state into the URL and the "Share this view" link
