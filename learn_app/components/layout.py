"""The frame every signed-in page shares: a sidebar on wide screens, a top bar on narrow ones.

Hiding Teacher and Admin from people without the role is only cosmetic: the services refuse
them whatever the browser shows.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import reflex as rx

from learn_app.state.auth import ProtectedState

BRAND = "Language Portal"
SIDEBAR_WIDTH = "16rem"


@dataclass(frozen=True)
class NavItem:
    label: str
    route: str
    icon: str
    item_id: str


NAV_ITEMS = (
    NavItem("Dashboard", "/dashboard", "layout-dashboard", "dashboard"),
    NavItem("Practice", "/practice", "repeat", "practice"),
    NavItem("Progress", "/progress", "chart-line", "progress"),
    NavItem("Achievements", "/achievements", "award", "achievements"),
    NavItem("Study Activities", "/study-activities", "puzzle", "study-activities"),
    NavItem("Sessions", "/sessions", "history", "sessions"),
    NavItem("Words", "/words", "book-a", "words"),
    NavItem("Groups", "/groups", "layers", "groups"),
    NavItem("Lessons", "/lessons", "graduation-cap", "lessons"),
    NavItem("Search", "/search", "search", "search"),
    NavItem("Tutor", "/tutor", "message-circle", "tutor"),
    NavItem("Settings", "/settings", "settings", "settings"),
)
IMPORT_ITEM = NavItem("Import", "/import", "file-up", "import")
VOCABULARY_ITEM = NavItem("Vocabulary", "/vocabulary", "list-plus", "vocabulary")
EXAMPLES_ITEM = NavItem("Examples", "/examples", "quote", "examples")
TEACHER_ITEM = NavItem("Teacher", "/teacher", "school", "teacher")
ADMIN_ITEM = NavItem("Admin", "/admin", "shield", "admin")


@dataclass(frozen=True)
class Page:
    """A page ready to register with the app."""

    route: str
    title: str
    component: Callable[[], rx.Component]
    on_load: Any = field(default=None)


def brand() -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.center(
                rx.icon("languages", size=18, color="white"),
                width="2rem",
                height="2rem",
                border_radius="8px",
                background=rx.color("accent", 9),
            ),
            rx.text(
                BRAND, weight="bold", size="4", color=rx.color("gray", 12), white_space="nowrap"
            ),
            align="center",
            spacing="2",
        ),
        href="/dashboard",
        underline="none",
        aria_label=f"{BRAND} home",
    )


def _is_current(route: str) -> rx.Var[bool]:
    """The page itself or one below it (/words/12 is under Words)."""
    path = ProtectedState.router.url.path.to(str)
    return (path == route) | path.startswith(route + "/")


def nav_link(item: NavItem) -> rx.Component:
    current = _is_current(item.route)
    return rx.link(
        rx.hstack(
            rx.icon(item.icon, size=18),
            rx.text(item.label, size="3"),
            align="center",
            spacing="3",
            padding_x="0.75rem",
            padding_y="0.5rem",
            border_radius="8px",
            width="100%",
            color=rx.cond(current, rx.color("accent", 11), rx.color("gray", 11)),
            background=rx.cond(current, rx.color("accent", 3), "transparent"),
            font_weight=rx.cond(current, "600", "400"),
            _hover={"background": rx.color("accent", 3), "color": rx.color("accent", 11)},
        ),
        href=item.route,
        id=f"nav-{item.item_id}",
        underline="none",
        width="100%",
        aria_current=rx.cond(current, "page", "false"),
    )


def user_card() -> rx.Component:
    return rx.hstack(
        rx.avatar(fallback=ProtectedState.initials, size="2", radius="full"),
        rx.vstack(
            rx.text(ProtectedState.display_name, id="user-display-name", size="2", weight="bold"),
            rx.text(
                ProtectedState.email,
                size="1",
                color_scheme="gray",
                overflow="hidden",
                text_overflow="ellipsis",
                white_space="nowrap",
                max_width="100%",
                title=ProtectedState.email,
            ),
            spacing="0",
            min_width="0",
            flex="1",
        ),
        align="center",
        spacing="2",
        width="100%",
    )


def sign_out_button(button_id: str = "sign-out") -> rx.Component:
    return rx.button(
        rx.icon("log-out", size=16),
        "Sign out",
        id=button_id,
        on_click=ProtectedState.sign_out,
        variant="soft",
        color_scheme="gray",
        width="100%",
    )


def sidebar() -> rx.Component:
    return rx.box(
        rx.flex(
            brand(),
            rx.vstack(
                *[nav_link(item) for item in NAV_ITEMS],
                rx.cond(ProtectedState.is_teacher, nav_link(IMPORT_ITEM)),
                rx.cond(ProtectedState.is_teacher, nav_link(VOCABULARY_ITEM)),
                rx.cond(ProtectedState.is_teacher, nav_link(EXAMPLES_ITEM)),
                rx.cond(ProtectedState.is_teacher, nav_link(TEACHER_ITEM)),
                rx.cond(ProtectedState.is_admin, nav_link(ADMIN_ITEM)),
                spacing="1",
                width="100%",
                margin_top="2rem",
                as_="nav",
                aria_label="Main",
            ),
            rx.spacer(),
            rx.vstack(
                rx.divider(),
                user_card(),
                sign_out_button(),
                spacing="3",
                width="100%",
            ),
            direction="column",
            height="100vh",
            position="sticky",
            top="0",
            padding="1.25rem",
        ),
        width=SIDEBAR_WIDTH,
        min_width=SIDEBAR_WIDTH,
        border_right=f"1px solid {rx.color('gray', 4)}",
        background=rx.color("gray", 1),
        display=["none", "none", "block"],
    )


def _menu_link(item: NavItem) -> rx.Component:
    return rx.menu.item(
        rx.link(
            rx.hstack(rx.icon(item.icon, size=16), rx.text(item.label)),
            href=item.route,
            id=f"mobile-nav-{item.item_id}",
            underline="none",
            color="inherit",
            width="100%",
        ),
    )


def top_bar() -> rx.Component:
    """The narrow-screen navigation: the brand and a menu."""
    return rx.flex(
        brand(),
        rx.spacer(),
        rx.menu.root(
            rx.menu.trigger(
                rx.icon_button(
                    rx.icon("menu"),
                    variant="soft",
                    color_scheme="gray",
                    aria_label="Open navigation menu",
                    id="mobile-menu",
                ),
            ),
            rx.menu.content(
                rx.box(
                    rx.text(ProtectedState.display_name, size="2", weight="bold"),
                    padding="0.25rem 0.75rem",
                ),
                rx.menu.separator(),
                *[_menu_link(item) for item in NAV_ITEMS],
                rx.cond(ProtectedState.is_teacher, _menu_link(IMPORT_ITEM)),
                rx.cond(ProtectedState.is_teacher, _menu_link(VOCABULARY_ITEM)),
                rx.cond(ProtectedState.is_teacher, _menu_link(EXAMPLES_ITEM)),
                rx.cond(ProtectedState.is_teacher, _menu_link(TEACHER_ITEM)),
                rx.cond(ProtectedState.is_admin, _menu_link(ADMIN_ITEM)),
                rx.menu.separator(),
                rx.menu.item(
                    rx.hstack(rx.icon("log-out", size=16), rx.text("Sign out")),
                    on_click=ProtectedState.sign_out,
                    id="mobile-sign-out",
                ),
                align="end",
            ),
        ),
        align="center",
        padding="0.75rem 1rem",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        background=rx.color("gray", 1),
        position="sticky",
        top="0",
        z_index="10",
        display=["flex", "flex", "none"],
    )


def page_header(title: str, subtitle: str | rx.Var[str] | None = None) -> rx.Component:
    return rx.vstack(
        rx.heading(title, size="7", as_="h1", id="page-title"),
        rx.text(subtitle, color_scheme="gray", size="3") if subtitle is not None else rx.fragment(),
        spacing="1",
        width="100%",
        margin_bottom="0.5rem",
    )


def loading() -> rx.Component:
    """What a page shows while its data is on the way."""
    return rx.center(rx.spinner(size="3"), width="100%", height="60vh", aria_busy="true")


def app_shell(content: rx.Component) -> rx.Component:
    """The signed-in frame; the page's content appears once the sign-in is confirmed."""
    return rx.flex(
        sidebar(),
        rx.box(
            top_bar(),
            rx.box(
                rx.cond(ProtectedState.signed_in, content, loading()),
                as_="main",
                id="main",
                padding=["1rem", "1.5rem", "2.5rem"],
                max_width="72rem",
                width="100%",
                margin_x="auto",
            ),
            flex="1",
            min_width="0",
        ),
        min_height="100vh",
        background=rx.color("gray", 2),
    )


def template(
    route: str,
    title: str,
    *,
    on_load: Any = None,
) -> Callable[[Callable[[], rx.Component]], Page]:
    """Wrap a signed-in page's content in the shared frame.

    Without an `on_load` of its own, a page only checks that someone is signed in; a page that
    loads data passes a handler that does both.
    """

    def decorator(content: Callable[[], rx.Component]) -> Page:
        @functools.wraps(content)
        def page() -> rx.Component:
            return app_shell(content())

        return Page(
            route=route,
            title=f"{title} · {BRAND}",
            component=page,
            on_load=on_load if on_load is not None else ProtectedState.check_login,
        )

    return decorator


def public_page(content: rx.Component) -> rx.Component:
    """The frame of the sign-in and sign-up pages: a centred card under the brand."""
    return rx.center(
        rx.vstack(
            rx.center(brand(), width="100%"),
            rx.card(content, size="4", width="100%"),
            spacing="6",
            width="100%",
            max_width="28rem",
        ),
        min_height="100vh",
        padding="1rem",
        background=rx.color("gray", 2),
    )
