"""Achievements page, the weekly goal on Dashboard, toasts for new badges, class leagues.

Handlers only read inputs, call `services.achievements` and assign what it returns.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx
from reflex_base.event import EventSpec

from learn_app.services.achievements import awards, goals, leagues, levels, views
from learn_app.services.errors import DomainError, NotAuthenticated, NotFound
from learn_app.state import formatting
from learn_app.state.auth import ProtectedState, Signed, signed_in_handler
from learn_app.state.inputs import id_or_zero
from learn_app.state.signed_in import off_loop

GOAL_KINDS = goals.GOAL_KINDS


@dataclasses.dataclass
class BadgeRow:
    slug: str
    name: str
    rule: str
    icon: str
    earned_on: str  # the day earned, in the learner's zone; "" while locked
    percent: int
    progress: str
    note: str


@dataclasses.dataclass
class LevelRow:
    course: str
    number: int
    groups: str
    progress: str
    percent: int
    status: str  # Passed | Open | Locked


@dataclasses.dataclass
class LeagueLine:
    classroom: str
    rank: int
    name: str
    xp: int
    is_you: bool
    tier: str = "Bronze"
    moved: str = ""  # "up" | "down" | "": the last settled week's move

    @classmethod
    def of(cls, league: leagues.League, row: leagues.LeagueRow) -> LeagueLine:
        moved = {1: "up", -1: "down"}.get(row.moved, "")
        return cls(
            league.classroom_name, row.rank, row.display_name, row.xp, row.is_you,
            row.tier_name, moved,
        )  # fmt: skip


def _ring(percent: int) -> str:
    return f"conic-gradient(var(--accent-9) {percent}%, var(--gray-a4) 0)"


def _badge_toasts(badges: list) -> list[EventSpec]:
    return [
        rx.toast.success(
            f"Achievement unlocked: {badge.name}", description=badge.rule, duration=8000
        )
        for badge in badges
    ]


class AchievementToastState(ProtectedState):
    """Announces badges earned and not yet shown, each once, whichever tab asks first."""

    def _quietly(self, _: DomainError) -> None:
        """Nothing to announce to nobody: the page itself sends a lapsed sign-in away."""

    @rx.event
    @signed_in_handler({NotAuthenticated: _quietly})
    def announce(self, signed: Signed) -> list[EventSpec] | None:
        fresh = awards.claim_unseen(signed.session, signed.user.id or 0)
        return _badge_toasts(fresh) or None


class WeeklyGoalState(ProtectedState):
    """The Dashboard's weekly goal ring, streak freezes and XP."""

    goal_loaded: bool = False
    goal_label: str = ""
    goal_percent: int = 0
    goal_met: bool = False
    goal_kind: str = "XP"
    xp_today: int = 0
    xp_week: int = 0
    freezes: int = 0
    on_vacation: bool = False

    @rx.var
    def goal_ring(self) -> str:
        return _ring(self.goal_percent)

    @rx.event
    @signed_in_handler()
    def load(self, signed: Signed) -> list[EventSpec] | None:
        shown = views.motivation(signed.session, signed.user)
        fresh = awards.claim_unseen(signed.session, signed.user.id or 0)
        self.goal_label = shown.goal.label
        self.goal_percent = shown.goal.percent
        self.goal_met = shown.goal.met
        self.goal_kind = GOAL_KINDS.get(shown.goal.kind, "XP")
        self.xp_today, self.xp_week = shown.xp.today, shown.xp.this_week
        self.freezes, self.on_vacation = shown.streak.freezes, shown.streak.on_vacation
        self.goal_loaded = True
        return _badge_toasts(fresh) or None


class AchievementsState(ProtectedState):
    loaded: bool = False
    earned: list[BadgeRow] = []
    locked: list[BadgeRow] = []
    total: int = 0

    streak_days: int = 0
    streak_best: int = 0
    freezes: int = 0
    frozen_days: list[str] = []
    on_vacation: bool = False
    vacation_since: str = ""

    xp_today: int = 0
    xp_week: int = 0
    xp_total: int = 0
    minutes_week: int = 0

    goal_kind: str = "xp"
    goal_target: int = 300
    goal_label: str = ""
    goal_percent: int = 0
    goal_error: str = ""
    goal_message: str = ""
    goal_form_key: int = 0

    follow_levels: bool = False
    levels: list[LevelRow] = []
    leagues: list[LeagueLine] = []
    league_rules: str = ""
    error: str = ""

    @rx.var
    def goal_ring(self) -> str:
        return _ring(self.goal_percent)

    @rx.var
    def earned_label(self) -> str:
        return f"{len(self.earned)} of {self.total} earned"

    @rx.event
    @signed_in_handler()
    def load(self, signed: Signed) -> list[EventSpec] | None:
        self.goal_error = self.goal_message = self.error = ""
        fresh = self._show(signed.session, signed.user)
        self.loaded = True
        return _badge_toasts(fresh) or None

    def _show(self, session: Any, user: Any) -> list:
        found = views.achievements(session, user)  # counts and awards first
        fresh = awards.claim_unseen(session, user.id or 0)
        rows = [
            BadgeRow(
                slug=a.slug,
                name=a.name,
                rule=a.rule,
                icon=a.icon,
                earned_on=formatting.when(a.earned_at, user.timezone) if a.earned_at else "",
                percent=a.percent,
                progress=a.progress_label,
                note=a.note,
            )
            for a in found
        ]
        self.earned = [r for r in rows if r.earned_on]
        self.locked = [r for r in rows if not r.earned_on]
        self.total = len(rows)
        shown = views.motivation(session, user)
        streak, totals, goal = shown.streak, shown.xp, shown.goal
        self.streak_days, self.streak_best, self.freezes = streak.days, streak.best, streak.freezes
        self.frozen_days = [day.strftime("%a %-d %b %Y") for day in streak.frozen_days]
        self.on_vacation = streak.on_vacation or streak.vacation_since is not None
        self.vacation_since = (
            streak.vacation_since.strftime("%-d %b %Y") if streak.vacation_since else ""
        )
        self.xp_today, self.xp_week, self.xp_total = totals.today, totals.this_week, totals.total
        self.minutes_week = totals.minutes_this_week
        self.goal_kind, self.goal_target = goal.kind, goal.target
        self.goal_label, self.goal_percent = goal.label, goal.percent
        courses = levels.course_levels(session, user)
        self.follow_levels = any(c.follow_levels for c in courses)
        self.levels = [
            LevelRow(
                course=course.title,
                number=level.number,
                groups=", ".join(g.name for g in level.groups),
                progress=f"{level.strong_words} of {level.needed} words strong",
                percent=100 if level.passed else level.percent,
                status="Passed"
                if level.passed
                else ("Open" if level.unlocked or not course.follow_levels else "Locked"),
            )
            for course in courses
            for level in course.levels
        ]
        found = leagues.my_leagues(session, user)
        self.leagues = [LeagueLine.of(league, row) for league in found for row in league.rows]
        self.league_rules = " ".join(f"{league.classroom_name}: {league.rule}" for league in found)
        return fresh

    @rx.event
    @signed_in_handler("goal_error")
    def save_goal(self, signed: Signed, form_data: dict[str, Any]) -> None:
        self.goal_error = self.goal_message = ""
        kind = str(form_data.get("kind", "xp"))
        target = str(form_data.get("target", ""))
        goal = goals.set_weekly_goal(signed.session, signed.user, kind=kind, target=target)
        self.goal_kind, self.goal_target = goal.kind, goal.target
        self.goal_label, self.goal_percent = goal.label, goal.percent
        self.goal_form_key += 1
        self.goal_message = f"Weekly goal set: {goal.target:,} {GOAL_KINDS[goal.kind]}."

    @rx.event
    @off_loop
    def set_vacation(self, on: bool) -> EventSpec | None:
        return self._change(lambda session, user: goals.set_vacation(session, user, bool(on)))

    @rx.event
    @off_loop
    def set_follow_levels(self, follow: bool) -> EventSpec | None:
        return self._change(
            lambda session, user: goals.set_follow_levels(session, user, bool(follow))
        )

    def _change(self, change: Any) -> EventSpec | None:
        """Make the change, then show the page again from what was committed."""
        self.error = ""
        changed = self._make_change(change)
        return self._show_again() if changed is True else changed

    @signed_in_handler("error")
    def _make_change(self, signed: Signed, change: Any) -> bool:
        change(signed.session, signed.user)
        return True

    @signed_in_handler("error")
    def _show_again(self, signed: Signed) -> None:
        self._show(signed.session, signed.user)


class ClassLeagueState(ProtectedState):
    """A class's league on the teacher's class page: on or off, and this week's ranking."""

    league_class_id: int = 0
    league_enabled: bool = False
    league_rows: list[LeagueLine] = []
    league_rule: str = ""
    league_error: str = ""

    @rx.event
    @off_loop
    def load_for(self, classroom_id: int) -> EventSpec | None:
        self.league_class_id = id_or_zero(classroom_id)
        return self._show()

    @rx.event
    @off_loop
    def set_enabled(self, enabled: bool) -> EventSpec | None:
        self.league_error = ""
        changed = self._set_league(bool(enabled))
        return self._show() if changed is True else changed

    @signed_in_handler("league_error")
    def _set_league(self, signed: Signed, enabled: bool) -> bool:
        leagues.set_league(signed.session, signed.user, self.league_class_id, enabled)
        return True

    def _show(self) -> EventSpec | None:
        self.league_error = ""
        self.league_rows = []
        self.league_enabled = False
        return self._read_league() if self.league_class_id else None

    def _no_league(self, _: NotFound) -> None:
        """A class the viewer may not see shows no league at all."""

    @signed_in_handler({NotFound: _no_league, DomainError: "league_error"})
    def _read_league(self, signed: Signed) -> None:
        league = leagues.class_league(signed.session, signed.user, self.league_class_id)
        self.league_enabled = league.enabled
        self.league_rows = [LeagueLine.of(league, r) for r in league.rows]
        self.league_rule = league.rule if league.enabled else ""
