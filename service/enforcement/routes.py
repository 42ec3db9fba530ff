"""Enforcement (执法): catalogue, cases and their steps, payments, rectification orders,
summons, the work queues, enforcement records, and the public list of decisions."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView

from service import db
from service.common.access import (
    ADMIN,
    INSPECTOR,
    LEGAL_REVIEWER,
    SUPERVISOR,
    caller,
    requires,
    scope,
)
from service.common.api import Blueprint, version_tag
from service.enforcement import (
    cases,
    catalogue,
    payments,
    publicity,
    queues,
    records,
    rectification,
    steps,
    summons,
)
from service.enforcement.catalogue import CatalogueFileSchema
from service.enforcement.measures import Policy
from service.enforcement.models import QUEUES
from service.enforcement.schemas import (
    MOVE_DESCRIPTION,
    CaseCreateSchema,
    CasePageSchema,
    CaseQueryArgsSchema,
    CaseSchema,
    CaseUpdateSchema,
    CatalogueQueryArgsSchema,
    CatalogueSchema,
    ClaimCreateSchema,
    ExtensionCreateSchema,
    PaymentCreateSchema,
    PaymentSchema,
    PublicationCreateSchema,
    PublicDecisionPageSchema,
    PublicDecisionQueryArgsSchema,
    QueueItemSchema,
    QueuePageSchema,
    QueueQueryArgsSchema,
    RecordSchema,
    RectificationCreateSchema,
    RectificationPageSchema,
    RectificationQueryArgsSchema,
    RectificationSchema,
    ReinspectionSchema,
    StepCreateSchema,
    SummonsCreateSchema,
    SummonsPageSchema,
    SummonsQueryArgsSchema,
    SummonsSchema,
)


class ConditionalBlueprint(Blueprint):
    """Steps are POSTs that change a case: they need If-Match too (428 without, 412 stale)."""

    METHODS_NEEDING_CHECK_ETAG = ["PUT", "PATCH", "DELETE", "POST"]


blp = ConditionalBlueprint("enforcement", __name__, url_prefix="/api/v1/enforcement",
                           description="Enforcement (执法) under the administrative-penalty "
                                       "procedure.")
public = Blueprint("public", __name__, url_prefix="/api/v1/public",
                   description="Public, read-only information (no login).")

OFFICERS = (INSPECTOR, SUPERVISOR)
CASE_WORKERS = (INSPECTOR, SUPERVISOR, LEGAL_REVIEWER)
QUEUE_WORKERS = (SUPERVISOR, LEGAL_REVIEWER)


def policy() -> Policy:
    return Policy.from_settings(current_app.config["SETTINGS"])


# --- catalogue ----------------------------------------------------------------------------

@blp.route("/catalogue")
class Catalogue(MethodView):
    @requires()
    @blp.arguments(CatalogueQueryArgsSchema, location="query")
    @blp.response(200, CatalogueSchema)
    def get(self, args):
        """The violation catalogue (违法行为目录, 裁量基准): current or a given version"""
        return catalogue.get_catalogue(db.session(), number=args["version"])

    @requires(ADMIN)
    @blp.arguments(CatalogueFileSchema)
    @blp.response(201, CatalogueSchema)
    @blp.alt_response(200, schema=CatalogueSchema, description="The same file again.")
    def post(self, data):
        """Load a catalogue file as the new version (all-or-nothing)

        Every bad entry is listed in one 422 and nothing changes. Cases keep the version
        they were decided under.
        """
        loaded = catalogue.load_catalogue(db.session(), raw=data, user_id=caller().id)
        return loaded.catalogue, 201 if loaded.created else 200


# --- cases --------------------------------------------------------------------------------

@blp.route("/cases")
class Cases(MethodView):
    @requires()
    @blp.arguments(CaseQueryArgsSchema, location="query")
    @blp.response(200, CasePageSchema)
    def get(self, args):
        """List cases (案件) of your jurisdiction"""
        return cases.list_cases(db.session(), scope=scope(), **args)

    @requires(*OFFICERS)
    @blp.arguments(CaseCreateSchema, example={
        "source": "inspection", "finding_ids": ["6f1c2a4e-8d3b-4c1a-9e2f-5b7d8c9a0e11"],
        "title": "未执行实名收寄制度",
        "party_kind": "organisation"})
    @blp.response(201, CaseSchema)
    @blp.alt_response(200, schema=CaseSchema, description="The same id again.")
    def post(self, data):
        """Open a case as a lead (线索): from findings, a complaint or a transfer

        Findings of on-site inspections need the rule of two (`enforcement_ready`).
        """
        case, created = cases.open_case(db.session(), scope=scope(), user=caller(), data=data)
        return case, 201 if created else 200


@blp.route("/cases/<uuid:case_id>")
class CaseItem(MethodView):
    @requires()
    @blp.etag
    @blp.response(200, CaseSchema)
    def get(self, case_id):
        """A case with its steps (全过程记录), payments and balance"""
        case = cases.get_case(db.session(), scope=scope(), case_id=case_id)
        blp.set_etag(version_tag(case))
        return case

    @requires(SUPERVISOR)
    @blp.etag
    @blp.arguments(CaseUpdateSchema)
    @blp.response(200, CaseSchema)
    def patch(self, data, case_id):
        """Change a case's title, party or assigned officer (needs If-Match)"""
        case = cases.get_case(db.session(), scope=scope(), case_id=case_id)
        blp.check_etag(version_tag(case))
        case = cases.update_case(db.session(), scope=scope(), case=case, data=data)
        blp.set_etag(version_tag(case))
        return case


@blp.route("/cases/<uuid:case_id>/moves/<move>")
class CaseMove(MethodView):
    @requires(*CASE_WORKERS)
    @blp.etag
    @blp.arguments(StepCreateSchema)
    @blp.response(200, CaseSchema)
    def post(self, data, case_id, move):
        """Make a step of the procedure (needs If-Match)

        The procedure's table decides: a move not allowed from the case's state is a 409
        naming the allowed ones; a role not allowed to make it is a 403.
        """
        case = cases.get_case(db.session(), scope=scope(), case_id=case_id)
        blp.check_etag(version_tag(case))
        case = steps.move_case(db.session(), scope=scope(), user=caller(), case=case,
                               move=move, data=data, policy=policy())
        blp.set_etag(version_tag(case))
        return case


CaseMove.post.__doc__ += "\n" + MOVE_DESCRIPTION


@blp.route("/cases/<uuid:case_id>/extensions")
class CaseExtensions(MethodView):
    @requires(SUPERVISOR)
    @blp.etag
    @blp.arguments(ExtensionCreateSchema,
                   example={"days": 30, "reason": "案情复杂，经负责人批准延期"})
    @blp.response(200, CaseSchema)
    def post(self, data, case_id):
        """Extend the 90-day decision deadline, with a reason (needs If-Match)"""
        case = cases.get_case(db.session(), scope=scope(), case_id=case_id)
        blp.check_etag(version_tag(case))
        case = cases.extend_deadline(db.session(), scope=scope(), user=caller(), case=case,
                                     **data)
        blp.set_etag(version_tag(case))
        return case


@blp.route("/cases/<uuid:case_id>/payments")
class CasePayments(MethodView):
    @requires(*OFFICERS)
    @blp.arguments(PaymentCreateSchema)
    @blp.response(201, PaymentSchema)
    def post(self, data, case_id):
        """Record a payment of the fine (and surcharge); the same reference adds nothing"""
        return payments.record_payment(db.session(), scope=scope(), user=caller(),
                                       case_id=case_id, data=data)


@blp.route("/cases/<uuid:case_id>/publication")
class CasePublication(MethodView):
    @requires(SUPERVISOR)
    @blp.arguments(PublicationCreateSchema)
    @blp.response(200, CaseSchema)
    def post(self, data, case_id):
        """Record that the decision was published (公示)"""
        return publicity.publish_case(db.session(), scope=scope(), case_id=case_id,
                                      on=data["published_on"])


# --- rectification orders -----------------------------------------------------------------

@blp.route("/rectifications")
class Rectifications(MethodView):
    @requires()
    @blp.arguments(RectificationQueryArgsSchema, location="query")
    @blp.response(200, RectificationPageSchema)
    def get(self, args):
        """List rectification orders (责令整改) by due date"""
        return rectification.list_rectifications(db.session(), scope=scope(), **args)

    @requires(*OFFICERS)
    @blp.arguments(RectificationCreateSchema)
    @blp.response(201, RectificationSchema)
    def post(self, data):
        """Order a site to rectify findings by a date; creates its re-inspection task"""
        return rectification.issue_rectification(db.session(), scope=scope(), user=caller(),
                                                 data=data)


@blp.route("/rectifications/<uuid:rectification_id>")
class RectificationItem(MethodView):
    @requires()
    @blp.response(200, RectificationSchema)
    def get(self, rectification_id):
        """A rectification order"""
        return rectification.get_rectification(db.session(), scope=scope(),
                                               rectification_id=rectification_id)


@blp.route("/rectifications/<uuid:rectification_id>/reinspection")
class RectificationReinspection(MethodView):
    @requires(*OFFICERS)
    @blp.arguments(ReinspectionSchema)
    @blp.response(200, RectificationSchema)
    def post(self, data, rectification_id):
        """Record the re-inspection (复查): completes the order, or escalates it to a case"""
        return rectification.record_reinspection(db.session(), scope=scope(), user=caller(),
                                                 rectification_id=rectification_id, **data)


# --- summons --------------------------------------------------------------------------------

@blp.route("/summons")
class SummonsList(MethodView):
    @requires()
    @blp.arguments(SummonsQueryArgsSchema, location="query")
    @blp.response(200, SummonsPageSchema)
    def get(self, args):
        """List summons (约谈) of your jurisdiction"""
        return summons.list_summons(db.session(), scope=scope(), **args)

    @requires(SUPERVISOR)
    @blp.arguments(SummonsCreateSchema)
    @blp.response(201, SummonsSchema)
    def post(self, data):
        """Record a summons (约谈) of an enterprise, with its notice number"""
        return summons.record_summons(db.session(), scope=scope(), user=caller(), data=data)


# --- queues ---------------------------------------------------------------------------------

@blp.route("/queues/<any(" + ", ".join(QUEUES) + "):queue>")
class Queue(MethodView):
    @requires(*QUEUE_WORKERS)
    @blp.arguments(QueueQueryArgsSchema, location="query")
    @blp.response(200, QueuePageSchema)
    def get(self, args, queue):
        """A work queue of your jurisdiction, soonest due first

        Queues: filing_approval, legal_review, decision_deadline (due within the warning
        days), publication, rectification (overdue), payment (unpaid past the period),
        flagged_inspection.
        """
        filters = queues.Filters(region_code=args.pop("region_code"),
                                 assignee_id=args.pop("assignee_id"),
                                 item_type=args.pop("type"), claimed=args.pop("claimed"),
                                 claimed_by_id=args.pop("claimed_by_id"),
                                 campaign_id=args.pop("campaign_id"))
        return queues.list_queue(db.session(), scope=scope(), queue=queue, filters=filters,
                                 policy=policy(), **args)


@blp.route("/queues/<any(" + ", ".join(QUEUES) + "):queue>/<uuid:item_id>/claim")
class QueueClaim(MethodView):
    @requires(*QUEUE_WORKERS)
    @blp.arguments(ClaimCreateSchema)
    @blp.response(200, QueueItemSchema)
    def post(self, data, queue, item_id):
        """Claim an item: of two claims at once exactly one wins (the other: 409)"""
        return queues.claim(db.session(), scope=scope(), user=caller(), queue=queue,
                            item_id=item_id, minutes=data["minutes"] or policy().claim_minutes)

    @requires(*QUEUE_WORKERS)
    @blp.response(200, QueueItemSchema)
    def delete(self, queue, item_id):
        """Release your claim on an item"""
        return queues.release(db.session(), scope=scope(), user=caller(), queue=queue,
                              item_id=item_id)


# --- records --------------------------------------------------------------------------------

@blp.route("/records/enterprises/<uuid:enterprise_id>")
class EnterpriseRecord(MethodView):
    @requires()
    @blp.response(200, RecordSchema)
    def get(self, enterprise_id):
        """An enterprise's enforcement record: findings, cases, measures, payments, orders"""
        return records.enterprise_record(db.session(), scope=scope(),
                                         enterprise_id=enterprise_id)


@blp.route("/records/sites/<uuid:site_id>")
class SiteRecord(MethodView):
    @requires()
    @blp.response(200, RecordSchema)
    def get(self, site_id):
        """A site's enforcement record: findings, cases, measures, payments, orders"""
        return records.site_record(db.session(), scope=scope(), site_id=site_id)


# --- public -----------------------------------------------------------------------------------

@public.route("/decisions")
class PublicDecisions(MethodView):
    @public.arguments(PublicDecisionQueryArgsSchema, location="query")
    @public.response(200, PublicDecisionPageSchema)
    @public.doc(security=[])
    def get(self, args):
        """Published penalty decisions (行政处罚决定公示), no login; people's details masked"""
        return publicity.list_published(db.session(), **args)

