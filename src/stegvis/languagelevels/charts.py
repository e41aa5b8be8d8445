"""Geometry of the step chart on the history page (one small chart per scale).

The chart is a picture of the table printed under it: the SVG has a title and a description
saying entry and latest level, and the numbers are in the table, so nothing is only visual.
"""

from __future__ import annotations

from dataclasses import dataclass

from .selectors import Series

WIDTH = 360  # about a phone's width, so the text is not scaled down there
ROW = 26  # pixels per level
LEFT = 104  # room for the level names
RIGHT = 16
TOP = 12
BOTTOM = 30  # room for the dates


@dataclass(frozen=True)
class Dot:
    x: int
    y: int
    label: str


@dataclass(frozen=True)
class Chart:
    series: Series
    width: int
    height: int
    path: str
    dots: tuple[Dot, ...]
    ticks: tuple[tuple[int, str], ...]  # (y, level name)
    first_date: str
    last_date: str
    x_first: int
    label_x: int
    x_last: int
    axis_y: int


def step_chart(series: Series) -> Chart:
    levels = len(series.levels)
    height = TOP + ROW * (levels - 1) + BOTTOM
    first = series.points[0].result.result_date
    last = series.points[-1].result.result_date
    span = max((last - first).days, 1)
    inner = WIDTH - LEFT - RIGHT

    # Whole pixels: plain integers in the SVG, whatever the page's number format.
    def x(day_offset: int) -> int:
        return round(LEFT + inner * day_offset / span)

    def y(level: int) -> int:
        return TOP + ROW * (levels - 1 - level)

    dots = []
    commands: list[str] = []
    level_so_far: int | None = None
    for point in series.points:
        px = x((point.result.result_date - first).days)
        # The Swedish scale never goes down (a passed course stays passed).
        level = point.level
        if series.scale == "swedish" and level_so_far is not None:
            level = max(level, level_so_far)
        py = y(level)
        if not commands:
            commands.append(f"M{px},{py}")
        else:
            commands.append(f"H{px}V{py}")
        level_so_far = level
        dots.append(Dot(px, py, f"{point.result.result_date:%Y-%m-%d}: {point.result.level_label}"))
    commands.append(f"H{LEFT + inner}")
    return Chart(
        series=series,
        width=WIDTH,
        height=height,
        path="".join(commands),
        dots=tuple(dots),
        ticks=tuple((y(level), name) for level, name in enumerate(series.levels)),
        first_date=f"{first:%Y-%m-%d}",
        last_date=f"{last:%Y-%m-%d}",
        x_first=LEFT,
        label_x=LEFT - 12,
        x_last=LEFT + inner,
        axis_y=height - BOTTOM + 18,
    )
