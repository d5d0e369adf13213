"""Dashboard: the learner's real numbers and the profile their plan is built from."""

from __future__ import annotations

import reflex as rx

from learn_app.components.assignments import my_assignments_section
from learn_app.components.cards import info_row, section, stat_card
from learn_app.components.layout import loading, page_header, template
from learn_app.components.my_classes import my_classes_section
from learn_app.pages.achievements import weekly_goal_card
from learn_app.state.dashboard import DashboardState


def _last_session() -> rx.Component:
    return section(
        "Last study session",
        rx.cond(
            DashboardState.last_session_ref,
            rx.vstack(
                rx.link(
                    DashboardState.last_session_activity
                    + " · "
                    + DashboardState.last_session_group,
                    href=DashboardState.last_session_url,
                    id="dashboard-last-session",
                    weight="medium",
                ),
                rx.vstack(
                    info_row(
                        "Started",
                        DashboardState.last_session_started,
                        value_id="dashboard-last-session-started",
                    ),
                    info_row(
                        "Answers",
                        DashboardState.last_session_reviews.to_string(),
                        value_id="dashboard-last-session-reviews",
                    ),
                    info_row(
                        "Accuracy",
                        DashboardState.last_session_accuracy,
                        value_id="dashboard-last-session-accuracy",
                    ),
                    spacing="0",
                    width="100%",
                ),
                rx.link("All your sessions", href="/sessions", size="2"),
                spacing="3",
                width="100%",
            ),
            rx.text(
                "No study session yet. Start one from Practice or Study Activities.",
                size="2",
                color_scheme="gray",
                id="dashboard-no-session",
            ),
        ),
    )


def _study_progress() -> rx.Component:
    return section(
        "Study progress",
        rx.text(
            DashboardState.words_studied.to_string()
            + " of "
            + DashboardState.words_available.to_string()
            + " words studied",
            size="5",
            weight="bold",
            id="dashboard-study-progress",
        ),
        rx.progress(
            value=DashboardState.study_progress_percent,
            max=100,
            aria_label="Share of the words you have studied",
        ),
        rx.text(
            DashboardState.study_progress_percent.to_string() + "% of the published words in "
            "the language you are learning.",
            size="2",
            color_scheme="gray",
        ),
        description="Words you have answered at least once.",
    )


def _overview() -> rx.Component:
    return rx.vstack(
        rx.grid(
            stat_card(
                "Total reviews",
                DashboardState.total_reviews,
                icon="layers",
                stat_id="stat-reviews",
                note="Cards you have answered",
            ),
            stat_card(
                "Success rate",
                DashboardState.success_rate,
                icon="target",
                stat_id="stat-success-rate",
                note="Answers you got right",
            ),
            stat_card(
                "Study sessions",
                DashboardState.study_sessions,
                icon="calendar-check",
                stat_id="stat-sessions",
                note="Sessions started",
            ),
            stat_card(
                "Current streak",
                DashboardState.streak_label,
                icon="flame",
                stat_id="stat-streak",
                note="Days in a row; a streak freeze or vacation keeps it",
            ),
            columns=rx.breakpoints(initial="1", sm="2", lg="4"),
            spacing="4",
            width="100%",
        ),
        my_assignments_section(),
        my_classes_section(),
        rx.grid(
            _last_session(),
            _study_progress(),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        weekly_goal_card(),
        rx.grid(
            section(
                "Your profile",
                rx.vstack(
                    info_row(
                        "Learning",
                        DashboardState.target_language,
                        value_id="profile-target-language",
                    ),
                    info_row(
                        "Native language",
                        DashboardState.native_language,
                        value_id="profile-native-language",
                    ),
                    info_row(
                        "Daily goal",
                        DashboardState.daily_goal.to_string() + " new cards",
                        value_id="profile-daily-goal",
                    ),
                    info_row(
                        "Desired retention",
                        DashboardState.desired_retention,
                        value_id="profile-retention",
                    ),
                    info_row("Time zone", DashboardState.timezone, value_id="profile-timezone"),
                    spacing="0",
                    width="100%",
                ),
                rx.link(
                    "Change these in Settings",
                    href="/settings",
                    id="dashboard-settings-link",
                    size="2",
                ),
                description="Your plan is built from these.",
            ),
            section(
                "What's next",
                rx.text(
                    rx.cond(
                        DashboardState.total_reviews == 0,
                        "You haven't reviewed any cards yet. Practice introduces up to your "
                        "daily goal of new words a day, and spaced repetition brings each one "
                        "back just before you would forget it.",
                        "Keep your streak going: reviews come back just before you would "
                        "forget them.",
                    ),
                    size="2",
                    color_scheme="gray",
                ),
                rx.link(
                    "Go to today's plan", href="/practice", size="2", id="dashboard-practice-link"
                ),
                description="Where your studying goes from here.",
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        spacing="5",
        width="100%",
    )


@template(route="/dashboard", title="Dashboard", on_load=DashboardState.load)
def dashboard() -> rx.Component:
    return rx.vstack(
        page_header(
            "Dashboard",
            "Hello, " + DashboardState.display_name + ". Here is how your studying is going.",
        ),
        rx.cond(DashboardState.loaded, _overview(), loading()),
        spacing="5",
        width="100%",
    )
