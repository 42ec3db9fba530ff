"""Every error answers in one shape: code, status, a readable message, and errors naming
the fields at fault; werkzeug's and flask-smorest's own errors included."""

from __future__ import annotations

import uuid

from service.auth.models import ADMIN


def _assert_shape(answer, status: int, *, fields_at_fault: bool = False):
    body = answer.json
    assert answer.status_code == status, body
    assert answer.mimetype == "application/json"
    assert body["code"] == status
    assert isinstance(body["status"], str) and body["status"]
    assert isinstance(body["message"], str) and len(body["message"]) > 10
    assert set(body) <= {"code", "status", "message", "errors"}
    if fields_at_fault:
        assert body["errors"], body
    return body


def test_every_kind_of_error_has_the_one_shape(client, as_user, make, db):
    admin_user = make.user(role=ADMIN, region_code="310113")
    admin = as_user(admin_user)
    user_url = f"/api/v1/users/{admin_user.id}"
    etag = admin.get(user_url).headers["ETag"]
    cases = [
        # (what, answer, status, names fields)
        ("unknown URL", client.get("/api/v1/no-such-thing"), 404, False),
        ("malformed id in the path", admin.get("/api/v1/users/not-a-uuid"), 404, False),
        ("unknown id", admin.get(f"/api/v1/users/{uuid.uuid4()}"), 404, False),
        ("method not allowed", client.delete("/api/v1/auth/token"), 405, False),
        ("no If-Match", admin.patch(user_url, json={"full_name": "王芳"}), 428, False),
        ("stale If-Match", admin.patch(user_url, json={"full_name": "王芳"},
                                       headers={"If-Match": '"stale"'}), 412, False),
        ("broken JSON", client.post("/api/v1/auth/token", data="{", content_type=
                                    "application/json"), 400, True),
        ("invalid field", client.post("/api/v1/auth/token", json={"username": ""}), 422,
         True),
        ("unknown field", admin.patch(user_url, json={"nmae": "x"}, headers={"If-Match": etag}),
         422, True),
        ("no token", client.get("/api/v1/me"), 401, False),
        ("wrong password", client.post("/api/v1/auth/token",
                                       json={"username": "nobody", "password": "x"}), 401,
         False),
        ("too large", client.post("/api/v1/auth/token", data="x" * (2**20 + 1),
                                  content_type="application/json"), 413, False),
        ("forbidden role", as_user(make.user(role="analyst", region_code="310113")).get(
            "/api/v1/users"), 403, False),
    ]
    for what, answer, status, names_fields in cases:
        try:
            _assert_shape(answer, status, fields_at_fault=names_fields)
        except (AssertionError, KeyError, TypeError) as exc:
            raise AssertionError(f"{what}: {answer.status_code} {answer.data[:300]!r}") from exc


def test_a_422_message_names_the_fields(client):
    body = client.post("/api/v1/auth/token", json={"username": "", "pasword": "x"}).json
    assert body["errors"]["json"].keys() == {"username", "password", "pasword"}
    for field in ("json.username", "json.password", "json.pasword"):
        assert field in body["message"]


def test_405_carries_allow(client):
    answer = client.delete("/api/v1/auth/token")
    assert answer.status_code == 405
    assert set(answer.headers["Allow"].replace(" ", "").split(",")) >= {"POST", "OPTIONS"}


def test_an_unexpected_failure_is_a_500_in_the_shape_without_internals(engine, object_store):
    from service.app import create_app
    from service.config import Settings

    app = create_app(Settings(database_url=str(engine.url), secret_key="s" * 40),
                     DB_ENGINE=engine, OBJECT_STORE=object_store)

    def boom():
        raise RuntimeError("secret internals")

    app.add_url_rule("/boom", view_func=boom)
    answer = app.test_client().get("/boom")
    _assert_shape(answer, 500)
    assert "secret" not in answer.get_data(as_text=True)


def test_a_multipart_part_without_a_name_is_a_422_not_a_500(as_user, make):
    """Found by the fuzzer: a part whose header breaks off has no name (None), which the
    JSON answer could not sort beside the named fields."""
    admin = as_user(make.user(role=ADMIN, region_code="310113"))
    body = b'--XX\r\nContent-Disposition: form-data; name="\n"\r\n\r\nnull\r\n--XX--\r\n'
    answer = admin.post("/api/v1/enterprises/import", data=body,
                        headers={"Content-Type": "multipart/form-data; boundary=XX"})
    _assert_shape(answer, 422, fields_at_fault=True)
    assert set(answer.json["errors"]["files"]) == {"(unnamed)", "file"}
