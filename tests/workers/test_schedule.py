"""Every periodic job names a task that a worker actually loads."""

from workers.celery_app import celery
from workers.schedule import beat_schedule


def test_every_scheduled_job_is_a_task_the_worker_knows():
    celery.loader.import_default_modules()
    for name, entry in beat_schedule.items():
        assert entry["task"] in celery.tasks, f"{name}: {entry['task']} is not loaded"
