"""The floor under the PUT: a minimal Flask app that sends, per request, exactly the SQL
statements the API's `PUT /inspections/{id}` sent for the bench's body — captured from the
real app by bench/run.py — with the new inspection's ids renewed and one of the bench's
submission sites (BENCH_SUBMISSION_SITES) for the captured one, in one transaction.

    BENCH_PUT_STATEMENTS=statements.pickle BENCH_SUBMISSION_SITES=<id>,<id>,… \
        DATABASE_URL=postgresql://… gunicorn 'bench.put_sql_app:create_app()'

No parsing, no validation, no objects: what the PUT's database work alone costs through
SQLAlchemy's Core on this machine. Its ratio to bench/baseline_app.py bounds what any
Python implementation storing the same rows can reach.
"""

from __future__ import annotations

import os
import pickle
import random
import re
import uuid

from flask import Flask, request
from sqlalchemy import create_engine

UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def create_app() -> Flask:
    url = os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    with open(os.environ["BENCH_PUT_STATEMENTS"], "rb") as file:
        captured = pickle.load(file)
    sites = [uuid.UUID(site) for site in os.environ["BENCH_SUBMISSION_SITES"].split(",")]
    app = Flask("put_sql")

    @app.put("/api/v1/inspections/<uuid:inspection_id>")
    def replay(inspection_id: uuid.UUID):
        request.get_data()
        # the new inspection and one of the submission sites, as the API's PUTs get them
        renewed = {captured["inspection_id"]: inspection_id,
                   captured["site_id"]: random.choice(sites)}
        with engine.begin() as connection:
            for statement, parameters in captured["statements"]:
                connection.exec_driver_sql(statement, _renew(parameters, captured, renewed))
        return {"id": str(inspection_id)}, 201

    return app


def _renew(value, captured: dict, renewed: dict):
    """`value` with every id the captured request made (not the site's, the user's, …)
    replaced by a fresh one, the same fresh one wherever it recurs in this request."""
    if isinstance(value, uuid.UUID):
        if value in renewed:
            return renewed[value]
        if value in captured["kept_ids"]:
            return value
        return renewed.setdefault(value, uuid.uuid4())
    if isinstance(value, str):
        return UUID_TEXT.sub(lambda m: str(_renew(uuid.UUID(m.group()), captured, renewed)),
                             value)
    if isinstance(value, dict):
        return {key: _renew(item, captured, renewed) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_renew(item, captured, renewed) for item in value]
    return value
