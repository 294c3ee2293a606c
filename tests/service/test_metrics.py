"""/metrics against the real brokers: queue depth per queue moves as documents are queued with no
worker consuming (Redis, and the embedded SQLite broker), documents by status from the database,
the stage-duration histogram, and a scrape that still answers while the broker is down."""

from __future__ import annotations

import dataclasses
import io
import re
import secrets

import pytest

from infra.stack import drop_redis_keys
from tests.service.conftest import auth, free_port, make_invoice_pdf, wait_final
from tests.service.test_documents import upload

pytestmark = pytest.mark.service


def scrape(client) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Every sample of a scrape as {"name{labels}": value}; each value must be a number."""
    response = client.get("/metrics")
    assert response.status_code == 200
    samples = {}
    for line in response.get_data(as_text=True).splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    return samples


def _batch(client, key: str, n: int):  # type: ignore[no-untyped-def]
    files = [(io.BytesIO(make_invoice_pdf(f"INV-MB{i}")), f"mb{i}.pdf") for i in range(n)]
    response = client.post(
        "/v1/batches", data={"file": files}, headers=auth(key), content_type="multipart/form-data"
    )
    assert response.status_code == 202 and len(response.get_json()["accepted"]) == n
    return [a["id"] for a in response.get_json()["accepted"]]


def _queue_gauges_move(app, client, key: str) -> None:  # type: ignore[no-untyped-def]
    """On an app whose queues nobody consumes: depth and queued documents rise by what we send."""
    depth_i, depth_b = (
        'invoice_ocr_queue_depth{queue="interactive"}',
        'invoice_ocr_queue_depth{queue="batch"}',
    )
    queued = 'invoice_ocr_documents{status="queued"}'
    before = scrape(app)
    assert before["invoice_ocr_broker_up"] == 1
    assert (before[depth_i], before[depth_b]) == (0, 0)
    ids = [upload(app, key, make_invoice_pdf(f"INV-M{i}")).get_json()["id"] for i in range(2)]
    ids += _batch(app, key, 3)
    after = scrape(app)
    assert (after[depth_i], after[depth_b]) == (2, 3)
    # The database count is shared with the session's worker, which only ever lowers it meanwhile.
    assert after[queued] >= 5
    for doc_id in ids:
        assert client.delete(f"/v1/documents/{doc_id}", headers=auth(key)).status_code == 204
    gone = scrape(app)
    assert gone[queued] <= after[queued] - 5
    assert (gone[depth_i], gone[depth_b]) == (2, 3)  # the broker still holds the (now moot) messages


def test_queue_depth_on_redis_nobody_consuming(client, key, stack) -> None:  # type: ignore[no-untyped-def]
    from api.app import create_app

    idle_prefix = f"iocr-test-idle-{secrets.token_hex(4)}:"
    idle = create_app(dataclasses.replace(stack.settings, broker_key_prefix=idle_prefix)).test_client()
    try:
        _queue_gauges_move(idle, client, key)
    finally:
        drop_redis_keys(idle_prefix)


def test_queue_depth_on_the_embedded_broker(  # type: ignore[no-untyped-def]
    client, key, stack, tmp_path
) -> None:
    from api.app import create_app

    embedded = dataclasses.replace(
        stack.settings, broker_url=f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}", data_dir=tmp_path
    )
    _queue_gauges_move(create_app(embedded).test_client(), client, key)


def test_broker_down_still_scrapes(stack) -> None:  # type: ignore[no-untyped-def]
    from api.app import create_app

    down = dataclasses.replace(stack.settings, broker_url=f"redis://127.0.0.1:{free_port()}/0")
    samples = scrape(create_app(down).test_client())
    assert samples["invoice_ocr_broker_up"] == 0
    assert not any(name.startswith("invoice_ocr_queue_depth") for name in samples)
    assert 'invoice_ocr_documents{status="queued"}' in samples


def test_stage_histogram(client, key) -> None:  # type: ignore[no-untyped-def]
    before = scrape(client)
    doc_id = upload(client, key, make_invoice_pdf("INV-MH")).get_json()["id"]
    assert wait_final(client, key, doc_id)["status"] == "succeeded"
    text = client.get("/metrics").get_data(as_text=True)
    assert "# TYPE invoice_ocr_stage_seconds histogram" in text
    after = scrape(client)
    stages = {m.group(1) for m in re.finditer(r'invoice_ocr_stage_seconds_count\{stage="([^"]+)"\}', text)}
    assert "load" in stages
    for stage in stages:
        count = after[f'invoice_ocr_stage_seconds_count{{stage="{stage}"}}']
        buckets = [
            (float(m.group(1).replace("+Inf", "inf")), after[m.group(0)])
            for m in re.finditer(rf'invoice_ocr_stage_seconds_bucket\{{stage="{stage}",le="([^"]+)"\}}', text)
        ]
        assert [b for b, _ in buckets] == sorted(b for b, _ in buckets) and buckets[-1][0] == float("inf")
        values = [v for _, v in buckets]
        assert values == sorted(values) and values[-1] == count  # cumulative, +Inf is the count
        assert after[f'invoice_ocr_stage_seconds_sum{{stage="{stage}"}}'] >= 0
    load = 'invoice_ocr_stage_seconds_count{stage="load"}'
    assert after[load] >= before.get(load, 0) + 1
