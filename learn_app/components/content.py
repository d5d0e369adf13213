"""Pieces the content pages (words, groups, lessons, import) share: search, paging, notices."""

from __future__ import annotations

from typing import Any

import reflex as rx

from learn_app.components.layout import loading, page_header
from learn_app.state.auth import ProtectedState


def search_form(
    state: Any, *, form_id: str, placeholder: str, label: str, field: str = "search"
) -> rx.Component:
    """A search box that submits on Enter or the button; Clear shows once something is searched.

    `state` has a `search` var and `find` / `clear_search` handlers.
    """
    return rx.el.form(
        rx.hstack(
            rx.input(
                rx.input.slot(rx.icon("search", size=16)),
                id=form_id,
                name=field,
                type="search",
                placeholder=placeholder,
                aria_label=label,
                default_value=state.search,
                size="3",
                flex="1",
                min_width="12rem",
            ),
            rx.button("Search", type="submit", id=f"{form_id}-submit", size="3"),
            rx.cond(
                state.search,
                rx.button(
                    "Clear",
                    type="button",
                    on_click=state.clear_search,
                    variant="soft",
                    color_scheme="gray",
                    size="3",
                    id=f"{form_id}-clear",
                ),
            ),
            width="100%",
            align="center",
            wrap="wrap",
        ),
        on_submit=state.find,
        role="search",
        aria_label=label,
        key=state.search,
        flex="1",
        width="100%",
    )


def pagination(state: Any, *, prefix: str) -> rx.Component:
    """Previous / next under a list; `state` has page, total_pages, page_label and go_to_page."""
    return rx.hstack(
        rx.text(state.page_label, size="2", color_scheme="gray", id=f"{prefix}-page"),
        rx.spacer(),
        rx.button(
            rx.icon("chevron-left", size=16),
            "Previous",
            on_click=state.go_to_page(state.page - 1),
            disabled=state.page <= 1,
            variant="soft",
            color_scheme="gray",
            id=f"{prefix}-prev",
        ),
        rx.button(
            "Next",
            rx.icon("chevron-right", size=16),
            on_click=state.go_to_page(state.page + 1),
            disabled=state.page >= state.total_pages,
            variant="soft",
            color_scheme="gray",
            id=f"{prefix}-next",
        ),
        width="100%",
        align="center",
    )


def searchable_list_page(
    state: Any,
    *,
    title: str,
    subtitle: str,
    new_button: rx.Component,
    search: rx.Component,
    filters: rx.Component,
    listing: rx.Component,
    prefix: str,
) -> rx.Component:
    """A list page of the content area: its title, with a New button for teachers; once loaded,
    the search box and `filters` above `listing` and its page buttons. `state` has loaded and
    what `pagination` needs."""
    return rx.vstack(
        rx.flex(
            page_header(title, subtitle),
            rx.cond(ProtectedState.is_teacher, new_button),
            justify="between",
            align="start",
            gap="3",
            width="100%",
        ),
        rx.cond(
            ~state.loaded,
            loading(),
            rx.vstack(
                rx.flex(search, filters, gap="3", width="100%", wrap="wrap", align="center"),
                listing,
                pagination(state, prefix=prefix),
                spacing="4",
                width="100%",
            ),
        ),
        spacing="2",
        width="100%",
    )


def link_button(
    label: str, href: str | rx.Var[str], *, icon: str, button_id: str, **props: Any
) -> rx.Component:
    """A link that looks like a button (navigation, not an action)."""
    return rx.button(
        rx.link(
            rx.icon(icon, size=16),
            label,
            href=href,
            id=button_id,
            underline="none",
        ),
        as_child=True,
        **props,
    )


def notice(
    message: rx.Var[str] | str, *, notice_id: str, title: str = "", icon: str = "lock"
) -> rx.Component:
    """Why the page cannot show what was asked: not allowed, or not there."""
    return rx.callout.root(
        rx.callout.icon(rx.icon(icon)),
        rx.callout.text(
            rx.text(title, as_="span", display="block", weight="bold") if title else "",
            message,
        ),
        id=notice_id,
        color_scheme="amber",
        role="alert",
        width="100%",
    )


def not_found(message: rx.Var[str], *, notice_id: str, back: str, back_label: str) -> rx.Component:
    return rx.vstack(
        notice(message, notice_id=notice_id, icon="search"),
        rx.link(back_label, href=back, id=f"{notice_id}-back"),
        spacing="3",
        width="100%",
    )


def editor_area(
    state: Any,
    form: rx.Component,
    *,
    prefix: str,
    denied_title: str,
    back: str,
    back_label: str,
    needs_course: str,
) -> rx.Component:
    """The body of a page that adds or edits course content: who may not, what is not there,
    that a course is needed first, or else `form` in a card. `state` has denied, missing and
    courses; the notices' ids start with `prefix` ("word" → word-denied, word-missing, …)."""
    return rx.cond(
        state.denied,
        notice(state.denied, notice_id=f"{prefix}-denied", title=denied_title),
        rx.cond(
            state.missing,
            not_found(
                state.missing, notice_id=f"{prefix}-missing", back=back, back_label=back_label
            ),
            rx.cond(
                state.courses,
                rx.card(form, size="3", width="100%"),
                notice(needs_course, notice_id=f"{prefix}-no-courses", icon="info"),
            ),
        ),
    )


def confirm_delete(
    *,
    button_label: str,
    title: rx.Var[str] | str,
    description: str,
    on_confirm: Any,
    button_id: str,
) -> rx.Component:
    """A delete button that asks first; the confirming button's id is `{button_id}-confirm`."""
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(
                rx.icon("trash-2", size=16),
                button_label,
                variant="soft",
                color_scheme="red",
                id=button_id,
            ),
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(description),
            rx.flex(
                rx.alert_dialog.cancel(
                    rx.button(
                        "Cancel", variant="soft", color_scheme="gray", id=f"{button_id}-cancel"
                    )
                ),
                rx.alert_dialog.action(
                    rx.button(
                        button_label,
                        color_scheme="red",
                        on_click=on_confirm,
                        id=f"{button_id}-confirm",
                    )
                ),
                spacing="3",
                justify="end",
                margin_top="1rem",
            ),
        ),
    )


def detail_header(
    title: rx.Var[str],
    *badges: rx.Component,
    subtitle: rx.Component | None = None,
    actions: rx.Component | None = None,
) -> rx.Component:
    """The top of a word, group or lesson page: its name, what it is, and what can be done."""
    return rx.flex(
        rx.vstack(
            rx.heading(title, size="7", as_="h1", id="page-title"),
            subtitle if subtitle is not None else rx.fragment(),
            rx.hstack(*badges, spacing="2", wrap="wrap", align="center"),
            spacing="2",
            min_width="0",
        ),
        rx.spacer(),
        actions if actions is not None else rx.fragment(),
        direction=rx.breakpoints(initial="column", sm="row"),
        gap="3",
        align=rx.breakpoints(initial="start", sm="start"),
        width="100%",
        margin_bottom="0.5rem",
    )


def status_badge(published: rx.Var[bool], *, badge_id: str | None = None) -> rx.Component:
    """Whether learners can see it: published, or a draft only teachers see."""
    return rx.cond(
        published,
        rx.badge("Published", color_scheme="green", variant="soft", id=badge_id),
        rx.badge("Draft", color_scheme="amber", variant="soft", id=badge_id),
    )


def back_link(label: str, href: str, *, link_id: str) -> rx.Component:
    return rx.link(
        rx.hstack(rx.icon("arrow-left", size=14), rx.text(label, size="2"), align="center"),
        href=href,
        id=link_id,
        color_scheme="gray",
        underline="hover",
    )
