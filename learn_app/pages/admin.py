"""Admin: people, their roles, and whether their accounts are enabled."""

from __future__ import annotations

import reflex as rx

from learn_app.components.forms import form_error, form_success
from learn_app.components.layout import loading, page_header, template
from learn_app.components.tables import actions_column, column, empty_text, scrolling_table
from learn_app.pages.admin_system import system_section
from learn_app.state.admin import ROLES, AdminState, UserRow


def search_form() -> rx.Component:
    return rx.el.form(
        rx.hstack(
            rx.input(
                rx.input.slot(rx.icon("search", size=16)),
                id="user-search",
                name="search",
                type="search",
                placeholder="Search by name or email",
                aria_label="Search people by name or email",
                default_value=AdminState.search,
                size="3",
                flex="1",
            ),
            rx.button("Search", type="submit", id="user-search-submit", size="3"),
            rx.cond(
                AdminState.search,
                rx.button(
                    "Clear",
                    type="button",
                    on_click=AdminState.clear_search,
                    variant="soft",
                    color_scheme="gray",
                    size="3",
                    id="user-search-clear",
                ),
            ),
            width="100%",
            align="center",
        ),
        on_submit=AdminState.find,
        aria_label="Search people",
        width="100%",
        key=AdminState.search,
    )


def _role_select(user: UserRow) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(
            aria_label="Role of " + user.email,
            id="role-" + user.id.to_string(),
            min_width="7.5rem",
        ),
        rx.select.content(
            *[rx.select.item(role.capitalize(), value=role) for role in ROLES],
            position="popper",
        ),
        value=user.role,
        on_change=lambda role: AdminState.change_role(user.id, role),
        size="2",
    )


def _status(user: UserRow) -> rx.Component:
    return rx.cond(
        user.active,
        rx.badge("Active", color_scheme="green", variant="soft"),
        rx.badge("Disabled", color_scheme="gray", variant="soft"),
    )


def _active_button(user: UserRow) -> rx.Component:
    return rx.cond(
        user.active,
        rx.button(
            "Disable",
            on_click=AdminState.set_active(user.id, False),
            size="1",
            variant="soft",
            color_scheme="red",
            disabled=user.is_me,
            aria_label="Disable " + user.email,
        ),
        rx.button(
            "Enable",
            on_click=AdminState.set_active(user.id, True),
            size="1",
            variant="soft",
            color_scheme="green",
            aria_label="Enable " + user.email,
        ),
    )


def _user_row(user: UserRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.hstack(
                rx.text(user.display_name, weight="medium"),
                rx.cond(user.is_me, rx.badge("You", variant="outline", size="1")),
                spacing="2",
                align="center",
            )
        ),
        rx.table.cell(user.email),
        rx.table.cell(_role_select(user)),
        rx.table.cell(_status(user)),
        rx.table.cell(user.joined, white_space="nowrap"),
        rx.table.cell(_active_button(user), text_align="right"),
        align="center",
        class_name="user-row",
        data_email=user.email,
    )


def users_table() -> rx.Component:
    return rx.cond(
        AdminState.users,
        scrolling_table(
            [
                column("Name"),
                column("Email"),
                column("Role"),
                column("Status"),
                column("Joined"),
                actions_column(),
            ],
            AdminState.users,
            _user_row,
            table_id="users-table",
            min_width="48rem",
        ),
        empty_text("Nobody matches that search.", empty_id="users-empty"),
    )


def pagination() -> rx.Component:
    return rx.hstack(
        rx.text(AdminState.page_label, size="2", color_scheme="gray", id="users-page"),
        rx.spacer(),
        rx.button(
            rx.icon("chevron-left", size=16),
            "Previous",
            on_click=AdminState.go_to_page(AdminState.page - 1),
            disabled=AdminState.page <= 1,
            variant="soft",
            color_scheme="gray",
            id="users-prev",
        ),
        rx.button(
            "Next",
            rx.icon("chevron-right", size=16),
            on_click=AdminState.go_to_page(AdminState.page + 1),
            disabled=AdminState.page >= AdminState.total_pages,
            variant="soft",
            color_scheme="gray",
            id="users-next",
        ),
        width="100%",
        align="center",
    )


def admins_only() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("lock")),
        rx.callout.text(
            rx.text(
                "The Admin area is for admins only.",
                as_="span",
                display="block",
                weight="bold",
            ),
            AdminState.denied,
        ),
        id="admin-denied",
        color_scheme="amber",
        role="alert",
        width="100%",
    )


def _admin_area() -> rx.Component:
    return rx.vstack(
        form_success(AdminState.message, message_id="admin-message"),
        form_error(AdminState.error, error_id="admin-error"),
        rx.cond(
            AdminState.denied,
            admins_only(),
            rx.vstack(
                search_form(),
                users_table(),
                pagination(),
                system_section(),
                spacing="4",
                width="100%",
            ),
        ),
        spacing="4",
        width="100%",
    )


@template(route="/admin", title="Admin", on_load=AdminState.load)
def admin() -> rx.Component:
    return rx.vstack(
        page_header("Admin", "Everyone with an account: their role and whether they can sign in."),
        rx.cond(
            ~AdminState.loaded,
            loading(),
            _admin_area(),
        ),
        spacing="2",
        width="100%",
    )
