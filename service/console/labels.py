"""What the console calls each code: English message ids, shown through the Chinese
catalogue (translations/zh). `N_` only marks a string for extraction (pybabel, see the
Makefile's `console-messages`); the templates translate it with `_()` when they render."""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a message for the catalogue without translating it here."""
    return message


ROLES = {
    "inspector": N_("Inspector"), "supervisor": N_("Supervisor"),
    "legal_reviewer": N_("Legal reviewer"), "analyst": N_("Statistician"),
    "admin": N_("Administrator"),
}

QUEUES = {
    "filing_approval": N_("Filing approval"), "legal_review": N_("Legal review"),
    "decision_deadline": N_("Decision deadline"), "publication": N_("Publication"),
    "rectification": N_("Overdue rectification"), "payment": N_("Unpaid fines"),
    "flagged_inspection": N_("Flagged inspections"),
}

CASE_STATUSES = {
    "lead": N_("Lead"), "filed": N_("Filed"), "investigation": N_("Investigation"),
    "notice": N_("Prior notice"), "hearing": N_("Hearing requested"), "heard": N_("Heard"),
    "legal_review": N_("In legal review"), "reviewed": N_("Reviewed"),
    "decided": N_("Decided"), "executing": N_("Executing"), "closed": N_("Closed"),
    "dismissed": N_("Dismissed"), "transferred": N_("Transferred to police"),
}

MOVES = {
    "open": N_("Opened"), "approve_filing": N_("Approve filing"),
    "investigate": N_("Start investigation"), "give_notice": N_("Give prior notice"),
    "request_hearing": N_("Record a hearing request"), "hold_hearing": N_("Hold hearing"),
    "request_legal_review": N_("Send to legal review"), "approve_review": N_("Approve review"),
    "return_review": N_("Return for more investigation"), "decide": N_("Decide"),
    "decide_on_spot": N_("Decide on the spot"), "serve": N_("Serve the decision"),
    "close": N_("Close the case"), "transfer_to_police": N_("Transfer to police"),
    "dismiss": N_("Dismiss"), "extend": N_("Extend the deadline"),
}

#: moves whose form asks for the penalty (violation, circumstance, measures, amounts)
PENALTY_MOVES = ("decide", "decide_on_spot", "give_notice")

CIRCUMSTANCES = {"minor": N_("Minor"), "ordinary": N_("Ordinary"), "serious": N_("Serious")}

MEASURES = {
    "warning": N_("Warning"), "fine": N_("Fine"), "confiscation": N_("Confiscation"),
    "suspension": N_("Suspension"), "revocation": N_("Revocation"),
    "rectification": N_("Order to rectify"),
}

PROCEDURES = {"ordinary": N_("Ordinary procedure"), "summary": N_("Summary procedure")}

ANSWERS = {"pass": N_("Pass"), "fail": N_("Fail"), "not_applicable": N_("Not applicable")}

INSPECTION_STATUSES = {"draft": N_("Draft"), "completed": N_("Completed"),
                       "voided": N_("Voided")}

REVIEW_STATUSES = {"none": N_("Not flagged"), "pending": N_("Awaiting review"),
                   "accepted": N_("Accepted"), "rejected": N_("Rejected")}

EXPORT_STATUSES = {"queued": N_("Queued"), "running": N_("Running"), "done": N_("Done"),
                   "failed": N_("Failed"), "expired": N_("Expired")}

EXPORT_KINDS = {"monthly_statistics": N_("Monthly statistics"),
                "coverage": N_("Coverage rates"), "inspections": N_("Inspection list"),
                "cases": N_("Case list")}

AUDIT_ACTIONS = {"create": N_("created"), "update": N_("changed"), "delete": N_("deleted")}

URGENCY = {"overdue": N_("Overdue"), "soon": N_("Due soon"), "later": N_("On time")}

DOCUMENTS = {
    "filing": N_("Filing approval form"), "notice": N_("Prior notice of penalty"),
    "decision": N_("Penalty decision"), "summary": N_("On-the-spot penalty decision"),
    "rectification": N_("Order to rectify"), "transfer": N_("Transfer to police"),
    "summons": N_("Summons notice"), "dismissal": N_("Decision not to penalise"),
}

#: what an audit entry is about (its object type)
OBJECTS = {
    "case": N_("Case"), "case_step": N_("Step"), "document": N_("Document"),
    "queue_item": N_("Queue item"), "payment": N_("Payment"), "suspension": N_("Suspension"),
    "enforcement_case_findings": N_("Cited finding"),
}

PHOTO_STATUSES = {"pending": N_("Uploading"), "complete": N_("Uploaded"),
                  "rejected": N_("Rejected"), "abandoned": N_("Abandoned")}

#: the audit trail's field names (a field not listed is shown by its name)
FIELDS = {
    "status": N_("Status"), "from_status": N_("From"), "to_status": N_("To"),
    "move": N_("Step"), "on": N_("Date"), "reason": N_("Reason"), "seq": N_("Sequence"),
    "kind": N_("Kind"), "number": N_("Number"), "year": N_("Year"),
    "issued_on": N_("Issued on"), "bureau_code": N_("Bureau"), "region_code": N_("District"),
    "filed_on": N_("Filed on"), "decision_due_on": N_("Decision due"),
    "document_number": N_("Document number"), "decision_number": N_("Decision number"),
    "violation_code": N_("Violation"), "circumstance": N_("Circumstance"),
    "measures": N_("Measures"), "fine_fen": N_("Fine"), "confiscation_fen": N_("Confiscation"),
    "procedure": N_("Procedure"), "party_name": N_("Party"), "title": N_("Title"),
    "published_on": N_("Published on"), "served_on": N_("Served on"),
    "closed_on": N_("Closed on"), "decided_on": N_("Decided on"),
}

#: fields whose values are codes, and what each code is called
FIELD_VALUES = {
    "status": CASE_STATUSES, "from_status": CASE_STATUSES, "to_status": CASE_STATUSES,
    "move": MOVES, "kind": DOCUMENTS, "circumstance": CIRCUMSTANCES, "measures": MEASURES,
    "procedure": PROCEDURES,
}

#: fields holding a region code (shown as the region's name)
REGION_FIELDS = ("region_code", "bureau_code")
#: fields holding an amount in fen (shown in yuan)
MONEY_FIELDS = ("fine_fen", "confiscation_fen")
