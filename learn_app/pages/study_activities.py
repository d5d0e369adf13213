"""Study Activities: every activity as a card, one activity's page, and the Launch dialog."""

from __future__ import annotations

import reflex as rx

from learn_app.components.cards import section
from learn_app.components.content import back_link, detail_header, not_found, pagination
from learn_app.components.forms import labelled
from learn_app.components.layout import loading, page_header, template
from learn_app.components.study import activity_image, sessions_table
from learn_app.components.tables import empty_text
from learn_app.state.study_activities import (
    ActivitiesState,
    ActivityCard,
    ActivityState,
    LaunchState,
)

# ------------------------------------------------------------------------------ launching


def _group_select() -> rx.Component:
    return labelled(
        "Word group",
        rx.select.root(
            rx.select.trigger(id="launch-group", aria_label="Word group", width="100%"),
            rx.select.content(
                rx.foreach(
                    LaunchState.groups,
                    lambda group: rx.select.item(group.label, value=group.value),
                ),
                position="popper",
            ),
            value=LaunchState.chosen_group,
            on_change=LaunchState.choose_group,
            size="3",
        ),
        field_id="launch-group",
        hint="Your answers are recorded in a new study session of this group.",
        error=LaunchState.error,
    )


def _choose_group() -> rx.Component:
    return rx.vstack(
        rx.cond(
            LaunchState.groups,
            _group_select(),
            rx.text(
                "There are no word groups with words to study yet.",
                id="launch-no-groups",
                color_scheme="gray",
                size="2",
            ),
        ),
        rx.flex(
            rx.dialog.close(
                rx.button("Cancel", variant="soft", color_scheme="gray", id="launch-cancel")
            ),
            rx.button(
                rx.icon("play", size=16),
                "Start",
                on_click=LaunchState.launch,
                disabled=~LaunchState.groups,
                id="launch-start",
            ),
            spacing="3",
            justify="end",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def _opened_elsewhere() -> rx.Component:
    """An external activity opens in a new tab; a link in case the browser held it back."""
    return rx.vstack(
        rx.callout.root(
            rx.callout.icon(rx.icon("external-link")),
            rx.callout.text(
                LaunchState.activity_name + " opened in a new tab. If nothing opened, ",
                rx.link(
                    "open it here",
                    href=LaunchState.launched_url,
                    is_external=True,
                    id="launch-external-link",
                ),
                ".",
            ),
            color_scheme="green",
            role="status",
            width="100%",
        ),
        rx.flex(
            rx.dialog.close(rx.button("Close", variant="soft", id="launch-close")),
            justify="end",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def launch_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Study with " + LaunchState.activity_name),
            rx.dialog.description(
                "Choose the words to study.", size="2", color_scheme="gray", margin_bottom="1rem"
            ),
            rx.cond(LaunchState.launched_url, _opened_elsewhere(), _choose_group()),
            id="launch-dialog",
            max_width="30rem",
        ),
        open=LaunchState.dialog_open,
        on_open_change=LaunchState.set_dialog_open,
    )


def launch_button(activity_ref: rx.Var[int], name: rx.Var[str], button_id: rx.Var[str] | str):
    return rx.button(
        rx.icon("play", size=16),
        "Launch",
        on_click=LaunchState.open_for(activity_ref, name),
        id=button_id,
        aria_label="Launch " + name,
    )


# ------------------------------------------------------------------------------ the list


def _activity_card(card: ActivityCard) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.link(
                activity_image(card.image, alt=card.name + " preview"),
                href=card.page_url,
                tab_index=-1,
                aria_hidden="true",
                width="100%",
            ),
            rx.hstack(
                rx.heading(
                    rx.link(
                        card.name,
                        href=card.page_url,
                        color="inherit",
                        underline="hover",
                        id="activity-link-" + card.slug,
                    ),
                    size="4",
                    as_="h2",
                ),
                rx.cond(
                    card.external,
                    rx.badge("External", variant="soft", color_scheme="gray"),
                ),
                align="center",
                spacing="2",
            ),
            rx.text(card.description, size="2", color_scheme="gray"),
            rx.spacer(),
            rx.hstack(
                rx.link(
                    "Past sessions",
                    href=card.page_url,
                    size="2",
                    id="activity-sessions-" + card.slug,
                ),
                rx.spacer(),
                launch_button(card.id, card.name, "activity-launch-" + card.slug),
                align="center",
                width="100%",
            ),
            spacing="3",
            height="100%",
        ),
        size="2",
        width="100%",
        class_name="activity-card",
        data_slug=card.slug,
    )


@template(route="/study-activities", title="Study Activities", on_load=ActivitiesState.load)
def study_activities() -> rx.Component:
    return rx.vstack(
        page_header(
            "Study Activities",
            "Different ways to study a group of words. Every answer counts towards your reviews.",
        ),
        rx.cond(
            ActivitiesState.loaded,
            rx.grid(
                rx.foreach(ActivitiesState.cards, _activity_card),
                columns=rx.breakpoints(initial="1", sm="2", lg="3"),
                spacing="4",
                width="100%",
                id="activities",
            ),
            loading(),
        ),
        launch_dialog(),
        spacing="5",
        width="100%",
    )


# ------------------------------------------------------------------------------ one activity


def _activity_details() -> rx.Component:
    return rx.vstack(
        detail_header(
            ActivityState.activity_name,
            rx.cond(
                ActivityState.external,
                rx.badge("External: opens in a new tab", variant="soft", color_scheme="gray"),
                rx.badge("Built in", variant="soft"),
            ),
            actions=launch_button(
                ActivityState.activity_ref, ActivityState.activity_name, "activity-launch"
            ),
        ),
        rx.flex(
            activity_image(
                ActivityState.image, alt=ActivityState.activity_name + " preview", max_width="24rem"
            ),
            rx.text(ActivityState.description, size="3", flex="1", id="activity-description"),
            direction=rx.breakpoints(initial="column", md="row"),
            gap="5",
            width="100%",
        ),
        section(
            "Your sessions",
            sessions_table(
                ActivityState.sessions,
                table_id="activity-sessions-table",
                show_activity=False,
                empty=empty_text(
                    "You haven't studied with this activity yet. Launch it to start.",
                    empty_id="activity-sessions-empty",
                    size="2",
                ),
            ),
            rx.cond(ActivityState.total, pagination(ActivityState, prefix="activity-sessions")),
            description="Every time you studied with it, newest first.",
        ),
        spacing="5",
        width="100%",
    )


@template(
    route="/study-activities/[activity_id]", title="Study activity", on_load=ActivityState.load
)
def study_activity() -> rx.Component:
    return rx.vstack(
        back_link("All activities", "/study-activities", link_id="activity-back"),
        rx.cond(
            ~ActivityState.loaded,
            loading(),
            rx.cond(
                ActivityState.missing,
                not_found(
                    ActivityState.missing,
                    notice_id="activity-missing",
                    back="/study-activities",
                    back_label="Back to the activities",
                ),
                _activity_details(),
            ),
        ),
        launch_dialog(),
        spacing="3",
        width="100%",
    )
