"""Health check, OpenAPI document and the browsable docs page."""

import re

import pytest

from tests.conftest import build_app
from tests.factories_planning import make_place


def test_health_reports_ok_with_version(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "version": "0.1.0"}


def test_health_is_503_when_the_database_is_unreachable(tmp_path):
    app = build_app(f"sqlite:///{tmp_path}/missing-dir/nope.sqlite3", str(tmp_path))
    response = app.test_client().get("/api/v1/health")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_openapi_document_is_generated_from_the_real_schemas(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/auth/login", "/api/v1/enterprises", "/api/v1/engagements"} <= set(
        spec["paths"]
    )
    enterprise = spec["components"]["schemas"]["Enterprise"]["properties"]
    assert {"uscc", "region_code", "industries", "size_class"} <= set(enterprise)
    login = spec["paths"]["/api/v1/auth/login"]["post"]
    assert login["security"] == []
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_docs_page_is_served_without_external_assets(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "安巡 API 文档" in html
    assert "/api/v1/openapi.json" in html
    assert "https://" not in html


def test_the_pwa_is_served_at_the_root_on_the_same_port(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "安巡" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-cache"
    assert client.get("/api/v1/nothing-here").content_type == "application/problem+json"


@pytest.mark.parametrize("path", ["/", "/desk/", "/public/major-hazards", "/api/v1/health"])
def test_every_page_and_answer_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


PAGES = ["/", "/desk/", "/public/major-hazards", "/public/spot-checks", "/api/v1/docs"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_scripts_from_files_only_and_the_policy_forbids_inline_ones(client, path):
    response = client.get(path)
    assert response.status_code == 200
    script_src = next(
        part.strip()
        for part in response.headers["Content-Security-Policy"].split(";")
        if part.strip().startswith("script-src")
    )
    assert script_src == "script-src 'self'"
    tags = re.findall(r"<script\b[^>]*>(.*?)</script>", response.get_data(as_text=True), re.S)
    assert tags and all(body.strip() == "" for body in tags)
    for src in re.findall(r'<script\b[^>]*\bsrc="([^"]+)"', response.get_data(as_text=True)):
        script = client.get(src)
        assert script.status_code == 200, src
        assert "javascript" in script.content_type


def test_signed_in_api_answers_and_documents_are_never_stored(client, db, login_as, world):
    officer = login_as("officer-hc")
    hc = world["enterprise"]["hc"]
    make_place(hc)
    db.session.commit()
    for path in ("/api/v1/me", f"/api/v1/enterprises/{hc}/places/labels.pdf"):
        response = client.get(path, headers=officer)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
    refused = client.get("/api/v1/enterprises/999999/places", headers=officer)
    assert refused.status_code == 404
    assert refused.headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/api/v1/health").headers.get("Cache-Control", "")


def test_hsts_only_over_tls(client):
    secure = client.get("/api/v1/health", base_url="https://anxun.example.cn")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in client.get("/api/v1/health").headers


def test_the_app_names_no_server_software(client):
    assert "Server" not in client.get("/").headers
    assert "Server" not in client.get("/api/v1/health").headers
