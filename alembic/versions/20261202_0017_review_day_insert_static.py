"""answers counted into the day tables by a trigger whose statements are planned once

Migration 0015's statement trigger on `review` builds its statements as text and runs them with
EXECUTE, so every insert of answers parses and plans them again — most of an insert's time, on
the path every answer takes. Inserts now run a trigger function whose body is those same
statements (`review_day_statements` and `review_latest_added` with 0015's source for an insert),
written into it once here: PL/pgSQL plans them once per connection and reuses the plans.
Updates and deletes of answers (a reset, a deleted session or account) keep 0015's function.
The tables are filled exactly as before.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 04:30:00.000000

"""

from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = "0017"
down_revision: Union[str, None] = "0016"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The source review_day_on_change() gives 0015's statements for an insert.
_INSERTED = "SELECT n.*, 1 AS sign FROM review_new n"

_CREATE_ON_INSERT = f"""
DO $do$
DECLARE
    body text := '';
    statement text;
BEGIN
    FOREACH statement IN ARRAY review_day_statements('{_INSERTED}') LOOP
        body := body || statement || E';\\n';
    END LOOP;
    body := body || review_latest_added('{_INSERTED}') || E';\\n';
    EXECUTE format(
        'CREATE FUNCTION review_day_on_insert() RETURNS trigger LANGUAGE plpgsql AS %L',
        E'BEGIN\\n' || body || E'RETURN NULL;\\nEND'
    );
END
$do$
"""


def _insert_trigger(function: str) -> None:
    op.execute("DROP TRIGGER review_day_insert ON review")
    op.execute(
        f"""
        CREATE TRIGGER review_day_insert AFTER INSERT ON review
            REFERENCING NEW TABLE AS review_new
            FOR EACH STATEMENT EXECUTE FUNCTION {function}()
        """
    )


def upgrade() -> None:
    op.execute(_CREATE_ON_INSERT)
    _insert_trigger("review_day_on_insert")


def downgrade() -> None:
    _insert_trigger("review_day_on_change")
    op.execute("DROP FUNCTION review_day_on_insert()")
