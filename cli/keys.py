"""`invoice-ocr keys create|revoke|secret`: API keys and the tenant's webhook signing secret.

The forms are fixed because scripts rely on them:
    invoice-ocr keys create --tenant NAME   -> one JSON line {"tenant", "key", "webhook_secret", ...}
    invoice-ocr keys revoke KEY
    invoice-ocr keys secret --tenant NAME   -> the webhook signing secret
"""

from __future__ import annotations

import argparse
import json
import sys


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "keys",
        help="create or revoke API keys; show a tenant's webhook secret",
        description="API keys (stored only as hashes) and the tenant's webhook signing secret.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = actions.add_parser(
        "create",
        help="print a new API key as one JSON line (shown once)",
        description=(
            "Create an API key for TENANT (the tenant is created on first use) and print one JSON "
            'line {"tenant", "key", "webhook_secret", "tenant_id"}. The key is shown once and '
            "stored only as a hash."
        ),
    )
    create.add_argument("--tenant", required=True, metavar="NAME")
    create.add_argument("--name", help="a label for the key")
    revoke = actions.add_parser("revoke", help="revoke a key at once", description="Revoke KEY at once.")
    revoke.add_argument("key", metavar="KEY", help="the key, or its prefix as shown in logs")
    secret = actions.add_parser(
        "secret", help="print a tenant's webhook secret", description="Print TENANT's webhook secret."
    )
    secret.add_argument("--tenant", required=True, metavar="NAME")
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
            issued = create_key(s, args.tenant, args.name)
            tenant = s.get(Tenant, issued.tenant_id)
            assert tenant is not None
            secret = webhook_secret(settings.secret_key, tenant.id, tenant.webhook_secret_version)
            s.commit()
            line = {
                "tenant": tenant.name,
                "key": issued.key,
                "webhook_secret": secret,
                "tenant_id": tenant.id,
            }
            print(json.dumps(line))
            return 0
        if args.action == "revoke":
            if revoke_key(s, args.key):
                s.commit()
                print("revoked")
                return 0
            print("invoice-ocr: no such live key", file=sys.stderr)
            return 1
        tenant = s.scalar(select(Tenant).where(Tenant.name == args.tenant))
        if tenant is None:
            print(f"invoice-ocr: no tenant {args.tenant!r}", file=sys.stderr)
            return 1
        print(webhook_secret(settings.secret_key, tenant.id, tenant.webhook_secret_version))
        return 0
