"""Achievements: badges earned (with the date) and locked (with progress), the streak and its
freezes, XP, the weekly goal, course levels and class leagues. Also the pieces other pages
show: the weekly goal ring (Dashboard), new-badge toasts (study pages) and a class's league
(Teacher)."""

from __future__ import annotations

import reflex as rx

from learn_app.components.cards import section
from learn_app.components.forms import form_error, form_success, submit_button
from learn_app.components.layout import loading, page_header, template
from learn_app.state.achievements import (
    GOAL_KINDS,
    AchievementsState,
    AchievementToastState,
    BadgeRow,
    ClassLeagueState,
    LeagueLine,
    LevelRow,
    WeeklyGoalState,
)

S = AchievementsState


# ------------------------------------------------------------------------------ shared pieces


def goal_ring(percent: rx.Var[int], background: rx.Var[str], *, ring_id: str) -> rx.Component:
    """A ring filled to `percent`, the figure in its middle."""
    return rx.center(
        rx.center(
            rx.text(percent.to_string() + "%", size="4", weight="bold"),
            width="4.5rem",
            height="4.5rem",
            border_radius="50%",
            background=rx.color("gray", 1),
        ),
        width="6rem",
        height="6rem",
        border_radius="50%",
        background=background,
        flex_shrink="0",
        id=ring_id,
        role="progressbar",
        aria_valuenow=percent,
        aria_valuemin=0,
        aria_valuemax=100,
        aria_label="Weekly goal",
    )


def weekly_goal_card() -> rx.Component:
    """The Dashboard's weekly goal: a ring, this week's XP and today's."""
    g = WeeklyGoalState
    return section(
        "Weekly goal",
        rx.cond(
            g.goal_loaded,
            rx.hstack(
                goal_ring(g.goal_percent, g.goal_ring, ring_id="dashboard-goal-ring"),
                rx.vstack(
                    rx.text(g.goal_label, size="4", weight="bold", id="dashboard-goal-label"),
                    rx.text(
                        g.xp_today.to_string()
                        + " XP today · "
                        + g.xp_week.to_string()
                        + " XP this week",
                        size="2",
                        color_scheme="gray",
                        id="dashboard-xp",
                    ),
                    rx.cond(
                        g.goal_met,
                        rx.badge("Goal reached this week", color_scheme="green"),
                    ),
                    rx.text(
                        rx.cond(
                            g.on_vacation,
                            "On vacation: your streak is paused.",
                            "Streak freezes held: " + g.freezes.to_string() + " of 2",
                        ),
                        size="1",
                        color_scheme="gray",
                        id="dashboard-freezes",
                    ),
                    rx.link("Achievements and goals", href="/achievements", size="2"),
                    spacing="1",
                ),
                spacing="4",
                align="center",
            ),
            rx.spinner(),
        ),
        description="Counted from Monday in your time zone.",
        on_mount=WeeklyGoalState.load,
    )


def achievement_announcer(when: rx.Var[bool]) -> rx.Component:
    """Shows a toast for each badge just earned, asking each time `when` turns true (after an
    answer, when a session's summary appears): the asking element mounts then."""
    return rx.cond(when, rx.box(on_mount=AchievementToastState.announce, display="none"))


def _league_line(line: LeagueLine) -> rx.Component:
    return rx.table.row(
        rx.table.cell(line.rank, text_align="right"),
        rx.table.row_header_cell(
            rx.hstack(
                rx.text(line.name, weight=rx.cond(line.is_you, "bold", "regular")),
                rx.cond(line.is_you, rx.badge("you", variant="soft")),
                spacing="2",
            )
        ),
        rx.table.cell(
            rx.hstack(
                rx.badge(line.tier, variant="surface", class_name="league-tier"),
                rx.cond(
                    line.moved == "up",
                    rx.text("▲ up", size="1", color_scheme="green"),
                ),
                rx.cond(
                    line.moved == "down",
                    rx.text("▼ down", size="1", color_scheme="red"),
                ),
                spacing="2",
                align="center",
            )
        ),
        rx.table.cell(line.xp.to_string() + " XP", text_align="right"),
        class_name="league-row",
    )


def _league_table(rows: rx.Var, table_id: str) -> rx.Component:
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell("Rank", text_align="right"),
                rx.table.column_header_cell("Learner"),
                rx.table.column_header_cell("Tier"),
                rx.table.column_header_cell("XP this week", text_align="right"),
            )
        ),
        rx.table.body(rx.foreach(rows, _league_line)),
        id=table_id,
        width="100%",
    )


def class_league_panel(classroom_id: rx.Var[int]) -> rx.Component:
    """A class's league for its teacher: the switch and this week's ranking."""
    c = ClassLeagueState
    return rx.box(
        rx.vstack(
            rx.hstack(
                rx.heading("Weekly league", size="4", as_="h3"),
                rx.spacer(),
                rx.text("League on", size="2", as_="label", html_for="league-switch"),
                rx.switch(
                    id="league-switch",
                    checked=c.league_enabled,
                    on_change=c.set_enabled,
                ),
                width="100%",
                align="center",
            ),
            rx.text(
                "Learners of the class see the week's XP ranking, each from Monday in their "
                "own time zone.",
                size="2",
                color_scheme="gray",
            ),
            form_error(c.league_error, error_id="league-error"),
            rx.cond(
                c.league_enabled,
                rx.cond(
                    c.league_rows,
                    rx.vstack(
                        rx.text(c.league_rule, size="2", id="class-league-rule"),
                        _league_table(c.league_rows, "class-league-table"),
                        width="100%",
                    ),
                    rx.text("No learners in the class yet.", size="2", color_scheme="gray"),
                ),
            ),
            spacing="3",
            width="100%",
        ),
        key=classroom_id.to_string(),
        on_mount=ClassLeagueState.load_for(classroom_id),
        width="100%",
    )


# ------------------------------------------------------------------------------ the page


def _badge(row: BadgeRow, earned: bool) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.center(
                rx.icon(tag="award", size=22),
                width="2.75rem",
                height="2.75rem",
                border_radius="50%",
                background=rx.color("amber" if earned else "gray", 4),
                color=rx.color("amber" if earned else "gray", 11),
                flex_shrink="0",
            ),
            rx.vstack(
                rx.text(row.name, weight="bold", class_name="badge-name"),
                rx.text(row.rule, size="2", color_scheme="gray"),
                rx.cond(
                    earned,
                    rx.text("Earned " + row.earned_on, size="1", class_name="badge-earned-on"),
                    rx.vstack(
                        rx.progress(value=row.percent, max=100, aria_label=row.name + " progress"),
                        rx.text(row.progress, size="1", color_scheme="gray"),
                        rx.cond(row.note, rx.text(row.note, size="1", color_scheme="gray")),
                        spacing="1",
                        width="100%",
                    ),
                ),
                spacing="1",
                width="100%",
            ),
            spacing="3",
            align="start",
            width="100%",
        ),
        id="badge-" + row.slug,
        class_name="badge-earned" if earned else "badge-locked",
        width="100%",
    )


def _badges() -> rx.Component:
    grid = {"columns": rx.breakpoints(initial="1", md="2"), "spacing": "3", "width": "100%"}
    return rx.vstack(
        section(
            "Earned",
            rx.text(S.earned_label, size="2", color_scheme="gray", id="earned-count"),
            rx.cond(
                S.earned,
                rx.grid(rx.foreach(S.earned, lambda r: _badge(r, True)), **grid, id="earned"),
                rx.text(
                    "Nothing yet: answer your first card to earn your first badge.",
                    size="2",
                    color_scheme="gray",
                    id="earned-empty",
                ),
            ),
        ),
        section(
            "Still to earn",
            rx.grid(rx.foreach(S.locked, lambda r: _badge(r, False)), **grid, id="locked"),
        ),
        spacing="4",
        width="100%",
    )


def _streak_and_xp() -> rx.Component:
    return rx.grid(
        section(
            "Streak",
            rx.text(
                S.streak_days.to_string() + rx.cond(S.streak_days == 1, " day", " days"),
                size="7",
                weight="bold",
                id="streak-days",
            ),
            rx.text(
                "Best: "
                + S.streak_best.to_string()
                + " · freezes held: "
                + S.freezes.to_string()
                + " of 2",
                size="2",
                color_scheme="gray",
                id="streak-freezes",
            ),
            rx.text(
                "A streak freeze is earned with every 7 days in a row and used by itself on a "
                "day you miss.",
                size="1",
                color_scheme="gray",
            ),
            rx.cond(
                S.frozen_days,
                rx.text(
                    "Freezes covered: " + S.frozen_days.join(", "), size="1", color_scheme="gray"
                ),
            ),
            rx.hstack(
                rx.switch(id="vacation-switch", checked=S.on_vacation, on_change=S.set_vacation),
                rx.text("Vacation mode", size="2", as_="label", html_for="vacation-switch"),
                spacing="2",
                align="center",
            ),
            rx.cond(
                S.on_vacation,
                rx.text(
                    "On vacation since "
                    + S.vacation_since
                    + ": days away neither count nor break your streak.",
                    size="1",
                    color_scheme="gray",
                    id="vacation-note",
                ),
            ),
        ),
        section(
            "XP",
            rx.text(S.xp_week.to_string() + " XP this week", size="7", weight="bold", id="xp-week"),
            rx.text(
                S.xp_today.to_string()
                + " today · "
                + S.xp_total.to_string()
                + " in all · "
                + S.minutes_week.to_string()
                + " min this week",
                size="2",
                color_scheme="gray",
                id="xp-totals",
            ),
            rx.text(
                "Each completed review earns XP: 10 recognising a word, 12 a cloze, 15 typing or "
                "speaking, "
                "20 building a sentence, 25 a piece of writing; 2 for a wrong answer, nothing "
                "for a card answered again in the same session.",
                size="1",
                color_scheme="gray",
            ),
        ),
        section(
            "Weekly goal",
            rx.hstack(
                goal_ring(S.goal_percent, S.goal_ring, ring_id="goal-ring"),
                rx.text(S.goal_label, size="4", weight="bold", id="goal-label"),
                spacing="4",
                align="center",
            ),
            rx.el.form(
                rx.vstack(
                    rx.hstack(
                        rx.select.root(
                            rx.select.trigger(id="goal-kind", aria_label="Goal in"),
                            rx.select.content(
                                *[rx.select.item(t, value=v) for v, t in GOAL_KINDS.items()]
                            ),
                            name="kind",
                            default_value=S.goal_kind,
                        ),
                        rx.input(
                            id="goal-target",
                            name="target",
                            type="number",
                            default_value=S.goal_target.to_string(),
                            aria_label="Weekly goal",
                            width="7rem",
                        ),
                        submit_button("Set goal", button_id="save-goal"),
                        spacing="2",
                        align="center",
                    ),
                    form_error(S.goal_error, error_id="goal-error"),
                    form_success(S.goal_message, message_id="goal-message"),
                    spacing="2",
                    width="100%",
                ),
                on_submit=S.save_goal,
                key=S.goal_form_key,
                aria_label="Weekly goal",
            ),
        ),
        columns=rx.breakpoints(initial="1", md="3"),
        spacing="4",
        width="100%",
    )


def _level_row(row: LevelRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row.course + " · Level " + row.number.to_string()),
        rx.table.cell(row.groups),
        rx.table.cell(
            rx.vstack(
                rx.progress(value=row.percent, max=100),
                rx.text(row.progress, size="1", color_scheme="gray"),
                spacing="1",
                min_width="10rem",
            )
        ),
        rx.table.cell(
            rx.badge(
                row.status,
                color_scheme=rx.match(row.status, ("Passed", "green"), ("Locked", "gray"), "blue"),
            )
        ),
        class_name="level-row",
    )


def _levels() -> rx.Component:
    return section(
        "Levels",
        rx.hstack(
            rx.switch(id="follow-levels", checked=S.follow_levels, on_change=S.set_follow_levels),
            rx.text(
                "Follow levels: open a level's groups once the one before is passed",
                size="2",
                as_="label",
                html_for="follow-levels",
            ),
            spacing="2",
            align="center",
        ),
        rx.cond(
            S.levels,
            rx.box(
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            rx.table.column_header_cell("Level"),
                            rx.table.column_header_cell("Groups"),
                            rx.table.column_header_cell("Words remembered for a week"),
                            rx.table.column_header_cell("Status"),
                        )
                    ),
                    rx.table.body(rx.foreach(S.levels, _level_row)),
                    id="levels-table",
                    width="100%",
                ),
                overflow_x="auto",
                width="100%",
            ),
            rx.text("No course in the language you learn yet.", size="2", color_scheme="gray"),
        ),
        description="A level is passed when 90% of its words are remembered for 7 days or "
        "more. Following levels is advice: every group stays open to study.",
    )


def _leagues() -> rx.Component:
    return rx.cond(
        S.leagues,
        section(
            "Class league",
            rx.vstack(
                rx.text(S.league_rules, size="2", id="my-league-rule"),
                _league_table(S.leagues, "my-league-table"),
                width="100%",
            ),
            description="This week's XP in your class, from Monday in each learner's own "
            "time zone, and each learner's tier.",
        ),
    )


@template(route="/achievements", title="Achievements", on_load=AchievementsState.load)
def achievements() -> rx.Component:
    return rx.vstack(
        page_header("Achievements", "Badges for remembering, streaks that forgive, and goals."),
        form_error(S.error, error_id="achievements-error"),
        rx.cond(
            S.loaded,
            rx.vstack(
                _streak_and_xp(),
                _leagues(),
                _badges(),
                _levels(),
                spacing="4",
                width="100%",
            ),
            loading(),
        ),
        spacing="4",
        width="100%",
    )
