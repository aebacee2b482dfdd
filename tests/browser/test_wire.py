"""What crosses the wire: the app's WebSocket is compressed, as `make run` starts the server.

A map view is mostly repetitive JSON (the US county map is about 1 MB of it); with permessage-deflate it
crosses a venue's Wi-Fi as about a fifth of that (bench/wire.py measures the bytes per view).
"""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_the_app_server_offers_websocket_compression(server):
    from websockets.sync.client import connect  # the sync client: Playwright's loop runs in this thread

    def agreed_extensions(compression: str | None) -> str:
        with connect("ws" + server.base_url[4:] + "/_stcore/stream", subprotocols=["streamlit"],
                     compression=compression, open_timeout=30) as socket:
            return socket.response.headers.get("Sec-WebSocket-Extensions", "")

    assert "permessage-deflate" in agreed_extensions("deflate")
    assert agreed_extensions(None) == ""  # a client without the extension gets plain frames
