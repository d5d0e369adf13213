"""Sign in, sign up, and the front door that sends people to one or the other."""

from __future__ import annotations

import reflex as rx

from learn_app.components.forms import form_error, submit_button, text_field
from learn_app.components.layout import BRAND, public_page
from learn_app.state.auth import PASSWORD_MIN_LENGTH, AuthState


def _other_page_link(question: str, label: str, href: str, link_id: str) -> rx.Component:
    return rx.text(
        question,
        " ",
        rx.link(label, href=href, id=link_id, weight="medium"),
        size="2",
        color_scheme="gray",
        align="center",
        width="100%",
    )


def sign_in_page() -> rx.Component:
    return public_page(
        rx.el.form(
            rx.vstack(
                rx.heading("Sign in", size="6", as_="h1"),
                rx.text("Welcome back. Pick up where you left off.", color_scheme="gray"),
                form_error(AuthState.sign_in_error, error_id="signin-error"),
                text_field(
                    "Email",
                    name="email",
                    field_id="signin-email",
                    type="email",
                    auto_complete="email",
                    default_value=AuthState.sign_in_email,
                    required=True,
                ),
                text_field(
                    "Password",
                    name="password",
                    field_id="signin-password",
                    type="password",
                    auto_complete="current-password",
                    required=True,
                ),
                submit_button(
                    "Sign in",
                    button_id="signin-submit",
                    loading=AuthState.signing_in,
                    width="100%",
                ),
                _other_page_link("New here?", "Create an account", "/signup", "signup-link"),
                spacing="4",
                width="100%",
            ),
            on_submit=AuthState.sign_in,
            id="signin-form",
            aria_label="Sign in",
        )
    )


def sign_up_page() -> rx.Component:
    errors = AuthState.sign_up_errors
    return public_page(
        rx.el.form(
            rx.vstack(
                rx.heading("Create your account", size="6", as_="h1"),
                rx.text("Learn Japanese or Spanish with spaced repetition.", color_scheme="gray"),
                form_error(errors.get("form", ""), error_id="signup-error"),
                text_field(
                    "Email",
                    name="email",
                    field_id="signup-email",
                    type="email",
                    auto_complete="email",
                    required=True,
                    error=errors.get("email", ""),
                ),
                text_field(
                    "Display name",
                    name="display_name",
                    field_id="signup-display-name",
                    auto_complete="nickname",
                    max_length=80,
                    required=True,
                    hint="Shown to you and, if you join a class, to your teacher.",
                    error=errors.get("display_name", ""),
                ),
                text_field(
                    "Password",
                    name="password",
                    field_id="signup-password",
                    type="password",
                    auto_complete="new-password",
                    required=True,
                    hint=f"At least {PASSWORD_MIN_LENGTH} characters. Common passwords "
                    "and your email address are not accepted.",
                    error=errors.get("password", ""),
                ),
                submit_button(
                    "Create account",
                    button_id="signup-submit",
                    loading=AuthState.signing_up,
                    width="100%",
                ),
                _other_page_link("Already have an account?", "Sign in", "/signin", "signin-link"),
                spacing="4",
                width="100%",
            ),
            on_submit=AuthState.sign_up,
            id="signup-form",
            aria_label="Create your account",
        )
    )


def index_page() -> rx.Component:
    """Nothing to see: its on_load sends visitors to their dashboard or to sign in."""
    return rx.center(rx.spinner(size="3"), rx.text(BRAND, class_name="sr-only"), height="100vh")
