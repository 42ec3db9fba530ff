"""Every model's entries find a jurisdiction: a model added later without a region_code
column fails here until `service/audit/subjects.py` says where its region comes from."""

from __future__ import annotations

import re

import pytest

import service.models  # noqa: F401  (every model)
from service.audit.models import AUDIT_TABLES
from service.audit.regions import mapper_for
from service.audit.subjects import SUBJECTS, Via, subject_of, type_name
from service.db import Base

MAPPERS = sorted((m for m in Base.registry.mappers if m.local_table.name not in AUDIT_TABLES
                  and m.local_table.info.get("audit", True) is not False),
                 key=lambda m: m.class_.__name__)
SECRET_LOOKING = re.compile(r"password|secret|token")


@pytest.mark.parametrize("mapper", MAPPERS, ids=lambda m: m.class_.__name__)
def test_each_model_has_a_region_rule_that_resolves(mapper):
    name = type_name(mapper.class_.__name__)
    subject = subject_of(name)
    columns = mapper.local_table.c
    if isinstance(subject.region, Via):
        assert subject.region.column in columns
        target = mapper_for(subject.region.object_type)
        assert target is not None, subject.region.object_type
        target_region = subject_of(subject.region.object_type).region
        assert isinstance(target_region, str) and target_region in target.local_table.c
    elif subject.region is not None:
        assert subject.region in columns, (
            f"{name} has no {subject.region} column: add it to SUBJECTS in "
            "service/audit/subjects.py (a column, a Via look-up, or None)")
    if subject.parent:
        assert mapper_for(subject.parent[0]) is not None
        assert subject.parent[1] in columns


@pytest.mark.parametrize("mapper", MAPPERS, ids=lambda m: m.class_.__name__)
def test_secret_looking_columns_are_stored_as_digests(mapper):
    subject = subject_of(type_name(mapper.class_.__name__))
    for column in mapper.local_table.c:
        if SECRET_LOOKING.search(column.name):
            assert column.name in subject.secret, f"{column.name}: declare it secret"


def test_the_rules_name_only_real_objects():
    tables = {t.name for t in Base.metadata.sorted_tables}
    for name in SUBJECTS:
        assert mapper_for(name) is not None or name in tables, name
