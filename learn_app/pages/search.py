"""Search: ask a question in your own words and read the lessons and words that answer it."""

from __future__ import annotations

import reflex as rx

from learn_app.components.forms import form_error
from learn_app.components.layout import page_header, template
from learn_app.state.search import LANGUAGE_OPTIONS, SearchResult, SearchState


def _language_select() -> rx.Component:
    return rx.select.root(
        rx.select.trigger(id="search-language", aria_label="Language to search", min_width="11rem"),
        rx.select.content(
            *[rx.select.item(label, value=code) for code, label in LANGUAGE_OPTIONS.items()],
            position="popper",
        ),
        name="language",
        value=SearchState.language,
        on_change=SearchState.choose_language,
        size="3",
    )


def search_form() -> rx.Component:
    return rx.el.form(
        rx.flex(
            rx.input(
                rx.input.slot(rx.icon("search", size=18)),
                id="search-query",
                name="q",
                type="search",
                default_value=SearchState.query,
                key=SearchState.form_key,
                placeholder="Ask a question, e.g. how do I say I'm sorry politely",
                aria_label="Search question",
                auto_complete="off",
                max_length=200,
                size="3",
                flex="1",
                min_width="14rem",
            ),
            _language_select(),
            rx.button(
                "Search",
                id="search-submit",
                type="submit",
                loading=SearchState.searching,
                size="3",
            ),
            gap="3",
            wrap="wrap",
            width="100%",
        ),
        on_submit=SearchState.submit,
        id="search-form",
        role="search",
        aria_label="Search lessons and words",
        width="100%",
    )


def _example_chips() -> rx.Component:
    return rx.vstack(
        rx.text("Try asking", size="2", weight="medium", color_scheme="gray"),
        rx.flex(
            rx.foreach(
                SearchState.examples,
                lambda question: rx.button(
                    rx.icon("message-circle-question", size=14),
                    question,
                    on_click=SearchState.ask(question),
                    type="button",
                    variant="soft",
                    radius="full",
                    size="2",
                    class_name="search-example",
                ),
            ),
            gap="2",
            wrap="wrap",
        ),
        id="search-examples",
        spacing="2",
        width="100%",
    )


def _result_card(result: SearchResult) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.badge(
                    result.kind_label,
                    color_scheme=rx.cond(result.kind == "lesson", "blue", "green"),
                    variant="soft",
                    class_name="search-result-type",
                ),
                rx.text(result.language_name, size="1", color_scheme="gray"),
                align="center",
                spacing="2",
            ),
            rx.link(
                rx.heading(result.title, size="4", as_="h2"),
                href=result.href,
                class_name="search-result-title",
                underline="hover",
            ),
            rx.text(
                result.snippet,
                size="2",
                color_scheme="gray",
                white_space="pre-line",
                class_name="search-result-text",
            ),
            rx.link(
                rx.cond(result.kind == "lesson", "Read the lesson", "Open the word"),
                rx.icon("arrow-right", size=14),
                href=result.href,
                size="2",
                class_name="search-result-link",
                display="inline-flex",
                align_items="center",
                gap="0.25rem",
            ),
            spacing="2",
            width="100%",
        ),
        size="2",
        width="100%",
        class_name="search-result",
    )


def _results() -> rx.Component:
    return rx.vstack(
        rx.text(SearchState.results_label, id="search-results-label", size="2", role="status"),
        rx.foreach(SearchState.results, _result_card),
        id="search-results",
        spacing="3",
        width="100%",
        opacity=rx.cond(SearchState.searching, "0.6", "1"),
    )


def _searching() -> rx.Component:
    return rx.hstack(
        rx.spinner(size="2"),
        rx.text(
            "Searching… the first search takes a few seconds while the search model loads.",
            size="2",
            color_scheme="gray",
        ),
        id="search-busy",
        align="center",
        spacing="2",
        role="status",
        aria_live="polite",
    )


def _nothing_found() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("search-x")),
        rx.callout.text(
            "Nothing matches “",
            SearchState.searched_query,
            "” in ",
            SearchState.language_name,
            ". Try other words, or search all languages.",
        ),
        id="search-no-results",
        color_scheme="gray",
        role="status",
        width="100%",
    )


@template(route="/search", title="Search", on_load=SearchState.load)
def search() -> rx.Component:
    return rx.vstack(
        page_header(
            "Search",
            "Ask in your own words or look up a word: the published lessons and words answer.",
        ),
        rx.card(
            rx.vstack(
                search_form(),
                form_error(SearchState.error, error_id="search-error"),
                rx.cond(
                    SearchState.message,
                    rx.callout.root(
                        rx.callout.icon(rx.icon("info")),
                        rx.callout.text(SearchState.message),
                        id="search-message",
                        color_scheme="blue",
                        role="alert",
                        width="100%",
                    ),
                ),
                spacing="3",
                width="100%",
            ),
            size="3",
            width="100%",
        ),
        rx.cond(SearchState.searching, _searching()),
        rx.cond(SearchState.results.length() > 0, _results()),
        rx.cond(SearchState.found_nothing, _nothing_found()),
        rx.cond(SearchState.show_examples, _example_chips()),
        spacing="4",
        width="100%",
    )
