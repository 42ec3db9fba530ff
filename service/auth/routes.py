"""Tokens (JWT) for users, and the admins' management of users."""

from __future__ import annotations

import uuid

from flask import current_app, request
from flask.views import MethodView
from flask_jwt_extended import create_access_token, create_refresh_token, jwt_required

from service import db
from service.auth import logic
from service.auth.schemas import (
    AccessTokenSchema,
    TokenRequestSchema,
    TokenSchema,
    UserCreateSchema,
    UserPageSchema,
    UserQueryArgsSchema,
    UserSchema,
    UserUpdateSchema,
)
from service.common.access import (
    ADMIN,
    SUPERVISOR,
    caller,
    caller_profile,
    principal,
    requires,
    scope,
)
from service.common.api import Blueprint, version_tag

blp = Blueprint("auth", __name__, url_prefix="/api/v1",
                description="Log in, and manage the users of your administration.")


def _access_token_for(user_id) -> dict:
    settings = current_app.config["SETTINGS"]
    return {
        "access_token": create_access_token(identity=str(user_id)),
        "token_type": "Bearer",
        "expires_in": settings.access_token_minutes * 60,
    }


def client_address() -> str:
    """The caller's address (werkzeug's ProxyFix rewrites it behind TRUSTED_PROXY_COUNT
    proxies), what login lock-outs are keyed by besides the username."""
    return (request.remote_addr or "unknown")[:64]


@blp.route("/auth/token")
class Token(MethodView):
    @blp.arguments(TokenRequestSchema,
                   example={"username": "bs_inspector1", "password": "inspect-2026"})
    @blp.response(200, TokenSchema)
    @blp.alt_response(401, description="Wrong username or password.")
    @blp.alt_response(429, description="Locked after repeated failures; see Retry-After.")
    @blp.doc(security=[])
    @blp.operation_id("logIn")
    def post(self, data):
        """Log in: exchange a username and password for access and refresh tokens

        After `LOGIN_MAX_FAILURES` wrong passwords in a row from one client address the
        account is locked for that address for `LOGIN_LOCK_MINUTES` (429 with Retry-After),
        even for the right password; other addresses still log in.
        """
        settings = current_app.config["SETTINGS"]
        user = logic.authenticate(db.session(), **data, client_address=client_address(),
                                  max_failures=settings.login_max_failures,
                                  lock_minutes=settings.login_lock_minutes)
        return {**_access_token_for(user.id),
                "refresh_token": create_refresh_token(identity=str(user.id)), "user": user}


@blp.route("/auth/refresh")
class Refresh(MethodView):
    @jwt_required(refresh=True)
    @blp.response(200, AccessTokenSchema)
    @blp.operation_id("refreshToken")
    def post(self):
        """Get a new access token with a refresh token (sent as the Bearer token)"""
        return _access_token_for(principal().id)


@blp.route("/me")
class Me(MethodView):
    @requires()
    @blp.response(200, UserSchema)
    @blp.operation_id("getMe")
    def get(self):
        """Who am I: the logged-in user, role and jurisdiction"""
        # the row itself, not the worker's cached state: a change made on another worker
        # (a new name, a new version for If-Match) shows at once
        return caller_profile()


@blp.route("/users")
class Users(MethodView):
    @requires(ADMIN, SUPERVISOR)
    @blp.arguments(UserQueryArgsSchema, location="query")
    @blp.response(200, UserPageSchema)
    @blp.operation_id("listUsers")
    def get(self, args):
        """List users of your jurisdiction"""
        args.setdefault("role", None)
        args.setdefault("region_code", None)
        args.setdefault("is_active", None)
        return logic.list_users(db.session(), scope=scope(), **args)

    @requires(ADMIN)
    @blp.arguments(UserCreateSchema, example={
        "username": "bs_inspector3", "password": "change-me-2026", "full_name": "李娜",
        "role": "inspector", "region_code": "310113", "certificate_number": "31011300777",
        "certificate_valid_from": "2026-01-01", "certificate_valid_until": "2028-12-31"})
    @blp.response(201, UserSchema)
    @blp.operation_id("createUser")
    def post(self, data):
        """Create a user in your jurisdiction"""
        return logic.create_user(db.session(), scope=scope(), data=data)


@blp.route("/users/<uuid:user_id>")
class UserItem(MethodView):
    @requires(ADMIN, SUPERVISOR)
    @blp.etag
    @blp.response(200, UserSchema)
    @blp.operation_id("getUser")
    def get(self, user_id: uuid.UUID):
        """Read a user"""
        user = logic.get_user(db.session(), scope=scope(), user_id=user_id)
        blp.set_etag(version_tag(user))
        return user

    @requires(ADMIN)
    @blp.etag
    @blp.arguments(UserUpdateSchema, example={"is_active": False})
    @blp.response(200, UserSchema)
    @blp.operation_id("updateUser")
    def patch(self, data, user_id: uuid.UUID):
        """Change a user: role, jurisdiction, certificate, password, or deactivate (If-Match)"""
        session = db.session()
        user = logic.get_user(session, scope=scope(), user_id=user_id)
        blp.check_etag(version_tag(user))
        user = logic.update_user(session, scope=scope(), user=user, data=data,
                                 actor_id=caller().id)
        blp.set_etag(version_tag(user))
        return user
