"""The Progress charts as Plotly figures, each with a plain-language reading and a table.

Builders take a `ProgressReport` (rows already counted in PostgreSQL), shape them with pandas
where a pivot helps, and return a `ChartView`: the figure, one sentence saying what it shows
for this learner, the same numbers as a table for screen readers, and — when there is nothing
to draw — what to do to get something. Figures carry no theme of their own (the page applies
light or dark), only the Okabe–Ito colours, which stay apart for every kind of colour
blindness, so each stays a few kilobytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from learn_app.services.study.analytics import ForecastFigures, ProgressReport
from learn_app.services.study.analytics.answers import ANSWER_KINDS, ANSWER_RATINGS, ITEM_TYPES

# Okabe & Ito (2008): distinguishable with any colour vision.
BLUE, ORANGE, GREEN, PINK, SKY, VERMILION, YELLOW, BLACK = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)
KIND_COLOURS = {"new": SKY, "learning": ORANGE, "review": BLUE, "relearning": VERMILION}
RATING_COLOURS = {"again": VERMILION, "hard": ORANGE, "good": GREEN, "easy": SKY}
KIND_LABELS = {"new": "New", "learning": "Learning", "review": "Review", "relearning": "Relearn"}
RANGES = (30, 90, 365)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass
class ChartView:
    figure: go.Figure
    reading: str
    columns: list[str]
    rows: list[list[str]]
    empty: str = ""  # what to do to see this chart; "" when it has data
    extra: dict[str, Any] = field(default_factory=dict)


def base_figure(title: str, x_title: str, y_title: str, *, height: int = 320) -> go.Figure:
    return go.Figure(
        layout=go.Layout(
            template=go.layout.Template(),
            title={"text": title, "x": 0, "font": {"size": 15}},
            xaxis={"title": {"text": x_title}},
            yaxis={"title": {"text": y_title}},
            height=height,
            margin={"l": 60, "r": 20, "t": 50, "b": 50},
            legend={"orientation": "h", "y": -0.25},
            colorway=[BLUE, ORANGE, GREEN, PINK, SKY, VERMILION, YELLOW, BLACK],
            barmode="stack",
        )
    )


def percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def plural(n: int | float, one: str, many: str | None = None) -> str:
    n = round(n)
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def duration(minutes: float) -> str:
    """ "about 16 minutes", "less than a minute", "about 1.5 hours"."""
    if minutes < 1:
        return "less than a minute"
    if minutes < 90:
        return "about " + plural(minutes, "minute")
    return f"about {minutes / 60:.1f} hours"


# ------------------------------------------------------------------ 1. reviews per day


def reviews_chart(report: ProgressReport, days: int = 30, by: str = "kind") -> ChartView:
    """Answers a day over the last `days` days, stacked by the card's stage or by the answer."""
    start = report.today - timedelta(days=days - 1)
    stacks = ANSWER_KINDS if by == "kind" else ANSWER_RATINGS
    frame = pd.DataFrame(
        [
            (d.day, d.kind if by == "kind" else d.rating, d.reviews, d.seconds)
            for d in report.answers.days
            if d.day >= start
        ],
        columns=["day", "stack", "answers", "seconds"],
    )
    every_day = pd.date_range(start, report.today, freq="D").date
    table = (
        frame.pivot_table(index="day", columns="stack", values="answers", aggfunc="sum")
        .reindex(index=every_day, columns=list(stacks))
        .fillna(0)
        .astype(int)
    )
    label = KIND_LABELS if by == "kind" else {r: r.title() for r in ANSWER_RATINGS}
    colours = KIND_COLOURS if by == "kind" else RATING_COLOURS
    figure = base_figure(
        f"Answers per day, last {days} days ({report.timezone})", "Day", "Answers per day"
    )
    x = [d.isoformat() for d in every_day]
    for stack in stacks:
        figure.add_trace(
            go.Bar(
                x=x,
                y=table[stack].tolist(),
                name=label[stack],
                marker_color=colours[stack],
                hovertemplate="%{x}: %{y} " + label[stack].lower() + "<extra></extra>",
            )
        )
    total = int(table.to_numpy().sum())
    studied = int((table.sum(axis=1) > 0).sum())
    minutes = float(frame["seconds"].sum()) / 60
    if not total:
        reading = ""
    elif by == "kind":
        new = int(table["new"].sum())
        reading = (
            f"You answered {plural(total, 'time')} on {studied} of the last {days} days "
            f"({duration(minutes)}); {plural(new, 'answer was', 'answers were')} "
            "first meetings with new words."
        )
    else:
        again = int(table["again"].sum())
        reading = (
            f"You answered {plural(total, 'time')} in the last {days} days and pressed Again "
            f"on {percent(again / total)} of them."
        )
    rows = [
        [d.isoformat(), *(str(v) for v in values), str(sum(values))]
        for d, values in zip(every_day, table.to_numpy().tolist(), strict=True)
        if sum(values)
    ]
    return ChartView(
        figure,
        reading,
        ["Day", *(label[s] for s in stacks), "Total"],
        rows,
        empty=""
        if total
        else f"No answers in the last {days} days yet. Start today's plan on Practice: "
        "every answer shows up here.",
    )


# ------------------------------------------------------------------ 2. true retention


def retention_chart(report: ProgressReport, period: str = "week") -> ChartView:
    """True retention of young and mature cards by week or month, against the desired one."""
    rows = [r for r in report.answers.retention if r.period == period]
    figure = base_figure(
        f"True retention by {period} ({report.timezone})",
        "Week starting" if period == "week" else "Month",
        "Remembered (%)",
    )
    figure.update_layout(yaxis={"range": [0, 100]})
    for mature, name, colour in ((False, "Young cards", ORANGE), (True, "Mature cards", BLUE)):
        points = [r for r in rows if r.mature == mature]
        figure.add_trace(
            go.Scatter(
                x=[r.start.isoformat() for r in points],
                y=[round(100 * (r.retention or 0), 1) for r in points],
                customdata=[r.reviews for r in points],
                mode="lines+markers",
                name=name,
                line={"color": colour, "dash": "solid" if mature else "dot"},
                hovertemplate="%{x}: %{y}% of %{customdata} reviews<extra>" + name + "</extra>",
            )
        )
    desired = round(100 * report.desired_retention, 1)
    figure.add_hline(
        y=desired,
        line={"color": GREEN, "dash": "dash"},
        annotation_text=f"Desired {desired:g}%",
        annotation_position="bottom right",
    )
    reading = ""
    if rows:
        latest = max(r.start for r in rows)
        current = [r for r in rows if r.start == latest]
        both = sum(r.reviews for r in current)
        passed = sum(r.passed for r in current)
        mature = next((r for r in current if r.mature), None)
        which, share = ("mature cards", mature) if mature else ("the cards you reviewed", None)
        value = share.retention if share else passed / both
        this = "this week" if period == "week" else "this month"
        if latest < _period_start(report, period):
            this = f"in the {period} of {latest:%-d %b %Y}"
        reading = (
            f"You remembered {percent(value)} of {which} {this}; you asked for "
            f"{percent(report.desired_retention)}."
        )
    table = [
        [
            r.start.isoformat(),
            "mature" if r.mature else "young",
            str(r.reviews),
            str(r.passed),
            percent(r.retention),
        ]
        for r in rows
    ]
    return ChartView(
        figure,
        reading,
        ["Period starting", "Cards", "Reviews", "Remembered", "True retention"],
        table,
        empty=""
        if rows
        else "True retention counts reviews of words you learned on an earlier day. Study "
        "today and come back after a day or two of reviews.",
    )


def _period_start(report: ProgressReport, period: str):
    if period == "week":
        return report.today - timedelta(days=report.today.weekday())
    return report.today.replace(day=1)


# ------------------------------------------------------------------ 3. calibration


def calibration_verdict(rmse: float) -> str:
    if rmse <= 0.05:
        return "the scheduler knows your memory well"
    if rmse <= 0.10:
        return "the scheduler's predictions are fair and improve as it fits your answers"
    return "the scheduler is still learning how you remember"


def calibration_chart(report: ProgressReport) -> ChartView:
    bins = report.answers.calibration
    rmse = report.calibration_rmse
    caption = "" if rmse is None else f" — RMSE(bins) {100 * rmse:.1f}%"
    figure = base_figure(
        "Calibration: predicted vs actual recall" + caption,
        "FSRS's predicted recall (%)",
        "Actually recalled (%)",
    )
    figure.update_layout(xaxis={"range": [0, 100]}, yaxis={"range": [0, 105]})
    figure.add_trace(
        go.Scatter(
            x=[0, 100],
            y=[0, 100],
            mode="lines",
            name="Perfect calibration",
            line={"color": "#888888", "dash": "dash"},
            hoverinfo="skip",
        )
    )
    total = sum(b.reviews for b in bins)
    figure.add_trace(
        go.Scatter(
            x=[round(100 * b.predicted, 1) for b in bins],
            y=[round(100 * b.observed, 1) for b in bins],
            customdata=[b.reviews for b in bins],
            mode="markers",
            name="Your reviews",
            marker={
                "color": BLUE,
                "size": [max(6, min(28, 6 + 22 * b.reviews / max(total, 1) * 4)) for b in bins],
            },
            hovertemplate="predicted %{x}%, recalled %{y}% (%{customdata} reviews)<extra></extra>",
        )
    )
    reading = ""
    if bins and rmse is not None:
        busiest = max(bins, key=lambda b: b.reviews)
        reading = (
            f"When FSRS expected you to recall {percent(busiest.predicted)}, you recalled "
            f"{percent(busiest.observed)}; over {plural(total, 'review')} RMSE(bins) is "
            f"{100 * rmse:.1f}%: {calibration_verdict(rmse)}."
        )
    rows = [
        [
            f"{100 * b.low:.0f}–{100 * (b.low + 0.05):.0f}%",
            str(b.reviews),
            f"{100 * b.predicted:.1f}%",
            f"{100 * b.observed:.1f}%",
        ]
        for b in bins
    ]
    return ChartView(
        figure,
        reading,
        ["Predicted recall", "Reviews", "Mean prediction", "Recalled"],
        rows,
        empty=""
        if bins
        else "Calibration compares FSRS's predictions with your reviews of words learned on an "
        "earlier day. Keep studying for a few days and it appears.",
        extra={"rmse": rmse},
    )


# ------------------------------------------------------------------ 4. future due


def forecast_chart(report: ProgressReport) -> ChartView:
    return due_forecast_chart(report.forecast, report.timezone)


def due_forecast_chart(forecast: ForecastFigures, timezone: str) -> ChartView:
    """Cards due each day ahead, the backlog first, with the minutes they should take."""
    due = forecast.due
    figure = base_figure(f"Reviews due, next {len(due.days)} days ({timezone})", "Day", "Cards due")
    x = ["Overdue"] + [d.day.isoformat() for d in due.days]
    y = [due.backlog] + [d.cards for d in due.days]
    minutes = [round(forecast.minutes(n), 1) for n in y]
    figure.add_trace(
        go.Bar(
            x=x,
            y=y,
            customdata=minutes,
            marker_color=[VERMILION] + [BLUE] * len(due.days),
            name="Cards due",
            hovertemplate="%{x}: %{y} cards, about %{customdata} min<extra></extra>",
        )
    )
    figure.update_layout(xaxis={"type": "category"}, showlegend=False)
    week = sum(d.cards for d in due.days[:7])
    today = due.days[0].cards if due.days else 0
    total = sum(y)
    timing = "your own answer times" if forecast.measured else "8 seconds an answer"
    reading = ""
    if total:
        reading = (
            f"Today: {plural(today, 'review')}"
            + (f" plus {due.backlog:,} overdue" if due.backlog else "")
            + f" ({duration(forecast.minutes(today + due.backlog))}); "
            f"{plural(week, 'review')} in the next 7 days "
            f"({duration(forecast.minutes(week))}, from {timing})."
        )
    rows = [[day, str(n), f"{m:g}"] for day, n, m in zip(x, y, minutes, strict=True) if n]
    return ChartView(
        figure,
        reading,
        ["Day", "Cards due", "Minutes (estimated)"],
        rows,
        empty=""
        if total
        else "Nothing is scheduled yet. Answer a few words on Practice and the days they come "
        "back appear here.",
        extra={"backlog": due.backlog, "week": week, "today": today},
    )


# ------------------------------------------------------------------ 5. calendar


def calendar_chart(report: ProgressReport) -> ChartView:
    per_day: dict = {}
    for d in report.answers.days:
        per_day[d.day] = per_day.get(d.day, 0) + d.reviews
    first = report.today - timedelta(days=364)
    first -= timedelta(days=first.weekday())  # the Monday of the first week
    weeks = (report.today - first).days // 7 + 1
    z: list[list[int | None]] = [[None] * weeks for _ in WEEKDAYS]
    text: list[list[str]] = [[""] * weeks for _ in WEEKDAYS]
    for n in range((report.today - first).days + 1):
        day = first + timedelta(days=n)
        count = per_day.get(day, 0)
        z[day.weekday()][n // 7] = count
        text[day.weekday()][n // 7] = f"{day:%a %-d %b %Y}: {plural(count, 'answer')}"
    figure = base_figure(f"Study days, last 12 months ({report.timezone})", "Week", "", height=240)
    figure.add_trace(
        go.Heatmap(
            x=[(first + timedelta(weeks=w)).isoformat() for w in range(weeks)],
            y=list(WEEKDAYS),
            z=z,
            text=text,
            hovertemplate="%{text}<extra></extra>",
            colorscale=[[0, "#f2f2f2"], [0.0001, "#c6dbef"], [1, BLUE]],
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": "Answers"}, "thickness": 10},
        )
    )
    figure.update_layout(yaxis={"autorange": "reversed"})
    s = report.streaks
    reading = (
        f"You studied on {plural(s.days_studied, 'day')} of the last 12 months; your current "
        f"streak is {plural(s.current, 'day')} and your longest {plural(s.longest, 'day')}."
        if s.days_studied
        else ""
    )
    rows = [[day.isoformat(), str(n)] for day, n in sorted(per_day.items())]
    return ChartView(
        figure,
        reading,
        ["Day", "Answers"],
        rows,
        empty=""
        if s.days_studied
        else "No study days yet. A day with at least one answer colours its square and starts "
        "a streak.",
        extra={"current": s.current, "longest": s.longest, "days": s.days_studied},
    )


# ------------------------------------------------------------------ 7. accuracy


def accuracy_chart(report: ProgressReport) -> ChartView:
    cells = report.answers.accuracy
    activities = sorted({c.activity for c in cells})
    types = [t for t in ITEM_TYPES if any(c.item_type == t for c in cells)]
    lookup = {(c.activity, c.item_type): c for c in cells}
    z = [
        [round(100 * lookup[(a, t)].accuracy, 1) if (a, t) in lookup else None for t in types]
        for a in activities
    ]
    text = [
        [
            f"{percent(lookup[(a, t)].accuracy)} of {lookup[(a, t)].reviews}"
            if (a, t) in lookup
            else ""
            for t in types
        ]
        for a in activities
    ]
    figure = base_figure("Accuracy by activity and question", "What was asked", "Activity")
    figure.add_trace(
        go.Heatmap(
            x=[t.title() for t in types],
            y=activities,
            z=z,
            text=text,
            texttemplate="%{text}",
            hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
            colorscale=[[0, VERMILION], [0.5, YELLOW], [1, BLUE]],
            zmin=0,
            zmax=100,
            colorbar={"title": {"text": "Right (%)"}, "thickness": 10},
        )
    )
    reading = ""
    if cells:
        ranked = sorted(cells, key=lambda c: (c.accuracy, c.reviews))
        best, worst = ranked[-1], ranked[0]
        reading = (
            f"Your strongest: {best.activity} · {best.item_type} at {percent(best.accuracy)}"
            + (
                f"; the one to practise: {worst.activity} · {worst.item_type} at "
                f"{percent(worst.accuracy)}."
                if worst is not best
                else "."
            )
        )
    rows = [
        [c.activity, c.item_type, str(c.reviews), str(c.correct), percent(c.accuracy)]
        for c in cells
    ]
    return ChartView(
        figure,
        reading,
        ["Activity", "Question", "Answers", "Right", "Accuracy"],
        rows,
        empty=""
        if cells
        else "No answers in the last 12 months. Try an activity on Study Activities to see "
        "which kinds of question suit you.",
    )
