"""Search the published lessons and words by meaning and by words (hybrid retrieval).

The index holds published content only, so what a learner finds here they may read.
Retrieval embeds the question on the CPU: the route is a plain `def`, run in the threadpool,
so the event loop keeps serving other requests meanwhile.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from learn_app.api.deps import CallerDep
from learn_app.api.schemas import Problem, SearchHit, SearchResults
from learn_app.services.errors import InvalidInput
from learn_app.services.text import clean_search

router = APIRouter(tags=["search"], responses={422: {"model": Problem}})

MAX_QUERY_LENGTH = 500
MAX_RESULTS = 20


@router.get("/search")
def search(
    _caller: CallerDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_LENGTH)],
    language: Annotated[str | None, Query(max_length=8)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_RESULTS)] = 5,
) -> SearchResults:
    """The passages that best answer `q`, best first, each from a different lesson or word."""
    # Control characters can't match anything, and PostgreSQL refuses a NUL outright.
    query = clean_search(q, max_length=MAX_QUERY_LENGTH)
    if not query:
        raise InvalidInput("Type a question or some words to search for.", field="q")
    # Retrieval loads PyTorch; importing it on the first search keeps the API's start-up quick.
    from learn_app.rag import retrieval

    passages = retrieval.search(query, language=language or None, limit=limit)
    return SearchResults(
        query=query, results=[SearchHit.model_validate(passage) for passage in passages]
    )
