# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Charts drawn as inline SVG by the report itself: no JavaScript, no network,
rendered alike by browsers and by wkhtmltopdf. Every label is escaped
(``markupsafe``); the functions return ``Markup`` to ``t-out`` as is."""

import unicodedata

from markupsafe import Markup

FONT = "Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
BAR_COLOR = "#3c6e9f"
LINE_COLOR = "#b3473c"
GRID_COLOR = "#d8dde3"
TEXT_COLOR = "#33393f"
MUTED_COLOR = "#6c757d"


def _width_units(char):
    """Wide (CJK) characters take two units, others one."""
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def truncate(label, units):
    """``label`` cut to ``units`` (a CJK character counts two), with an
    ellipsis when cut."""
    label = str(label if label is not None else "")
    if sum(_width_units(c) for c in label) <= units:
        return label
    kept, used = [], 1  # room for the ellipsis
    for char in label:
        used += _width_units(char)
        if used > units:
            break
        kept.append(char)
    return "".join(kept) + "…"


def _number(value):
    value = value or 0
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _svg(width, height, title, body):
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="o_complaint_chart" '
        'role="img" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
        'style="max-width: 100%; height: auto;" font-family="{font}" '
        'font-size="12"><title>{title}</title>{body}</svg>'
    ).format(w=width, h=height, font=FONT, title=title, body=body)


def bar_chart(items, title="", width=440, bar_height=16, gap=6, label_units=24):
    """Horizontal bars, one per ``(label, value)`` of ``items``, in the
    given order, scaled on the largest value; each bar carries its value.
    Values of zero draw an empty bar (never a division by zero)."""
    label_width = label_units * 6 + 12
    value_width = 44
    plot = max(width - label_width - value_width, 40)
    peak = max((value or 0 for __, value in items), default=0) or 1
    parts = []
    for index, (label, value) in enumerate(items):
        top = index * (bar_height + gap)
        middle = top + bar_height / 2 + 4
        length = round(plot * (value or 0) / peak, 1)
        parts.append(
            Markup(
                '<text x="{lx}" y="{my}" text-anchor="end" fill="{tc}">'
                "<title>{full}</title>{label}</text>"
                '<rect class="o_complaint_chart_bar" x="{bx}" y="{ty}" '
                'width="{bw}" height="{bh}" fill="{bc}" rx="2"/>'
                '<text x="{vx}" y="{my}" fill="{tc}">{value}</text>'
            ).format(
                lx=label_width - 8,
                my=middle,
                tc=TEXT_COLOR,
                full=label,
                label=truncate(label, label_units),
                bx=label_width,
                ty=top,
                bw=length,
                bh=bar_height,
                bc=BAR_COLOR,
                vx=label_width + length + 4,
                value=_number(value),
            )
        )
    height = max(len(items) * (bar_height + gap) - gap, bar_height)
    return _svg(width, height, title, Markup("").join(parts))


def line_chart(points, title="", width=440, height=170):
    """A line through the ``(label, value)`` of ``points``, oldest first,
    each point marked with its value and labelled below; one point draws a
    single mark, no line."""
    left, right, top, bottom = 36, 28, 18, 28
    plot_w = width - left - right
    plot_h = height - top - bottom
    peak = max((value or 0 for __, value in points), default=0) or 1
    count = len(points)
    step = plot_w / (count - 1) if count > 1 else 0
    parts = [
        Markup(
            '<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{gc}" '
            'stroke-width="1"/>'
        ).format(
            x1=left, x2=width - right, y=round(top + plot_h * ratio, 1), gc=GRID_COLOR
        )
        for ratio in (0, 0.5, 1)
    ]
    parts.append(
        Markup(
            '<text x="{x}" y="{y}" text-anchor="end" fill="{mc}">{value}</text>'
        ).format(x=left - 6, y=top + 4, mc=MUTED_COLOR, value=_number(peak))
    )
    parts.append(
        Markup('<text x="{x}" y="{y}" text-anchor="end" fill="{mc}">0</text>').format(
            x=left - 6, y=top + plot_h + 4, mc=MUTED_COLOR
        )
    )
    coords = []
    for index, (__, value) in enumerate(points):
        x = round(left + (step * index if count > 1 else plot_w / 2), 1)
        y = round(top + plot_h - plot_h * (value or 0) / peak, 1)
        coords.append((x, y))
    if count > 1:
        parts.append(
            Markup(
                '<polyline class="o_complaint_chart_line" points="{points}" '
                'fill="none" stroke="{lc}" stroke-width="2"/>'
            ).format(points=" ".join(f"{x},{y}" for x, y in coords), lc=LINE_COLOR)
        )
    for (label, value), (x, y) in zip(points, coords, strict=True):
        parts.append(
            Markup(
                '<circle class="o_complaint_chart_point" cx="{x}" cy="{y}" r="3.5" '
                'fill="{lc}"/>'
                '<text x="{x}" y="{vy}" text-anchor="middle" fill="{tc}">{value}</text>'
                '<text x="{x}" y="{ly}" text-anchor="middle" fill="{mc}">{label}</text>'
            ).format(
                x=x,
                y=y,
                lc=LINE_COLOR,
                vy=round(y - 7, 1),
                tc=TEXT_COLOR,
                value=_number(value),
                ly=height - 8,
                mc=MUTED_COLOR,
                label=truncate(label, 12),
            )
        )
    return _svg(width, height, title, Markup("").join(parts))
