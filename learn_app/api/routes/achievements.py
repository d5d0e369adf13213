"""Motivation over REST: the caller's achievements, XP, streak, weekly goal and levels, their
settings, and class leagues (learners of the class read it; its teacher turns it on or off)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from fastapi import APIRouter

from learn_app.api.deps import CallerDep, SessionDep
from learn_app.api.routes.ids import RowId
from learn_app.api.schemas.common import Problem, RequestBody, ResponseBody
from learn_app.services.achievements import goals, leagues, levels, views

router = APIRouter(tags=["achievements"], responses={404: {"model": Problem}})


class AchievementPublic(ResponseBody):
    slug: str
    name: str
    rule: str
    icon: str
    earned: bool
    earned_at: datetime | None
    current: int
    target: int
    unit: str
    percent: int
    progress_label: str
    note: str


class AchievementList(ResponseBody):
    earned: int
    total: int
    items: list[AchievementPublic]


class DayXp(ResponseBody):
    day: date
    xp: int


class StreakPublic(ResponseBody):
    days: int
    best: int
    freezes: int
    studied_today: bool
    on_vacation: bool
    vacation_since: date | None
    frozen_days: list[date]


class WeeklyGoalPublic(ResponseBody):
    kind: str
    target: int
    done: int
    percent: int
    met: bool
    week_starts: date


class XpPublic(ResponseBody):
    today: int
    this_week: int
    total: int
    minutes_today: int
    minutes_this_week: int
    today_date: date
    week_starts: date
    last_7_days: list[DayXp]
    streak: StreakPublic
    weekly_goal: WeeklyGoalPublic


class MotivationChanges(RequestBody):
    weekly_goal_kind: Literal["xp", "minutes"] | None = None
    weekly_goal_target: int | None = None
    vacation: bool | None = None
    follow_levels: bool | None = None


class LevelGroupPublic(ResponseBody):
    id: int
    name: str


class LevelPublic(ResponseBody):
    number: int
    groups: list[LevelGroupPublic]
    words: int
    strong_words: int
    needed: int
    passed: bool
    unlocked: bool
    percent: int


class CourseLevelsPublic(ResponseBody):
    course_id: int
    title: str
    current: int
    follow_levels: bool
    levels: list[LevelPublic]


class LeagueRowPublic(ResponseBody):
    rank: int
    learner_id: int
    display_name: str
    xp: int
    week_starts: date
    is_you: bool
    tier: int  # 0 = Bronze … 9 = Diamond
    tier_name: str
    moved: int  # the last settled week: 1 moved up, -1 moved down, 0 stayed


class LeaguePublic(ResponseBody):
    classroom_id: int
    classroom_name: str
    enabled: bool
    rows: list[LeagueRowPublic]
    moving_up: int  # how many move up a tier at the end of a week in a class this size
    moving_down: int
    settled_week: date | None  # the Monday of the last week whose moves were made
    rule: str


class LeagueChange(RequestBody):
    enabled: bool


@router.get("/me/achievements")
def my_achievements(caller: CallerDep, session: SessionDep) -> AchievementList:
    """Every achievement: earned ones with the date, locked ones with progress towards them."""
    found = views.achievements(session, caller.user)
    items = [
        AchievementPublic(
            slug=a.slug,
            name=a.name,
            rule=a.rule,
            icon=a.icon,
            earned=a.earned,
            earned_at=a.earned_at,
            current=a.current,
            target=a.target,
            unit=a.unit,
            percent=a.percent,
            progress_label=a.progress_label,
            note=a.note,
        )
        for a in found
    ]
    return AchievementList(earned=sum(a.earned for a in found), total=len(found), items=items)


def _xp(session: SessionDep, caller: CallerDep) -> XpPublic:
    shown = views.motivation(session, caller.user)
    totals, goal, streak = shown.xp, shown.goal, shown.streak
    return XpPublic(
        today=totals.today,
        this_week=totals.this_week,
        total=totals.total,
        minutes_today=totals.minutes_today,
        minutes_this_week=totals.minutes_this_week,
        today_date=totals.today_date,
        week_starts=totals.week_starts,
        last_7_days=[DayXp(day=day, xp=points) for day, points in totals.by_day],
        streak=StreakPublic.model_validate(streak),
        weekly_goal=WeeklyGoalPublic(
            kind=goal.kind,
            target=goal.target,
            done=goal.done,
            percent=goal.percent,
            met=goal.met,
            week_starts=goal.week_starts,
        ),
    )


@router.get("/me/xp")
def my_xp(caller: CallerDep, session: SessionDep) -> XpPublic:
    """XP today, this week (from Monday in the caller's time zone) and in all; the streak and
    the weekly goal."""
    return _xp(session, caller)


@router.patch("/me/motivation", responses={422: {"model": Problem}})
def change_motivation(body: MotivationChanges, caller: CallerDep, session: SessionDep) -> XpPublic:
    """Change the weekly goal (kind and target), vacation mode or following levels."""
    user = caller.user
    if body.weekly_goal_kind is not None or body.weekly_goal_target is not None:
        current = goals.weekly_goal(session, user)
        kind = body.weekly_goal_kind or current.kind
        target = body.weekly_goal_target if body.weekly_goal_target is not None else current.target
        goals.set_weekly_goal(session, user, kind=kind, target=target)
    if body.vacation is not None:
        goals.set_vacation(session, user, body.vacation)
    if body.follow_levels is not None:
        goals.set_follow_levels(session, user, body.follow_levels)
    return _xp(session, caller)


@router.get("/me/levels")
def my_levels(caller: CallerDep, session: SessionDep) -> list[CourseLevelsPublic]:
    """The levels of the courses in the caller's language: passed at 90% of words strong."""
    return [
        CourseLevelsPublic(
            course_id=course.course_id,
            title=course.title,
            current=course.current,
            follow_levels=course.follow_levels,
            levels=[
                LevelPublic(
                    number=level.number,
                    groups=[LevelGroupPublic(id=g.id, name=g.name) for g in level.groups],
                    words=level.words,
                    strong_words=level.strong_words,
                    needed=level.needed,
                    passed=level.passed,
                    unlocked=level.unlocked,
                    percent=level.percent,
                )
                for level in course.levels
            ],
        )
        for course in levels.course_levels(session, caller.user)
    ]


@router.get("/classes/{class_id}/league")
def class_league(class_id: RowId, caller: CallerDep, session: SessionDep) -> LeaguePublic:
    """The week's XP ranking of the class, each learner's week from their own Monday."""
    return LeaguePublic.model_validate(leagues.class_league(session, caller.user, class_id))


@router.put("/classes/{class_id}/league", responses={403: {"model": Problem}})
def change_class_league(
    class_id: RowId, body: LeagueChange, caller: CallerDep, session: SessionDep
) -> LeaguePublic:
    """Turn the class's league on or off (its teacher or an admin)."""
    leagues.set_league(session, caller.user, class_id, body.enabled)
    return LeaguePublic.model_validate(leagues.class_league(session, caller.user, class_id))
