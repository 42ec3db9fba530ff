"""Background work: the Celery app (`workers.celery_app`), its periodic schedule
(`workers.schedule`), what a task runs with (`workers.context`: a session scope, the object
store, the settings) and small diagnostic tasks. Feature tasks live beside their feature
(`service/<feature>/tasks.py`) as thin wrappers over logic functions."""
