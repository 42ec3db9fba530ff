"""The API docs load from the app itself, with no request to the internet."""

from __future__ import annotations

import re


def _asset_urls(page: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', page)


def test_swagger_ui_and_its_assets_load_from_the_app(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    urls = _asset_urls(page.get_data(as_text=True))
    assert {"/api/docs/assets/swagger-ui/swagger-ui-bundle.js",
            "/api/docs/assets/swagger-ui/swagger-ui.css"} <= set(urls)
    assert not [url for url in urls if "://" in url or url.startswith("//")]
    for url in urls:
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.data) > 1000


def test_redoc_and_its_script_load_from_the_app(client):
    page = client.get("/api/redoc")
    assert page.status_code == 200
    urls = _asset_urls(page.get_data(as_text=True))
    assert urls == ["/api/docs/assets/redoc/redoc.standalone.js"]
    script = client.get(urls[0])
    assert script.status_code == 200 and b"Redoc" in script.data[:2_000_000]


def test_an_unknown_asset_is_a_404(client):
    assert client.get("/api/docs/assets/swagger-ui/../../../etc/passwd").status_code == 404
    assert client.get("/api/docs/assets/swagger-ui/no-such.js").status_code == 404
