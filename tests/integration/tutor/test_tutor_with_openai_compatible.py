"""The tutor with an OpenAI-compatible server (OpenAI, Ollama, vLLM, LM Studio...): what it
sends, how it streams, and what happens when the server fails.

The server is the fake Chat Completions API in `tests/fakes/openai_server.py`, reached over
HTTP on this machine and configured as a local Ollama would be: a base URL, a model, no key.
"""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from learn_app.config import get_settings
from learn_app.llm.calls import UNAVAILABLE_NOTICE
from learn_app.llm.openai_compatible import PLACEHOLDER_API_KEY
from learn_app.models import LlmCall
from learn_app.services.tutor import tutor
from learn_app.services.tutor.tutor import TutorAnswer

pytestmark = pytest.mark.integration

QUESTION = "How do I say sorry to my boss?"


def model() -> str:
    """The model the fixture configured, a local one the price table does not list."""
    return get_settings().openai_model


def calls(session: Session) -> list[LlmCall]:
    session.expire_all()
    return list(session.exec(select(LlmCall).order_by(LlmCall.id)).all())


def test_the_tutor_rules_go_first_as_the_system_message_then_the_delimited_passages(
    session, learner, small_course, openai_compatible
) -> None:
    tutor.ask(session, learner, QUESTION)

    [request] = openai_compatible.requests
    assert request["path"] == "/v1/chat/completions"
    body = request["body"]
    assert body["model"] == model()
    system, question = body["messages"]
    assert system["role"] == "system"
    assert "language-learning course" in system["content"]
    assert "never an instruction" in system["content"]
    assert question["role"] == "user"
    assert '<passage id="1"' in question["content"]
    assert "申し訳ありません" in question["content"]
    assert f"<question>\n{QUESTION}\n</question>" in question["content"]


def test_a_local_server_is_asked_with_max_tokens_and_needs_no_real_key(
    session, learner, small_course, openai_compatible
) -> None:
    tutor.ask(session, learner, QUESTION)

    request = openai_compatible.requests[0]
    assert request["body"]["max_tokens"] == get_settings().llm_max_tokens
    headers = {name.lower(): value for name, value in request["headers"].items()}
    assert headers["authorization"] == f"Bearer {PLACEHOLDER_API_KEY}"


def test_the_request_contains_neither_the_learners_email_nor_name(
    session, learner, small_course, openai_compatible
) -> None:
    tutor.ask(session, learner, QUESTION)

    sent = json.dumps(openai_compatible.requests[0]).lower()
    for private in ("zebedee", "quux", learner.email.lower()):
        assert private not in sent


def test_the_servers_answer_comes_back_with_the_passages_it_cited(
    session, learner, small_course, openai_compatible
) -> None:
    answer = tutor.ask(session, learner, QUESTION)

    assert (answer.provider, answer.notice) == ("openai", None)
    assert answer.answer == openai_compatible.reply
    assert [c["n"] for c in answer.citations] == [1, 2]


def test_a_call_to_a_local_server_is_logged_with_its_model_tokens_and_no_cost(
    session, learner, small_course, openai_compatible
) -> None:
    tutor.ask(session, learner, QUESTION)

    [call] = calls(session)
    assert (call.user_id, call.provider, call.model, call.purpose, call.outcome) == (
        learner.id, "openai", model(), "tutor", "ok",
    )  # fmt: skip
    assert (call.input_tokens, call.output_tokens) == (
        openai_compatible.prompt_tokens, openai_compatible.completion_tokens,
    )  # fmt: skip
    assert call.cost_usd == 0.0


def test_the_answer_streams_in_several_pieces_then_the_whole_answer(
    session, learner, small_course, openai_compatible
) -> None:
    items = list(tutor.ask_stream(session, learner, QUESTION))

    pieces, final = items[:-1], items[-1]
    assert len(pieces) >= 3
    assert all(isinstance(p, str) for p in pieces)
    assert isinstance(final, TutorAnswer)
    assert (final.provider, final.notice) == ("openai", None)
    assert "".join(pieces) == final.answer == openai_compatible.reply
    body = openai_compatible.requests[0]["body"]
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    [call] = calls(session)
    assert (call.provider, call.model, call.outcome) == ("openai", model(), "ok")
    assert call.output_tokens == openai_compatible.completion_tokens


def test_a_stream_from_a_server_that_counts_no_tokens_still_answers(
    session, learner, small_course, openai_compatible
) -> None:
    openai_compatible.send_usage = False

    final = list(tutor.ask_stream(session, learner, QUESTION))[-1]

    assert isinstance(final, TutorAnswer)
    assert (final.provider, final.answer) == ("openai", openai_compatible.reply)
    [call] = calls(session)
    assert (call.outcome, call.input_tokens, call.output_tokens) == ("ok", 0, 0)


@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_passing_failure_is_retried_and_the_learner_never_sees_it(
    session, learner, small_course, openai_compatible, status
) -> None:
    openai_compatible.fail_next(status, times=get_settings().llm_max_retries)

    answer = tutor.ask(session, learner, QUESTION)

    assert len(openai_compatible.requests) == get_settings().llm_max_retries + 1
    assert (answer.provider, answer.notice) == ("openai", None)
    assert answer.answer == openai_compatible.reply


def test_a_passing_failure_while_streaming_is_retried_too(
    session, learner, small_course, openai_compatible
) -> None:
    openai_compatible.fail_next(500)

    final = list(tutor.ask_stream(session, learner, QUESTION))[-1]

    assert len(openai_compatible.requests) == 2
    assert isinstance(final, TutorAnswer)
    assert (final.provider, final.notice) == ("openai", None)


def test_a_lasting_failure_falls_back_to_the_course_with_a_notice(
    session, learner, small_course, openai_compatible
) -> None:
    openai_compatible.fail_next(500, times=get_settings().llm_max_retries + 1)

    answer = tutor.ask(session, learner, QUESTION)

    assert len(openai_compatible.requests) == get_settings().llm_max_retries + 1
    assert (answer.provider, answer.notice) == ("offline", UNAVAILABLE_NOTICE)
    assert answer.citations, "the offline answer quotes and cites the course"
    assert [(c.provider, c.model, c.outcome) for c in calls(session)] == [
        ("openai", model(), "error"),
        ("offline", "extractive-v1", "fallback"),
    ]


def test_a_hanging_server_times_out_and_falls_back_with_a_notice(
    session, learner, small_course, openai_compatible
) -> None:
    openai_compatible.hang_next(
        get_settings().llm_timeout_seconds * 4, times=get_settings().llm_max_retries + 1
    )

    answer = tutor.ask(session, learner, QUESTION)

    assert (answer.provider, answer.notice) == ("offline", UNAVAILABLE_NOTICE)
    assert [(c.provider, c.outcome) for c in calls(session)] == [
        ("openai", "error"),
        ("offline", "fallback"),
    ]


def test_a_failed_stream_ends_with_the_offline_answer_and_notice(
    session, learner, small_course, openai_compatible
) -> None:
    openai_compatible.fail_next(503, times=get_settings().llm_max_retries + 1)

    final = list(tutor.ask_stream(session, learner, QUESTION))[-1]

    assert isinstance(final, TutorAnswer)
    assert (final.provider, final.notice) == ("offline", UNAVAILABLE_NOTICE)


def test_a_wrong_address_falls_back_at_once(
    session, learner, small_course, openai_compatible, fresh_settings
) -> None:
    # Ollama's root instead of its /v1 address, the easiest mistake to make.
    fresh_settings.setenv("LEARN_OPENAI_BASE_URL", openai_compatible.base_url.removesuffix("/v1"))
    get_settings.cache_clear()

    answer = tutor.ask(session, learner, QUESTION)

    assert len(openai_compatible.requests) == 1
    assert (answer.provider, answer.notice) == ("offline", UNAVAILABLE_NOTICE)


def test_a_follow_up_sends_the_earlier_turns_after_the_system_message(
    session, learner, small_course, openai_compatible
) -> None:
    first = tutor.ask(session, learner, QUESTION)
    tutor.ask(session, learner, "And to a friend?", conversation_id=first.conversation_id)

    messages = openai_compatible.requests[1]["body"]["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert messages[2]["content"] == openai_compatible.reply
    assert "And to a friend?" in messages[3]["content"]


def test_auto_chooses_the_server_when_only_its_address_is_set(
    session, learner, small_course, openai_compatible, fresh_settings
) -> None:
    fresh_settings.setenv("LEARN_LLM_PROVIDER", "auto")
    get_settings.cache_clear()

    assert tutor.ask(session, learner, QUESTION).provider == "openai"


def test_a_rejected_key_falls_back_at_once_with_a_notice(
    session, learner, small_course, openai_compatible
) -> None:
    openai_compatible.fail_next(401, times=5)

    answer = tutor.ask(session, learner, QUESTION)

    assert len(openai_compatible.requests) == 1  # a wrong key is not worth retrying
    assert (answer.provider, answer.notice) == ("offline", UNAVAILABLE_NOTICE)
