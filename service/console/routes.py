"""The supervisors' console (监管工作台): HTML pages under /console, for people at desks.

Thin like every routes module: each view checks the role the API's own route requires
(the same role tuples), reads or changes through the features' logic functions scoped to the
caller's jurisdiction (another jurisdiction's object is a 404 page, as in the API), and
renders a template. Signing in gives a session cookie (HttpOnly, SameSite=Lax, Secure by
CONSOLE_COOKIE_SECURE) naming a server-side session (service.console.sessions) that signing
out ends; every form carries a CSRF token (Flask-WTF). The API's bearer
tokens are untouched: /api never reads this cookie.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from functools import wraps
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from flask_babel import Babel, gettext
from flask_wtf.csrf import CSRFError, CSRFProtect
from marshmallow import ValidationError

from service import db
from service.auth import logic as auth
from service.auth.routes import client_address
from service.auth.states import active_principal
from service.common.access import SUPERVISOR
from service.common.chinatime import CHINA, china_today
from service.common.errors import DomainError, PreconditionFailed
from service.common.regions import Jurisdiction
from service.common.request_context import bind_actor
from service.console import labels, logic, sessions
from service.db import utcnow
from service.enforcement import cases, publicity, queues, steps
from service.enforcement.models import QUEUES
from service.enforcement.routes import CASE_WORKERS, QUEUE_WORKERS, policy
from service.enforcement.schemas import StepCreateSchema
from service.evidence import logic as evidence
from service.exports import logic as exports
from service.exports.models import DONE, FAILED, FORMATS
from service.exports.routes import EXPORTERS
from service.exports.sources import KIND_LABELS, SITE_TYPE_LABELS
from service.inspections import lifecycle
from service.inspections.queries import get_inspection
from service.stats import reports
from service.stats.compute import targets_from
from service.stats.figures import MONEY_FIGURES
from service.stats.periods import parse
from service.stats.routes import READERS

HERE = Path(__file__).resolve().parent
#: the browser libraries, installed from npm by `make` (assets/package-lock.json)
ASSETS = HERE / "assets" / "node_modules"
VENDOR = {"htmx.min.js": "htmx.org/dist/htmx.min.js",
          "echarts.min.js": "echarts/dist/echarts.min.js"}
#: pages anyone may open: signing in, and the assets it needs
PUBLIC = {"console.login", "console.vendor", "console.static"}

blp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates",
                static_folder="static")
csrf = CSRFProtect()
babel = Babel()


def init_app(app) -> None:
    """Register the console: its session cookie, CSRF checks and catalogues (zh, en)."""
    settings = app.config["SETTINGS"]
    app.config.update(
        SESSION_COOKIE_NAME="console_session",
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.console_cookie_secure,
        SESSION_COOKIE_PATH="/console",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.console_session_hours),
        # only the console's forms are checked (its before_request); the API has no cookies
        WTF_CSRF_CHECK_DEFAULT=False, WTF_CSRF_TIME_LIMIT=None,
        BABEL_DEFAULT_LOCALE="zh", BABEL_TRANSLATION_DIRECTORIES=str(HERE / "translations"),
    )
    app.session_interface = ConsoleSessionInterface()
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_locale)
    app.register_blueprint(blp)


class ConsoleSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, opened only under the console's cookie path: browsers
    send the cookie nowhere else, so an API request gets an empty session at once instead
    of building the cookie's signer on every request."""

    def open_session(self, app, request):
        if not request.path.startswith(app.config["SESSION_COOKIE_PATH"]):
            return self.session_class()
        return super().open_session(app, request)


#: the console's catalogues (translations/<locale>); the first is the default
LOCALES = ("zh", "en")
#: what the page's <html lang> says for each
HTML_LANG = {"zh": "zh-CN", "en": "en"}


def _locale() -> str:
    """CONSOLE_LANGUAGE when set, else the browser's Accept-Language, else Chinese."""
    chosen = current_app.config["SETTINGS"].console_language
    if chosen:
        return chosen
    return request.accept_languages.best_match(LOCALES, default=LOCALES[0]) \
        if request else LOCALES[0]


@blp.app_template_global()
def console_locale() -> str:
    return HTML_LANG.get(_locale(), "zh-CN")


# --- who is signed in -----------------------------------------------------------------------

@blp.before_request
def _signed_in():
    g.console_user = g.console_session = None
    user_id = session.get("uid")
    if user_id:
        live = sessions.live(db.session(), session_id=session.get("sid"), user_id=user_id,
                             now=utcnow())
        principal = active_principal(db.session(), user_id) if live else None
        if principal is None:
            session.clear()  # signed out (or expired, or deactivated): the cookie is dead
        else:
            g.console_user, g.console_session = principal, live
            bind_actor(db.session(), principal)  # the audit trail's "who"
    if request.endpoint in PUBLIC:
        return None
    if g.console_user is None:
        if request.headers.get("HX-Request"):
            return "", 401, {"HX-Redirect": url_for(".login")}
        return redirect(url_for(".login", next=request.full_path))
    if request.method == "POST":
        csrf.protect()
    return None


def page(*roles: str):
    """A page for these roles (the API route's own), else a 403 page."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if roles and g.console_user.role not in roles:
                return _error_page(403, gettext("Your role may not open this page."))
            return view(*args, **kwargs)

        wrapper._required_roles = roles
        return wrapper

    return decorator


def _scope() -> Jurisdiction:
    return Jurisdiction(g.console_user.region_code, g.console_user.id)


def _caller():
    return g.console_user.row(db.session())


@blp.app_template_global()
def csrf_field() -> str:
    from flask_wtf.csrf import generate_csrf
    from markupsafe import Markup

    return Markup(f'<input type="hidden" name="csrf_token" value="{generate_csrf()}">')


@blp.app_template_global()
def tr(mapping: dict, code: str | None) -> str:
    """The translated label of a code (nothing for no code; the code itself if unknown)."""
    return gettext(mapping.get(code, code)) if code else ""


@blp.app_template_global()
def region_name(code: str | None) -> str:
    """A region's name (the code itself if there is no such region), once per request."""
    if not code:
        return ""
    known = g.setdefault("region_names", {})
    if code not in known:
        known.update(logic.region_names(db.session(), [code]) or {code: code})
    return known[code]


@blp.app_template_global()
def change_value(field: str, value) -> str:
    """An audit trail's value as people read it: codes by their label, regions by name,
    amounts in yuan, lists joined; nothing (—) for none."""
    if value is None or value == "" or value == []:
        return "—"
    if field in labels.REGION_FIELDS:
        return region_name(value)
    if field in labels.MONEY_FIELDS and isinstance(value, int):
        return gettext("%(amount)s yuan", amount=f"{value / 100:.2f}")
    mapping = labels.FIELD_VALUES.get(field)
    if isinstance(value, list):
        return "、".join(tr(mapping, v) if mapping else str(v) for v in value)
    return tr(mapping, value) if mapping and isinstance(value, str) else str(value)


#: fields the audit trail leaves out: ids, bookkeeping, and the evidence (the timeline shows it)
HIDDEN_FIELDS = ("id", "created_at", "updated_at", "version", "evidence")


@blp.app_template_global()
def audit_changes(changes: dict | None) -> list[str]:
    """An audit entry's changes as lines people read ("状态: 线索 → 已立案"): ids and
    bookkeeping left out, and on a creation the fields left empty."""
    lines = []
    for field, change in (changes or {}).items():
        if field in HIDDEN_FIELDS or field.endswith(("_id", "_ids")):
            continue
        name = tr(labels.FIELDS, field)
        if not isinstance(change, dict) or not ({"old", "new"} & change.keys()):
            lines.append(name)
            continue
        old, new = change.get("old"), change.get("new")
        if old in (None, "", []) and new in (None, "", []):
            continue
        shown = change_value(field, new)
        lines.append(f"{name}: {change_value(field, old)} → {shown}"
                     if old not in (None, "", []) else f"{name}: {shown}")
    return lines


@blp.app_template_filter("china")
def _china_time(moment, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A UTC moment as China wall-clock time."""
    return moment.astimezone(CHINA).strftime(fmt) if moment else ""


@blp.context_processor
def _common():
    return {"me": g.get("console_user"), "labels": labels, "today": china_today(),
            "urgency": logic.urgency, "site_types": SITE_TYPE_LABELS,
            "kind_labels": KIND_LABELS}


# --- errors ---------------------------------------------------------------------------------

def _error_page(status: int, message: str):
    if request.headers.get("HX-Request"):
        return render_template("partials/error.html", status=status, message=message), status
    return render_template("error.html", status=status, message=message), status


@blp.errorhandler(DomainError)
def _domain_error(error: DomainError):
    if error.keeps_changes:
        g.keep_changes = True  # e.g. a failed sign-in's count (service.db commits it)
    return _error_page(error.status, error.message)


@blp.errorhandler(CSRFError)
def _csrf_error(error):
    return _error_page(400, gettext("The form expired; reload the page and try again."))


@blp.errorhandler(404)
def _not_found(_error):
    return _error_page(404, gettext("There is no such page in your jurisdiction."))


# --- assets ---------------------------------------------------------------------------------

@blp.route("/vendor/<name>")
def vendor(name: str):
    """htmx and ECharts, served by the app (no CDN)."""
    if name not in VENDOR:
        abort(404)
    path = ASSETS / VENDOR[name]
    if not path.exists():
        abort(503, "The console's assets are not installed: run `make assets`.")
    return send_from_directory(path.parent, path.name, max_age=86400)


# --- signing in and out ---------------------------------------------------------------------

@blp.route("/login", methods=["GET", "POST"])
def login():
    """The sign-in form; a success starts a session and goes where the user was going."""
    target = request.values.get("next") or url_for(".home")
    if not target.startswith("/console") or target.startswith("//"):
        target = url_for(".home")
    if request.method == "GET":
        return render_template("login.html", next=target)
    csrf.protect()
    settings = current_app.config["SETTINGS"]
    try:
        user = auth.authenticate(db.session(), username=request.form.get("username", ""),
                                 password=request.form.get("password", ""),
                                 client_address=client_address(),
                                 max_failures=settings.login_max_failures,
                                 lock_minutes=settings.login_lock_minutes)
    except DomainError as error:
        g.keep_changes = error.keeps_changes
        return render_template("login.html", next=target, error=error.message,
                               username=request.form.get("username", "")), error.status
    live = sessions.start(db.session(), user_id=user.id,
                          hours=settings.console_session_hours, now=utcnow())
    session.clear()
    session.permanent = True
    session["uid"], session["sid"] = str(user.id), str(live.id)
    return redirect(target)


@blp.route("/logout", methods=["POST"])
def logout():
    """Sign out: the session is ended server-side, so a copy of the cookie is dead too."""
    sessions.end(db.session(), row=g.console_session, now=utcnow())
    session.clear()
    flash(gettext("You have signed out."))
    return redirect(url_for(".login"))


@blp.route("/")
@page()
def home():
    """Each role's first page: queues for supervisors and reviewers, else coverage."""
    if g.console_user.role in QUEUE_WORKERS:
        return redirect(url_for(".queue_page", queue=QUEUES[0]))
    if g.console_user.role in READERS:
        return redirect(url_for(".coverage"))
    return render_template("home.html")


# --- queues ---------------------------------------------------------------------------------

def _queue_filters() -> queues.Filters:
    claimed = {"yes": True, "no": False}.get(request.args.get("claimed", ""))
    mine = request.args.get("mine") == "1"
    return queues.Filters(region_code=request.args.get("region_code") or None,
                          assignee_id=None, item_type=None, claimed=claimed,
                          claimed_by_id=g.console_user.id if mine else None)


@blp.route("/queues/<any(" + ", ".join(QUEUES) + "):queue>")
@page(*QUEUE_WORKERS)
def queue_page(queue: str):
    """A queue of the jurisdiction, soonest due first, a page at a time."""
    dbs, scope = db.session(), _scope()
    filters = _queue_filters()
    if filters.region_code:
        from service.regions.logic import require_region_in_scope

        require_region_in_scope(dbs, scope=scope, code=filters.region_code)
    found = queues.list_queue(dbs, scope=scope, queue=queue, filters=filters, policy=policy(),
                              limit=logic.QUEUE_PAGE, cursor=request.args.get("cursor"))
    return render_template(
        "queues.html", queue=queue, items=found.items, next_cursor=found.next_cursor,
        args=request.args, counts=logic.queue_counts(dbs, scope=scope, policy=policy()),
        districts=logic.districts(dbs, scope=scope), **_row_context(queue, found.items))


def _row_context(queue: str, items) -> dict:
    """What the rows show besides the items: who claimed them, the one-click step."""
    dbs = db.session()
    quick = logic.QUICK_MOVES.get(queue)
    if quick and quick[1] != g.console_user.role:
        quick = None
    return {"who": logic.names(dbs, [item.claimed_by_id for item in items]),
            "regions": logic.region_names(dbs, [item.region_code for item in items]),
            "quick": quick[0] if quick else None,
            "versions": logic.case_versions(dbs, scope=_scope(),
                                            ids=[item.item_id for item in items])
            if quick else {},
            "can_publish": queue == "publication" and g.console_user.role == SUPERVISOR}


@blp.route("/queues/<any(" + ", ".join(QUEUES) + "):queue>/<uuid:item_id>/claim",
           methods=["POST"])
@page(*QUEUE_WORKERS)
def claim(queue: str, item_id: uuid.UUID):
    """Claim an item (of two at once, one wins; the other sees who holds it)."""
    item = queues.claim(db.session(), scope=_scope(), user=_caller(), queue=queue,
                        item_id=item_id, minutes=policy().claim_minutes)
    return _queue_row(queue, item)


@blp.route("/queues/<any(" + ", ".join(QUEUES) + "):queue>/<uuid:item_id>/release",
           methods=["POST"])
@page(*QUEUE_WORKERS)
def release(queue: str, item_id: uuid.UUID):
    item = queues.release(db.session(), scope=_scope(), user=_caller(), queue=queue,
                          item_id=item_id)
    return _queue_row(queue, item)


def _queue_row(queue: str, item):
    if not request.headers.get("HX-Request"):
        return redirect(url_for(".queue_page", queue=queue))
    return render_template("partials/queue_row.html", queue=queue, item=item,
                           **_row_context(queue, [item]))


# --- cases ----------------------------------------------------------------------------------

@blp.route("/cases/<uuid:case_id>")
@page()
def case_page(case_id: uuid.UUID, *, status: int = 200, errors: dict | None = None,
              open_move: str | None = None):
    """A case: its state, timeline, documents and the moves the caller may make."""
    dbs, scope = db.session(), _scope()
    case = cases.get_case(dbs, scope=scope, case_id=case_id)
    moves = logic.allowed_moves(case, g.console_user.role) \
        if g.console_user.role in CASE_WORKERS else []
    violations = logic.violations(dbs)
    return render_template(
        "case.html", case=case, moves=moves, documents=logic.case_documents(dbs, case=case),
        timeline=logic.case_timeline(dbs, scope=scope, case=case),
        violations=violations, titles={v.code: v.title for v in violations},
        errors=errors or {}, open_move=open_move,
        form=request.form if errors else {},
        band=logic.band(dbs, violation_code=case.violation_code or "",
                        circumstance=case.circumstance or "")), status


def _step_data(form) -> dict:
    """The move's form as the API's body, checked by the API's own schema."""
    raw: dict = {}
    for name in ("on", "reason", "violation_code", "circumstance", "suspension_from",
                 "suspension_until", "police_agency"):
        if form.get(name):
            raw[name] = form[name].strip()
    if form.getlist("measures"):
        raw["measures"] = form.getlist("measures")
    for name in ("fine", "confiscation"):
        if form.get(f"{name}_yuan"):
            try:
                raw[f"{name}_fen"] = round(float(form[f"{name}_yuan"]) * 100)
            except ValueError:
                raise ValidationError(
                    {f"{name}_yuan": [gettext("Enter an amount in yuan.")]}) from None
    if form.get("hearing_waived"):
        raw["hearing_waived"] = True
    return StepCreateSchema().load(raw)


@blp.route("/cases/<uuid:case_id>/moves/<move>", methods=["POST"])
@page(*CASE_WORKERS)
def move(case_id: uuid.UUID, move: str):
    """Make one step of the procedure from the case page (the version guards against a
    change made meanwhile, as If-Match does in the API)."""
    dbs, scope = db.session(), _scope()
    case = cases.get_case(dbs, scope=scope, case_id=case_id)
    try:
        if request.form.get("version") != str(case.version):
            raise PreconditionFailed(gettext("The case changed meanwhile; look at it again."))
        data = _step_data(request.form)
        steps.move_case(dbs, scope=scope, user=_caller(), case=case, move=move, data=data,
                        policy=policy())
    except ValidationError as error:
        dbs.rollback()
        return case_page(case_id, status=422, errors=error.messages, open_move=move)
    except DomainError as error:
        dbs.rollback()
        field = error.field or "move"
        return case_page(case_id, status=error.status, errors={field: [error.message]},
                         open_move=move)
    flash(gettext("Done: %(move)s.", move=gettext(labels.MOVES.get(move, move))))
    return redirect(_back_or(url_for(".case_page", case_id=case_id)))


def _back_or(default: str) -> str:
    """Back to the queue the step was made from, else `default`."""
    back = request.form.get("back") or ""
    return back if back.startswith("/console/queues/") else default


@blp.route("/cases/<uuid:case_id>/publication", methods=["POST"])
@page(SUPERVISOR)
def publish(case_id: uuid.UUID):
    """Record that the decision was published (公示) today: the publication queue's step."""
    publicity.publish_case(db.session(), scope=_scope(), case_id=case_id)
    flash(gettext("Recorded as published."))
    return redirect(_back_or(url_for(".case_page", case_id=case_id)))


@blp.route("/catalogue/band")
@page()
def band():
    """The fine band of the chosen violation and circumstance, before a fine is entered."""
    found = logic.band(db.session(), violation_code=request.args.get("violation_code", ""),
                       circumstance=request.args.get("circumstance", ""))
    return render_template("partials/band.html", band=found)


# --- inspections ----------------------------------------------------------------------------

@blp.route("/inspections/<uuid:inspection_id>")
@page()
def inspection_page(inspection_id: uuid.UUID, *, status: int = 200, error: str | None = None):
    """An inspection: answers, score, findings, location against the site, photos, flags."""
    dbs, scope = db.session(), _scope()
    inspection = get_inspection(dbs, scope=scope, inspection_id=inspection_id)
    store, settings = current_app.extensions["object_store"], current_app.config["SETTINGS"]
    photos = evidence.list_photos(dbs, scope=scope, inspection_id=inspection.id, status=None,
                                  has_anomaly=None, limit=60, cursor=None).items
    thumbnails = {}
    for photo in photos:
        if photo.thumbnail_key:
            thumbnails[photo.id] = evidence.thumbnail_url(dbs, store, scope=scope,
                                                          settings=settings,
                                                          photo_id=photo.id)["url"]
    view = logic.inspection_view(dbs, inspection=inspection)
    return render_template("inspection.html", inspection=inspection, photos=photos,
                           thumbnails=thumbnails, error=error,
                           can_review=g.console_user.role == SUPERVISOR, **view), status


@blp.route("/inspections/<uuid:inspection_id>/review", methods=["POST"])
@page(SUPERVISOR)
def review(inspection_id: uuid.UUID):
    """Accept or reject a flagged inspection, with a note."""
    decision = request.form.get("decision", "")
    note = (request.form.get("note") or "").strip()
    dbs = db.session()
    try:
        if decision not in lifecycle.DECISIONS:
            raise DomainError(gettext("Choose accept or reject."), field="decision")
        if not note:
            raise DomainError(gettext("Write a note for the review."), field="note")
        lifecycle.review_inspection(dbs, scope=_scope(), user=_caller(),
                                    inspection_id=inspection_id, decision=decision, note=note)
    except DomainError as error:
        dbs.rollback()
        if error.status == 404:
            raise
        return inspection_page(inspection_id, status=error.status, error=error.message)
    flash(gettext("The review is recorded."))
    return redirect(url_for(".inspection_page", inspection_id=inspection_id))


# --- coverage -------------------------------------------------------------------------------

def _month(name: str = "month"):
    key = request.args.get(name) or china_today().strftime("%Y-%m")
    period = parse(key)
    if period is None or period.kind != "month":
        raise DomainError(gettext("Choose a month as YYYY-MM."), field=name,
                          location="query")
    return period


@blp.route("/coverage")
@page(*READERS)
def coverage():
    """Each rate by district for a month against its target, a 12-month trend and a map."""
    dbs, scope = db.session(), _scope()
    month = _month()
    region_code = request.args.get("region_code") or None
    report = reports.coverage_report(dbs, scope=scope, period=month, region_code=region_code,
                                     rate=None, site_type=None,
                                     targets=targets_from(current_app.config["SETTINGS"]))
    return render_template(
        "coverage.html", report=report, rows=logic.coverage_table(report), month=month,
        trend=logic.trend(dbs, scope=scope, month=month, region_code=region_code),
        rates=logic.RATES, districts=logic.districts(dbs, scope=scope),
        region_code=region_code or report["region"].code,
        tile_url=current_app.config["SETTINGS"].console_tile_url,
        tile_attribution=current_app.config["SETTINGS"].console_tile_attribution)


@blp.route("/coverage/sites.json")
@page(*READERS)
def coverage_sites():
    """The map's points: the region's active sites (capped) and its district labels."""
    found = logic.site_map(db.session(), scope=_scope(),
                           region_code=request.args.get("region_code") or None,
                           period=_month())
    return jsonify(found)


# --- statistics and exports -----------------------------------------------------------------

@blp.route("/statistics")
@page(*READERS)
def statistics():
    """The monthly statistics with the region's subtotal, and the exports."""
    dbs, scope = db.session(), _scope()
    month = _month()
    region_code = request.args.get("region_code") or None
    report = reports.monthly_report(dbs, scope=scope, month=month, region_code=region_code)
    jobs = []
    if g.console_user.role in EXPORTERS:
        jobs = exports.list_jobs(dbs, scope=scope, limit=500, cursor=None).items[-10:][::-1]
    return render_template("statistics.html", report=report, month=month, jobs=jobs,
                           districts=logic.districts(dbs, scope=scope),
                           region_code=region_code or report["region"].code,
                           sources=MONTHLY_EXPORTS, formats=FORMATS,
                           money_figures=MONEY_FIGURES,
                           can_export=g.console_user.role in EXPORTERS)


#: what the statistics page exports for its month and region: kind -> the parameter naming
#: the period (a plan's results are exported from the API, by plan)
MONTHLY_EXPORTS = {"monthly_statistics": "month", "coverage": "period",
                   "inspections": "period", "cases": "period"}


@blp.route("/exports", methods=["POST"])
@page(*EXPORTERS)
def start_export():
    """Start an export job; the page then follows its progress."""
    settings = current_app.config["SETTINGS"]
    kind = request.form.get("kind", "")
    if kind not in MONTHLY_EXPORTS:
        raise DomainError(gettext("Choose what to export."), field="kind")
    fmt = request.form.get("format", "xlsx")
    if fmt not in FORMATS:
        raise DomainError(gettext("Choose XLSX or CSV."), field="format")
    data = {"kind": kind, "format": fmt, "region_code": request.form.get("region_code") or None,
            MONTHLY_EXPORTS[kind]: request.form.get("month") or None}
    job = exports.request_export(db.session(), scope=_scope(), user=_caller(), data=data,
                                 keep_hours=settings.export_keep_hours, now=utcnow())
    if request.headers.get("HX-Request"):
        return render_template("partials/export_job.html", job=job,
                               percent=exports.percent(job), done=DONE, failed=FAILED)
    return redirect(url_for(".statistics"))


@blp.route("/exports/<uuid:job_id>")
@page(*EXPORTERS)
def export_job(job_id: uuid.UUID):
    """A job's progress (polled by the page until it is done or failed)."""
    job = exports.get_job(db.session(), scope=_scope(), job_id=job_id)
    return render_template("partials/export_job.html", job=job, percent=exports.percent(job),
                           done=DONE, failed=FAILED)


@blp.route("/exports/<uuid:job_id>/download")
@page(*EXPORTERS)
def export_download(job_id: uuid.UUID):
    """The finished file, through a short-lived link to object storage."""
    job = exports.get_job(db.session(), scope=_scope(), job_id=job_id)
    url = exports.download_url(job, current_app.extensions["object_store"],
                               expires_in=current_app.config["SETTINGS"].export_link_seconds)
    if url is None:
        return _error_page(409, gettext("The file is not ready (or has expired)."))
    return redirect(url)
