"""Papers per month as the geometry of an inline SVG bar chart (the template draws it; no script needed)."""

from __future__ import annotations

from paperkg.web.models import MonthCount

WIDTH, HEIGHT, AXIS = 640, 140, 18


def month_bars(months: list[MonthCount]) -> dict:
    """`{width, height, bars: [{x, y, w, h, month, papers}], ticks: [{x, label}], top}` for `months`; a January
    (or the first month) gets a year tick."""
    if not months:
        return {"width": WIDTH, "height": HEIGHT, "bars": [], "ticks": [], "top": 0}
    top = max(m.papers for m in months) or 1
    step = WIDTH / len(months)
    plot = HEIGHT - AXIS
    bars, ticks = [], []
    for i, m in enumerate(months):
        h = round(plot * m.papers / top, 1)
        bars.append(
            {
                "x": round(i * step, 1),
                "y": round(plot - h, 1),
                "w": max(round(step - 1, 1), 1),
                "h": h,
                "month": m.month,
                "papers": m.papers,
            }
        )
        if i == 0 or m.month.endswith("-01"):
            ticks.append(
                {"x": round(i * step, 1), "label": m.month[:4] if i or len(months) > 12 else m.month}
            )
    return {"width": WIDTH, "height": HEIGHT, "bars": bars, "ticks": ticks, "top": top}
