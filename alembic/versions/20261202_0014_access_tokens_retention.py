"""personal access tokens; llm_call by date

`access_token` holds people's personal access tokens for their own programs: a SHA-256 of
the secret (never the secret), its name, scope (read | study), expiry, last use and
revocation. `llm_call.created_at` gets an index, for the retention clean-up that removes
old rows by date.

Revision ID: 0014
Revises: 0015
Create Date: 2026-12-02 01:10:00.000000

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0014"
down_revision: Union[str, None] = "0015"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "access_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("hint", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("secret_hash"),
    )
    op.create_index("ix_access_token_user_id", "access_token", ["user_id"])
    op.create_index("ix_llm_call_created_at", "llm_call", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_llm_call_created_at", table_name="llm_call")
    op.drop_index("ix_access_token_user_id", table_name="access_token")
    op.drop_table("access_token")
