"""Building an export file: the worker's side of a job.

Unlike logic functions this one commits, several times, on purpose: the job's `running`
state and its progress (rows written of rows in all) must be visible to the people polling
it while the file is being written. Rows stream from a reading session (see
`service.exports.sources`; on SQLite outside a transaction, so progress writes are not
blocked); the file grows in a temporary directory, goes to object storage when complete,
and the job then says `done`.
"""

from __future__ import annotations

import logging
import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from service.db import session_scope, utcnow
from service.exports.logic import CONTENT_TYPES, LIFECYCLE
from service.exports.models import DONE, FAILED, QUEUED, RUNNING, ExportJob
from service.exports.sources import SOURCES, Source
from service.exports.writers import TOTALS_LABEL, CsvFile, Totals
from service.exports.xlsx import XlsxFile

log = logging.getLogger(__name__)
#: progress is written after every this many rows
PROGRESS_EVERY = 10_000


@contextmanager
def reading_session(factory: sessionmaker) -> Iterator[Session]:
    """A session for one long read of every row; on SQLite in autocommit, so that it holds
    no write lock (every SQLite transaction here begins IMMEDIATE) while progress is
    written through another session."""
    db = factory()
    try:
        bind = db.get_bind()
        if isinstance(bind, Engine) and bind.dialect.name == "sqlite":
            db.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        yield db
    finally:
        db.rollback()
        db.close()


def _start(factory: sessionmaker, job_id: uuid.UUID) -> ExportJob | None:
    with session_scope(factory) as db:
        job = db.get(ExportJob, job_id)
        if job is None or job.status not in (QUEUED, RUNNING):
            return None  # gone, or already finished by an earlier delivery of this message
        LIFECYCLE.require(job.status, "start")
        job.status, job.started_at, job.error = RUNNING, utcnow(), None
        job.attempts += 1
        job.rows_written = 0
        db.flush()
        db.expunge(job)
        return job


def _record(factory: sessionmaker, job_id: uuid.UUID, **values) -> None:
    with session_scope(factory) as db:
        db.execute(update(ExportJob).where(ExportJob.id == job_id).values(**values))


def write_file(reader: Session, source: Source, params: dict, fmt: str, path: str,
               progress: Callable[[int], None], total: int | None = None) -> int:
    """Write the source's rows (and a totals row) to `path`; the number of rows. `total`,
    the rows expected, sizes the XLSX sheets."""
    if fmt == "csv" and source.statement is not None and \
            reader.get_bind().dialect.name == "postgresql":
        return _copy_csv(reader, source, params, path, progress)
    out = (XlsxFile(path, source.columns, source.title, rows=total) if fmt == "xlsx"
           else CsvFile(path, source.columns))
    totals = Totals(source.columns)
    written = 0
    reported = 0
    try:
        for batch in source.batches(reader, params):
            out.write_batch(batch)
            totals.add(batch)
            written += len(batch)
            if written - reported >= PROGRESS_EVERY:
                progress(written)
                reported = written
        if totals.row() is not None:
            out.write_totals(totals.row())
    finally:
        out.close()
    return written


def _copy_csv(reader: Session, source: Source, params: dict, path: str,
              progress: Callable[[int], None]) -> int:
    """PostgreSQL: the CSV comes from `COPY (statement) TO STDOUT` itself, after the BOM and
    the headers written here, so no row passes through Python (the same values as the
    streamed path: the statement shapes them). Totals are one more aggregate over the same
    statement. Rows are counted by their line ends (a line end inside a quoted value counts
    too, so progress may run ahead by as many; it never passes the count)."""
    stmt = source.statement(params)
    compiled = stmt.compile(dialect=reader.get_bind().dialect,
                            compile_kwargs={"render_postcompile": True})
    summed = [index for index, column in enumerate(source.columns) if column.total]
    sums = None
    if summed:
        columns = list(stmt.subquery("exported").c)
        sums = reader.execute(select(*[func.coalesce(func.sum(columns[index]), 0)
                                       for index in summed])).one()
    cursor = reader.connection().connection.driver_connection.cursor()
    lines = reported = 0
    with open(path, "wb") as out:
        out.write(CsvFile.head(source.columns))
        with cursor.copy(f"COPY ({compiled}) TO STDOUT WITH (FORMAT csv)",
                         compiled.params) as copy:
            for chunk in copy:
                out.write(chunk)
                lines += bytes(chunk).count(b"\n")
                if lines - reported >= PROGRESS_EVERY:
                    progress(lines)
                    reported = lines
        if sums is not None:
            row = [TOTALS_LABEL, *[None] * (len(source.columns) - 1)]
            for index, value in zip(summed, sums, strict=True):
                row[index] = value
            out.write(CsvFile.line(row))
    cursor.close()
    return lines


def run_export(factory: sessionmaker, store, *, job_id: str) -> None:
    """Build a job's file and store it; safe to run again for the same job."""
    job = _start(factory, uuid.UUID(job_id))
    if job is None:
        return
    source = SOURCES[job.kind]
    filename = f"{source.title}-{job.region_code}-{source.label(job.params)}.{job.format}"
    key = f"exports/{job.id}.{job.format}"
    try:
        with tempfile.TemporaryDirectory(prefix="export-") as directory:
            path = os.path.join(directory, filename)
            with reading_session(factory) as reader:
                total = source.count(reader, job.params)
                _record(factory, job.id, rows_total=total)
                written = write_file(reader, source, job.params, job.format, path,
                                     lambda n: _record(factory, job.id, rows_written=n),
                                     total=total)
            store.upload_file(key, path, content_type=CONTENT_TYPES[job.format])
            size = os.path.getsize(path)
    except Exception as exc:
        log.exception("export %s failed", job.id)
        _record(factory, job.id, status=FAILED, error=f"{type(exc).__name__}: {exc}"[:1000],
                finished_at=utcnow())
        return
    _record(factory, job.id, status=DONE, rows_written=written, rows_total=written,
            object_key=key, size_bytes=size, filename=filename, finished_at=utcnow())
