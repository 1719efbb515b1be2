"""The report's charts, drawn with matplotlib (Agg, no GUI) into PNG bytes.

Figures are made with matplotlib's object API, never pyplot, so no global figure
state is shared between the threads that render reports; a lock still serializes
drawing because matplotlib's font cache and text layout are not documented as
thread-safe.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from functools import lru_cache

from forum_server.reports.model import Count, Participation

_LOCK = threading.Lock()
_BLUE = "#1f5f8b"
_GREEN = "#2e7d4f"


@dataclass(frozen=True)
class Chart:
    title: str
    alt: str  # the chart in words, for screen readers and text-only formats
    png: bytes


@dataclass(frozen=True)
class Charts:
    posts_per_day: Chart | None
    participants_by_region: Chart | None

    def all(self) -> list[Chart]:
        return [c for c in (self.posts_per_day, self.participants_by_region) if c is not None]


def _png(figure: object) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    assert isinstance(figure, Figure)
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    # No "Software" metadata: the same figures give the same bytes.
    figure.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
    return buffer.getvalue()


def _posts_per_day(days: list[Count]) -> Chart:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.5, 2.8), layout="constrained")
    axes = figure.add_subplot()
    labels = [d.key[5:] for d in days]  # MM-DD
    axes.bar(range(len(days)), [d.posts for d in days], color=_BLUE)
    step = max(1, len(days) // 14)
    axes.set_xticks(range(0, len(days), step), labels[::step], rotation=45, ha="right")
    axes.set_ylabel("Posts")
    axes.set_title("Posts per day (UTC)")
    axes.spines[["top", "right"]].set_visible(False)
    alt = "Posts per day: " + ", ".join(f"{d.key} {d.posts}" for d in days)
    return Chart("Posts per day", alt, _png(figure))


def _participants_by_region(regions: list[Count]) -> Chart:
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(6.5, 0.5 + 0.45 * len(regions)), layout="constrained")
    axes = figure.add_subplot()
    shown = list(reversed(regions))  # matplotlib draws the first bar at the bottom
    axes.barh([r.label for r in shown], [r.participants for r in shown], color=_GREEN)
    axes.set_xlabel("Participants")
    axes.set_title("Participants by UN regional group")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.spines[["top", "right"]].set_visible(False)
    alt = "Participants by regional group: " + ", ".join(
        f"{r.label} {r.participants}" for r in regions
    )
    return Chart("Participants by regional group", alt, _png(figure))


def draw_charts(participation: Participation) -> Charts:
    return _draw(tuple(participation.by_day), tuple(participation.by_region))


@lru_cache(maxsize=16)  # the same figures (a closed session, downloaded again) draw once
def _draw(days: tuple[Count, ...], regions: tuple[Count, ...]) -> Charts:
    with _LOCK:
        return Charts(
            posts_per_day=_posts_per_day(list(days)) if days else None,
            participants_by_region=_participants_by_region(list(regions)) if regions else None,
        )
