"""The seal chain's arithmetic, apart from the database: what a link's hash covers.

A link seals one transaction's batch of entries:

    digest(entry) = SHA-256( JSON list of the entry's columns, in ENTRY_FIELDS order )
    hash(n)       = SHA-256( prev_hash ‖ "\\n" ‖ n ‖ "\\n" ‖ JSON of {"batch": batch id,
                             "entries": [[id, digest], …] in id order} )

in hex, with prev_hash the hash of link n-1 (64 zeros before the first). The entry's list
holds every column, its id and batch included, with `changes` as the text stored (written
once, canonical, by the hook), so nothing is parsed or re-encoded to seal or verify. Any
change to an entry changes its digest, which the link lists; any change to the list, to a
link's place in the chain, or to a link before it, changes a hash the verifier recomputes.

Links sealed before batches (migration 0014) hold one entry each:

    hash(n) = SHA-256( prev_hash ‖ "\\n" ‖ n ‖ "\\n" ‖ canonical JSON of entry n )

with the entry as a sorted-key object of its columns (`changes` parsed), and still verify.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from service.audit.values import canonical, plain, sha256_hex

GENESIS = "0" * 64
ENTRY_FIELDS = ("id", "recorded_at", "request_id", "actor_id", "actor_role",
                "actor_region_code", "action", "object_type", "object_id", "parent_type",
                "parent_id", "region_code", "changes")
#: what a batch's entry digest covers: `changes` is the stored text, not a parsed value
DIGEST_FIELDS = (*ENTRY_FIELDS, "batch_id")


#: column values JSON takes as they are (most of an entry's: no call to `plain`)
_AS_IS = frozenset({str, int, type(None)})


def entry_digest(entry: Mapping) -> str:
    """The digest of an entry of a batch; `entry["changes"]` is the column's text."""
    values = [entry[field] for field in DIGEST_FIELDS]
    return sha256_hex(json.dumps([value if type(value) in _AS_IS else plain(value)
                                  for value in values],
                                 ensure_ascii=False, separators=(",", ":")))


def batch_hash(prev_hash: str, seq: int, batch_id, entries: list) -> str:
    """`entries`: [[id, digest], …] in id order, as the link stores them."""
    return sha256_hex(f"{prev_hash}\n{seq}\n"
                      f"{canonical({'batch': plain(batch_id), 'entries': entries})}")


def entry_document(entry: Mapping) -> dict:
    """An entry as a link of one entry (before batches) hashes it; `changes` parsed."""
    return {field: plain(entry[field]) for field in ENTRY_FIELDS}


def link_hash(prev_hash: str, seq: int, entry: Mapping) -> str:
    """A link of one entry (sealed before batches, or an entry without a batch)."""
    return sha256_hex(f"{prev_hash}\n{seq}\n{canonical(entry_document(entry))}")
