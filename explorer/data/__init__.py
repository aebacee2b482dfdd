"""The data tier: the build from data/raw (build, geometry), the processed tables (store) and the app's
cached layer over them (cache, the only module here that calls Streamlit)."""
