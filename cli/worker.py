"""`invoice-ocr worker`: a Celery worker (prefork pool) for documents and webhooks."""

from __future__ import annotations

import argparse
import sys


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "worker",
        help="run a worker that processes queued documents and delivers webhooks",
        description="Consume the interactive queue before the batch queue; settings from the environment.",
    )
    p.add_argument("--concurrency", "-c", type=int, default=2, help="worker processes (default 2)")
    p.add_argument("--queues", "-Q", default="interactive,batch", help="queues in priority order")
    p.add_argument("--loglevel", "-l", default="INFO")
    p.add_argument("--hostname", "-n", default=None, help="Celery node name")
    p.set_defaults(func=run)


def worker_argv(args: argparse.Namespace) -> list[str]:
    argv = [
        "worker",
        f"--concurrency={args.concurrency}",
        f"--queues={args.queues}",
        f"--loglevel={args.loglevel}",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    if args.hostname:
        argv.append(f"--hostname={args.hostname}")
    return argv


def run(args: argparse.Namespace) -> int:
    from store.db import SchemaOutdated, check_schema, make_engine
    from store.settings import Settings
    from workers.app import create_worker_app

    settings = Settings.from_env()
    engine = make_engine(settings.database_url)
    try:
        check_schema(engine)
    except SchemaOutdated as exc:
        print(f"invoice-ocr worker: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    app = create_worker_app(settings)
    app.worker_main(worker_argv(args))
    return 0
