"""`invoice-ocr api`: serve the HTTP API (gunicorn when available, else a threaded server)."""

from __future__ import annotations

import argparse
import sys


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "api",
        help="serve the HTTP API",
        description="Serve the API on HOST:PORT with settings from the environment. Workers run separately.",
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    p.add_argument("--threads", type=int, default=8, help="threads per worker process")
    p.add_argument("--dev", action="store_true", help="use werkzeug's threaded server instead of gunicorn")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from store.db import SchemaOutdated, check_schema, make_engine
    from store.settings import Settings

    engine = make_engine(Settings.from_env().database_url)
    try:
        check_schema(engine)
    except SchemaOutdated as exc:
        print(f"invoice-ocr api: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    serve_app(args.host, args.port, args.workers, args.threads, args.dev)
    return 0


def serve_app(host: str, port: int, workers: int, threads: int, dev: bool) -> None:
    """Run the app under gunicorn or, with `dev` or without gunicorn, werkzeug's threaded server.

    Each gunicorn worker builds its own app after the fork (database pools must not cross a fork).
    """
    from api.app import create_app

    if not dev:
        try:
            from gunicorn.app.base import BaseApplication
        except ImportError:
            dev = True
    if dev:
        from werkzeug.serving import run_simple

        run_simple(host, port, create_app(), threaded=True, use_reloader=False)
        return

    class _Gunicorn(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("timeout", 120)
            self.cfg.set("accesslog", "-")

        def load(self):  # type: ignore[no-untyped-def]
            return create_app()

    _Gunicorn().run()
