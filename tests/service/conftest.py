"""Real services for the service tests: PostgreSQL, Redis, a moto S3 server, Celery workers.

PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) must be running (`bash infra/services.sh`);
when they are not, every test here errors out loudly instead of skipping. The moto S3 server and
the Celery worker processes are started here on free ports and killed at the end, also on failure.
Each session gets a fresh database (`invoice_ocr_test_<random>`, migrated with Alembic, dropped at
the end) and its own Redis key prefix, so parallel runs do not see each other.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import secrets
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from infra.stack import (  # noqa: F401  (free_port, ROOT: for the tests that import them from here)
    PG_ADMIN_URL,
    REDIS_URL,
    ROOT,
    NotUp,
    Proc,
    drop_redis_keys,
    free_port,
    scratch_database,
    service_env,
    start_moto,
    wait_until,
)


def fresh_rate_window(need_seconds: float = 15.0) -> None:
    """Wait, when less than `need_seconds` are left of this wall-clock minute, for the next one: the
    rate limiter counts in fixed minute windows, and a test that crosses a boundary sees its count
    reset halfway (a flaky 202 where 429 was due)."""
    left = 60 - time.time() % 60
    if left < need_seconds:
        time.sleep(left + 0.2)


def wait_for(check, timeout: float, what: str, proc: Proc | None = None):  # type: ignore[no-untyped-def]
    """`infra.stack.wait_until`, failing the test (with the process's log) instead of raising."""
    try:
        return wait_until(check, timeout, what, proc)
    except NotUp as exc:
        pytest.fail(str(exc))


@dataclasses.dataclass
class Stack:
    env: dict[str, str]
    settings: Any
    tmp: Path
    procs: list[Proc]

    def start_worker(self, name: str, concurrency: int = 2, extra_env: dict[str, str] | None = None) -> Proc:
        log = self.tmp / f"worker-{name}-{len(self.procs)}.log"
        env = {**self.env, **(extra_env or {})}
        proc = Proc(
            [
                sys.executable,
                "-m",
                "cli.main",
                "worker",
                f"--concurrency={concurrency}",
                f"--hostname={name}@%h",
                "--loglevel=INFO",
            ],
            env,
            log,
        )
        self.procs.append(proc)
        wait_for(lambda: proc.says("ready."), 90, f"celery worker {name}", proc)
        return proc


def _check_postgres() -> None:
    import psycopg

    try:
        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except Exception as exc:
        pytest.fail(f"PostgreSQL is not reachable at {PG_ADMIN_URL} ({exc}); run `bash infra/services.sh`")


def _check_redis() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except Exception as exc:
        pytest.fail(f"Redis is not reachable at {REDIS_URL} ({exc}); run `bash infra/services.sh`")


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    _check_postgres()
    _check_redis()
    tmp = tmp_path_factory.mktemp("service")
    token = secrets.token_hex(4)
    prefix = f"iocr-test-{token}:"
    procs: list[Proc] = []
    with scratch_database(f"invoice_ocr_test_{token}") as database_url, contextlib.ExitStack() as cleanup:
        cleanup.callback(drop_redis_keys, prefix)
        cleanup.callback(lambda: [proc.stop() for proc in reversed(procs)])
        try:
            moto, s3_env = start_moto(tmp / "moto.log", "invoice-ocr-test")
        except NotUp as exc:
            pytest.fail(str(exc))
        procs.append(moto)
        env = service_env(
            database_url, REDIS_URL, tmp / "data", s3_env, prefix,
            INVOICE_OCR_ALLOW_PRIVATE_CALLBACKS="1",
            INVOICE_OCR_PROCESSING_LEASE_SECONDS="4",
            INVOICE_OCR_SWEEP_INTERVAL_SECONDS="1",
            INVOICE_OCR_WEBHOOK_BACKOFF_SECONDS="0.3",
            INVOICE_OCR_WEBHOOK_MAX_ATTEMPTS="3",
            INVOICE_OCR_OCR_WAIT_SECONDS="30",
        )
        os.environ.update(s3_env)  # boto3 in this process reads the credentials from here
        os.environ.update({name: env[name] for name in ("DATABASE_URL", "BROKER_URL")})
        from store.db import upgrade
        from store.settings import Settings

        upgrade(database_url)
        yield Stack(env=env, settings=Settings.from_env(env), tmp=tmp, procs=procs)


@pytest.fixture(scope="session")
def worker(stack: Stack) -> Proc:
    return stack.start_worker("main")


@pytest.fixture(scope="session")
def app(stack: Stack, worker: Proc):  # type: ignore[no-untyped-def]
    from api.app import create_app

    return create_app(stack.settings)


@pytest.fixture()
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture(scope="session")
def sessions(stack: Stack):  # type: ignore[no-untyped-def]
    from store.db import make_engine, make_session_factory

    engine = make_engine(stack.settings.database_url)
    yield make_session_factory(engine)
    engine.dispose()


def _new_key(sessions, tenant: str) -> str:  # type: ignore[no-untyped-def]
    from store.keys import create_key

    with sessions() as s:
        issued = create_key(s, tenant)
        s.commit()
    return issued.key


@pytest.fixture()
def key(sessions) -> str:  # type: ignore[no-untyped-def]
    return _new_key(sessions, f"tenant-{secrets.token_hex(4)}")


@pytest.fixture()
def other_key(sessions) -> str:  # type: ignore[no-untyped-def]
    return _new_key(sessions, f"other-{secrets.token_hex(4)}")


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def make_invoice_pdf(number: str = "INV-1001", pages: int = 1) -> bytes:
    """A small invoice with a text layer (no OCR: fast on CPU)."""
    import pymupdf

    doc = pymupdf.open()
    for index in range(pages):
        page = doc.new_page(width=595, height=842)
        lines = [
            "ACME Supplies GmbH, Hauptstrasse 1, 10115 Berlin",
            "INVOICE",
            f"Invoice number: {number}",
            "Invoice date: 2024-03-01",
            "Due date: 2024-03-31",
            "Bill to: Example Customer Ltd, 42 High Street, London",
            "Description            Qty     Unit price     Amount",
            "Consulting services    2       100.00 EUR     200.00 EUR",
            "Software licence       1       290.00 EUR     290.00 EUR",
            "Subtotal: 490.00 EUR",
            "VAT 19%: 93.10 EUR",
            "Total: 583.10 EUR",
            f"Page {index + 1} of {pages}",
        ]
        y = 60
        for line in lines:
            page.insert_text((50, y), line, fontsize=11)
            y += 22
    data = doc.tobytes()
    doc.close()
    return data


def wait_final(client, key: str, document_id: str, timeout: float = 60) -> dict:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    body: dict = {}
    while time.monotonic() < deadline:
        response = client.get(f"/v1/documents/{document_id}", headers=auth(key))
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        if body["status"] in ("succeeded", "failed"):
            return body
        time.sleep(0.1)
    raise AssertionError(f"document {document_id} did not finish in {timeout}s: {body.get('status')}")
