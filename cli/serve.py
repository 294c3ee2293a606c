"""`invoice-ocr serve`: the whole service on one machine with no external servers.

API + a Celery worker (N processes) on the embedded defaults under INVOICE_OCR_DATA_DIR: SQLite
database, local file storage, and kombu's SQLAlchemy transport on a SQLite file as the broker
(durable: queued messages survive a restart). Same code paths as production; point DATABASE_URL,
BROKER_URL and STORAGE_URL at real servers and it uses those instead.

Crash safety: the SQLite broker cannot hand back a message a killed worker had taken, so at start
(when this process owns the data dir, enforced by a lock file) every unfinished document is put back
on the queue from the database, which is the source of truth; the periodic sweeper covers the rest.
A document is never processed twice: claiming and finishing are conditional on the row's state.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="run the API and workers together (embedded database, storage and queue by default)",
        description=(
            "Run the HTTP API and a worker with N processes. With no DATABASE_URL/BROKER_URL/STORAGE_URL "
            "everything lives under INVOICE_OCR_DATA_DIR (default ./var) and the schema is upgraded "
            "automatically."
        ),
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=2, help="document worker processes (default 2)")
    p.add_argument("--api-workers", type=int, default=1, help="API server processes (default 1)")
    p.add_argument("--dev", action="store_true", help="werkzeug's threaded server instead of gunicorn")
    p.set_defaults(func=run)


def _die_with_parent() -> None:
    """In the worker child: get SIGTERM when `serve` dies, even by SIGKILL (Linux only)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def run(args: argparse.Namespace) -> int:
    import fcntl

    from cli.api_cmd import serve_app
    from store.db import SchemaOutdated, check_schema, make_engine, upgrade
    from store.settings import Settings
    from workers.app import create_worker_app
    from workers.sweeper import sweep

    settings = Settings.from_env()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    lock = open(settings.data_dir / "serve.lock", "w")  # noqa: SIM115 (held for the process's life)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"invoice-ocr serve: another serve is running on {settings.data_dir}", file=sys.stderr)
        return 2
    if settings.is_sqlite:
        upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        check_schema(engine)
    except SchemaOutdated as exc:
        print(f"invoice-ocr serve: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()

    if settings.is_embedded_broker:
        app = create_worker_app(settings)
        ctx = app.invoice_ocr_context()  # type: ignore[attr-defined]
        ctx.queue.purge()
        report = sweep(ctx, everything=True)
        ctx.engine.dispose()
        if report.documents or report.webhooks:
            print(
                f"invoice-ocr serve: re-enqueued {report.documents} unfinished document(s) and "
                f"{report.webhooks} webhook(s) from the previous run",
                file=sys.stderr,
            )

    worker = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "worker", f"--concurrency={args.workers}"],
        env=os.environ.copy(),
        preexec_fn=_die_with_parent,
    )
    try:
        serve_app(args.host, args.port, args.api_workers, 8, args.dev)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
    return 0
