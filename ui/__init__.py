"""Shared Streamlit helpers for app.py and the pages, by job (the only UI code outside pages/; kept out
of `explorer/` so that the package stays testable without Streamlit):

- widgets: the city picker, error boundaries, resettable keys, tables with their CSV, legends, downloads
- own_data: a partner's own data, validated in memory and kept in the session only
- address: a page's state in the URL, restored from a link and kept in step; "Share this view"
- facilitator: presentation mode, stepping through a views file, the facilitator's panel
- language: the reader's language (link, browser, sidebar)
- router: before and after each page (app.py), and a page's partial reruns
- map_component: the app's own map (frontend/area_map)
- evidence: what studies elsewhere found about each kind of pilot (a strategy and its cards)

Pages call them as `ui.<name>`; the names below are that surface.
"""
from ui.widgets import (  # noqa: F401
    CITY_KEY,
    chart_context,
    chart_downloads,
    city_brief_download,
    colour_legend,
    fitted_text_columns,
    fitted_width,
    csv_download,
    current_city,
    keep_valid,
    renew_key,
    renewable_key,
    table_with_download,
)
from ui.language import LANG_KEY, speak  # noqa: F401
from ui.own_data import (  # noqa: F401
    OWN_DATA_LOST,
    own_data_legend,
    own_data_panel,
    own_data_uploader,
)
from ui.address import (  # noqa: F401
    VIEW_PARAMS_KEY,
    drop_linked,
    set_linked,
    linked,
    share_extra,
)
from ui.facilitator import (  # noqa: F401
    PRESENTATION_CSS,
    VIEWS_FILE_LOST,
    chart,
    how_to_read,
    presenting,
)
from ui.router import (  # noqa: F401
    after_page,
    before_page,
    partial,
    run_page,
)
from ui.map_component import (  # noqa: F401
    area_map,
)
from ui.evidence import (  # noqa: F401
    for_city as evidence_for_city,
    strategy as evidence_strategy,
)
