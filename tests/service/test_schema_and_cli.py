"""Schema management and the service commands: migrations match the models, outdated schemas are
refused with the fix named, keys work from the CLI, the API process never loads torch."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys

import pytest

from tests.service.conftest import PG_ADMIN_URL, ROOT

pytestmark = pytest.mark.service


@pytest.fixture()
def empty_db(stack):  # type: ignore[no-untyped-def]
    import psycopg

    name = f"invoice_ocr_test_empty_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = stack.env["DATABASE_URL"].rsplit("/", 1)[0] + "/" + name
    yield url
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_migrations_match_the_models(stack) -> None:  # type: ignore[no-untyped-def]
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from store.db import make_engine
    from store.models import Base

    engine = make_engine(stack.settings.database_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    engine.dispose()
    assert diff == []


def test_outdated_schema_is_refused_with_the_command_to_run(stack, empty_db) -> None:  # type: ignore[no-untyped-def]
    env = {**stack.env, "DATABASE_URL": empty_db}
    for command in (["api"], ["worker"], ["keys", "create", "--tenant", "x"]):
        result = run_cli(env, *command)
        assert result.returncode != 0, command
        assert "invoice-ocr db upgrade" in result.stderr, (command, result.stderr[-2000:])
    assert run_cli(env, "db", "current").returncode == 1
    upgraded = run_cli(env, "db", "upgrade")
    assert upgraded.returncode == 0 and "schema revision: 0002" in upgraded.stdout
    assert run_cli(env, "db", "upgrade").returncode == 0  # idempotent
    assert run_cli(env, "db", "current").returncode == 0


def test_keys_create_revoke_and_secret(stack, client) -> None:  # type: ignore[no-untyped-def]
    from store.keys import webhook_secret

    tenant = f"cli-{secrets.token_hex(3)}"
    created = run_cli(stack.env, "keys", "create", "--tenant", tenant)
    assert created.returncode == 0, created.stderr
    info = json.loads(created.stdout)
    assert info["webhook_secret"] == webhook_secret(stack.settings.secret_key, info["tenant_id"], 1)
    assert run_cli(stack.env, "keys", "secret", "--tenant", tenant).stdout.strip() == info["webhook_secret"]
    headers = {"Authorization": f"Bearer {info['key']}"}
    assert client.get("/v1/documents/nope", headers=headers).status_code == 404  # authenticated
    assert run_cli(stack.env, "keys", "revoke", info["key"]).returncode == 0
    assert client.get("/v1/documents/nope", headers=headers).status_code == 401
    assert run_cli(stack.env, "keys", "revoke", info["key"]).returncode == 1


def test_api_process_never_imports_torch(stack, worker) -> None:  # type: ignore[no-untyped-def]
    code = (
        "import sys, io\n"
        "from api.app import create_app\n"
        "app = create_app()\n"
        "from store.keys import create_key\n"
        "s = app.extensions['invoice_ocr'].sessions()\n"
        "k = create_key(s, 'torchless').key; s.commit()\n"
        "c = app.test_client()\n"
        "r = c.post('/v1/ocr?document_type=invoice', data={'file': (io.BytesIO(b'%PDF-1.4 x'), 'a.pdf')},"
        " headers={'Authorization': 'Bearer ' + k})\n"
        "assert r.status_code == 400, (r.status_code, r.get_json())\n"
        "c.get('/openapi.json')\n"
        # Export (the Factur-X writer is imported on first use) and matching run in the API process.
        "import os, time\n"
        "h = {'Authorization': 'Bearer ' + k}\n"
        "pdf = open(os.environ['IOCR_EXPORT_PDF'], 'rb').read()\n"
        "d = c.post('/v1/documents', data={'file': (io.BytesIO(pdf), 'i.pdf')}, headers=h).get_json()['id']\n"
        "end = time.monotonic() + 60\n"
        "while c.get('/v1/documents/' + d, headers=h).get_json()['status'] != 'succeeded':\n"
        "    assert time.monotonic() < end, 'not processed'; time.sleep(0.1)\n"
        "for f in ('cii', 'ubl', 'csv', 'facturx'):\n"
        "    r = c.get(f'/v1/documents/{d}/export?format={f}', headers=h)\n"
        "    assert r.status_code == 200, (f, r.get_json())\n"
        "r = c.post('/v1/match', json={'invoice_id': d, 'purchase_order_id': d}, headers=h)\n"
        "assert r.status_code == 422, r.get_json()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'easyocr', 'torchvision')))\n"
    )
    from tests.service.test_export import export_invoice_pdf

    pdf = stack.tmp / "torchless-export.pdf"
    pdf.write_bytes(export_invoice_pdf("INV-TORCHLESS"))
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**stack.env, "IOCR_EXPORT_PDF": str(pdf)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"
