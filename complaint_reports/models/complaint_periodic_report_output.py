# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools.misc import format_date, format_datetime, formatLang

from ..tools import svg_chart

PDF_REPORT = "complaint_reports.complaint_periodic_report_action_pdf"
XLSX_REPORT = "complaint_reports.complaint_periodic_report_action_xlsx"
BODY_TEMPLATE = "complaint_reports.periodic_report_body"
# Breakdowns (keys of the figures) shown as tables of the same columns, in order.
BREAKDOWNS = ("by_type", "by_channel", "by_business_line", "regulator")


class ComplaintPeriodicReport(models.Model):
    """The outputs of the periodic report: its figures as tables and charts
    (one builder for the QWeb body, the PDF and the XLSX), the PDF itself.

    Numbers come from the frozen ``figures``; labels are given at rendering
    time in the reader's language (``complaint.report.figures``)."""

    _inherit = "complaint.periodic.report"

    figures_html = fields.Html(
        string="Figures Overview",
        compute="_compute_figures_html",
        sanitize=False,
        help="The frozen figures as printed, in your language.",
    )

    @api.depends("figures")
    @api.depends_context("lang")
    def _compute_figures_html(self):
        QWeb = self.env["ir.qweb"]
        for report in self:
            if not report.figures:
                report.figures_html = False
                continue
            report.figures_html = QWeb._render(
                BODY_TEMPLATE,
                {"report": report, "hide_header": True, "hide_narrative": True},
            )

    # ------------------------------------------------------------------ output
    def _complaint_pdf_content(self):
        """The PDF of these reports as the current user prints it (their
        language; read access checked by the rendering)."""
        return self.env["ir.actions.report"]._render_qweb_pdf(PDF_REPORT, self.ids)[0]

    def _complaint_output_labels(self, figures=None):
        self.ensure_one()
        figures = self.figures if figures is None else figures
        return self.env["complaint.report.figures"]._complaint_labels(figures or {})

    def _complaint_output_values(self, figures=None, labels=None):
        """What the QWeb body and the XLSX show: ``summary`` (key figures
        against the previous period and the targets), ``kpis`` (the four
        headline numbers), ``sections`` (tables), ``actions`` (improvement
        actions) and ``charts`` (inline SVG).

        A table is ``{"title", "columns", "rows", "empty"}``; a row is
        ``{"cells": [(value, kind), ...], "warn": bool}`` where ``kind`` is
        one of ``text``, ``int``, ``rate`` (percent), ``change`` (percent),
        ``points`` (percentage points), ``amount``, ``hours``, ``target``
        (``date`` and ``datetime`` are formatted too)."""
        self.ensure_one()
        figures = (self.figures if figures is None else figures) or {}
        if labels is None:
            labels = self._complaint_output_labels(figures)
        return {
            "summary": self._complaint_output_summary(figures),
            "kpis": self._complaint_output_kpis(figures),
            "sections": self._complaint_output_sections(figures, labels),
            "actions": self._complaint_output_actions(figures),
            "charts": self._complaint_output_charts(figures, labels),
        }

    def _complaint_output_format(self, value, kind):
        """``value`` as text in the reader's language."""
        if kind == "text":
            return value or ""
        if value is None:
            return "" if kind == "target" else "–"
        env = self.env
        if kind == "int":
            return formatLang(env, value or 0, digits=0)
        if kind == "date":
            return format_date(env, value)
        if kind == "datetime":
            return format_datetime(env, value)
        if kind == "amount":
            return formatLang(env, value, currency_obj=self.company_id.currency_id)
        if kind == "hours":
            return env._("%(hours)s h", hours=formatLang(env, value, digits=1))
        number = formatLang(env, abs(value) if kind != "rate" else value, digits=1)
        if kind == "rate":
            return f"{number} %"
        if kind == "target":
            return f"≥ {number} %"
        sign = "+" if value > 0 else "−" if value < 0 else "±"
        if kind == "points":
            signed = sign + number  # no f-string in a translated call's arguments
            return env._("%(points)s pp", points=signed)
        return f"{sign}{number} %"

    @api.model
    def _complaint_output_points(self, current, previous):
        if current is None or previous is None:
            return None
        return round(current - previous, 1)

    def _complaint_output_summary(self, figures):
        totals = figures.get("totals") or {}
        previous = figures.get("previous") or {}
        targets = figures.get("targets") or {}
        rows = []
        for key, label in (
            ("nbr", self.env._("Complaints received")),
            ("closed", self.env._("Closed")),
            ("refused", self.env._("Not accepted")),
            ("repeat", self.env._("Repeat complaints")),
            ("escalated", self.env._("Escalated")),
        ):
            current, before = totals.get(key, 0), previous.get(key, 0)
            change = round(100.0 * (current - before) / before, 1) if before else None
            rows.append(
                {
                    "cells": [
                        (label, "text"),
                        (current, "int"),
                        (before, "int"),
                        (change, "change"),
                        (None, "target"),
                    ],
                    "warn": False,
                }
            )
        for key, target_key, label in (
            ("fcr_rate", "fcr", self.env._("First-contact resolution")),
            ("satisfaction_rate", "satisfaction", self.env._("Satisfaction")),
        ):
            current, before = totals.get(key), previous.get(key)
            target = targets.get(target_key)
            rows.append(
                {
                    "cells": [
                        (label, "text"),
                        (current, "rate"),
                        (before, "rate"),
                        (self._complaint_output_points(current, before), "points"),
                        (target, "target"),
                    ],
                    "warn": current is not None
                    and target is not None
                    and current < target,
                }
            )
        for key, kind, label in (
            ("remedy_amount", "amount", self.env._("Remedies granted")),
            ("hours_to_close", "hours", self.env._("Average time to close")),
        ):
            current, before = totals.get(key), previous.get(key)
            change = (
                round(100.0 * (current - before) / before, 1)
                if current is not None and before
                else None
            )
            rows.append(
                {
                    "cells": [
                        (label, "text"),
                        (current, kind),
                        (before, kind),
                        (change, "change"),
                        (None, "target"),
                    ],
                    "warn": False,
                }
            )
        return {
            "title": self.env._("Key Figures"),
            "columns": [
                self.env._("Indicator"),
                self.env._("This period"),
                self.env._("Previous period"),
                self.env._("Change"),
                self.env._("Target"),
            ],
            "rows": rows,
            "empty": "",
        }

    def _complaint_output_kpis(self, figures):
        """The headline tiles: ``(label, value text, note, below target)``."""
        fmt = self._complaint_output_format
        totals = figures.get("totals") or {}
        previous = figures.get("previous") or {}
        targets = figures.get("targets") or {}
        nbr, before = totals.get("nbr", 0), previous.get("nbr", 0)
        change = round(100.0 * (nbr - before) / before, 1) if before else None
        sla = figures.get("sla") or []
        on_time = sum(row["on_time"] for row in sla)
        late = sum(row["late"] for row in sla)
        sla_rate = (
            round(100.0 * on_time / (on_time + late), 1) if on_time + late else None
        )
        kpis = [
            (
                self.env._("Complaints received"),
                fmt(nbr, "int"),
                self.env._(
                    "%(change)s against the previous period",
                    change=fmt(change, "change"),
                )
                if change is not None
                else self.env._("None in the previous period"),
                False,
            )
        ]
        for key, target_key, label in (
            ("fcr_rate", "fcr", self.env._("First-contact resolution")),
            ("satisfaction_rate", "satisfaction", self.env._("Satisfaction")),
        ):
            value, target = totals.get(key), targets.get(target_key)
            kpis.append(
                (
                    label,
                    fmt(value, "rate"),
                    self.env._("Target %(target)s", target=fmt(target, "target")),
                    value is not None and target is not None and value < target,
                )
            )
        kpis.append(
            (
                self.env._("Time limits met"),
                fmt(sla_rate, "rate"),
                self.env._(
                    "%(late)s late of %(count)s concluded",
                    late=fmt(late, "int"),
                    count=fmt(on_time + late, "int"),
                ),
                False,
            )
        )
        return kpis

    def _complaint_output_breakdown(self, rows, names, total, title, first):
        return {
            "title": title,
            "columns": [
                first,
                self.env._("Complaints"),
                self.env._("Share"),
                self.env._("Previous period"),
                self.env._("Change"),
                self.env._("Closed"),
                self.env._("FCR"),
                self.env._("Satisfaction"),
            ],
            "rows": [
                {
                    "cells": [
                        (names.get(row["key"], str(row["key"])), "text"),
                        (row["nbr"], "int"),
                        (
                            round(100.0 * row["nbr"] / total, 1) if total else None,
                            "rate",
                        ),
                        (row["previous"], "int"),
                        (row["change"], "change"),
                        (row["closed"], "int"),
                        (row["fcr_rate"], "rate"),
                        (row["satisfaction_rate"], "rate"),
                    ],
                    "warn": False,
                }
                for row in rows
            ],
            "empty": self.env._("No complaints in this period."),
        }

    def _complaint_output_hot(self, rows, names, title):
        return {
            "title": title,
            "columns": [
                self.env._("Issue"),
                self.env._("Complaints"),
                self.env._("Previous period"),
                self.env._("Change"),
            ],
            "rows": [
                {
                    "cells": [
                        (names.get(row["key"], str(row["key"])), "text"),
                        (row["nbr"], "int"),
                        (row["previous"], "int"),
                        (row["change"], "change"),
                    ],
                    "warn": False,
                }
                for row in rows
            ],
            "empty": self.env._("None"),
        }

    def _complaint_output_sections(self, figures, labels):
        total = (figures.get("totals") or {}).get("nbr", 0)
        titles = {
            "by_type": (self.env._("By Complaint Type"), self.env._("Complaint type")),
            "by_channel": (self.env._("By Channel"), self.env._("Channel")),
            "by_business_line": (
                self.env._("By Business Line"),
                self.env._("Business line"),
            ),
            "regulator": (self.env._("By Origin"), self.env._("Origin")),
        }
        sections = []
        for key in BREAKDOWNS:
            title, first = titles[key]
            table = self._complaint_output_breakdown(
                figures.get(key) or [], labels.get(key, {}), total, "", first
            )
            sections.append(
                {"key": key, "title": title, "tables": [table], "notes": []}
            )
        sections.append(
            {
                "key": "by_result",
                "title": self.env._("By Result"),
                "tables": [
                    {
                        "title": "",
                        "columns": [
                            self.env._("Result"),
                            self.env._("Complaints"),
                            self.env._("Share"),
                            self.env._("Previous period"),
                            self.env._("Change"),
                        ],
                        "rows": [
                            {
                                "cells": [
                                    (
                                        labels.get("by_result", {}).get(row["key"], ""),
                                        "text",
                                    ),
                                    (row["nbr"], "int"),
                                    (
                                        round(100.0 * row["nbr"] / total, 1)
                                        if total
                                        else None,
                                        "rate",
                                    ),
                                    (row["previous"], "int"),
                                    (row["change"], "change"),
                                ],
                                "warn": False,
                            }
                            for row in figures.get("by_result") or []
                        ],
                        "empty": self.env._("No complaints in this period."),
                    }
                ],
                "notes": [],
            }
        )
        sections.append(
            {
                "key": "sla",
                "title": self.env._("Time Limits"),
                "tables": [
                    {
                        "title": "",
                        "columns": [
                            self.env._("Time limit"),
                            self.env._("Clocks"),
                            self.env._("Met on time"),
                            self.env._("Late or breached"),
                            self.env._("Running"),
                            self.env._("Compliance"),
                        ],
                        "rows": [
                            {
                                "cells": [
                                    (labels.get("sla", {}).get(row["key"], ""), "text"),
                                    (row["nbr"], "int"),
                                    (row["on_time"], "int"),
                                    (row["late"], "int"),
                                    (row["running"], "int"),
                                    (row["rate"], "rate"),
                                ],
                                "warn": False,
                            }
                            for row in figures.get("sla") or []
                        ],
                        "empty": self.env._("No time limit ran in this period."),
                    }
                ],
                "notes": [],
            }
        )
        hot_types = figures.get("hot_types") or {}
        hot_incidents = figures.get("hot_incidents") or {}
        type_names = labels.get("hot_types", {})
        incident_names = labels.get("hot_incidents", {})
        sections.append(
            {
                "key": "hot_issues",
                "title": self.env._("Hot Issues"),
                "tables": [
                    self._complaint_output_hot(
                        hot_types.get("largest", []),
                        type_names,
                        self.env._("Complaint types with the most complaints"),
                    ),
                    self._complaint_output_hot(
                        hot_types.get("growing", []),
                        type_names,
                        self.env._("Complaint types growing the most"),
                    ),
                    self._complaint_output_hot(
                        hot_incidents.get("largest", []),
                        incident_names,
                        self.env._("Network incidents with the most complaints"),
                    ),
                    self._complaint_output_hot(
                        hot_incidents.get("growing", []),
                        incident_names,
                        self.env._("Network incidents growing the most"),
                    ),
                ],
                "notes": [],
            }
        )
        sections.append(self._complaint_output_below_standard(figures, labels))
        return sections

    def _complaint_output_below_standard(self, figures, labels):
        below = figures.get("below_standard") or {}
        missed = {
            "fcr": self.env._("First-contact resolution"),
            "satisfaction": self.env._("Satisfaction"),
            "time_limit": self.env._("Time limit"),
        }
        cases = below.get("cases") or []
        type_names = labels.get("cases", {})
        notes = [self.env._("Confidential complaints are counted, not listed.")]
        if len(cases) >= 50:
            notes.append(
                self.env._(
                    "Only the first %(count)s cases are listed.", count=len(cases)
                )
            )
        return {
            "key": "below_standard",
            "title": self.env._("Below Standard"),
            "tables": [
                {
                    "title": "",
                    "columns": [
                        self.env._("Standard missed"),
                        self.env._("Complaints"),
                    ],
                    "rows": [
                        {
                            "cells": [(label, "text"), (below.get(key, 0), "int")],
                            "warn": False,
                        }
                        for key, label in (
                            (
                                "no_fcr",
                                self.env._("Closed without first-contact resolution"),
                            ),
                            (
                                "unsatisfied",
                                self.env._("Closed with the customer unsatisfied"),
                            ),
                            ("late", self.env._("Time limit missed")),
                        )
                    ],
                    "empty": "",
                },
                {
                    "title": self.env._("Cases"),
                    "columns": [
                        self.env._("Complaint"),
                        self.env._("Complaint type"),
                        self.env._("Standards missed"),
                    ],
                    "rows": [
                        {
                            "cells": [
                                (case.get("number") or "", "text"),
                                (type_names.get(case.get("category_id"), ""), "text"),
                                (
                                    ", ".join(
                                        missed.get(m, m) for m in case.get("missed", [])
                                    ),
                                    "text",
                                ),
                            ],
                            "warn": False,
                        }
                        for case in cases
                    ],
                    "empty": self.env._("No case below standard."),
                },
            ],
            "notes": notes,
        }

    def _complaint_output_actions(self, figures):
        """Improvement actions (``figures["improvement_actions"]``, filled by
        the addon that records them): a list of dicts with ``name`` and,
        when known, ``owner``, ``deadline`` (ISO date) and ``status`` (a
        label); plain strings are accepted as names. Override to show more."""
        rows = []
        for action in figures.get("improvement_actions") or []:
            if not isinstance(action, dict):
                action = {"name": str(action)}
            deadline = action.get("deadline")
            rows.append(
                {
                    "cells": [
                        (action.get("name") or "", "text"),
                        (action.get("owner") or "", "text"),
                        (format_date(self.env, deadline) if deadline else "", "text"),
                        (action.get("status") or "", "text"),
                    ],
                    "warn": False,
                }
            )
        return {
            "key": "improvement_actions",
            "title": self.env._("Improvement Actions"),
            "tables": [
                {
                    "title": "",
                    "columns": [
                        self.env._("Action"),
                        self.env._("Owner"),
                        self.env._("Deadline"),
                        self.env._("Status"),
                    ],
                    "rows": rows,
                    "empty": self.env._("None recorded"),
                }
            ],
            "notes": [],
        }

    def _complaint_output_period_label(self, start):
        start = fields.Date.to_date(start)
        if self.period_type == "quarter":
            return f"{start.year} Q{(start.month - 1) // 3 + 1}"
        return start.strftime("%Y-%m")

    def _complaint_output_charts(self, figures, labels):
        names = labels.get("by_type", {})
        bars = [
            (names.get(row["key"], str(row["key"])), row["nbr"])
            for row in figures.get("by_type") or []
        ]
        trend = [
            (self._complaint_output_period_label(point["start"]), point["nbr"])
            for point in figures.get("trend") or []
        ]
        return {
            "by_type": bars
            and svg_chart.bar_chart(bars, title=self.env._("Complaints by type")),
            "trend": trend
            and svg_chart.line_chart(
                trend, title=self.env._("Complaints received, last periods")
            ),
        }
