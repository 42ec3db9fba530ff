"""Logging in: tokens, lock-out after repeated failures, deactivation."""

import time
from datetime import timedelta

import pytest
from flask_jwt_extended import create_access_token

from service.auth.models import LoginThrottle
from service.auth.states import USER_STATES
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


@pytest.fixture
def recheck_seconds():
    """Set the workers' AUTH_RECHECK_SECONDS for one test: recheck_seconds(0.3)."""
    original = USER_STATES.ttl
    yield USER_STATES.configure
    USER_STATES.configure(original)


def test_a_deactivation_by_an_admin_stops_the_token_at_once(client, make, as_user):
    user = make.user()
    api = as_user(user)
    assert api.get("/api/v1/me").status_code == 200
    admin = as_user(make.user(role="admin"))
    assert admin.patch(f"/api/v1/users/{user.id}", json={"is_active": False},
                       headers={"If-Match": "*"}).status_code == 200
    assert api.get("/api/v1/me").status_code == 401
    assert login(client, user.username).status_code == 401


def test_a_deactivation_elsewhere_stops_the_token_within_the_recheck_time(
        client, make, as_user, db, recheck_seconds):
    recheck_seconds(0.3)
    user = make.user()
    api = as_user(user)
    assert api.get("/api/v1/sites").status_code == 200
    user.is_active = False  # as another worker (or a database console) would
    db.flush()
    assert api.get("/api/v1/sites").status_code == 200  # this worker's copy is still fresh
    time.sleep(0.35)
    response = api.get("/api/v1/sites")
    assert response.status_code == 401 and "deactivated" in response.json["message"]


def test_a_role_change_elsewhere_applies_within_the_recheck_time(make, as_user, db,
                                                                  recheck_seconds):
    recheck_seconds(0.3)
    user = make.user(role="admin")
    api = as_user(user)
    assert api.get("/api/v1/users").status_code == 200
    user.role = "inspector"
    db.flush()
    time.sleep(0.35)
    assert api.get("/api/v1/users").status_code == 403


def test_without_a_recheck_time_every_request_reads_the_user(make, as_user, db,
                                                             recheck_seconds):
    recheck_seconds(0)
    user = make.user()
    api = as_user(user)
    assert api.get("/api/v1/sites").status_code == 200
    user.is_active = False
    db.flush()
    assert api.get("/api/v1/sites").status_code == 401


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


def queries(seen) -> list[str]:
    """The statements a request sent, less the test harness' savepoint around it."""
    harness = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")
    return [s for s, _ in seen if not s.startswith(harness)]


def test_a_fresh_user_costs_no_authentication_query(make, as_user, sql_log,
                                                    recheck_seconds):
    recheck_seconds(30)
    api = as_user(make.user())
    with sql_log() as first:
        assert api.get("/api/v1/me").status_code == 200
    with sql_log() as again:
        assert api.get("/api/v1/me").status_code == 200
    assert len(queries(first)) == 2  # the user's state for this worker, then /me's own read
    assert len(queries(again)) == 1  # /me's own read only


def test_me_shows_a_change_made_through_the_api_at_once(make, as_user, recheck_seconds):
    recheck_seconds(30)
    user = make.user()
    api = as_user(user)
    before = api.get("/api/v1/me").json
    assert before["full_name"] == user.full_name and before["version"] == user.version
    admin = as_user(make.user(role="admin"))
    changed = admin.patch(f"/api/v1/users/{user.id}", json={"full_name": "王小明"},
                          headers={"If-Match": "*"})
    assert changed.status_code == 200, changed.json
    after = api.get("/api/v1/me").json
    assert after == changed.json  # the whole profile, as the admin API answers it


def test_a_token_accepted_before_is_refused_once_it_expires(app, client, make):
    user = make.user(role="inspector")
    with app.app_context():
        token = create_access_token(identity=str(user.id), expires_delta=timedelta(seconds=1))
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200  # now remembered
    time.sleep(1.1)
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401 and "expired" in response.json["message"]


def test_a_remembered_token_is_checked_as_flask_jwt_extended_checks_it(client, make):
    """A token seen before skips decoding (service.common.tokens.verify_access_token), not
    the rules: a refresh token used before is still no access token, a remembered access
    token is still no refresh token, and another spelling of the header still works."""
    tokens = login(client, make.user().username).json
    refresh = {"Authorization": f"Bearer {tokens['refresh_token']}"}
    access = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.post("/api/v1/auth/refresh", headers=refresh).status_code == 200
    assert client.get("/api/v1/me", headers=refresh).status_code == 401
    for _ in range(2):  # the second answer comes from what the first remembered
        assert client.get("/api/v1/me", headers=access).status_code == 200
    assert client.post("/api/v1/auth/refresh", headers=access).status_code == 401
    spaced = {"Authorization": f"  Bearer   {tokens['access_token']} "}
    assert client.get("/api/v1/me", headers=spaced).status_code == 200
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer"}).status_code == 401
