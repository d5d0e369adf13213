"""Path parameters naming a table row: positive and small enough for a PostgreSQL integer."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

MAX_ROW_ID = 2**31 - 1

RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
