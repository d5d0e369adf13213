"""Dashboard: the learner's real numbers and the profile their plan is built from."""

from __future__ import annotations

import reflex as rx

from learn_app.components.cards import info_row, section, stat_card
from learn_app.components.layout import loading, page_header, template
from learn_app.state.dashboard import DashboardState


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
                note="Days in a row with a review",
            ),
            columns=rx.breakpoints(initial="1", sm="2", lg="4"),
            spacing="4",
            width="100%",
        ),
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
                        "You haven't reviewed any cards yet. Once practice opens, your first "
                        "session will introduce up to your daily goal of new words, and "
                        "reviews will be scheduled with spaced repetition.",
                        "Keep your streak going: reviews come back just before you would "
                        "forget them.",
                    ),
                    size="2",
                    color_scheme="gray",
                ),
                rx.link("See what Practice will offer", href="/practice", size="2"),
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
