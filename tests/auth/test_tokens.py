"""Logging in: tokens, lock-out after repeated failures, deactivation."""

from datetime import timedelta

from flask_jwt_extended import create_access_token

from service.auth.models import LoginThrottle
from tests.factories import PASSWORD


def login(client, username, password=PASSWORD, address="127.0.0.1"):
    return client.post("/api/v1/auth/token", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_login_gives_tokens_that_open_the_api(client, make):
    user = make.user(role="inspector")
    response = login(client, user.username)
    assert response.status_code == 200
    body = response.json
    assert body["token_type"] == "Bearer" and body["user"]["role"] == "inspector"
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200 and me.json["username"] == user.username


def test_wrong_password_and_unknown_user_look_the_same(client, make):
    user = make.user()
    wrong = login(client, user.username, "wrong-password")
    unknown = login(client, "nobody-here", "wrong-password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json["message"] == unknown.json["message"]


def test_account_locks_after_repeated_failures_even_for_the_right_password(client, make, db):
    user = make.user()
    for _ in range(3):  # the test app allows 3
        assert login(client, user.username, "wrong-password").status_code == 401
    locked = login(client, user.username)
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 0
    throttle = db.get(LoginThrottle, (user.id, "127.0.0.1"))
    assert throttle.locked_until is not None


def test_a_stranger_who_knows_the_username_locks_out_only_their_own_address(client, make):
    user = make.user()
    for _ in range(6):  # the test app locks after 3
        login(client, user.username, "guess", address="203.0.113.9")
    assert login(client, user.username, address="203.0.113.9").status_code == 429
    owner = login(client, user.username, address="10.8.0.23")  # the owner's phone
    assert owner.status_code == 200, owner.json


def test_a_new_password_set_by_an_admin_lifts_the_lock(client, make, as_user):
    user = make.user()
    for _ in range(3):
        login(client, user.username, "wrong-password")
    admin = as_user(make.user(role="admin", region_code="310113"))
    url = f"/api/v1/users/{user.id}"
    etag = admin.get(url).headers["ETag"]
    changed = admin.patch(url, json={"password": "a-new-password-1"}, headers={"If-Match": etag})
    assert changed.status_code == 200, changed.json
    assert login(client, user.username, "a-new-password-1").status_code == 200


def test_a_success_resets_the_failure_count(client, make, db):
    user = make.user()
    login(client, user.username, "wrong-password")
    login(client, user.username, "wrong-password")
    assert login(client, user.username).status_code == 200
    assert login(client, user.username, "wrong-password").status_code == 401
    assert login(client, user.username).status_code == 200


def test_a_deactivated_users_token_stops_working_at_once(client, make, as_user, db):
    user = make.user()
    api = as_user(user)
    assert api.get("/api/v1/me").status_code == 200
    user.is_active = False
    db.flush()
    assert api.get("/api/v1/me").status_code == 401
    assert login(client, user.username).status_code == 401


def test_refresh_token_gets_a_new_access_token_but_is_not_one(client, make):
    tokens = login(client, make.user().username).json
    refresh = {"Authorization": f"Bearer {tokens['refresh_token']}"}
    assert client.get("/api/v1/me", headers=refresh).status_code == 401
    renewed = client.post("/api/v1/auth/refresh", headers=refresh)
    assert renewed.status_code == 200
    access = {"Authorization": f"Bearer {renewed.json['access_token']}"}
    assert client.get("/api/v1/me", headers=access).status_code == 200


def test_expired_and_forged_tokens_are_401(app, client, make):
    user = make.user()
    with app.app_context():
        expired = create_access_token(identity=str(user.id), expires_delta=timedelta(seconds=-1))
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401 and "expired" in response.json["message"]
    forged = client.get("/api/v1/me", headers={"Authorization": "Bearer abc.def.ghi"})
    assert forged.status_code == 401


def test_missing_fields_are_named(client):
    response = client.post("/api/v1/auth/token", json={"username": "x"})
    assert response.status_code == 422
    assert "password" in response.json["errors"]["json"]
