"""republished reports keep their public address

A republished report's new snapshot takes the address (slug) of the one it replaces, so links
already shared keep working. The address stops being unique over all snapshots (withdrawn ones
keep theirs, as the record of what was published where) and is unique among live ones instead.

Revision ID: 2c8804a99d8a
Revises: ec91b9040526
Create Date: 2026-12-07 14:22:10.490418

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "2c8804a99d8a"
down_revision = "ec91b9040526"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("published_report", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_published_report_slug"), type_="unique")
        batch_op.create_index(batch_op.f("ix_published_report_slug"), ["slug"], unique=False)
        batch_op.create_index(
            "uq_published_report_live_slug",
            ["slug"],
            unique=True,
            sqlite_where=sa.text("live"),
            postgresql_where=sa.text("live"),
        )


def downgrade():
    # Every slug must be unique again: withdrawn snapshots sharing an address give it up to the
    # live one (their pages were already gone), each taking its own id as a suffix.
    op.execute(
        "UPDATE published_report SET slug = slug || '-' || CAST(id AS VARCHAR(12)) "
        "WHERE NOT live AND slug IN (SELECT slug FROM published_report GROUP BY slug HAVING COUNT(*) > 1)"
    )
    with op.batch_alter_table("published_report", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_published_report_live_slug", sqlite_where=sa.text("live"), postgresql_where=sa.text("live")
        )
        batch_op.drop_index(batch_op.f("ix_published_report_slug"))
        batch_op.create_unique_constraint(batch_op.f("uq_published_report_slug"), ["slug"])
