"""What every request and response shape shares: strict request bodies, explicit responses,
the problem shape of errors, ids, paging and the small value types."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from learn_app.services.language.text import MAX_SEARCH_LENGTH
from learn_app.services.paging import MAX_PAGE_SIZE

MAX_ROW_ID = 2**31 - 1


def has_invalid_unicode(value: object) -> bool:
    """A lone surrogate anywhere in the value (JSON's "\ud800" decodes to one): such text
    cannot be stored or shown, and PostgreSQL refuses it."""
    if isinstance(value, str):
        return any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, dict):
        return any(has_invalid_unicode(k) or has_invalid_unicode(v) for k, v in value.items())
    if isinstance(value, list | tuple | set):
        return any(has_invalid_unicode(item) for item in value)
    return False


class RequestBody(BaseModel):
    """A request body: unknown fields are refused, and so is text that is not valid Unicode."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _valid_unicode(cls, value: Any) -> Any:
        if has_invalid_unicode(value):
            raise ValueError("contains characters that are not valid Unicode")
        return value


class ResponseBody(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Problem(BaseModel):
    """Every error answer: a message a person can act on, and the input field it is about."""

    detail: str
    field: str | None = None


class WordRow(BaseModel):
    """The fields by which any list of words names each one; a list adds its own counts."""

    word_id: int
    term: str
    reading: str
    meaning: str


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
