"""What every request and response shape shares: strict request bodies, explicit responses,
the problem shape of errors, ids, paging and the small value types."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from learn_app.services.language.text import MAX_SEARCH_LENGTH
from learn_app.services.paging import MAX_PAGE_SIZE

MAX_ROW_ID = 2**31 - 1


class RequestBody(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ResponseBody(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Problem(BaseModel):
    """Every error answer: a message a person can act on, and the input field it is about."""

    detail: str
    field: str | None = None


class Pagination(BaseModel):
    current_page: int
    total_pages: int
    total_items: int
    items_per_page: int


# --- operations -----------------------------------------------------------------------------


class Health(BaseModel):
    status: str
    database: bool


RowIdValue = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]
PageNumber = Annotated[int, Field(ge=1, le=1_000_000)]
PerPage = Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)]
Search = Annotated[str, Field(max_length=MAX_SEARCH_LENGTH)]
LanguageCode = Annotated[str, Field(max_length=8)]
