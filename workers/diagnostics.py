"""A task that proves a worker is alive and the broker carries JSON both ways."""

from __future__ import annotations

from workers.celery_app import celery


@celery.task(name="workers.diagnostics.echo", ignore_result=False)
def echo(value):
    """Return `value` unchanged (JSON in, JSON out)."""
    return value
