"""The Progress charts about memory: how strong each word's memory is, the words known over
time, and the workload each desired retention would cost — built as `figures.progress` builds
the others, from a `ProgressReport`, into `ChartView`s."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from learn_app.figures.progress import (
    BLUE,
    GREEN,
    ORANGE,
    VERMILION,
    ChartView,
    base_figure,
    duration,
    percent,
    plural,
)
from learn_app.services.study.analytics import ProgressReport

# ------------------------------------------------------------------ 6. memory


def memory_chart(report: ProgressReport) -> ChartView:
    m = report.memory
    figure = make_subplots(
        rows=1,
        cols=3,
        subplot_titles=("Stability (days)", "Difficulty (1–10)", "Recall now (%)"),
        horizontal_spacing=0.08,
    )
    figure.update_layout(
        template=go.layout.Template(),
        title={"text": "How strong your memories are", "x": 0, "font": {"size": 15}},
        height=320,
        margin={"l": 60, "r": 20, "t": 70, "b": 50},
        showlegend=False,
    )
    s_labels = [
        f"{b.low:g}–{b.high:g}" if b.high is not None else f"{b.low:g}+" for b in m.stability
    ]
    d_labels = [f"{b.low:g}" for b in m.difficulty]
    r_labels = [f"{100 * b.low:.0f}" for b in m.retrievability]
    for col, labels, bins, colour in (
        (1, s_labels, m.stability, BLUE),
        (2, d_labels, m.difficulty, ORANGE),
        (3, r_labels, m.retrievability, GREEN),
    ):
        figure.add_trace(
            go.Bar(
                x=labels,
                y=[b.cards for b in bins],
                marker_color=colour,
                hovertemplate="%{x}: %{y} cards<extra></extra>",
            ),
            row=1,
            col=col,
        )
        figure.update_xaxes(type="category", row=1, col=col)
    figure.update_yaxes(title_text="Cards", row=1, col=1)
    reading = ""
    if m.cards:
        median = _median_bin(m.stability, m.cards)
        reading = (
            f"Half of your {plural(m.cards, 'word')} will hold for at least {median} days "
            f"without review; you would recall about {round(m.words_known):,} of them now."
        )
    rows = (
        [["Stability", label, str(b.cards)] for label, b in zip(s_labels, m.stability, strict=True)]
        + [
            ["Difficulty", label, str(b.cards)]
            for label, b in zip(d_labels, m.difficulty, strict=True)
        ]
        + [
            ["Recall now", label + "%", str(b.cards)]
            for label, b in zip(r_labels, m.retrievability, strict=True)
        ]
    )
    return ChartView(
        figure,
        reading,
        ["Measure", "Range", "Cards"],
        [r for r in rows if r[2] != "0"],
        empty=""
        if m.cards
        else "No words learned yet. Each word you answer gets a memory here: how long it "
        "lasts, how hard it is, how likely you are to recall it now.",
    )


def _median_bin(bins: list, cards: int) -> str:
    seen = 0
    for b in bins:
        seen += b.cards
        if seen * 2 >= cards:
            return f"{b.low:g}"
    return "0"


def known_chart(report: ProgressReport) -> ChartView:
    points = report.words_known
    figure = base_figure(
        "Estimated words known (sum of recall probabilities)", "Week", "Words you would recall"
    )
    figure.add_trace(
        go.Scatter(
            x=[p.at.date().isoformat() for p in points],
            y=[round(p.words_known, 1) for p in points],
            mode="lines",
            fill="tozeroy",
            line={"color": GREEN},
            name="Words known",
            hovertemplate="%{x}: %{y} words<extra></extra>",
        )
    )
    figure.update_layout(showlegend=False)
    has_data = any(p.words_known for p in points)
    reading = ""
    if has_data:
        now = points[-1].words_known
        before = points[-13].words_known if len(points) >= 13 else points[0].words_known
        change = now - before
        reading = (
            f"You would recall about {round(now):,} words if asked all of them now, "
            f"{'up' if change >= 0 else 'down'} {abs(round(change)):,} in the last 12 weeks."
        )
    rows = [[p.at.date().isoformat(), f"{p.words_known:.1f}"] for p in points if p.words_known]
    return ChartView(
        figure,
        reading,
        ["Week", "Words known (estimated)"],
        rows,
        empty=""
        if has_data
        else "Words known counts, week by week, how many of your words you would recall. It "
        "starts with your first answers.",
    )


# ------------------------------------------------------------------ 9. workload


def workload_chart(report: ProgressReport) -> ChartView:
    w = report.workload
    figure = base_figure(
        f"Workload against desired retention ({w.daily_new} new words a day)",
        "Desired retention (%)",
        "Minutes a day (year's average)",
    )
    xs = [round(100 * p.retention) for p in w.points]
    figure.add_trace(
        go.Scatter(
            x=xs,
            y=[round(p.minutes_per_day, 1) for p in w.points],
            customdata=[round(p.reviews_per_day) for p in w.points],
            mode="lines+markers",
            name="Minutes a day",
            line={"color": BLUE},
            hovertemplate="%{x}%: %{y} min, %{customdata} answers a day<extra></extra>",
        )
    )
    current = next(p for p in w.points if round(p.retention, 2) == w.current)
    figure.add_trace(
        go.Scatter(
            x=[round(100 * current.retention)],
            y=[round(current.minutes_per_day, 1)],
            mode="markers",
            name="Your setting",
            marker={"color": VERMILION, "size": 14, "symbol": "diamond"},
            hovertemplate="Your setting: %{x}%, %{y} min a day<extra></extra>",
        )
    )
    figure.update_layout(showlegend=True)
    cheaper = [p for p in w.points if p.retention < current.retention]
    lower = max(cheaper, key=lambda p: p.retention) if cheaper else None
    reading = (
        f"At your {percent(current.retention)}, {w.daily_new} new words a day take "
        f"{duration(current.minutes_per_day)} a day ({round(current.reviews_per_day):,} answers)"
        + (
            f"; {percent(lower.retention)} would take {duration(lower.minutes_per_day)}"
            if lower
            else ""
        )
        + f". The least time per word remembered is at {percent(w.cheapest)}."
    )
    if not report.fitted:
        reading += " (FSRS's default memory model until you have 1,000 answers.)"
    rows = [
        [
            f"{x}%",
            f"{p.reviews_per_day:.0f}",
            f"{p.minutes_per_day:.1f}",
            f"{p.words_remembered:.0f}",
        ]
        for x, p in zip(xs, w.points, strict=True)
    ]
    return ChartView(
        figure,
        reading if w.daily_new else "",
        ["Desired retention", "Answers a day", "Minutes a day", "Words remembered after a year"],
        rows,
        empty=""
        if w.daily_new
        else "Your daily goal is 0 new words, so there is no workload to weigh. Set a daily "
        "goal in Settings to see what each retention would cost you.",
        extra={"current": w.current, "cheapest": w.cheapest},
    )
