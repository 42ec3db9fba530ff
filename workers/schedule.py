"""The one list of periodic jobs (Celery beat). Times are China time (Asia/Shanghai), the
app's `timezone`, because reporting periods are China-time calendar months.

Add an entry per job, naming a task of a module listed in `workers.celery_app.TASK_MODULES`:

    from datetime import timedelta

from celery.schedules import crontab

    beat_schedule = {
        "stats-previous-month": {
            "task": "service.stats.tasks.compute_previous_month",
            "schedule": crontab(minute=30, hour=1, day_of_month=1),
        },
    }

Run it with exactly one `celery -A workers.celery_app beat` process (README).
"""

from __future__ import annotations

from datetime import timedelta

from celery.schedules import crontab

beat_schedule: dict[str, dict] = {
    # Photos never completed: their objects go after the grace period; rows stay.
    "evidence-clean-up-abandoned-photos": {
        "task": "service.evidence.tasks.clean_up_abandoned_photos",
        "schedule": crontab(minute=15),  # hourly
    },
    # Suspensions (停业整顿) start and end in the registry on their China-time dates.
    "enforcement-apply-suspensions": {
        "task": "service.enforcement.tasks.apply_suspensions_today",
        "schedule": crontab(minute=5, hour=0),  # daily, 00:05 China time
    },
    # Re-inspections done: their rectification orders are completed or escalated.
    "enforcement-settle-reinspections": {
        "task": "service.enforcement.tasks.settle_reinspections",
        "schedule": crontab(minute="*/10"),
    },
    # Audit entries join the hash chain within seconds of their commit.
    "audit-seal": {
        "task": "service.audit.tasks.seal",
        "schedule": timedelta(seconds=5),
    },
}
