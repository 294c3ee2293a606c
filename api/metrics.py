"""GET /metrics in the Prometheus text format.

Job figures come from the database, so every API process reports the same, complete numbers
(documents by status, webhook deliveries by status, pipeline stage time, queue wait). HTTP request
counters are per process (label `pid`), which Prometheus sums across scrape targets.
"""

from __future__ import annotations

import os
import time

from flask import Blueprint, Flask, Response, g, request
from sqlalchemy import func, select

from api.services import services
from store.models import Document, StageTiming, WebhookDelivery

bp = Blueprint("metrics", __name__)


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


@bp.get("/metrics")
def metrics() -> Response:
    svc = services()
    lines: list[str] = []
    with svc.sessions() as s:
        docs = s.execute(
            select(Document.status, func.count())
            .where(Document.deleted_at.is_(None))
            .group_by(Document.status)
        ).all()
        hooks = s.execute(select(WebhookDelivery.status, func.count()).group_by(WebhookDelivery.status)).all()
        stages = s.execute(
            select(StageTiming.stage, func.count(), func.sum(StageTiming.seconds)).group_by(StageTiming.stage)
        ).all()
    by_status = {"queued": 0, "processing": 0, "succeeded": 0, "failed": 0, **dict(docs)}
    lines += ["# HELP invoice_ocr_documents Documents by status.", "# TYPE invoice_ocr_documents gauge"]
    lines += [f'invoice_ocr_documents{{status="{k}"}} {v}' for k, v in sorted(by_status.items())]
    lines += [
        "# HELP invoice_ocr_webhook_deliveries Webhook deliveries by status.",
        "# TYPE invoice_ocr_webhook_deliveries gauge",
    ]
    lines += [f'invoice_ocr_webhook_deliveries{{status="{_esc(k)}"}} {v}' for k, v in sorted(hooks)]
    lines += [
        "# HELP invoice_ocr_stage_seconds Time spent in each pipeline stage.",
        "# TYPE invoice_ocr_stage_seconds summary",
    ]
    for stage, count, total in sorted(stages):
        lines.append(f'invoice_ocr_stage_seconds_sum{{stage="{_esc(stage)}"}} {float(total or 0):.6f}')
        lines.append(f'invoice_ocr_stage_seconds_count{{stage="{_esc(stage)}"}} {count}')
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
