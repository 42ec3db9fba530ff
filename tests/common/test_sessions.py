"""GET and HEAD read in autocommit (no BEGIN/COMMIT round trips) and cannot write; other
methods get a transaction that the app commits once."""

from __future__ import annotations

import pytest

from service import db
from service.regions.models import Region


def test_a_get_reads_without_a_transaction_and_may_not_write(app):
    with app.test_request_context("/api/v1/sites", method="GET"):
        session = db.session()
        options = session.connection().get_execution_options()
        assert options.get("isolation_level") == "AUTOCOMMIT"
        session.add(Region(code="999999", name="不该写入", level="district"))
        with pytest.raises(RuntimeError, match="read only"):
            session.flush()
        session.rollback()


def test_a_post_gets_a_transaction(app):
    with app.test_request_context("/api/v1/sites", method="POST"):
        options = db.session().connection().get_execution_options()
        assert options.get("isolation_level") != "AUTOCOMMIT"
