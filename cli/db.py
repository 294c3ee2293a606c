"""`invoice-ocr db upgrade|current`: run or inspect the Alembic migrations."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "db",
        help="database schema: upgrade to the latest revision, or show the current one",
        description="Run the schema migrations on DATABASE_URL (or the embedded SQLite database).",
    )
    p.add_argument("action", choices=("upgrade", "current"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from store.db import current_revision, head_revision, make_engine, upgrade
    from store.settings import Settings

    settings = Settings.from_env()
    if args.action == "upgrade":
        upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    current = current_revision(engine)
    engine.dispose()
    print(f"schema revision: {current or 'none'} (latest: {head_revision()})")
    return 0 if args.action == "upgrade" or current == head_revision() else 1
