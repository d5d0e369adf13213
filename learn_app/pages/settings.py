"""Settings: profile, password, signed-in devices, study history, your data, API tokens and
deleting the account."""

from __future__ import annotations

import reflex as rx

from learn_app.components.cards import section
from learn_app.components.content import confirm_delete
from learn_app.components.forms import (
    form_error,
    form_success,
    labelled,
    select_field,
    submit_button,
    text_field,
)
from learn_app.components.layout import page_header, template
from learn_app.components.tables import actions_column, column, scrolling_table
from learn_app.pages.settings_account import api_tokens, delete_account, revoke_button
from learn_app.state.account import ApiTokensState, DeleteAccountState
from learn_app.state.privacy import MyDataState
from learn_app.state.settings import (
    MAX_RETENTION,
    MIN_RETENTION,
    NATIVE_LANGUAGES,
    PASSWORD_MIN_LENGTH,
    TARGET_LANGUAGES,
    TIME_ZONES,
    DeviceRow,
    DevicesState,
    HistoryState,
    PasswordState,
    ProfileState,
)


def _time_zone_field() -> rx.Component:
    """A searchable list: type part of a name ("Madrid", "Tokyo") to narrow it."""
    return labelled(
        "Time zone",
        rx.fragment(
            rx.input(
                id="timezone",
                name="timezone",
                list="timezone-options",
                default_value=ProfileState.timezone,
                placeholder="Start typing a city, e.g. Madrid",
                auto_complete="off",
                size="3",
                width="100%",
            ),
            rx.el.datalist(
                *[rx.el.option(value=zone) for zone in TIME_ZONES],
                id="timezone-options",
            ),
        ),
        field_id="timezone",
        hint="Days, streaks and the daily plan follow this clock.",
        error=ProfileState.errors.get("timezone", ""),
    )


def profile_form() -> rx.Component:
    errors = ProfileState.errors
    return rx.el.form(
        rx.vstack(
            form_error(errors.get("form", ""), error_id="profile-error"),
            text_field(
                "Display name",
                name="display_name",
                default_value=ProfileState.display_name,
                max_length=80,
                required=True,
                auto_complete="nickname",
                error=errors.get("display_name", ""),
            ),
            rx.grid(
                select_field(
                    "Native language",
                    NATIVE_LANGUAGES,
                    name="native_language",
                    default_value=ProfileState.native_language,
                    hint="Meanings and explanations are given in this language.",
                    error=errors.get("native_language", ""),
                ),
                select_field(
                    "Learning",
                    TARGET_LANGUAGES,
                    name="target_language",
                    default_value=ProfileState.target_language,
                    hint="The language you are studying.",
                    error=errors.get("target_language", ""),
                ),
                text_field(
                    "Daily goal (new cards per day)",
                    name="daily_goal",
                    type="number",
                    min="0",
                    max="200",
                    step="1",
                    input_mode="numeric",
                    default_value=ProfileState.daily_goal,
                    hint="0 to 200. Reviews that are due come on top of this.",
                    error=errors.get("daily_goal", ""),
                ),
                text_field(
                    "Desired retention",
                    name="desired_retention",
                    type="number",
                    step="0.01",
                    input_mode="decimal",
                    default_value=ProfileState.desired_retention,
                    hint=f"{MIN_RETENTION:.2f} to {MAX_RETENTION:.2f}: the chance you still "
                    "remember a card when it comes back. Higher means more reviews; 0.90 suits "
                    "most learners.",
                    error=errors.get("desired_retention", ""),
                ),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="4",
                width="100%",
            ),
            _time_zone_field(),
            rx.hstack(
                rx.cond(
                    ProfileState.saved_message,
                    rx.hstack(
                        rx.icon("circle-check", size=16, color=rx.color("green", 11)),
                        rx.text(
                            ProfileState.saved_message,
                            id="profile-saved",
                            size="2",
                            color_scheme="green",
                        ),
                        align="center",
                        spacing="2",
                        role="status",
                    ),
                ),
                submit_button("Save settings", button_id="profile-save"),
                justify="end",
                align="center",
                spacing="4",
                width="100%",
            ),
            spacing="4",
            width="100%",
        ),
        on_submit=ProfileState.save,
        id="profile-form",
        aria_label="Profile settings",
        key=ProfileState.form_key,
        width="100%",
    )


def password_form() -> rx.Component:
    errors = PasswordState.errors
    return rx.el.form(
        rx.vstack(
            form_error(errors.get("form", ""), error_id="password-error"),
            form_success(PasswordState.message, message_id="password-changed"),
            text_field(
                "Current password",
                name="current_password",
                type="password",
                auto_complete="current-password",
                required=True,
                error=errors.get("current_password", ""),
            ),
            rx.grid(
                text_field(
                    "New password",
                    name="new_password",
                    type="password",
                    auto_complete="new-password",
                    required=True,
                    hint=f"At least {PASSWORD_MIN_LENGTH} characters; not a common password.",
                    error=errors.get("new_password", ""),
                ),
                text_field(
                    "Confirm new password",
                    name="confirm_password",
                    type="password",
                    auto_complete="new-password",
                    required=True,
                    error=errors.get("confirm_password", ""),
                ),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="4",
                width="100%",
            ),
            rx.hstack(
                submit_button(
                    "Change password", button_id="password-save", loading=PasswordState.busy
                ),
                justify="end",
                width="100%",
            ),
            spacing="4",
            width="100%",
        ),
        on_submit=PasswordState.change,
        id="password-form",
        aria_label="Change password",
        key=PasswordState.form_key,
        width="100%",
    )


def _device_row(device: DeviceRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.vstack(
                rx.hstack(
                    rx.text(device.device, weight="medium"),
                    rx.cond(
                        device.current,
                        rx.badge("This device", color_scheme="green", variant="soft"),
                    ),
                    align="center",
                    spacing="2",
                ),
                rx.text(device.user_agent, size="1", color_scheme="gray", trim="both"),
                spacing="1",
                max_width="22rem",
            )
        ),
        rx.table.cell(device.ip, white_space="nowrap"),
        rx.table.cell(device.signed_in, white_space="nowrap"),
        rx.table.cell(device.last_seen, white_space="nowrap"),
        rx.table.cell(
            rx.cond(
                device.current,
                rx.text("—", color_scheme="gray", aria_label="Current device"),
                revoke_button(
                    DevicesState.revoke(device.ref),
                    label="Sign out " + device.device,
                    class_name="revoke-device",
                ),
            ),
            text_align="right",
        ),
        align="center",
        class_name="device-row",
    )


def devices_table() -> rx.Component:
    return rx.vstack(
        form_error(DevicesState.error, error_id="devices-error"),
        form_success(DevicesState.message, message_id="devices-message"),
        scrolling_table(
            [
                column("Device"),
                column("IP address"),
                column("Signed in"),
                column("Last seen"),
                actions_column(),
            ],
            DevicesState.devices,
            _device_row,
            table_id="devices-table",
            min_width="40rem",
            variant=None,
        ),
        rx.flex(
            rx.text(
                DevicesState.other_devices_label,
                size="2",
                color_scheme="gray",
            ),
            rx.button(
                rx.icon("log-out", size=16),
                "Sign out all other devices",
                id="revoke-others",
                on_click=DevicesState.revoke_others,
                variant="soft",
                color_scheme="red",
                disabled=DevicesState.other_devices == 0,
            ),
            align="center",
            justify="between",
            wrap="wrap",
            gap="3",
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def study_history() -> rx.Component:
    return rx.vstack(
        form_error(HistoryState.error, error_id="reset-history-error"),
        form_success(HistoryState.message, message_id="reset-history-message"),
        rx.flex(
            rx.text(
                "Start again from nothing: every answer, study session and review schedule "
                "of yours is removed, and every word becomes new again. Your settings stay.",
                size="2",
                color_scheme="gray",
                max_width="36rem",
            ),
            confirm_delete(
                button_label="Reset my study history",
                title="Reset your study history?",
                description="Every answer, study session and review schedule of yours is "
                "removed, and your dashboard starts from zero. This cannot be undone.",
                on_confirm=HistoryState.reset_history,
                button_id="reset-history",
            ),
            align="center",
            justify="between",
            wrap="wrap",
            gap="3",
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def my_data() -> rx.Component:
    return rx.vstack(
        form_error(MyDataState.error, error_id="my-data-error"),
        rx.text(
            "Your profile, sign-in sessions, study sessions and every answer, review schedule, "
            "writing, tutor conversations, classes and assignments, achievements and speaking "
            "attempts, as one JSON file; or just your answers as a spreadsheet (CSV).",
            size="2",
            color_scheme="gray",
            max_width="36rem",
        ),
        rx.hstack(
            rx.button(
                rx.icon("download", size=16),
                "Download my data (JSON)",
                on_click=MyDataState.download_json,
                variant="soft",
                id="my-data-json",
            ),
            rx.button(
                rx.icon("download", size=16),
                "Download my answers (CSV)",
                on_click=MyDataState.download_csv,
                variant="soft",
                id="my-data-csv",
            ),
            spacing="2",
            wrap="wrap",
        ),
        spacing="3",
        width="100%",
    )


@template(
    route="/settings",
    title="Settings",
    on_load=[
        ProfileState.load,
        DevicesState.load,
        HistoryState.load,
        ApiTokensState.load,
        DeleteAccountState.load,
    ],
)
def settings() -> rx.Component:
    return rx.vstack(
        page_header(
            "Settings",
            "Your profile, your password, where you are signed in, your study history, "
            "your data and API tokens.",
        ),
        section(
            "Profile",
            rx.cond(
                ProfileState.loaded,
                profile_form(),
                rx.center(rx.spinner(), width="100%", padding="2rem"),
            ),
            description="How the portal addresses you and plans your studying.",
        ),
        section(
            "Password",
            password_form(),
            description="Changing it signs out every other device.",
        ),
        section(
            "Signed-in devices",
            devices_table(),
            description="Every browser or app signed in to your account.",
        ),
        section(
            "Study history",
            study_history(),
            description="Your answers, sessions and review schedule.",
        ),
        section(
            "Your data",
            my_data(),
            description="A copy of everything the portal stores about you.",
        ),
        section(
            "API tokens",
            api_tokens(),
            description="Credentials for your own programs and scripts.",
        ),
        section(
            "Delete my account",
            delete_account(),
            description="Remove your account and everything stored about you.",
        ),
        spacing="5",
        width="100%",
    )
