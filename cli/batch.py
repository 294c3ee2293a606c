"""`invoice-ocr batch DIR --url URL --key KEY --out results.jsonl`: load a folder into a service.

Bounded concurrency (each slot uploads one file, then polls it to the end), progress on stderr,
and resumable: files already in the output are skipped, and each upload carries an
Idempotency-Key derived from the file's path and content, so rerunning after a crash or Ctrl-C
never creates a document twice; it picks the earlier one up and waits for it. 429 and 5xx
answers are retried with exponential back-off (honouring Retry-After).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff"}


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "batch",
        help="send every document of a folder to a running service and collect the results",
        description=(
            "Upload the PDF/PNG/JPEG/WebP/TIFF files under DIR (recursively) to the service at --url on "
            "the batch queue, wait for each, and append one JSON line per file to --out. Rerun the same "
            "command to resume."
        ),
    )
    p.add_argument("directory", metavar="DIR")
    p.add_argument("--url", required=True, help="service base URL, e.g. http://localhost:8000")
    p.add_argument("--key", required=True, help="API key (or set it in a file and use --key @FILE)")
    p.add_argument("--out", required=True, help="JSON lines output file (appended to; drives resuming)")
    p.add_argument("--concurrency", type=int, default=4, help="files in flight at once (default 4)")
    p.add_argument("--document-type", dest="document_type")
    p.add_argument("--timeout", type=float, default=3600, help="seconds to wait for one document")
    p.set_defaults(func=run)


def find_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)


def done_paths(out: Path) -> set[str]:
    """Relative paths already written to the output (a torn last line is ignored and redone)."""
    done: set[str] = set()
    if not out.exists():
        return done
    for line in out.read_text(encoding="utf-8").splitlines():
        try:
            done.add(json.loads(line)["source_path"])
        except (ValueError, KeyError, TypeError):
            continue
    return done


class Client:
    def __init__(self, url: str, key: str, timeout: float) -> None:
        import requests

        self.requests = requests
        self.url = url.rstrip("/")
        self.headers = {"Authorization": f"Bearer {key}"}
        self.timeout = timeout

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        for attempt in range(8):
            try:
                response = self.requests.request(
                    method,
                    self.url + path,
                    headers={**self.headers, **kwargs.pop("headers", {})},
                    timeout=60,
                    **kwargs,
                )
            except self.requests.ConnectionError:
                response = None
            if response is not None and response.status_code < 500 and response.status_code != 429:
                return response
            wait = min(30.0, 2.0**attempt) * random.uniform(0.8, 1.2)
            if response is not None and response.headers.get("Retry-After", "").isdigit():
                wait = float(response.headers["Retry-After"])
            time.sleep(wait)
            if "files" in kwargs:  # rewind uploads for the retry
                for _, spec in kwargs["files"].items():
                    spec[1].seek(0)
        raise RuntimeError(f"{method} {path}: the service kept failing")

    def process(self, path: Path, rel: str, document_type: str | None) -> dict[str, Any]:
        data = path.read_bytes()
        key = hashlib.sha256(rel.encode() + b"\0" + data).hexdigest()
        import io

        form = {"priority": "batch"}
        if document_type:
            form["document_type"] = document_type
        response = self._call(
            "POST",
            "/v1/documents",
            headers={"Idempotency-Key": key},
            data=form,
            files={"file": (path.name, io.BytesIO(data), "application/octet-stream")},
        )
        if response.status_code not in (200, 202):
            return {
                "source_path": rel,
                "status": "rejected",
                "http_status": response.status_code,
                "error": response.json().get("detail", response.text),
            }
        doc_id = response.json()["id"]
        deadline = time.monotonic() + self.timeout
        delay = 0.2
        while time.monotonic() < deadline:
            body = self._call("GET", f"/v1/documents/{doc_id}").json()
            if body.get("status") in ("succeeded", "failed"):
                return {"source_path": rel, **body}
            time.sleep(delay)
            delay = min(delay * 1.5, 5.0)
        return {"source_path": rel, "id": doc_id, "status": "timeout", "error": "gave up waiting"}


def run(args: argparse.Namespace) -> int:
    directory = Path(args.directory)
    if not directory.is_dir():
        print(f"invoice-ocr batch: {directory} is not a folder", file=sys.stderr)
        return 2
    key = Path(args.key[1:]).read_text().strip() if args.key.startswith("@") else args.key
    out = Path(args.out)
    files = find_files(directory)
    done = done_paths(out)
    todo = [
        (p, p.relative_to(directory).as_posix())
        for p in files
        if p.relative_to(directory).as_posix() not in done
    ]
    print(
        f"invoice-ocr batch: {len(files)} files, {len(files) - len(todo)} already done, {len(todo)} to go",
        file=sys.stderr,
    )
    client = Client(args.url, key, args.timeout)
    lock = threading.Lock()
    counts = {"succeeded": 0, "failed": 0, "other": 0}
    started = time.monotonic()
    with out.open("a", encoding="utf-8") as fh, ThreadPoolExecutor(max(1, args.concurrency)) as pool:
        futures = {pool.submit(client.process, p, rel, args.document_type): rel for p, rel in todo}
        for n, future in enumerate(as_completed(futures), start=1):
            rel = futures[future]
            try:
                line = future.result()
            except Exception as exc:  # keep going; the file is retried on the next run
                print(f"invoice-ocr batch: {rel}: {exc}", file=sys.stderr)
                counts["other"] += 1
                continue
            with lock:
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
                fh.flush()
            status = line.get("status")
            counts[status if status in counts else "other"] += 1
            rate = n / max(1e-6, time.monotonic() - started)
            print(f"[{n}/{len(todo)}] {rel}: {status} ({rate:.1f} files/s)", file=sys.stderr)
    print(
        f"invoice-ocr batch: {counts['succeeded']} succeeded, {counts['failed']} failed, "
        f"{counts['other']} not finished",
        file=sys.stderr,
    )
    return 0 if counts["other"] == 0 and counts["failed"] == 0 else 1
