"""Economic Mobility Explorer: the router.

Page config, the page registry, the shared sidebar (city picker) and one error boundary.
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

st.set_page_config(page_title="Economic Mobility Explorer", page_icon=":material/trending_up:",
                   layout="wide", initial_sidebar_state="auto")

navigation = st.navigation([
    st.Page(HERE / file, title=title, icon=icon, url_path=url_path, default=(index == 0))
    for index, (file, title, icon, url_path) in enumerate(PAGES)
])
ui.city_picker()
ui.run_page(navigation)
