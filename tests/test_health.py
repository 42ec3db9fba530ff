from service.storage import ObjectStore


def test_healthz_answers_without_login(client):
    assert client.get("/healthz").json == {"status": "ok", "checks": {}}


def test_readyz_reports_database_and_storage_ok(client, connection):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"] == {"database": "ok", "object_storage": "ok"}


def test_readyz_names_object_storage_when_it_is_down(app, client, connection):
    original = app.extensions["object_store"]
    app.extensions["object_store"] = ObjectStore(
        endpoint_url="http://127.0.0.1:9", public_endpoint_url=None, access_key="k",
        secret_key="s", region="us-east-1", bucket="nope")
    try:
        response = client.get("/readyz")
    finally:
        app.extensions["object_store"] = original
    assert response.status_code == 503
    assert response.json["checks"]["database"] == "ok"
    assert response.json["checks"]["object_storage"] != "ok"


def test_nul_characters_are_named_not_a_server_error(make, as_user):
    api = as_user(make.user(role="admin"))
    response = api.post("/api/v1/users", json={
        "username": "nul_user", "password": "a-long-password", "full_name": "王\u0000芳",
        "role": "analyst", "region_code": "310113"})
    assert response.status_code == 422
    assert "full_name" in response.json["errors"]["json"]
    query = api.get("/api/v1/sites?q=%00")
    assert query.status_code == 422
