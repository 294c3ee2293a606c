"""GET /metrics in the Prometheus text format.

Job figures come from the database, so every API process reports the same, complete numbers
(documents by status, webhook deliveries by status, a histogram of pipeline stage durations). Queue
depth comes from the broker itself (messages waiting per queue), because that is what tells an
operator to add workers: a document row can be "queued" while its message is lost, and the
broker's view is the one the workers consume. HTTP request counters are per process (label `pid`),
which Prometheus sums across scrape targets.
"""

from __future__ import annotations

import logging
import os
import time

from flask import Blueprint, Flask, Response, g, request
from sqlalchemy import case, func, select

from api.services import services
from store.models import Document, StageTiming, WebhookDelivery

bp = Blueprint("metrics", __name__)
log = logging.getLogger(__name__)

# Upper bounds (seconds) of the stage-duration histogram: from a text-layer PDF's few milliseconds
# per stage to OCR of a large scan on CPU.
STAGE_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)


def _esc(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def install(app: Flask) -> None:
    @app.before_request
    def _start() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _count(response: Response) -> Response:
        started = g.get("metrics_started")
        if started is not None:
            endpoint = request.url_rule.rule if request.url_rule is not None else "unmatched"
            services().metrics.observe(
                request.method, endpoint, response.status_code, time.perf_counter() - started
            )
        return response


def _queue_lines() -> list[str]:
    """Queue depth per queue, plus whether the broker answered: a scrape must still succeed (and
    say so) while the broker is down, since that is exactly when the operator is looking."""
    try:
        depths = services().queue.depths()
    except Exception as exc:  # any broker failure: report it as a gauge, never a failed scrape
        log.warning("broker unreachable for /metrics: %s", type(exc).__name__)
        depths = None
    lines = [
        "# HELP invoice_ocr_broker_up Whether the broker answered the queue-depth query (1) or not (0).",
        "# TYPE invoice_ocr_broker_up gauge",
        f"invoice_ocr_broker_up {0 if depths is None else 1}",
    ]
    if depths is not None:
        lines += [
            "# HELP invoice_ocr_queue_depth Messages waiting in the broker, per queue.",
            "# TYPE invoice_ocr_queue_depth gauge",
        ]
        lines += [f'invoice_ocr_queue_depth{{queue="{q}"}} {n}' for q, n in depths.items()]
    return lines


def _stage_lines(rows: list[tuple[object, ...]]) -> list[str]:
    """The stage-duration histogram; rows are (stage, count, sum, count <= each bucket ...)."""
    lines = [
        "# HELP invoice_ocr_stage_seconds Time spent in each pipeline stage.",
        "# TYPE invoice_ocr_stage_seconds histogram",
    ]
    for stage, count, total, *cumulative in sorted(rows, key=lambda r: str(r[0])):
        name = _esc(str(stage))
        for bound, n in zip(STAGE_BUCKETS, cumulative, strict=True):
            lines.append(f'invoice_ocr_stage_seconds_bucket{{stage="{name}",le="{bound}"}} {int(n or 0)}')
        lines.append(f'invoice_ocr_stage_seconds_bucket{{stage="{name}",le="+Inf"}} {count}')
        lines.append(f'invoice_ocr_stage_seconds_sum{{stage="{name}"}} {float(total or 0):.6f}')
        lines.append(f'invoice_ocr_stage_seconds_count{{stage="{name}"}} {count}')
    return lines


@bp.get("/metrics")
def metrics() -> Response:
    svc = services()
    lines: list[str] = []
    buckets = [func.sum(case((StageTiming.seconds <= b, 1), else_=0)) for b in STAGE_BUCKETS]
    with svc.sessions() as s:
        docs = s.execute(
            select(Document.status, func.count())
            .where(Document.deleted_at.is_(None))
            .group_by(Document.status)
        ).all()
        hooks = s.execute(select(WebhookDelivery.status, func.count()).group_by(WebhookDelivery.status)).all()
        stages = s.execute(
            select(StageTiming.stage, func.count(), func.sum(StageTiming.seconds), *buckets).group_by(
                StageTiming.stage
            )
        ).all()
    by_status = {"queued": 0, "processing": 0, "succeeded": 0, "failed": 0, **dict(docs)}
    lines += ["# HELP invoice_ocr_documents Documents by status.", "# TYPE invoice_ocr_documents gauge"]
    lines += [f'invoice_ocr_documents{{status="{k}"}} {v}' for k, v in sorted(by_status.items())]
    lines += _queue_lines()
    lines += [
        "# HELP invoice_ocr_webhook_deliveries Webhook deliveries by status.",
        "# TYPE invoice_ocr_webhook_deliveries gauge",
    ]
    lines += [f'invoice_ocr_webhook_deliveries{{status="{_esc(k)}"}} {v}' for k, v in sorted(hooks)]
    lines += _stage_lines([tuple(r) for r in stages])
    counts, seconds = svc.metrics.snapshot()
    pid = os.getpid()
    lines += [
        "# HELP invoice_ocr_http_requests_total HTTP requests served by this process.",
        "# TYPE invoice_ocr_http_requests_total counter",
    ]
    for (method, endpoint, status), n in sorted(counts.items()):
        lines.append(
            f'invoice_ocr_http_requests_total{{pid="{pid}",method="{method}",route="{_esc(endpoint)}",'
            f'status="{status}"}} {n}'
        )
    lines += [
        "# HELP invoice_ocr_http_request_seconds_total Time spent serving requests (this process).",
        "# TYPE invoice_ocr_http_request_seconds_total counter",
    ]
    for (method, endpoint), total in sorted(seconds.items()):
        lines.append(
            f'invoice_ocr_http_request_seconds_total{{pid="{pid}",method="{method}",'
            f'route="{_esc(endpoint)}"}} {total:.6f}'
        )
    return Response("\n".join(lines) + "\n", mimetype="text/plain; version=0.0.4")
