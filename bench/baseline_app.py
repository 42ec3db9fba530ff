"""The baseline the API is measured against: a minimal Flask app doing one INSERT and one
COMMIT per request on the same PostgreSQL server, served by the same gunicorn settings.

    DATABASE_URL=postgresql://… gunicorn 'bench.baseline_app:create_app()'

POST /rows inserts one row into `bench_baseline_rows` (created by bench/run.py) and answers
201 with its id: what any web framework plus a database round trip costs on this machine.
"""

from __future__ import annotations

import os
import uuid

from flask import Flask, request
from sqlalchemy import create_engine, text

INSERT = text("INSERT INTO bench_baseline_rows (id, body) VALUES (:id, :body)")


def create_app() -> Flask:
    url = os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    app = Flask("baseline")

    @app.post("/rows")
    def insert_row():
        row_id = uuid.uuid4()
        with engine.begin() as connection:  # one INSERT, one COMMIT
            connection.execute(INSERT, {"id": row_id, "body": request.get_data(as_text=True)})
        return {"id": str(row_id)}, 201

    return app
