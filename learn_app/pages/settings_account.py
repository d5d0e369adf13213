"""Settings → API tokens and Settings → Delete my account (sections of the Settings page)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from learn_app.components.forms import (
    form_error,
    form_success,
    labelled,
    select_field,
    submit_button,
    text_field,
)
from learn_app.components.tables import actions_column, column, scrolling_table
from learn_app.state.account import (
    LIFETIME_LABELS,
    NEW_TOKEN_FIELD,
    SCOPE_LABELS,
    ApiTokensState,
    DeleteAccountState,
    TokenRow,
)

COPY_NEW_TOKEN = (
    f"navigator.clipboard.writeText(document.getElementById('{NEW_TOKEN_FIELD}').value)"
)


def _new_token_callout() -> rx.Component:
    """Always in the page, shown only while a new secret is in its field: the field must be
    there when the secret is written into it."""
    return rx.callout.root(
        rx.callout.icon(rx.icon("key-round")),
        rx.vstack(
            rx.text(
                "Your new token ",
                rx.text.strong(ApiTokensState.created_name),
                ". Copy it now: it is shown only this once, and cannot be shown again.",
                size="2",
            ),
            rx.hstack(
                rx.input(
                    id=NEW_TOKEN_FIELD,
                    read_only=True,
                    default_value="",
                    aria_label="Your new API token",
                    font_family="monospace",
                    width="100%",
                ),
                rx.button(
                    rx.icon("copy", size=16),
                    "Copy",
                    on_click=rx.call_script(COPY_NEW_TOKEN),
                    variant="soft",
                    id="copy-new-token",
                ),
                rx.button(
                    "Done", on_click=ApiTokensState.hide_secret, variant="soft", color_scheme="gray"
                ),
                width="100%",
                spacing="2",
            ),
            spacing="2",
            width="100%",
        ),
        color_scheme="green",
        id="new-token",
        role="status",
        width="100%",
        display=rx.cond(ApiTokensState.created_name, "flex", "none"),
    )


def _token_form() -> rx.Component:
    errors = ApiTokensState.errors
    return rx.el.form(
        rx.vstack(
            form_error(errors.get("form", ""), error_id="token-error"),
            rx.grid(
                text_field(
                    "Token name",
                    name="name",
                    field_id="token-name",
                    max_length=80,
                    required=True,
                    placeholder="e.g. Flashcards on my phone",
                    error=errors.get("name", ""),
                ),
                select_field(
                    "Scope",
                    SCOPE_LABELS,
                    name="scope",
                    field_id="token-scope",
                    default_value="read",
                    error=errors.get("scope", ""),
                ),
                select_field(
                    "Expires after",
                    LIFETIME_LABELS,
                    name="expires_in_days",
                    field_id="token-expiry",
                    default_value="90",
                    error=errors.get("expires_in_days", ""),
                ),
                columns=rx.breakpoints(initial="1", md="3"),
                spacing="4",
                width="100%",
            ),
            rx.hstack(
                submit_button("Create token", button_id="token-create"),
                justify="end",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=ApiTokensState.create,
        id="token-form",
        aria_label="Create an API token",
        key=ApiTokensState.form_key,
        width="100%",
    )


def revoke_button(on_click: Any, *, label: Any, class_name: str) -> rx.Component:
    """A table row's small red Revoke button (a signed-in device, an API token)."""
    return rx.button(
        "Revoke",
        on_click=on_click,
        size="1",
        variant="soft",
        color_scheme="red",
        aria_label=label,
        class_name=class_name,
    )


def _token_row(token: TokenRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.vstack(
                rx.text(token.name, weight="medium"),
                rx.text(
                    "lp_…" + token.hint, size="1", color_scheme="gray", font_family="monospace"
                ),
                spacing="1",
            )
        ),
        rx.table.cell(rx.badge(token.scope, variant="soft")),
        rx.table.cell(token.created, white_space="nowrap"),
        rx.table.cell(token.expires, white_space="nowrap"),
        rx.table.cell(token.last_used, white_space="nowrap"),
        rx.table.cell(
            revoke_button(
                ApiTokensState.revoke(token.id),
                label="Revoke " + token.name,
                class_name="revoke-token",
            ),
            text_align="right",
        ),
        align="center",
        class_name="token-row",
    )


def api_tokens() -> rx.Component:
    return rx.vstack(
        rx.text(
            "A token lets a program or script of yours use the portal's API as you "
            "(send it as Authorization: Bearer …). Read tokens only read; study tokens also "
            "start study sessions and answer in them. No token can change your account, "
            "classes or content. The API section of the README has an example.",
            size="2",
            color_scheme="gray",
            max_width="40rem",
        ),
        _new_token_callout(),
        form_success(ApiTokensState.message, message_id="tokens-message"),
        _token_form(),
        scrolling_table(
            [
                column("Token"),
                column("Scope"),
                column("Created"),
                column("Expires"),
                column("Last used"),
                actions_column(),
            ],
            ApiTokensState.tokens,
            _token_row,
            table_id="tokens-table",
            min_width="40rem",
            variant=None,
        ),
        spacing="3",
        width="100%",
    )


def _classes_choice() -> rx.Component:
    return labelled(
        "Your classes",
        rx.radio_group.root(
            rx.radio_group.item("Hand them to an admin, with their learners", value="hand_over"),
            rx.radio_group.item(
                "Delete them (their learners keep their own study)", value="delete"
            ),
            name="classes",
            default_value="hand_over",
            id="delete-classes",
            direction="column",
            spacing="2",
        ),
        field_id="delete-classes",
        hint="The courses you own are handed to an admin either way.",
        error=DeleteAccountState.errors.get("classes", ""),
    )


WHAT_GOES = (
    "your profile and settings",
    "every answer, review schedule and study session",
    "your writing and its comments",
    "your speaking attempts and their recordings",
    "your tutor conversations",
    "your XP, streaks and achievements",
    "your class memberships and invitations",
    "your API tokens and every signed-in device",
)


def delete_account() -> rx.Component:
    errors = DeleteAccountState.errors
    return rx.el.form(
        rx.vstack(
            rx.callout.root(
                rx.callout.icon(rx.icon("triangle-alert")),
                rx.vstack(
                    rx.text("This deletes, for good and at once:", size="2", weight="medium"),
                    rx.el.ul(*[rx.el.li(rx.text(item, size="2")) for item in WHAT_GOES]),
                    rx.text(
                        "You are signed out everywhere. The security log keeps what was done, "
                        "without your name, email or address. This cannot be undone; to keep "
                        "a copy, download your data first.",
                        size="2",
                    ),
                    spacing="1",
                ),
                color_scheme="red",
                width="100%",
            ),
            form_error(errors.get("form", ""), error_id="delete-account-error"),
            rx.cond(DeleteAccountState.is_teacher, _classes_choice()),
            text_field(
                "Your password",
                name="password",
                field_id="delete-password",
                type="password",
                auto_complete="current-password",
                required=True,
                hint="Type your password to confirm.",
                error=errors.get("password", ""),
            ),
            rx.hstack(
                submit_button(
                    "Delete my account",
                    button_id="delete-account",
                    loading=DeleteAccountState.busy,
                    color_scheme="red",
                ),
                justify="end",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=DeleteAccountState.delete,
        id="delete-account-form",
        aria_label="Delete my account",
        key=DeleteAccountState.form_key,
        width="100%",
    )
