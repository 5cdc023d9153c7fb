"""Charts as SVG rendered on the server: no chart library, nothing to fetch, works offline.

Every label is XML-escaped (type names, phrases and areas can come from attacker-controlled data), and the
charts are served as ``image/svg+xml`` and shown through ``<img>``, where SVG can never run script.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

__all__ = ["PALETTE", "line_chart", "stacked_bars"]

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf", "#393b79", "#637939")
_FONT = 'font-family="system-ui, sans-serif" font-size="11"'


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000):
        if value <= step * 5:
            return float(step * 5)
    return float(value)


def _frame(width: int, height: int, title: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
            f'<rect width="{width}" height="{height}" fill="#ffffff"/>' + "".join(body) + "</svg>")


def _axis(left: int, top: int, plot_w: int, plot_h: int, ymax: float) -> list[str]:
    out = []
    for i in range(5):
        y = top + plot_h - plot_h * i / 4
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#e5e5e5"/>')
        out.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" {_FONT} fill="#555">'
                   f"{ymax * i / 4:g}</text>")
    return out


def _legend(names: Sequence[str], x: int, y: int, width: int) -> list[str]:
    out, cx, cy = [], x, y
    for i, name in enumerate(names):
        label = name.replace("_", " ")
        w = 16 + 6.5 * len(label)
        if cx + w > x + width:
            cx, cy = x, cy + 16
        out.append(f'<rect x="{cx}" y="{cy - 9}" width="10" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>')
        out.append(f'<text x="{cx + 14}" y="{cy}" {_FONT} fill="#333">{escape(label)}</text>')
        cx += int(w) + 10
    return out


def stacked_bars(labels: Sequence[str], series: Mapping[str, Sequence[int]], *, title: str,
                 width: int = 900, height: int = 300) -> str:
    """Stacked bars: one bar per label (an hour), one colour per series (a type).

    >>> svg = stacked_bars(["06:00", "07:00"], {"plea": [1, 2], "<b>": [0, 1]}, title="t")
    >>> svg.count("<rect") > 3 and "&lt;b&gt;" in svg
    True
    """
    names = list(series)
    legend_rows = 1 + sum(len(n) for n in names) * 7 // max(width - 80, 1)
    left, top, right, bottom = 44, 10, 10, 34 + 16 * legend_rows
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(series[n][i] for n in names) for i in range(len(labels))]
    ymax = _nice_max(max(totals, default=0))
    body = _axis(left, top, plot_w, plot_h, ymax)
    n = max(len(labels), 1)
    bar_w = plot_w / n
    for i, label in enumerate(labels):
        y = float(top + plot_h)
        for k, name in enumerate(names):
            value = series[name][i]
            if value <= 0:
                continue
            h = plot_h * value / ymax
            y -= h
            body.append(f'<rect class="bar" x="{left + i * bar_w + 0.5:.1f}" y="{y:.1f}" '
                        f'width="{max(bar_w - 1, 1):.1f}" height="{h:.1f}" fill="{PALETTE[k % len(PALETTE)]}">'
                        f"<title>{escape(label)} · "
                        f"{escape(name)}: {value}</title></rect>")
        if i % max(1, n // 8) == 0:
            body.append(f'<text x="{left + i * bar_w:.1f}" y="{top + plot_h + 14}" {_FONT} fill="#555">'
                        f"{escape(label)}</text>")
    body += _legend(names, left, top + plot_h + 32, plot_w)
    return _frame(width, height, title, body)


def line_chart(labels: Sequence[str], series: Mapping[str, Sequence[float]], *, title: str,
               width: int = 900, height: int = 280) -> str:
    """One line per series over shared labels (phrase counts per bucket)."""
    names = list(series)
    left, top, right, bottom = 44, 10, 10, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    ymax = _nice_max(max((max(v, default=0) for v in series.values()), default=0))
    body = _axis(left, top, plot_w, plot_h, ymax)
    n = len(labels)
    step = plot_w / max(n - 1, 1)
    for k, name in enumerate(names):
        points = " ".join(f"{left + i * step:.1f},{top + plot_h - plot_h * v / ymax:.1f}"
                          for i, v in enumerate(series[name]))
        if points:
            body.append(f'<polyline class="line" points="{points}" fill="none" stroke-width="2" '
                        f'stroke="{PALETTE[k % len(PALETTE)]}"><title>{escape(name)}</title></polyline>')
    for i, label in enumerate(labels):
        if i % max(1, n // 8) == 0:
            body.append(f'<text x="{left + i * step:.1f}" y="{top + plot_h + 14}" {_FONT} fill="#555">'
                        f"{escape(label)}</text>")
    body += _legend(names, left, top + plot_h + 34, plot_w)
    return _frame(width, height, title, body)
