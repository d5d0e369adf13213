"""Search the published lessons and words by meaning and by words (hybrid retrieval).

The one way the pages and the API search: the question is cleaned and checked here, then
`rag.retrieval` finds the passages. The index holds published content only, so what a
learner finds here they may read. Retrieval embeds the question on the CPU: call this from
a worker thread (a plain `def` route, or `asyncio.to_thread` in a handler), never on the event
loop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from learn_app.services.errors import InvalidInput
from learn_app.services.language.text import clean_search

if TYPE_CHECKING:
    from learn_app.rag.retrieval import Passage

MAX_QUERY_LENGTH = 500
MAX_RESULTS = 20


def search_content(query: str, *, language: str | None = None, limit: int = 5) -> list[Passage]:
    """The passages that best answer `query`, best first, each from a different lesson or word.

    `language` narrows the search to one course language; None searches every language.
    """
    # Control characters can't match anything, and PostgreSQL refuses a NUL outright.
    cleaned = clean_search(query, max_length=MAX_QUERY_LENGTH)
    if not cleaned:
        raise InvalidInput("Type a question or some words to search for.", field="q")
    if not 1 <= limit <= MAX_RESULTS:
        raise InvalidInput(f"Ask for 1 to {MAX_RESULTS} results.", field="limit")
    # Retrieval loads the embedding model; importing it on the first search keeps start-up quick.
    from learn_app.rag import retrieval

    return retrieval.search(cleaned, language=language or None, limit=limit)
