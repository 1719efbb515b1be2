"""The report's charts, drawn with matplotlib (Agg, no GUI) into PNG bytes.

Figures are made with matplotlib's object API, never pyplot, so no global figure
state is shared between the threads that render reports; a lock still serializes
drawing because matplotlib's font cache and text layout are not documented as
thread-safe.

Titles, axes and day labels are in the report's language. Text is laid out by
matplotlib's libraqm (Arabic is joined and ordered right to left), in the first of
FONTS that has each glyph: DejaVu Sans for Latin and Cyrillic (and Arabic where no
Arabic font is installed), then the Arabic and Chinese fonts dev.sh installs.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache

from forum_server.i18n import format_number, gettext, using_language
from forum_server.reports.model import Count, Participation, ReportPoll
from forum_server.reports.textual import short_day

_LOCK = threading.Lock()
_BLUE = "#1f5f8b"
_GREEN = "#2e7d4f"
FONTS: tuple[str, ...] = (
    "DejaVu Sans",
    "Noto Sans Arabic UI",
    "Noto Sans Arabic",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
)


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


@cache
def _fonts() -> list[str]:
    """Those of FONTS that are installed, after making sure matplotlib knows of fonts
    installed since its font cache was made (it is not rebuilt by itself)."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    if not set(FONTS) <= {entry.name for entry in manager.ttflist}:
        listed = {entry.fname for entry in manager.ttflist}
        for path in font_manager.findSystemFonts():
            if path not in listed:
                try:
                    manager.addfont(path)
                except (OSError, RuntimeError, ValueError):  # unreadable: skip it
                    continue
    known = {entry.name for entry in manager.ttflist}
    return [name for name in FONTS if name in known] + ["sans-serif"]


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
    labels = [short_day(date.fromisoformat(d.key)) for d in days]
    axes.bar(range(len(days)), [d.posts for d in days], color=_BLUE)
    step = max(1, len(days) // 14)
    axes.set_xticks(range(0, len(days), step), labels[::step], rotation=45, ha="right")
    axes.set_ylabel(gettext("Posts"))
    axes.spines[["top", "right"]].set_visible(False)
    figures = ", ".join(f"{d.label} {format_number(d.posts)}" for d in days)
    alt = gettext("Posts per day: %(figures)s", figures=figures)
    # The caption is the chart's only title (a title in the picture would repeat it).
    return Chart(gettext("Posts per day (UTC)"), alt, _png(figure))


def _participants_by_region(regions: list[Count]) -> Chart:
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(6.5, 0.5 + 0.45 * len(regions)), layout="constrained")
    axes = figure.add_subplot()
    shown = list(reversed(regions))  # matplotlib draws the first bar at the bottom
    axes.barh([r.label for r in shown], [r.participants for r in shown], color=_GREEN)
    axes.set_xlabel(gettext("Participants"))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.spines[["top", "right"]].set_visible(False)
    figures = ", ".join(f"{r.label} {format_number(r.participants)}" for r in regions)
    alt = gettext("Participants by regional group: %(figures)s", figures=figures)
    return Chart(gettext("Participants by UN regional group"), alt, _png(figure))


def draw_charts(participation: Participation, language: str) -> Charts:
    """The charts, their words in `language`."""
    return _draw(tuple(participation.by_day), tuple(participation.by_region), language)


@lru_cache(maxsize=16)  # the same figures (a closed session, downloaded again) draw once
def _draw(days: tuple[Count, ...], regions: tuple[Count, ...], language: str) -> Charts:
    from matplotlib import rc_context

    with _LOCK, using_language(language), rc_context({"font.family": _fonts()}):
        return Charts(
            posts_per_day=_posts_per_day(list(days)) if days else None,
            participants_by_region=_participants_by_region(list(regions)) if regions else None,
        )


def draw_poll_chart(poll: ReportPoll, language: str) -> Chart:
    """A poll's (or proposal's) counts as horizontal bars, its words in `language`."""
    assert poll.options is not None
    return _poll_chart(poll.title, tuple((o.label, o.count) for o in poll.options), language)


@lru_cache(maxsize=64)
def _poll_chart(title: str, counts: tuple[tuple[str, int], ...], language: str) -> Chart:
    from matplotlib import rc_context
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    with _LOCK, using_language(language), rc_context({"font.family": _fonts()}):
        figure = Figure(figsize=(6.5, 0.6 + 0.45 * len(counts)), layout="constrained")
        axes = figure.add_subplot()
        shown = list(reversed(counts))  # the first option on top
        axes.barh([label for label, _ in shown], [n for _, n in shown], color=_BLUE)
        axes.set_xlabel(gettext("Votes"))
        axes.set_title(title)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.spines[["top", "right"]].set_visible(False)
        figures = ", ".join(f"{label} {format_number(n)}" for label, n in counts)
        alt = gettext("Votes: %(figures)s", figures=figures)
        return Chart(title, alt, _png(figure))
