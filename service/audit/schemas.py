from __future__ import annotations

import marshmallow as ma

from service.common.api import Derived, Pattern, Schema
from service.common.pagination import PageArgsSchema, page_schema

OBJECT_REF = r"^[a-z][a-z0-9_]{0,47}:[^\s:]{1,128}$"


class AuditQueryArgsSchema(PageArgsSchema):
    object = ma.fields.String(
        required=True,
        validate=Pattern(
            OBJECT_REF, error="Write the object as type:id, e.g. inspection:<uuid>."),
        metadata={"description": "The object, as `type:id`: inspection:<uuid>, site:<uuid>, "
                                 "user:<uuid>, region:<code>, task:<uuid>, photo:<uuid> …",
                  "example": "inspection:3f0e6a7c-3c55-4d6e-9b8a-0d7b6c1f2a11"})


class ActorSchema(Schema):
    id = ma.fields.UUID(attribute="actor_id", allow_none=True,
                        metadata={"description": "Null for `system` and `anonymous`."})
    role = ma.fields.String(attribute="actor_role",
                            metadata={"description": "The user's role, or `system` (commands, "
                                                     "workers), or `anonymous` (no login)."})
    region_code = ma.fields.String(attribute="actor_region_code", allow_none=True,
                                   metadata={"description": "The user's bureau."})


class AuditEntrySchema(Schema):
    id = ma.fields.Integer()
    recorded_at = ma.fields.DateTime(metadata={"description": "When it was written (UTC)."})
    request_id = ma.fields.String(allow_none=True,
                                  metadata={"description": "The request's X-Request-ID."})
    actor = Derived(ActorSchema, lambda entry: entry,
                    metadata={"description": "Who: user id, role and bureau."})
    action = ma.fields.String(metadata={"enum": ["create", "update", "delete"]})
    object_type = ma.fields.String(metadata={"example": "inspection_answer"})
    object_id = ma.fields.String()
    parent_type = ma.fields.String(allow_none=True, metadata={"example": "inspection"})
    parent_id = ma.fields.String(allow_none=True)
    region_code = ma.fields.String(allow_none=True,
                                   metadata={"description": "The object's jurisdiction."})
    changes = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Dict(metadata={
        "additionalProperties": True,  # old/new hold any JSON value the field had
        "description": "`{old, new}`, or `{old_sha256, new_sha256}`; a side is left out "
                       "when the field did not exist then."}), metadata={
        "description": "Per field `{old, new}`; `old_sha256`/`new_sha256` instead for large "
                       "or secret values (password hashes are never stored).",
        "example": {"status": {"old": "draft", "new": "completed"}}})


AuditPageSchema = page_schema(AuditEntrySchema, "AuditEntryPage")


class ProblemSchema(Schema):
    seq = ma.fields.Integer(metadata={"description": "The link (position in the chain)."})
    entry_id = ma.fields.Integer(allow_none=True)
    kind = ma.fields.String(metadata={"enum": ["altered", "removed", "out_of_order",
                                               "row_altered"]})
    message = ma.fields.String()


class VerificationSchema(Schema):
    ok = ma.fields.Boolean()
    sealed_now = ma.fields.Integer(metadata={"description": "Entries sealed by this call."})
    checked = ma.fields.Integer(metadata={"description": "Links verified before any problem "
                                                         "(a link seals one transaction's "
                                                         "entries)."})
    entries_checked = ma.fields.Integer(metadata={
        "description": "The entries those links hold, each verified."})
    head_seq = ma.fields.Integer()
    head_hash = ma.fields.String(metadata={
        "description": "The last verified link's hash: keep it elsewhere to detect a "
                       "chain cut short later."})
    unsealed = ma.fields.Integer(metadata={"description": "Entries committed meanwhile."})
    problem = ma.fields.Nested(ProblemSchema, allow_none=True)
