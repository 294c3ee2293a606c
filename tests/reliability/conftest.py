"""Fault-injection fixtures: our own Redis, TCP proxies in front of PostgreSQL and S3, workers.

The shared PostgreSQL and Redis serve other engineers' test runs at the same time, so nothing here
stops them. Instead:
- Redis: a `redis-server` of our own on a free port, killed with SIGKILL and started again.
- PostgreSQL and S3 (moto): reached through a TCP proxy we start; `down()` closes the listener and
  cuts every live connection (what a crashed server or a network partition looks like to a client),
  `up()` listens again on the same port.
- Its own database (migrated, dropped at the end) and bucket, so the service tests' worker and its
  sweeper (tests/service) never see, or take, our documents.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import itertools
import os
import secrets
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from infra.stack import scratch_database
from tests.service.conftest import (  # noqa: F401  (stack is a fixture used through rstack)
    Proc,
    Stack,
    auth,
    free_port,
    stack,
    wait_for,
)

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


class TcpProxy:
    """A loopback TCP relay whose upstream can be made unreachable and reachable again, for real."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = free_port()
        self.lock = threading.Lock()
        self.conns: list[socket.socket] = []
        self.listener: socket.socket | None = None
        self.stopped = threading.Event()
        self.up()

    def up(self) -> None:
        """Listen again (same port); new connections are relayed to the upstream."""
        with self.lock:
            if self.listener is not None:
                return
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", self.port))
            sock.listen(128)
            sock.settimeout(0.2)
            self.listener = sock
        threading.Thread(target=self._accept, args=(sock,), daemon=True).start()

    def down(self) -> None:
        """Refuse new connections and cut the open ones (RST), like an unreachable server."""
        with self.lock:
            sock, self.listener = self.listener, None
            conns, self.conns = self.conns, []
        if sock is not None:
            sock.close()
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                conn.close()

    def close(self) -> None:
        self.stopped.set()
        self.down()

    def _accept(self, sock: socket.socket) -> None:
        while not self.stopped.is_set():
            try:
                client, _ = sock.accept()
            except TimeoutError:
                if self.listener is not sock:
                    return
                continue
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                if self.listener is not sock:  # went down meanwhile
                    client.close()
                    server.close()
                    continue
                self.conns += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        src.settimeout(None)
        try:
            while chunk := src.recv(65536):
                dst.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)


class RedisServer:
    """A redis-server process of our own (foreground, no persistence, like the shared one)."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: Proc | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        argv = [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
                "--appendonly", "no", "--dir", str(self.tmp)]
        self.proc = Proc(argv, dict(os.environ), self.tmp / f"redis-{self.starts}.log")
        wait_for(self.ping, 20, "our redis-server", self.proc)

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def kill(self) -> None:
        """SIGKILL: every queued message is gone (no persistence), connections drop."""
        assert self.proc is not None
        self.proc.kill()
        self.proc.proc.wait(timeout=10)
        self.proc.stop()

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.stop()


@dataclasses.dataclass
class RStack:
    """Everything a fault test needs. `direct` settings reach PostgreSQL and S3 straight, `proxied`
    ones through the proxies; workers started with `start_worker` use the proxied ones."""

    workers: Stack
    direct: Any
    proxied: Any
    pg: TcpProxy
    s3: TcpProxy
    redis: RedisServer
    bucket: str
    s3_endpoint: str

    def start_worker(self, name: str, concurrency: int = 1, extra_env: dict[str, str] | None = None) -> Proc:
        return self.workers.start_worker(name, concurrency, extra_env)

    def s3_keys(self, prefix: str = "") -> list[str]:
        import boto3

        client = boto3.client("s3", endpoint_url=self.s3_endpoint, region_name="us-east-1")
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix)
        return [o["Key"] for page in pages for o in page.get("Contents", [])]


@pytest.fixture(scope="session")
def rstack(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RStack]:  # noqa: F811
    import boto3

    from store.db import upgrade
    from store.settings import Settings

    tmp = tmp_path_factory.mktemp("reliability")
    bucket = f"invoice-ocr-rel-{secrets.token_hex(3)}"
    s3_endpoint = stack.env["S3_ENDPOINT_URL"]
    boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1").create_bucket(Bucket=bucket)
    procs: list[Proc] = []
    redis_server = RedisServer(tmp)
    pg_host, pg_port = "127.0.0.1", 5432
    s3_port = int(s3_endpoint.rsplit(":", 1)[1])
    pg_proxy = TcpProxy((pg_host, pg_port))
    s3_proxy = TcpProxy(("127.0.0.1", s3_port))
    database = scratch_database(f"invoice_ocr_rel_{secrets.token_hex(4)}")
    with database as direct_db, contextlib.ExitStack() as cleanup:
        cleanup.callback(s3_proxy.close)
        cleanup.callback(pg_proxy.close)
        cleanup.callback(redis_server.stop)
        cleanup.callback(lambda: [proc.stop() for proc in reversed(procs)])
        redis_server.start()
        proxied_db = direct_db.replace(f"@{pg_host}:{pg_port}/", f"@127.0.0.1:{pg_proxy.port}/")
        assert proxied_db != direct_db
        common = {
            **stack.env,
            "BROKER_URL": redis_server.url,
            "STORAGE_URL": f"s3://{bucket}/files",
            "INVOICE_OCR_DATA_DIR": str(tmp / "data"),
            "INVOICE_OCR_QUEUED_LEASE_SECONDS": "4",
            "INVOICE_OCR_TASK_MAX_RETRIES": "3",
            "INVOICE_OCR_WEBHOOK_TIMEOUT_SECONDS": "1",
            "INVOICE_OCR_WEBHOOK_BACKOFF_SECONDS": "0.4",
            "INVOICE_OCR_WEBHOOK_MAX_ATTEMPTS": "5",
            "INVOICE_OCR_RATE_LIMIT_PER_MINUTE": "0",
        }
        direct_env = {**common, "DATABASE_URL": direct_db}
        proxied_env = {
            **common,
            "DATABASE_URL": proxied_db,
            "S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_proxy.port}",
        }
        upgrade(direct_db)
        workers = Stack(env=proxied_env, settings=Settings.from_env(proxied_env), tmp=tmp, procs=procs)
        yield RStack(
            workers=workers,
            direct=Settings.from_env(direct_env),
            proxied=workers.settings,
            pg=pg_proxy,
            s3=s3_proxy,
            redis=redis_server,
            bucket=bucket,
            s3_endpoint=s3_endpoint,
        )


@pytest.fixture(scope="session")
def rworker(rstack: RStack) -> Proc:
    """The worker of the fault tests (PostgreSQL and S3 through the proxies, our own Redis)."""
    return rstack.start_worker("rel", concurrency=2)


@pytest.fixture(scope="session")
def direct_app(rstack: RStack):  # type: ignore[no-untyped-def]
    from api.app import create_app

    return create_app(rstack.direct)


@pytest.fixture(scope="session")
def proxied_app(rstack: RStack):  # type: ignore[no-untyped-def]
    from api.app import create_app

    return create_app(rstack.proxied)


@pytest.fixture(scope="session")
def rsessions(rstack: RStack):  # type: ignore[no-untyped-def]
    from store.db import make_engine, make_session_factory

    engine = make_engine(rstack.direct.database_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture()
def rkey(rsessions) -> str:  # type: ignore[no-untyped-def]
    from store.keys import create_key

    with rsessions() as s:
        issued = create_key(s, f"rel-{secrets.token_hex(4)}")
        s.commit()
    return issued.key


def post_file(client, key: str, data: bytes, name: str = "invoice.pdf", mime: str | None = None,  # type: ignore[no-untyped-def]
              **form: str):
    file = (io.BytesIO(data), name, mime) if mime else (io.BytesIO(data), name)
    return client.post(
        "/v1/documents",
        data={"file": file, **form},
        headers=auth(key),
        content_type="multipart/form-data",
    )


def wait_status(sessions, document_id: str, timeout: float = 60) -> Any:  # type: ignore[no-untyped-def]
    """The document row once it is final (read from the database directly, no API involved)."""
    from store.models import Document

    deadline = time.monotonic() + timeout
    doc = None
    while time.monotonic() < deadline:
        with sessions() as s:
            doc = s.get(Document, document_id)
        if doc is not None and doc.status in ("succeeded", "failed"):
            return doc
        time.sleep(0.2)
    raise AssertionError(f"document {document_id} not final after {timeout}s: {doc and doc.status}")


def history(sessions, document_id: str) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from store.models import StatusEvent

    with sessions() as s:
        rows = s.scalars(
            select(StatusEvent).where(StatusEvent.document_id == document_id).order_by(StatusEvent.id)
        ).all()
    return [(e.status, e.detail) for e in rows]


def assert_coherent(events: list[tuple[str, str | None]]) -> None:
    """A status history a client could have observed: starts queued, every step allowed, one end."""
    allowed = {
        "queued": {"processing", "failed"},
        "processing": {"queued", "processing", "succeeded", "failed"},
    }
    statuses = [s for s, _ in events]
    assert statuses[0] == "queued", statuses
    for before, after in itertools.pairwise(statuses):
        assert after in allowed.get(before, set()), statuses
    assert sum(s in ("succeeded", "failed") for s in statuses) == 1, statuses
    assert statuses[-1] in ("succeeded", "failed"), statuses
