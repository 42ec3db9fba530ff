"""Where each entry's object belongs: its region (jurisdiction) and its parent, following
the rules of `service.audit.subjects`, with one query per looked-up model at most."""

from __future__ import annotations

from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Mapper, Session

from service.audit.subjects import Via, subject_of, type_name
from service.audit.values import plain
from service.db import Base


@cache
def mapper_for(object_type: str) -> Mapper | None:
    """The model whose snake-case name is `object_type`."""
    for mapper in Base.registry.mappers:
        if type_name(mapper.class_.__name__) == object_type:
            return mapper
    return None


@cache
def mapper_of_table(table_name: str) -> Mapper | None:
    """The model stored in `table_name` (None for a plain association table)."""
    for mapper in Base.registry.mappers:
        if mapper.local_table.name == table_name:
            return mapper
    return None


def resolve(session: Session, notes: list) -> list[tuple[str | None, str | None, str | None]]:
    """(region_code, parent_type, parent_id) of each note."""
    looked_up = _look_up_regions(session, notes)
    places = []
    for note in notes:
        subject = subject_of(note.object_type)
        region = subject.region
        if isinstance(region, Via):
            code = looked_up.get((region.object_type, note.hints.get(region.column)))
        elif region is not None:
            code = note.hints.get(region)
        else:
            code = None
        parent_type = parent_id = None
        if subject.parent and note.hints.get(subject.parent[1]) is not None:
            parent_type, parent_id = subject.parent[0], str(plain(note.hints[subject.parent[1]]))
        places.append((code, parent_type, parent_id))
    return places


def _look_up_regions(session: Session, notes: list) -> dict:
    """{(object type, id): region code} for every Via the notes need."""
    wanted: dict[str, set] = {}
    for note in notes:
        region = subject_of(note.object_type).region
        if isinstance(region, Via) and note.hints.get(region.column) is not None:
            wanted.setdefault(region.object_type, set()).add(note.hints[region.column])
    found = {}
    for object_type, ids in wanted.items():
        mapper = mapper_for(object_type)
        column = subject_of(object_type).region
        missing = []
        for value in ids:  # objects of this transaction are in the session already
            obj = session.identity_map.get(mapper.identity_key_from_primary_key((value,)))
            if obj is not None:
                found[(object_type, value)] = getattr(obj, column)
            else:
                missing.append(value)
        if missing:
            pk = mapper.primary_key[0]
            rows = session.connection().execute(
                select(pk, mapper.local_table.c[column]).where(pk.in_(missing)))
            found.update({(object_type, key): code for key, code in rows})
    return found
