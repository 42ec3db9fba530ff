"""The application factory."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from service import db
from service.apidocs import routes as apidocs
from service.common import bodies, request_context
from service.common.api import Api
from service.common.errors import register_error_handlers
from service.config import Settings
from service.storage import ObjectStore

API_DESCRIPTION = """\
邮政行业监督检查与执法 (postal industry supervision, inspection and enforcement).

Backend of the postal administrations (邮政管理局) for inspecting the postal and express
industry and enforcing its rules: the site registry (名录库), field inspections from phones,
enforcement cases and the figures bureaus report.

Log in with `POST /api/v1/auth/token` and send the access token as `Authorization: Bearer …`.
Everything you read or change is limited to your administration's region subtree; objects
outside it answer 404. Coordinates carry a `crs` (`wgs84`, `gcj02`, `bd09`) and are returned
as WGS-84. Lists page with `limit` and `cursor` (answer: `next_cursor`). Updates need the
`If-Match` header with the resource's `ETag`. Errors share one shape:
`{code, status, message, errors}`, where `errors` names each bad field.
"""
#: paths are absolute (/api/v1/…): the first server is wherever the document was fetched from
API_SERVERS = [
    {"url": "/", "description": "The host that serves this document."},
    {"url": "http://127.0.0.1:8000", "description": "The embedded default (make run)."},
]


def _blueprints():
    import service.models  # noqa: F401  (every table known before the first query)
    from service.assignments.routes import blp as tasks
    from service.audit.routes import blp as audit
    from service.auth.routes import blp as auth
    from service.campaigns.routes import blp as campaigns
    from service.checklists.routes import blp as checklists
    from service.enforcement.routes import blp as enforcement
    from service.enforcement.routes import public
    from service.evaluations.routes import blp as evaluations
    from service.evidence.routes import blp as evidence
    from service.exports.routes import blp as exports
    from service.health.routes import blp as health
    from service.inspections.routes import blp as inspections
    from service.matters.routes import blp as matters
    from service.plans.routes import blp as plans
    from service.regions.routes import blp as regions
    from service.registry.routes import blp as registry
    from service.selfchecks.routes import blp as selfchecks
    from service.stats.routes import blp as stats
    from service.sync.routes import blp as sync

    _wire_features()
    return [health, auth, regions, registry, checklists, inspections, evidence, tasks, sync,
            matters, plans, campaigns, selfchecks, evaluations, enforcement, public, audit,
            stats, exports]


def _wire_features() -> None:
    """Hand a feature what a feature built on it provides (it cannot import that one)."""
    from service.assignments.reach import lent_sites
    from service.registry.sites import lend_sites_by

    lend_sites_by(lent_sites)  # 县区互查: an open task lends its site to its assignees


def create_app(settings: Settings | None = None, **config_overrides) -> Flask:
    """Build the app; `config_overrides` lets tests bind an engine or session factory."""
    settings = settings or Settings()
    settings.check()
    app = Flask("service")
    app.config.update(
        SETTINGS=settings,
        SECRET_KEY=settings.secret_key,
        SQLALCHEMY_DATABASE_URI=settings.database_url,
        JWT_SECRET_KEY=settings.secret_key,
        JWT_ACCESS_TOKEN_EXPIRES=timedelta(minutes=settings.access_token_minutes),
        JWT_REFRESH_TOKEN_EXPIRES=timedelta(days=settings.refresh_token_days),
        # ASCII: generators derive package and type names from the title
        API_TITLE="Postal inspection and enforcement API",
        API_VERSION="1.0",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="/docs",
        OPENAPI_SWAGGER_UI_URL=apidocs.SWAGGER_UI_URL,
        OPENAPI_REDOC_PATH="/redoc",
        OPENAPI_REDOC_URL=apidocs.REDOC_URL,
        API_SPEC_OPTIONS={
            "info": {"description": API_DESCRIPTION, "x-title-zh": "邮政行业监督检查与执法",
                     "license": {"name": "Proprietary"}},
            "servers": API_SERVERS,
        },
        JSON_SORT_KEYS=False,
    )
    app.json.ensure_ascii = False
    # Flask 3 reads key order from the provider, not JSON_SORT_KEYS: answers keep the
    # schemas' field order, and a page of sites is not sorted key by key (a third of its
    # encoding)
    app.json.sort_keys = False
    if settings.trusted_proxy_count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxy_count)
    app.config.update(config_overrides)

    request_context.init_app(app)  # before db: see its docstring
    db.init_app(app)
    bodies.init_app(app)
    api = Api(app)
    _init_jwt(app)
    register_error_handlers(app)
    app.extensions["object_store"] = config_overrides.get(
        "OBJECT_STORE"
    ) or ObjectStore.from_settings(settings)
    for blueprint in _blueprints():
        api.register_blueprint(blueprint)
    app.register_blueprint(apidocs.blp)
    from service.console.routes import init_app as init_console

    init_console(app)  # HTML pages under /console: not part of the API or its spec
    return app


def _init_jwt(app: Flask) -> None:
    from service.auth.states import USER_STATES, active_principal
    from service.common.tokens import TokenManager

    USER_STATES.configure(app.config["SETTINGS"].auth_recheck_seconds)
    jwt = TokenManager(app)

    def unauthorized(message: str):
        return {"code": 401, "status": "Unauthorized", "message": message}, 401

    # db.session itself: the request's session is made only when the user's state is read
    jwt.user_lookup_loader(lambda _header, data: active_principal(db.session, data["sub"]))
    jwt.user_lookup_error_loader(
        lambda _h, _d: unauthorized("The token's user no longer exists or is deactivated.")
    )
    jwt.unauthorized_loader(
        lambda reason: unauthorized(f"Log in first (Authorization: Bearer …): {reason}")
    )
    jwt.invalid_token_loader(lambda reason: unauthorized(f"Invalid token: {reason}"))
    jwt.expired_token_loader(
        lambda _h, _d: unauthorized("The token has expired; refresh it or log in again.")
    )
