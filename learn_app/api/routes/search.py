"""Search the published lessons and words by meaning and by words (hybrid retrieval).

The index holds published content only, so what a learner finds here they may read.
The route is a plain `def`, run in the threadpool: retrieval embeds the question on the CPU,
and the event loop keeps serving other requests meanwhile.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from learn_app.api.deps import CallerDep
from learn_app.api.schemas.common import Problem
from learn_app.api.schemas.content import SearchHit, SearchResults
from learn_app.services.content.search import MAX_QUERY_LENGTH, MAX_RESULTS, search_content
from learn_app.services.language.text import clean_search

router = APIRouter(tags=["search"], responses={422: {"model": Problem}})


@router.get("/search")
def search(
    _caller: CallerDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_LENGTH)],
    language: Annotated[str | None, Query(max_length=8)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_RESULTS)] = 5,
) -> SearchResults:
    """The passages that best answer `q`, best first, each from a different lesson or word."""
    query = clean_search(q, max_length=MAX_QUERY_LENGTH)
    passages = search_content(q, language=language, limit=limit)
    return SearchResults(
        query=query, results=[SearchHit.model_validate(passage) for passage in passages]
    )
