"""Background work: the Celery app (`workers.celery_app`), its periodic schedule
(`workers.schedule`) and small diagnostic tasks. Feature tasks live beside their feature
(`service/<feature>/tasks.py`) as thin wrappers over logic functions."""
