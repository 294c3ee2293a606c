"""Load benchmark (issue 4): how fast the API accepts uploads, and documents per minute end to end.

    .venv/bin/python -m bench.load                       # the issue's run (about 2-4 minutes)
    .venv/bin/python -m bench.load --uploads 200 --docs 30   # a quick look

Everything runs on loopback with processes this script starts and stops itself: a fresh database
`invoice_ocr_bench_<hex>` in the local PostgreSQL (migrated, dropped at the end), the local Redis
under a key prefix of its own (its keys deleted at the end), a moto S3 server on a free port, the
API under gunicorn as `invoice-ocr api` runs it, and Celery workers as `invoice-ocr worker` runs
them. Each figure is printed with a peer measured in the same run:

1. accept: `--clients` concurrent clients POST one-page PDFs to /v1/documents (at most `--uploads`
   requests or `--accept-seconds`), with no worker running, so only the API's work is timed.
   Peer: the same clients doing GET /healthz on the same server (the HTTP floor: routing, gunicorn,
   no auth, database or storage). Printed: uploads/s, p50/p99 accept latency, and the rate ratio.
2. end to end: `--docs` uploads with one worker process, then with two, from the first upload to
   the last document succeeded. Peer: the 1-process run; printed the 2/1 throughput ratio. Each
   pool process is warmed on two documents first, so the figure is not the pipeline's import time.

Bounded: request counts as above, and `--max-seconds` for the whole run (exit 1 when it runs out).
The rate limiter is switched off (all clients share one key: the service is measured, not the limit).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.soak import make_pdfs, percentile
from infra.stack import (
    LOOPBACK,
    REDIS_URL,
    Proc,
    drop_redis_keys,
    free_port,
    scratch_database,
    service_env,
    start_moto,
    wait_until,
)


class OutOfTime(RuntimeError):
    """The run's --max-seconds ran out."""


@dataclass
class Phase:
    """What the clients of one phase saw; shared by their threads under the lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    sent: int = 0
    ok: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    refused: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def figures(self, unit: str) -> dict[str, Any]:
        return {
            "requests": self.sent,
            "ok": len(self.latencies),
            "refused": dict(self.refused),
            "seconds": round(self.seconds, 2),
            f"{unit}_per_second": round(len(self.latencies) / self.seconds, 1) if self.seconds else None,
            "latency_p50_ms": round(statistics.median(self.latencies) * 1000, 1) if self.latencies else None,
            "latency_p99_ms": round(percentile(self.latencies, 0.99) * 1000, 1),
        }


def hammer(clients: int, limit: int, seconds: float, call: Callable[[Any, int], tuple[bool, str]]) -> Phase:
    """`clients` threads, each with its own HTTP session, make at most `limit` calls in all within
    `seconds`; `call(session, n)` returns (accepted, id or refusal reason)."""
    import requests

    phase = Phase()
    deadline = time.monotonic() + seconds

    def loop() -> None:
        session = requests.Session()
        while time.monotonic() < deadline:
            with phase.lock:
                if phase.sent >= limit:
                    return
                n = phase.sent
                phase.sent += 1
            started = time.perf_counter()
            try:
                accepted, what = call(session, n)
            except requests.RequestException as exc:
                accepted, what = False, type(exc).__name__
            elapsed = time.perf_counter() - started
            with phase.lock:
                if accepted:
                    phase.ok.append(what)
                    phase.latencies.append(elapsed)
                else:
                    phase.refused[what] += 1

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(clients)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(1.0, deadline - time.monotonic() + 35))  # +35: the last request's timeout
    phase.seconds = time.monotonic() - began
    return phase


def uploader(base: str, key: str, pdfs: list[bytes]) -> Callable[[Any, int], tuple[bool, str]]:
    def call(session: Any, n: int) -> tuple[bool, str]:
        response = session.post(
            f"{base}/v1/documents",
            headers={"Authorization": f"Bearer {key}"},
            files={"file": (f"load-{n}.pdf", pdfs[n % len(pdfs)], "application/pdf")},
            timeout=30,
        )
        if response.status_code == 202:
            return True, response.json()["id"]
        return False, f"HTTP {response.status_code}"

    return call


def end_to_end(
    env: dict[str, str], work: Path, base: str, key: str, sessions: Any, processes: int, docs: int,
    pdfs: list[bytes], deadline: float,
) -> dict[str, Any]:
    """Documents per minute with one worker node of `processes` pool processes, warmed first."""
    from sqlalchemy import func, select

    from store.models import Document

    def finished(ids: list[str]) -> int:
        with sessions() as s:
            return s.scalar(
                select(func.count()).where(Document.id.in_(ids), Document.status.in_(("succeeded", "failed")))
            ) or 0

    def wait_all(ids: list[str]) -> None:
        while finished(ids) < len(ids):
            if time.monotonic() > deadline:
                left = len(ids) - finished(ids)
                raise OutOfTime(f"{left} documents unfinished with {processes} process(es)")
            time.sleep(0.05)

    worker = Proc(
        [sys.executable, "-m", "cli.main", "worker", f"--concurrency={processes}", "--loglevel=INFO",
         f"--hostname=bench-{processes}@%h"],
        env,
        work / f"worker-{processes}.log",
    )
    try:
        wait_until(lambda: worker.says("ready."), 120, f"the worker of {processes} processes", worker)
        warm = hammer(processes * 2, processes * 2, 60, uploader(base, key, pdfs))
        wait_all(warm.ok)
        phase = hammer(10, docs, max(1.0, deadline - time.monotonic()), uploader(base, key, pdfs))
        started = time.monotonic() - phase.seconds
        wait_all(phase.ok)
        elapsed = time.monotonic() - started
        with sessions() as s:
            statuses = Counter(
                s.scalars(select(Document.status).where(Document.id.in_(phase.ok))).all()
            )
    finally:
        worker.stop()
    return {
        "worker_processes": processes,
        "documents": len(phase.ok),
        "succeeded": statuses.get("succeeded", 0),
        "failed": statuses.get("failed", 0),
        "refused_uploads": dict(phase.refused),
        "seconds": round(elapsed, 2),
        "documents_per_minute": round(len(phase.ok) / elapsed * 60, 1),
    }


def retire(sessions: Any, ids: list[str], queue: Any) -> None:
    """Take the accept phase's documents out of play: no worker ran, so they are all still queued;
    the queue is purged and the rows marked deleted (claims and the sweeper skip deleted rows), so
    the end-to-end phases time only their own documents."""
    from sqlalchemy import update

    from store.models import Document, utcnow

    queue.purge()
    with sessions() as s:
        for start in range(0, len(ids), 500):
            s.execute(
                update(Document).where(Document.id.in_(ids[start:start + 500])).values(deleted_at=utcnow())
            )
        s.commit()


def run(args: argparse.Namespace) -> int:
    import requests

    from store.db import make_engine, make_session_factory, upgrade
    from store.keys import create_key
    from store.queue import QueueHandle, make_celery
    from store.settings import Settings

    t0 = time.monotonic()
    deadline = t0 + args.max_seconds
    work = Path(tempfile.mkdtemp(prefix="invoice-ocr-load-"))
    token = secrets.token_hex(4)
    prefix = f"iocr-bench-{token}:"
    api_port = free_port()
    report: dict[str, Any] = {}
    cleanup = contextlib.ExitStack()
    try:
        database_url = cleanup.enter_context(scratch_database(f"invoice_ocr_bench_{token}"))
        cleanup.callback(drop_redis_keys, prefix)
        engine = make_engine(database_url)
        cleanup.callback(engine.dispose)
        upgrade(database_url)
        sessions = make_session_factory(engine)
        with sessions() as s:
            key = create_key(s, "bench").key
            s.commit()
        moto, s3_env = start_moto(work / "moto.log", "bench", credential="bench")
        cleanup.callback(moto.stop)
        env = service_env(database_url, REDIS_URL, work / "data", s3_env, prefix,
                          INVOICE_OCR_RATE_LIMIT_PER_MINUTE="0")
        api = Proc([sys.executable, "-m", "cli.main", "api", "--host", LOOPBACK, "--port", str(api_port),
                    "--workers", str(args.api_workers)], env, work / "api.log")
        cleanup.callback(api.stop)
        base = f"http://{LOOPBACK}:{api_port}"
        wait_until(lambda: requests.get(f"{base}/readyz", timeout=2).status_code == 200, 90, "the API", api)
        pdfs = make_pdfs(50)
        print(f"stack up in {time.monotonic() - t0:.1f}s; {args.clients} clients, "
              f"API: gunicorn {args.api_workers} processes x 8 threads", flush=True)

        def health(session: Any, n: int) -> tuple[bool, str]:
            response = session.get(f"{base}/healthz", timeout=30)
            return response.status_code == 200, f"HTTP {response.status_code}"

        # Warm both paths first (connections, gunicorn threads, each process's database and S3 pools).
        hammer(args.clients, args.clients * 2, 10, health)
        warm = hammer(args.clients, args.clients, 30, uploader(base, key, pdfs))
        healthz = hammer(args.clients, args.uploads, args.accept_seconds, health)
        accept = hammer(args.clients, args.uploads, args.accept_seconds, uploader(base, key, pdfs))
        h, a = healthz.figures("requests"), accept.figures("uploads")
        report["healthz_peer"], report["accept"] = h, a
        ratio = a["uploads_per_second"] / h["requests_per_second"] if h["requests_per_second"] else None
        report["accept_vs_healthz_rate"] = round(ratio, 3) if ratio else None
        print(f"GET /healthz  : {h['requests_per_second']} req/s, p50 {h['latency_p50_ms']} ms, "
              f"p99 {h['latency_p99_ms']} ms ({h['ok']} requests)", flush=True)
        print(f"POST upload   : {a['uploads_per_second']} uploads/s, p50 {a['latency_p50_ms']} ms, "
              f"p99 {a['latency_p99_ms']} ms ({a['ok']} accepted, refused {a['refused']})", flush=True)
        print(f"accept rate / healthz rate = {report['accept_vs_healthz_rate']}", flush=True)

        queue = QueueHandle(make_celery(Settings.from_env(env), "invoice-ocr-bench"))
        retire(sessions, warm.ok + accept.ok, queue)
        runs = []
        for processes in (1, 2):
            figures = end_to_end(env, work, base, key, sessions, processes, args.docs, pdfs, deadline)
            runs.append(figures)
            print(
                f"end to end, {processes} worker process(es): {figures['documents_per_minute']} docs/min "
                f"({figures['documents']} in {figures['seconds']} s, {figures['failed']} failed)",
                flush=True,
            )
        report["end_to_end"] = runs
        speedup = runs[1]["documents_per_minute"] / runs[0]["documents_per_minute"]
        report["two_vs_one_worker_throughput"] = round(speedup, 3)
        print(f"2-process / 1-process throughput = {report['two_vs_one_worker_throughput']}", flush=True)
        report["cpus_visible"] = os.cpu_count()
        report["total_seconds"] = round(time.monotonic() - t0, 1)
        print(json.dumps(report, indent=2))
        return 0
    except (OutOfTime, RuntimeError) as exc:
        print(f"bench.load: {exc} (logs in {work})", file=sys.stderr)
        return 1
    finally:
        cleanup.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    p.add_argument("--clients", type=int, default=50, help="concurrent clients in the accept phase")
    p.add_argument("--uploads", type=int, default=1000, help="at most this many uploads (and healthz calls)")
    p.add_argument("--accept-seconds", type=float, default=60.0, help="at most this long per accept phase")
    p.add_argument("--docs", type=int, default=100, help="documents per end-to-end run")
    p.add_argument("--api-workers", type=int, default=2, help="gunicorn processes (invoice-ocr api default)")
    p.add_argument("--max-seconds", type=float, default=600.0, help="the whole run's time limit")
    args = p.parse_args(argv)
    if min(args.clients, args.uploads, args.docs, args.api_workers) < 1:
        p.error("--clients, --uploads, --docs and --api-workers must be at least 1")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
