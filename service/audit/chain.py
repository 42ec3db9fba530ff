"""The seal chain's arithmetic, apart from the database: what a link's hash covers.

hash(n) = SHA-256( prev_hash ‖ "\\n" ‖ n ‖ "\\n" ‖ canonical JSON of entry n ), in hex, with
prev_hash the hash of link n-1 (64 zeros before the first). The JSON holds every column of
the entry, its id included, with sorted keys, so any change to an entry, to its place in the
chain, or to a link before it, changes a hash the verifier recomputes.
"""

from __future__ import annotations

from collections.abc import Mapping

from service.audit.values import canonical, plain, sha256_hex

GENESIS = "0" * 64
ENTRY_FIELDS = ("id", "recorded_at", "request_id", "actor_id", "actor_role",
                "actor_region_code", "action", "object_type", "object_id", "parent_type",
                "parent_id", "region_code", "changes")


def entry_document(entry: Mapping) -> dict:
    """The entry as the chain hashes it."""
    return {field: plain(entry[field]) for field in ENTRY_FIELDS}


def link_hash(prev_hash: str, seq: int, entry: Mapping) -> str:
    return sha256_hex(f"{prev_hash}\n{seq}\n{canonical(entry_document(entry))}")
