"""A class dashboard's charts as Plotly figures, each with a plain-language reading, a table for
screen readers, and — with nothing to draw yet — what to do to get something.

Builders take a `ClassDashboard` (rows already counted in PostgreSQL) and return the same
`ChartView` the Progress charts use, in the same colour-blind-safe Okabe–Ito colours.
"""

from __future__ import annotations

from statistics import median

import plotly.graph_objects as go

from learn_app.figures.progress import BLUE, GREEN, ORANGE, SKY, VERMILION, ChartView
from learn_app.services.study.class_dashboard import ClassDashboard

# Learners by words studied: the lower edge of each bin.
PROGRESS_BINS = (0, 1, 50, 100, 200, 500, 1000)
# Cividis: a sequential scale designed to read the same with any colour vision.
HEATMAP_SCALE = "Cividis"


def _figure(title: str, x_title: str, y_title: str, *, height: int = 300) -> go.Figure:
    return go.Figure(
        layout=go.Layout(
            template=go.layout.Template(),
            title={"text": title, "x": 0, "font": {"size": 15}},
            xaxis={"title": {"text": x_title}},
            yaxis={"title": {"text": y_title}, "rangemode": "tozero"},
            height=height,
            margin={"l": 60, "r": 20, "t": 50, "b": 50},
            legend={"orientation": "h", "y": -0.25},
            colorway=[BLUE, ORANGE, GREEN, SKY, VERMILION],
        )
    )


def _learners(n: int) -> str:
    return f"{n} learner" if n == 1 else f"{n} learners"


NO_STUDY = (
    "Nobody in the class has studied in the last 30 days. Share an assignment below, or ask "
    "the learners to start today's plan on Practice."
)


def active_learners_chart(board: ClassDashboard) -> ChartView:
    days = [d.day.isoformat() for d in board.days]
    active = [d.active_learners for d in board.days]
    figure = _figure(f"Learners who studied, last {board.window_days} days", "Day", "Learners")
    figure.add_trace(
        go.Bar(
            x=days,
            y=active,
            name="Learners who studied",
            marker_color=BLUE,
            hovertemplate="%{x}: %{y} learners<extra></extra>",
        )
    )
    figure.update_yaxes(range=[0, max(1, len(board.roster))], dtick=max(1, len(board.roster) // 5))
    studied_any = sum(1 for row in board.roster if row.days_studied_30)
    reading = (
        f"{studied_any} of {_learners(len(board.roster))} studied in the last "
        f"{board.window_days} days; on an average day {sum(active) / len(active):.1f} did, "
        f"and {active[-1]} so far today."
        if sum(active)
        else ""
    )
    return ChartView(
        figure,
        reading,
        ["Day", "Learners who studied"],
        [[day, str(n)] for day, n in zip(days, active, strict=True)],
        empty="" if sum(active) else NO_STUDY,
    )


def reviews_chart(board: ClassDashboard) -> ChartView:
    days = [d.day.isoformat() for d in board.days]
    reviews = [d.reviews for d in board.days]
    figure = _figure(f"Answers per day, last {board.window_days} days", "Day", "Answers")
    figure.add_trace(
        go.Bar(
            x=days,
            y=reviews,
            name="Answers",
            marker_color=GREEN,
            hovertemplate="%{x}: %{y} answers<extra></extra>",
        )
    )
    total = sum(reviews)
    busiest = max(board.days, key=lambda d: d.reviews) if total else None
    reading = (
        f"The class answered {total:,} times in {board.window_days} days, "
        f"{total / len(reviews):.0f} a day on average; the busiest day was "
        f"{busiest.day:%-d %b} with {busiest.reviews:,}."
        if busiest
        else ""
    )
    return ChartView(
        figure,
        reading,
        ["Day", "Answers"],
        [[day, str(n)] for day, n in zip(days, reviews, strict=True)],
        empty="" if total else NO_STUDY,
    )


def retention_chart(board: ClassDashboard) -> ChartView:
    """The class's true retention day by day, against the learners' average target."""
    points = [d for d in board.days if d.retention is not None]
    target = (
        sum(row.target_retention for row in board.roster) / len(board.roster)
        if board.roster
        else 90.0
    )
    figure = _figure(
        f"True retention, last {board.window_days} days", "Day", "Reviews remembered (%)"
    )
    figure.add_trace(
        go.Scatter(
            x=[d.day.isoformat() for d in points],
            y=[d.retention for d in points],
            mode="lines+markers",
            name="Class retention",
            line={"color": BLUE},
            customdata=[d.retention_reviews for d in points],
            hovertemplate="%{x}: %{y}% of %{customdata} reviews<extra></extra>",
        )
    )
    if points:
        figure.add_trace(
            go.Scatter(
                x=[board.days[0].day.isoformat(), board.days[-1].day.isoformat()],
                y=[target, target],
                mode="lines",
                name=f"Target ({target:.0f}%)",
                line={"color": ORANGE, "dash": "dash"},
                hoverinfo="skip",
            )
        )
    figure.update_yaxes(range=[0, 100])
    reviews = sum(d.retention_reviews for d in points)
    passed = sum(d.retention_reviews * (d.retention or 0) / 100 for d in points)
    overall = 100 * passed / reviews if reviews else None
    reading = (
        f"The class remembered {overall:.0f}% of {reviews:,} reviews of words learned on an "
        f"earlier day; its learners aim for {target:.0f}% on average."
        if overall is not None
        else ""
    )
    return ChartView(
        figure,
        reading,
        ["Day", "Retention", "Reviews"],
        [[d.day.isoformat(), f"{d.retention:g}%", str(d.retention_reviews)] for d in points],
        empty=""
        if points
        else "No reviews of words learned on an earlier day yet: retention shows from a "
        "learner's second day with a word.",
    )


def _bin_label(n: int) -> str:
    low = PROGRESS_BINS[n]
    if n + 1 == len(PROGRESS_BINS):
        return f"{low:,}+"
    high = PROGRESS_BINS[n + 1] - 1
    return "0" if low == high == 0 else f"{low:,}–{high:,}"


def progress_distribution_chart(board: ClassDashboard) -> ChartView:
    """How many learners have studied how many words, split into words still young and
    mature ones (as the bars' two parts: learners by studied words, by mature words)."""
    labels = [_bin_label(n) for n in range(len(PROGRESS_BINS))]

    def binned(values: list[int]) -> list[int]:
        counts = [0] * len(PROGRESS_BINS)
        for value in values:
            counts[max(n for n, low in enumerate(PROGRESS_BINS) if value >= low)] += 1
        return counts

    studied = binned([row.words_studied for row in board.roster])
    mature = binned([row.words_mature for row in board.roster])
    figure = _figure("Learners by words studied", "Words", "Learners")
    figure.add_trace(go.Bar(x=labels, y=studied, name="Words studied", marker_color=BLUE))
    figure.add_trace(
        go.Bar(x=labels, y=mature, name="Mature words (stable 21+ days)", marker_color=GREEN)
    )
    figure.update_layout(barmode="group")
    anyone = any(row.words_studied for row in board.roster)
    reading = (
        f"Half the class has studied at least "
        f"{median(row.words_studied for row in board.roster):.0f} words, and half has at "
        f"least {median(row.words_mature for row in board.roster):.0f} mature ones."
        if anyone
        else ""
    )
    return ChartView(
        figure,
        reading,
        ["Words", "Learners (studied)", "Learners (mature)"],
        [[label, str(s), str(m)] for label, s, m in zip(labels, studied, mature, strict=True)],
        empty=""
        if anyone
        else "No learner has studied a word yet. Words appear here after their first answer.",
    )


def missed_heatmap(board: ClassDashboard) -> ChartView:
    """Words (most missed at the top) × learners, coloured by misses."""
    words = board.missed_words
    learners = [
        row for row in board.roster if any(row.learner_id in w.misses_by_learner for w in words)
    ]
    figure = _figure(
        f"Most-missed words, last {board.window_days} days",
        "Learner",
        "",
        height=max(260, 60 + 26 * len(words)),
    )
    figure.add_trace(
        go.Heatmap(
            x=[row.display_name for row in learners],
            y=[f"{w.term} ({w.meaning})" for w in words],
            z=[[w.misses_by_learner.get(row.learner_id, 0) for row in learners] for w in words],
            colorscale=HEATMAP_SCALE,
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": "Misses"}, "thickness": 10},
            hovertemplate="%{x} missed %{y} %{z} times<extra></extra>",
        )
    )
    figure.update_layout(yaxis={"autorange": "reversed", "automargin": True})
    reading = (
        f"{words[0].term} ({words[0].meaning}) was missed most: {words[0].misses} times by "
        f"{_learners(words[0].learners_missed)}."
        if words
        else ""
    )
    return ChartView(
        figure,
        reading,
        ["Word", *[row.display_name for row in learners]],
        [
            [w.term, *[str(w.misses_by_learner.get(row.learner_id, 0)) for row in learners]]
            for w in words
        ],
        empty=""
        if words
        else "No word was answered wrong in the last 30 days. Missed words show up here, "
        "most missed first.",
    )
