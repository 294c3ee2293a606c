"""index for listing a tenant's documents newest first

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 10:00:00.000000

GET /v1/documents pages through one tenant's documents by (created_at, id) descending; without
this index every page would sort all of the tenant's rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_documents_tenant_created", "documents", ["tenant_id", "created_at", "id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_documents_tenant_created", table_name="documents")
