"""`invoice-ocr keys create|revoke|secret`: API keys and the tenant's webhook signing secret."""

from __future__ import annotations

import argparse
import json
import sys


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "keys",
        help="create or revoke API keys; show a tenant's webhook secret",
        description=(
            "create TENANT: print a new API key for TENANT (created on first use) and the tenant's "
            "webhook secret; the key is shown once and stored only as a hash. revoke KEY_OR_PREFIX: "
            "the key stops working at once. secret TENANT: print the webhook signing secret."
        ),
    )
    p.add_argument("action", choices=("create", "revoke", "secret"))
    p.add_argument("target", metavar="TENANT|KEY", help="tenant name (create, secret) or key/prefix (revoke)")
    p.add_argument("--name", help="a label for the key (create)")
    p.add_argument("--json", action="store_true", help="print JSON (create)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from store.db import check_schema, make_engine, make_session_factory
    from store.keys import create_key, revoke_key, webhook_secret
    from store.models import Tenant
    from store.settings import Settings

    settings = Settings.from_env()
    engine = make_engine(settings.database_url)
    check_schema(engine)
    with make_session_factory(engine)() as s:
        if args.action == "create":
            issued = create_key(s, args.target, args.name)
            tenant = s.get(Tenant, issued.tenant_id)
            assert tenant is not None
            secret = webhook_secret(settings.secret_key, tenant.id, tenant.webhook_secret_version)
            s.commit()
            if args.json:
                print(
                    json.dumps(
                        {
                            "key": issued.key,
                            "tenant": tenant.name,
                            "tenant_id": tenant.id,
                            "webhook_secret": secret,
                        }
                    )
                )
            else:
                print(f"API key for tenant {tenant.name!r} (shown once; store it now):\n{issued.key}")
                print(f"webhook secret (X-Signature HMAC-SHA256 key): {secret}")
            return 0
        if args.action == "revoke":
            if revoke_key(s, args.target):
                s.commit()
                print("revoked")
                return 0
            print("invoice-ocr: no such live key", file=sys.stderr)
            return 1
        tenant = s.scalar(select(Tenant).where(Tenant.name == args.target))
        if tenant is None:
            print(f"invoice-ocr: no tenant {args.target!r}", file=sys.stderr)
            return 1
        print(webhook_secret(settings.secret_key, tenant.id, tenant.webhook_secret_version))
        return 0
