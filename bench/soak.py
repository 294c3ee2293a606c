"""Soak under faults: many uploads from many clients while a worker and Redis are killed.

    .venv/bin/python -m bench.soak                       # 2,000 uploads, 50 clients (the issue's run)
    .venv/bin/python -m bench.soak --uploads 200 --clients 10    # a quick look

Everything runs on loopback with processes this script starts and stops itself: a database of its
own in the local PostgreSQL (created, migrated, dropped), its own `redis-server` on a free port, its
own moto S3 server, the API under gunicorn (`invoice-ocr api`) and two Celery workers. While the
clients upload, worker A is killed with SIGKILL (process group: pool and all) and started again,
and later Redis is killed with SIGKILL (no persistence: every queued message is gone) and started
again. Afterwards every accepted document must be stored with a final status, exactly once:

    accepted == succeeded + failed, lost == 0, duplicated results == 0

Bounded: `--uploads` requests in all, `--max-seconds` for the whole run (default 20 minutes); the
script exits 1 when a figure is wrong or the time runs out. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from infra.stack import LOOPBACK, Proc, free_port, scratch_database, service_env, start_moto, wait_until


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    accepted: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    started: list[float] = field(default_factory=list)  # monotonic start of each accepted upload
    refused: Counter[str] = field(default_factory=Counter)
    sent: int = 0


def make_pdfs(count: int) -> list[bytes]:
    import pymupdf

    out = []
    for i in range(count):
        doc = pymupdf.open()
        page = doc.new_page(width=595, height=842)
        y = 60
        for line in (
            "ACME Supplies GmbH, Hauptstrasse 1, 10115 Berlin",
            "INVOICE",
            f"Invoice number: SOAK-{i:04d}",
            "Invoice date: 2024-03-01",
            "Description            Qty     Unit price     Amount",
            f"Consulting services    {i % 9 + 1}       100.00 EUR     {(i % 9 + 1) * 100}.00 EUR",
            f"Total: {(i % 9 + 1) * 100}.00 EUR",
        ):
            page.insert_text((50, y), line, fontsize=11)
            y += 22
        out.append(doc.tobytes())
        doc.close()
    return out


def client_loop(base: str, key: str, pdfs: list[bytes], tally: Tally, total: int, deadline: float) -> None:
    import requests

    session = requests.Session()
    while time.monotonic() < deadline:
        with tally.lock:
            if tally.sent >= total:
                return
            n = tally.sent
            tally.sent += 1
        started = time.perf_counter()
        t_start = time.monotonic()
        try:
            response = session.post(
                f"{base}/v1/documents",
                headers={"Authorization": f"Bearer {key}"},
                files={"file": (f"soak-{n}.pdf", pdfs[n % len(pdfs)], "application/pdf")},
                timeout=30,
            )
        except requests.RequestException as exc:
            with tally.lock:
                tally.refused[type(exc).__name__] += 1
            continue
        elapsed = time.perf_counter() - started
        with tally.lock:
            if response.status_code == 202:
                tally.accepted.append(response.json()["id"])
                tally.latencies.append(elapsed)
                tally.started.append(t_start)
            else:
                tally.refused[f"HTTP {response.status_code}"] += 1


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(args: argparse.Namespace) -> int:
    from sqlalchemy import func, select

    from store.db import make_engine, make_session_factory, upgrade
    from store.keys import create_key
    from store.models import Document, Result, StatusEvent

    t0 = time.monotonic()
    deadline = t0 + args.max_seconds
    work = Path(tempfile.mkdtemp(prefix="invoice-ocr-soak-"))
    redis_port, api_port = free_port(), free_port()
    events: list[str] = []

    def note(text: str) -> None:
        events.append(f"{time.monotonic() - t0:7.1f}s {text}")
        print(events[-1], flush=True)

    cleanup = contextlib.ExitStack()
    children: list[Proc] = []
    try:
        import redis as redis_lib
        import requests

        database = scratch_database(f"invoice_ocr_soak_{secrets.token_hex(4)}", args.pg_admin_url)
        database_url = cleanup.enter_context(database)
        engine = make_engine(database_url)
        cleanup.callback(engine.dispose)
        cleanup.callback(lambda: [child.stop() for child in reversed(children)])
        upgrade(database_url)
        sessions = make_session_factory(engine)
        with sessions() as s:
            key = create_key(s, "soak").key
            s.commit()
        moto, s3_env = start_moto(work / "moto.log", "soak", credential="soak")
        children.append(moto)
        env = service_env(
            database_url, f"redis://{LOOPBACK}:{redis_port}/0", work / "data", s3_env,
            # 50 clients share one key: measure the service, not the per-key limiter
            INVOICE_OCR_RATE_LIMIT_PER_MINUTE="0",
            INVOICE_OCR_PROCESSING_LEASE_SECONDS="20",
            INVOICE_OCR_QUEUED_LEASE_SECONDS="30",
            INVOICE_OCR_SWEEP_INTERVAL_SECONDS="5",
        )
        redis = Proc(
            [shutil.which("redis-server") or "redis-server", "--bind", LOOPBACK, "--port", str(redis_port),
             "--save", "", "--appendonly", "no", "--dir", str(work)],
            env,
            work / "redis.log",
        )
        children.append(redis)

        def redis_answers() -> bool:
            return bool(redis_lib.Redis(port=redis_port, socket_connect_timeout=0.5).ping())

        wait_until(redis_answers, 20, "redis", redis)
        cli = [sys.executable, "-m", "cli.main"]
        api = Proc([*cli, "api", "--host", LOOPBACK, "--port", str(api_port), "--workers", "2"], env,
                   work / "api.log")
        children.append(api)
        worker_argv = [*cli, "worker", "--concurrency=1", "--loglevel=INFO"]
        workers = {n: Proc([*worker_argv, f"--hostname=soak-{n}@%h"], env, work / f"worker-{n}.log")
                   for n in ("a", "b")}
        children.extend(workers.values())
        base = f"http://{LOOPBACK}:{api_port}"
        wait_until(lambda: requests.get(f"{base}/readyz", timeout=2).status_code == 200, 90, "the API", api)
        for n, w in workers.items():
            wait_until(lambda w=w: w.says("ready."), 120, f"worker {n}", w)
        note(f"stack up; {args.uploads} uploads from {args.clients} clients")

        pdfs = make_pdfs(50)
        tally = Tally()
        upload_deadline = t0 + args.max_seconds * 0.6
        threads = [
            threading.Thread(
                target=client_loop, args=(base, key, pdfs, tally, args.uploads, upload_deadline), daemon=True
            )
            for _ in range(args.clients)
        ]
        upload_start = time.monotonic()
        for t in threads:
            t.start()

        def sent() -> int:
            with tally.lock:
                return tally.sent

        def at(fraction: float) -> None:
            while sent() < args.uploads * fraction and time.monotonic() < upload_deadline:
                time.sleep(0.05)

        at(0.25)
        note(f"kill -9 worker a (sent {sent()})")
        workers["a"].kill()
        time.sleep(3)
        workers["a"].restart()
        note("restarted worker a")
        at(0.55)
        note(f"kill -9 redis (sent {sent()})")
        redis_down = time.monotonic()
        redis.kill()
        time.sleep(3)
        redis.restart()
        wait_until(redis_answers, 20, "redis", redis)
        redis_up = time.monotonic()
        note("redis restarted (empty: every queued message was lost)")
        for t in threads:
            t.join(timeout=max(1.0, upload_deadline - time.monotonic()))
        upload_seconds = time.monotonic() - upload_start
        note(f"uploads done: {len(tally.accepted)} accepted in {upload_seconds:.1f}s")

        ids = list(tally.accepted)
        pending = len(ids)
        while time.monotonic() < deadline:
            with sessions() as s:
                pending = s.scalar(
                    select(func.count()).where(Document.status.in_(("queued", "processing")))
                ) or 0
            if pending == 0:
                break
            time.sleep(2)
        drained = time.monotonic()
        note(f"drain finished, {pending} unfinished")
        with sessions() as s:
            rows = dict(s.execute(select(Document.id, Document.status)).all())
            reasons = Counter(
                r for (r,) in s.execute(select(Document.failure_reason).where(Document.status == "failed"))
            )
            dup_results = s.scalar(
                select(func.count()).select_from(
                    select(Result.document_id)
                    .group_by(Result.document_id)
                    .having(func.count() > 1)
                    .subquery()
                )
            )
            dup_final = s.scalar(
                select(func.count()).select_from(
                    select(StatusEvent.document_id)
                    .where(StatusEvent.status.in_(("succeeded", "failed")))
                    .group_by(StatusEvent.document_id)
                    .having(func.count() > 1)
                    .subquery()
                )
            )
            requeued = s.scalar(
                select(func.count(func.distinct(StatusEvent.document_id))).where(
                    StatusEvent.detail.like("re-enqueued%")
                )
            )
            retried = s.scalar(select(func.count()).where(Document.attempts > 1))
        statuses = Counter(rows.get(i, "missing") for i in ids)
        lost = sum(n for st, n in statuses.items() if st not in ("succeeded", "failed"))
        figures = {
            "uploads_sent": tally.sent,
            "clients": args.clients,
            "accepted": len(ids),
            "refused": dict(tally.refused),
            "rows_not_accepted_by_a_client": len(set(rows) - set(ids)),
            "succeeded": statuses.get("succeeded", 0),
            "failed": statuses.get("failed", 0),
            "failed_reasons": dict(reasons),
            "lost": lost,
            "duplicate_results": dup_results,
            "duplicate_final_events": dup_final,
            "documents_claimed_more_than_once": retried,
            "documents_re_enqueued_by_sweeper": requeued,
            "accept_latency_p50_ms": round(statistics.median(tally.latencies) * 1000, 1) if ids else None,
            "accept_latency_p99_ms": round(percentile(tally.latencies, 0.99) * 1000, 1),
            "accept_latency_max_ms": round(max(tally.latencies, default=0) * 1000, 1),
            # uploads started while Redis was down (or in the 5 s before, still waiting on it) vs the rest
            "accept_latency_p99_ms_outside_redis_outage": round(
                percentile(
                    [lat for lat, st in zip(tally.latencies, tally.started, strict=True)
                     if not redis_down - 5 <= st <= redis_up], 0.99
                ) * 1000, 1
            ),
            "accepted_during_redis_outage": sum(redis_down <= st <= redis_up for st in tally.started),
            "upload_seconds": round(upload_seconds, 1),
            "uploads_per_second": round(len(ids) / upload_seconds, 1) if upload_seconds else None,
            "seconds_to_drain_after_uploads": round(drained - upload_start - upload_seconds, 1),
            "total_seconds": round(time.monotonic() - t0, 1),
            "events": events,
        }
        print(json.dumps(figures, indent=2))
        ok = (
            lost == 0
            and dup_results == 0
            and dup_final == 0
            and figures["rows_not_accepted_by_a_client"] == 0
            and len(ids) == figures["succeeded"] + figures["failed"]
        )
        print("SOAK OK" if ok else "SOAK FAILED", flush=True)
        if not ok:
            print(f"logs kept in {work}", file=sys.stderr)
        return 0 if ok else 1
    finally:
        cleanup.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uploads", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--max-seconds", type=float, default=1200.0, help="hard bound for the whole run")
    parser.add_argument(
        "--pg-admin-url",
        default=os.environ.get("INVOICE_OCR_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test"),
        help="a PostgreSQL on this machine where a scratch database may be created and dropped",
    )
    args = parser.parse_args(argv)
    host = args.pg_admin_url.split("@")[-1].split("/")[0].split(":")[0]
    if host not in (LOOPBACK, "localhost"):
        parser.error("the soak only talks to loopback: --pg-admin-url must point at 127.0.0.1")
    if not 1 <= args.clients <= 200 or not 1 <= args.uploads <= 20000:
        parser.error("--clients must be 1..200 and --uploads 1..20000")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
