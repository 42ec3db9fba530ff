"""Fixtures of the photo tests: an inspector of 宝山区, an inspection of theirs, their phone."""

from __future__ import annotations

import pytest

from tests.evidence import helpers
from workers.celery_app import celery


@pytest.fixture(autouse=True)
def eager_tasks():
    """Tasks run in-process when sent, as in the embedded default (whatever the env says)."""
    conf = celery.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager = conf.task_eager_propagates = True
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


@pytest.fixture
def settings(app):
    """The running app's settings; change them with monkeypatch.setattr(settings, …)."""
    return app.config["SETTINGS"]


@pytest.fixture
def inspection(make, inspector):
    return helpers.inspection(make, inspector=inspector)


@pytest.fixture
def phone(as_user, inspector):
    return helpers.Phone(as_user(inspector))
