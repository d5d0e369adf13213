"""Path parameters naming a table row: positive and small enough for a PostgreSQL integer."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from learn_app.api.schemas.common import MAX_ROW_ID

RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
