"""gunicorn's settings for the API, read from the working directory by default (the
Dockerfile's /app, and `make bench`, which starts gunicorn in the repository)."""

import gc


def post_worker_init(worker):
    """The app is built and lives as long as the worker: its modules, schemas, mappers and
    compiled statements go to the collector's permanent generation, so a full collection no
    longer walks them. Measured under wrk on PUT /inspections: a full collection of a fresh
    worker's ~160 MiB cost ~200 ms, about 2 ms of CPU per request (docs/performance.md)."""
    gc.freeze()
