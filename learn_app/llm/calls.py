"""Which model answers a learner, within their budget, and the ledger of every call.

The configured provider answers when it can; when it fails, or the learner has spent today's
budget, the offline tutor answers instead and the result carries a notice saying so: a swap the
learner can see, never a silent one. Each attempt is one `llm_call` row.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from time import perf_counter
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func
from sqlmodel import Session, select

from learn_app.config import Settings, get_settings
from learn_app.llm.offline import OfflineProvider
from learn_app.llm.openai_compatible import OpenAICompatibleProvider
from learn_app.llm.providers import (
    AnthropicProvider,
    ChatMessage,
    ChatProvider,
    ChatResult,
    Grounding,
    ProviderFailed,
    estimated_cost_usd,
)
from learn_app.models import CallOutcome, LlmCall, User
from learn_app.models.base import utcnow

log = logging.getLogger(__name__)

UNAVAILABLE_NOTICE = (
    "The AI tutor is unavailable right now; this answer quotes the course directly."
)
BUDGET_NOTICE = (
    "You have used today's {budget} AI tutor answers; until tomorrow, answers quote the "
    "course directly."
)


@dataclass(frozen=True)
class Generation:
    result: ChatResult
    notice: str | None = None


def configured_provider(settings: Settings) -> ChatProvider:
    """The provider the settings ask for. "auto" is the first one configured: Claude when an
    Anthropic key is set, else an OpenAI-compatible server when its base URL or key is set,
    else the offline tutor."""
    wanted = settings.llm_provider
    if wanted == "auto":
        if settings.anthropic_api_key:
            wanted = "anthropic"
        elif settings.openai_base_url or settings.openai_api_key:
            wanted = "openai"
        else:
            wanted = "offline"
    if wanted == "anthropic":
        return AnthropicProvider(settings)
    if wanted == "openai":
        return OpenAICompatibleProvider(settings)
    return OfflineProvider()


def _start_of_today(user: User) -> datetime:
    try:
        zone = ZoneInfo(user.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    now = utcnow().astimezone(zone)
    return datetime.combine(now.date(), time(), tzinfo=zone)


def provider_calls_today(session: Session, user: User) -> int:
    """Calls to a real model today, failed ones included (they may still be billed)."""
    since = _start_of_today(user)
    return session.exec(
        select(func.count())
        .select_from(LlmCall)
        .where(
            LlmCall.user_id == user.id,
            LlmCall.provider != OfflineProvider.name,
            LlmCall.created_at >= since,
            LlmCall.created_at < since + timedelta(days=1),
        )
    ).one()


def record_call(
    session: Session,
    user: User,
    *,
    purpose: str,
    provider: str,
    model: str,
    outcome: CallOutcome,
    result: ChatResult | None = None,
    latency_ms: int = 0,
) -> LlmCall:
    call = LlmCall(
        user_id=user.id,
        provider=provider,
        model=model,
        purpose=purpose,
        outcome=outcome.value,
        input_tokens=result.input_tokens if result else 0,
        output_tokens=result.output_tokens if result else 0,
        latency_ms=result.latency_ms if result else latency_ms,
        cost_usd=(
            estimated_cost_usd(
                model, result.input_tokens, result.output_tokens, self_hosted=result.self_hosted
            )
            if result and provider != OfflineProvider.name
            else None
        ),
    )
    session.add(call)
    session.commit()
    return call


@dataclass(frozen=True)
class _Plan:
    provider: ChatProvider
    # Set when the offline tutor answers by necessity rather than by configuration.
    notice: str | None = None
    outcome: CallOutcome = CallOutcome.ok


def _plan(session: Session, user: User, settings: Settings, provider: ChatProvider | None) -> _Plan:
    provider = provider or configured_provider(settings)
    if provider.name != OfflineProvider.name and (
        provider_calls_today(session, user) >= settings.llm_daily_budget
    ):
        notice = BUDGET_NOTICE.format(budget=settings.llm_daily_budget)
        return _Plan(OfflineProvider(), notice, CallOutcome.budget)
    return _Plan(provider)


_FALLBACK = _Plan(OfflineProvider(), UNAVAILABLE_NOTICE, CallOutcome.fallback)


def _record_failure(
    session: Session,
    user: User,
    purpose: str,
    provider: ChatProvider,
    error: Exception,
    started: float,
) -> None:
    log.warning("llm provider failed: %s %s", provider.name, error)
    record_call(
        session, user, purpose=purpose, provider=provider.name, model=provider.model,
        outcome=CallOutcome.error, latency_ms=round((perf_counter() - started) * 1000),
    )  # fmt: skip


def _record_success(
    session: Session, user: User, purpose: str, plan: _Plan, result: ChatResult
) -> Generation:
    record_call(
        session, user, purpose=purpose, provider=result.provider, model=result.model,
        outcome=plan.outcome, result=result,
    )  # fmt: skip
    return Generation(result, plan.notice)


@dataclass(frozen=True)
class ModelCalls:
    """The models a pipeline's generators reach, behind the learner's daily budget and the
    call ledger: `provider` (when None, the one the settings configure, looked up on every
    call so that a changed setting applies at once) under `settings` (the portal's when None).
    """

    provider: ChatProvider | None = None
    settings: Settings | None = None

    def _settings(self) -> Settings:
        return self.settings or get_settings()

    @property
    def daily_budget(self) -> int:
        return self._settings().llm_daily_budget

    def generate(
        self,
        session: Session,
        user: User,
        *,
        purpose: str,
        system: str,
        messages: Sequence[ChatMessage],
        grounding: Grounding,
    ) -> Generation:
        """One answer from the best provider available to this learner now."""
        settings = self._settings()
        plan = _plan(session, user, settings, self.provider)
        started = perf_counter()
        try:
            result = plan.provider.complete(
                system, messages, max_tokens=settings.llm_max_tokens, grounding=grounding
            )
        except ProviderFailed as error:
            _record_failure(session, user, purpose, plan.provider, error, started)
            plan = _FALLBACK
            result = plan.provider.complete(system, messages, max_tokens=0, grounding=grounding)
        return _record_success(session, user, purpose, plan, result)

    def generate_stream(
        self,
        session: Session,
        user: User,
        *,
        purpose: str,
        system: str,
        messages: Sequence[ChatMessage],
        grounding: Grounding,
    ) -> Iterator[str | Generation]:
        """Text pieces as they arrive, then the `Generation`.

        If the provider fails part-way, the pieces already sent are superseded: the final
        `Generation` holds the offline answer and the notice, and the page shows that instead.
        """
        settings = self._settings()
        plan = _plan(session, user, settings, self.provider)
        started = perf_counter()
        try:
            for item in plan.provider.stream(
                system, messages, max_tokens=settings.llm_max_tokens, grounding=grounding
            ):
                if isinstance(item, ChatResult):
                    yield _record_success(session, user, purpose, plan, item)
                    return
                yield item
        except ProviderFailed as error:
            _record_failure(session, user, purpose, plan.provider, error, started)
        plan = _FALLBACK
        for item in plan.provider.stream(system, messages, max_tokens=0, grounding=grounding):
            if isinstance(item, ChatResult):
                yield _record_success(session, user, purpose, plan, item)
                return
            yield item

    def unavailable_reason(
        self, session: Session, user: User
    ) -> Literal["offline", "budget"] | None:
        """Why no model would answer this learner now: none is set up ("offline"), or today's
        budget is spent ("budget"); None when one would (it may still fail)."""
        plan = _plan(session, user, self._settings(), self.provider)
        if plan.outcome is CallOutcome.budget:
            return "budget"
        if plan.provider.name == OfflineProvider.name:
            return "offline"
        return None

    def generate_from_model(
        self,
        session: Session,
        user: User,
        *,
        purpose: str,
        system: str,
        messages: Sequence[ChatMessage],
        max_tokens: int | None = None,
    ) -> ChatResult | str:
        """A reply from the configured model, or why there is none: "offline" (no model is
        set up), "budget" (the learner's daily budget is spent) or "unavailable" (the provider
        failed).

        For tasks whose fallback is their own rules rather than the offline tutor's quotes.
        """
        settings = self._settings()
        reason = self.unavailable_reason(session, user)
        if reason is not None:
            return reason
        plan = _plan(session, user, settings, self.provider)
        started = perf_counter()
        try:
            result = plan.provider.complete(
                system,
                messages,
                max_tokens=max(max_tokens or 0, settings.llm_max_tokens),
                grounding=Grounding(""),
            )
        except ProviderFailed as error:
            _record_failure(session, user, purpose, plan.provider, error, started)
            return "unavailable"
        record_call(
            session, user, purpose=purpose, provider=result.provider, model=result.model,
            outcome=CallOutcome.ok, result=result,
        )  # fmt: skip
        return result

    def record_call(
        self,
        session: Session,
        user: User,
        *,
        purpose: str,
        provider: str,
        model: str,
        outcome: CallOutcome,
    ) -> LlmCall:
        """A call that no model answered (the rules did), in the ledger."""
        return record_call(
            session, user, purpose=purpose, provider=provider, model=model, outcome=outcome
        )
