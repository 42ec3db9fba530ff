"""The Celery app, configured from `service.config.Settings`.

Production: `CELERY_BROKER_URL` names the broker (Redis, or RabbitMQ), and workers run
`celery -A workers.celery_app worker`; beat runs `celery -A workers.celery_app beat`.
Embedded default and tests: no broker is set, so tasks run in-process (eager) at the moment
they are sent — the same task code, without a worker.

Tasks take ids and plain values (JSON only, never pickled objects), open their own session,
commit once, and return quietly when their row is gone. Send them from a request with
`service.common.jobs.enqueue_after_commit`, so nothing runs for a transaction that rolled back.
"""

from __future__ import annotations

from celery import Celery

from service.config import Settings
from workers.schedule import beat_schedule

#: Feature task modules the worker imports at start, e.g. "service.stats.tasks". A feature
#: with background work adds its `tasks.py` here; each task there is decorated with
#: `@celery.task(name="service.<feature>.tasks.<function>")` on the app below.
TASK_MODULES: list[str] = ["service.evidence.tasks", "service.enforcement.tasks",
                           "service.audit.tasks", "service.stats.tasks",
                           "service.exports.tasks", "service.console.tasks"]

#: Always-present tasks (a worker's liveness check: `celery -A workers.celery_app call
#: workers.diagnostics.echo --args='["ping"]'`).
BUILTIN_TASK_MODULES = ["workers.diagnostics"]


def make_celery(settings: Settings | None = None) -> Celery:
    """A Celery app for these settings: eager without a broker, JSON only."""
    settings = settings or Settings()
    eager = not settings.celery_broker_url
    app = Celery("postal", include=[*BUILTIN_TASK_MODULES, *TASK_MODULES])
    app.conf.update(
        broker_url=settings.celery_broker_url or "memory://",
        broker_connection_retry_on_startup=True,
        task_always_eager=eager,
        task_eager_propagates=eager,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        # Tasks change rows and commit; nobody waits for a return value.
        task_ignore_result=True,
        # A task is acknowledged after it ran, so a worker that dies mid-task loses nothing;
        # tasks are therefore written to be safe to run twice.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        timezone="Asia/Shanghai",
        enable_utc=True,
        beat_schedule=beat_schedule,
    )
    return app


celery = make_celery()
