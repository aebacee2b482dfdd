"""Economic Mobility Explorer: the router.

Page config, the page registry, the shared sidebar (city picker, presentation mode, facilitator's
views, the link to this view) and one error boundary; the URL carries each page's state (explorer.links).
Each page is a thin script in pages/ that reads state, calls `explorer` and renders.
"""
from pathlib import Path

import streamlit as st

import ui

HERE = Path(__file__).parent

# The page registry: (file, title, icon, url_path). url_path differs from the file name on purpose.
PAGES = [
    ("pages/home.py", "Home", ":material/home:", "start"),
    ("pages/maps.py", "Neighborhood map", ":material/map:", "neighborhoods"),
    ("pages/county_map.py", "US county map", ":material/public:", "us-counties"),
    ("pages/gaps.py", "Race and class gaps", ":material/bar_chart:", "race-class-gaps"),
    ("pages/profile.py", "City pilot profile", ":material/location_city:", "pilot"),
    ("pages/compare.py", "Compare cities", ":material/compare_arrows:", "compare-cities"),
    ("pages/race_gap_map.py", "Race gap by tract", ":material/compare:", "tract-gaps"),
]

ui.keep_uploads_in_memory()  # a visitor's file is never written to disk, not even by the web server

# An emoji tab icon is drawn by the browser; a ":material/...:" one would be fetched from Google's font host.
st.set_page_config(page_title="Economic Mobility Explorer", page_icon="📈",
                   layout="wide", initial_sidebar_state="auto")

pages = {url_path: st.Page(HERE / file, title=title, icon=icon, url_path=url_path, default=(index == 0))
         for index, (file, title, icon, url_path) in enumerate(PAGES)}
navigation = st.navigation(list(pages.values()))
page_path = navigation.url_path or PAGES[0][3]  # the default page's url_path reads ""
page = Path(next(file for file, *_, url_path in PAGES if url_path == page_path)).stem  # as in explorer.links
share_slot = ui.before_page(page, page_path, pages)  # a newly opened link, city, presentation, views
ui.run_page(navigation)
ui.after_page(page, share_slot)  # the page's state into the URL and the "Share this view" link
