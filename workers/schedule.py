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
    # Coverage and monthly figures of this month, quarter and year, every night.
    "stats-refresh-current": {
        "task": "service.stats.tasks.refresh_current",
        "schedule": crontab(minute=10, hour=2),
    },
    # The month just ended, on the 1st (China time): the figures bureaus report upward.
    "stats-previous-month": {
        "task": "service.stats.tasks.compute_previous_month",
        "schedule": crontab(minute=30, hour=1, day_of_month=1),
    },
    # Past months changed by late inspections or voids.
    "stats-recompute-dirty": {
        "task": "service.stats.tasks.recompute_dirty",
        "schedule": crontab(minute=40),  # hourly
    },
    # Export files (and their jobs) past their keeping time.
    "exports-expire": {
        "task": "service.exports.tasks.expire_exports",
        "schedule": crontab(minute=50),  # hourly
    },
    # Console sessions ended or expired over a day ago: their rows go.
    "console-prune-sessions": {
        "task": "service.console.tasks.prune_sessions",
        "schedule": crontab(minute=20, hour=3),  # daily, 03:20 China time
    },
    # Audit entries join the hash chain within seconds of their commit.
    "audit-seal": {
        "task": "service.audit.tasks.seal",
        "schedule": timedelta(seconds=5),
    },
}
