"""The search's rank fusion gives what Haystack's reciprocal rank fusion joiner gave: the same
scores and the same order, ties included."""

from __future__ import annotations

import random

from haystack import Document
from haystack.components.joiners import DocumentJoiner

from learn_app.rag.hybrid import Hit, fuse


def joined(vector_ids: list[str], keyword_ids: list[str]) -> list[tuple[str, float]]:
    """What the portal's former pipeline returned: the joiner over [meaning, keyword] lists."""
    joiner = DocumentJoiner(join_mode="reciprocal_rank_fusion")
    lists = [[Document(id=i, content=i) for i in ids] for ids in (vector_ids, keyword_ids)]
    return [(d.id, d.score) for d in joiner.run(documents=lists)["documents"]]


def hits(vector_ids: list[str], keyword_ids: list[str]) -> list[Hit]:
    """Each chunk once with its two ranks, in no particular order (as the statement returns)."""
    found = []
    for chunk_id in {*vector_ids, *keyword_ids}:
        found.append(
            Hit(
                id=chunk_id,
                content=chunk_id,
                meta={},
                vector_rank=vector_ids.index(chunk_id) if chunk_id in vector_ids else None,
                keyword_rank=keyword_ids.index(chunk_id) if chunk_id in keyword_ids else None,
                score=0.0,
            )
        )
    random.Random(len(found)).shuffle(found)
    return found


def fused(vector_ids: list[str], keyword_ids: list[str]) -> list[tuple[str, float]]:
    return [(h.id, h.score) for h in fuse(hits(vector_ids, keyword_ids))]


def test_a_chunk_both_halves_find_comes_first() -> None:
    vector_ids = ["a", "b", "c"]
    keyword_ids = ["x", "c", "y"]

    assert fused(vector_ids, keyword_ids) == joined(vector_ids, keyword_ids)
    assert fused(vector_ids, keyword_ids)[0][0] == "c"


def test_equal_scores_keep_the_meaning_half_first_as_the_joiner_did() -> None:
    # "a" and "x" are both first in one half only: equal scores, and the joiner kept the meaning
    # half's chunk first; the same down both lists.
    vector_ids = ["a", "b", "c", "d"]
    keyword_ids = ["x", "y", "z"]

    result = fused(vector_ids, keyword_ids)

    assert result == joined(vector_ids, keyword_ids)
    assert [chunk_id for chunk_id, _ in result] == ["a", "x", "b", "y", "c", "z", "d"]
    assert result[0][1] == result[1][1]


def test_either_half_empty() -> None:
    assert fused(["a", "b"], []) == joined(["a", "b"], [])
    assert fused([], ["x", "y"]) == joined([], ["x", "y"])
    assert fused([], []) == []


def test_many_random_lists_fuse_exactly_as_the_joiner_did() -> None:
    rng = random.Random(11)
    pool = [f"chunk-{i}" for i in range(60)]
    for _ in range(100):
        vector_ids = rng.sample(pool, rng.randint(0, 20))
        keyword_ids = rng.sample(pool, rng.randint(0, 20))
        assert fused(vector_ids, keyword_ids) == joined(vector_ids, keyword_ids)
