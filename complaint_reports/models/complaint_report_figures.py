# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

# Targets of the operator contracts when no agreement sets its own.
FCR_TARGET = 80.0
SATISFACTION_TARGET = 90.0
# How many hot issues and below-standard cases a report lists.
HOT_LIMIT = 5
CASE_LIMIT = 50
TREND_PERIODS = 6


def _rate(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def _change(current, previous):
    """Change in percent against the previous period; None when there was
    nothing to compare with (never a division by zero)."""
    if not previous:
        return None
    return round(100.0 * (current - previous) / previous, 1)


class ComplaintReportFigures(models.AbstractModel):
    """The figures of a periodic report, computed from the analysis views in
    a fixed number of grouped queries whatever the number of complaints.

    The result is a JSON-able dict frozen on the report (``figures``): keys
    of dimensions are stored (ids, selection values), their labels are given
    at rendering time in the reader's language (``_complaint_figure_labels``).
    Other addons add sections by extending ``_complaint_figure_sections``.
    """

    _name = "complaint.report.figures"
    _description = "Complaint Report Figures"

    # Sections of the report: (key, analysis field grouped by).
    _complaint_dimensions = [
        ("by_type", "root_category_id"),
        ("by_subtype", "category_id"),
        ("by_channel", "channel_id"),
        ("by_business_line", "business_line"),
        ("by_result", "outcome"),
        ("by_team", "team_id"),
    ]
    _complaint_measures = [
        "nbr:sum",
        "closed:sum",
        "refused:sum",
        "repeat:sum",
        "escalated:sum",
        "fcr:sum",
        "rated:sum",
        "satisfied:sum",
        "remedy_amount:sum",
        "hours_to_close:avg",
    ]

    @api.model
    def _complaint_period_bounds(self, date_from, date_to):
        """Naive UTC datetimes bounding the days of a period in the company's
        calendar (the carrier's timezone: its complaints are counted by its
        local day)."""
        tz = self.env.company.partner_id.tz or self.env.user.tz or "UTC"
        start = fields.Datetime.to_datetime(date_from)
        stop = fields.Datetime.to_datetime(date_to) + relativedelta(days=1)
        zone = pytz.timezone(tz)
        return tuple(
            zone.localize(moment).astimezone(pytz.utc).replace(tzinfo=None)
            for moment in (start, stop)
        )

    @api.model
    def _complaint_scope_domain(self, company, partner_org=None):
        domain = [("company_id", "=", company.id)]
        if partner_org:
            domain.append(("partner_org_id", "=", partner_org.id))
        return domain

    @api.model
    def _complaint_figures(self, company, date_from, date_to, partner_org=None):
        """Figures of the complaints received from ``date_from`` to
        ``date_to`` (dates, both included) in ``company``, of one partner
        organisation's cases or the whole carrier's. Aggregates only: computed
        as the system, callers check who may read them."""
        self = self.sudo().with_company(company)  # noqa: PLW0642
        # The company's day: periods and the trend's months alike.
        tz = company.sudo().partner_id.tz or self.env.user.tz or "UTC"
        self = self.with_context(tz=tz)  # noqa: PLW0642
        analysis = self.env["complaint.analysis"]
        scope = self._complaint_scope_domain(company, partner_org)
        length = relativedelta(
            fields.Date.to_date(date_to), fields.Date.to_date(date_from)
        )
        months = length.months + 12 * length.years + 1
        prev_from = fields.Date.to_date(date_from) - relativedelta(months=months)
        prev_to = fields.Date.to_date(date_from) - relativedelta(days=1)
        period = self._complaint_received_domain(date_from, date_to)
        previous = self._complaint_received_domain(prev_from, prev_to)
        agreement = self._complaint_agreement(company, partner_org, date_to)
        figures = {
            "period": {
                "date_from": fields.Date.to_string(fields.Date.to_date(date_from)),
                "date_to": fields.Date.to_string(fields.Date.to_date(date_to)),
                "prev_from": fields.Date.to_string(prev_from),
                "prev_to": fields.Date.to_string(prev_to),
            },
            "targets": {
                "fcr": agreement.target_fcr if agreement else FCR_TARGET,
                "satisfaction": (
                    agreement.target_satisfaction if agreement else SATISFACTION_TARGET
                ),
            },
            "totals": self._complaint_totals(analysis, scope + period),
            "previous": self._complaint_totals(analysis, scope + previous),
        }
        for key, dimension in self._complaint_dimensions:
            figures[key] = self._complaint_breakdown(
                analysis, scope, period, previous, dimension
            )
        figures["regulator"] = self._complaint_breakdown(
            analysis, scope, period, previous, "regulator_transfer"
        )
        figures["sla"] = self._complaint_sla(company, partner_org, date_from, date_to)
        figures["hot_types"] = self._complaint_hot(figures["by_subtype"])
        figures["hot_incidents"] = self._complaint_hot(
            self._complaint_breakdown(analysis, scope, period, previous, "incident_id")
        )
        figures["trend"] = self._complaint_trend(analysis, scope, date_to, months)
        figures["below_standard"] = self._complaint_below_standard(
            analysis, scope + period
        )
        figures.update(
            self._complaint_figure_sections(company, date_from, date_to, partner_org)
        )
        return figures

    @api.model
    def _complaint_figure_sections(self, company, date_from, date_to, partner_org):
        """Hook: further sections of the report (improvement actions...)."""
        return {}

    @api.model
    def _complaint_received_domain(self, date_from, date_to):
        start, stop = self._complaint_period_bounds(date_from, date_to)
        return [("received_date", ">=", start), ("received_date", "<", stop)]

    @api.model
    def _complaint_agreement(self, company, partner_org, date_to):
        if not partner_org:
            return self.env["complaint.partner.agreement"]
        return (
            self.env["complaint.partner.agreement"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("partner_org_id", "=", partner_org.id),
                    ("date_start", "<=", date_to),
                ],
                order="date_start desc",
                limit=1,
            )
        )

    @api.model
    def _complaint_row(self, values):
        """Named measures of one grouped row, with the rates derived."""
        row = dict(
            zip(
                [m.split(":")[0] for m in self._complaint_measures], values, strict=True
            )
        )
        row = {key: value or 0 for key, value in row.items()}
        row["remedy_amount"] = round(row["remedy_amount"], 2)
        row["hours_to_close"] = (
            round(row["hours_to_close"], 1) if row["hours_to_close"] else None
        )
        concluded = row["closed"]
        row["fcr_rate"] = _rate(row["fcr"], concluded)
        row["satisfaction_rate"] = _rate(row["satisfied"], row["rated"])
        return row

    @api.model
    def _complaint_totals(self, analysis, domain):
        [values] = analysis._read_group(domain, [], self._complaint_measures)
        return self._complaint_row(values)

    @api.model
    def _complaint_key(self, value):
        if isinstance(value, models.BaseModel):
            return value.id or False
        return value

    @api.model
    def _complaint_breakdown(self, analysis, scope, period, previous, dimension):
        """Rows of ``dimension`` for the period, largest first, each with its
        count in the previous period and the change."""
        before = {
            self._complaint_key(key): count
            for key, count in analysis._read_group(
                scope + previous, [dimension], ["nbr:sum"]
            )
        }
        rows = []
        for key, *values in analysis._read_group(
            scope + period, [dimension], self._complaint_measures
        ):
            row = self._complaint_row(values)
            row["key"] = self._complaint_key(key)
            row["previous"] = before.get(row["key"], 0)
            row["change"] = _change(row["nbr"], row["previous"])
            rows.append(row)
        rows.sort(key=lambda r: (-r["nbr"], str(r["key"])))
        return rows

    @api.model
    def _complaint_hot(self, rows):
        """The hot issues: the largest counts, then the largest growth."""
        named = [r for r in rows if r["key"]]
        largest = named[:HOT_LIMIT]
        growing = sorted(
            (r for r in named if r["nbr"] > r["previous"]),
            key=lambda r: (-(r["nbr"] - r["previous"]), -r["nbr"]),
        )[:HOT_LIMIT]
        return {
            "largest": [
                {
                    "key": r["key"],
                    "nbr": r["nbr"],
                    "previous": r["previous"],
                    "change": r["change"],
                }
                for r in largest
            ],
            "growing": [
                {
                    "key": r["key"],
                    "nbr": r["nbr"],
                    "previous": r["previous"],
                    "change": r["change"],
                }
                for r in growing
            ],
        }

    @api.model
    def _complaint_sla(self, company, partner_org, date_from, date_to):
        """Time limits of the period's complaints, per milestone."""
        sla = self.env["complaint.sla.analysis"].sudo()
        start, stop = self._complaint_period_bounds(date_from, date_to)
        domain = [
            ("company_id", "=", company.id),
            ("received_date", ">=", start),
            ("received_date", "<", stop),
        ]
        if partner_org:
            domain.append(("partner_org_id", "=", partner_org.id))
        rows = []
        for milestone, nbr, on_time, late, running in sla._read_group(
            domain,
            ["milestone_id"],
            ["nbr:sum", "on_time:sum", "late:sum", "running:sum"],
        ):
            rows.append(
                {
                    "key": milestone.id,
                    "sequence": milestone.sequence,
                    "nbr": nbr,
                    "on_time": on_time,
                    "late": late,
                    "running": running,
                    "rate": _rate(on_time, on_time + late),
                }
            )
        rows.sort(key=lambda r: (r["sequence"], r["key"]))
        return rows

    @api.model
    def _complaint_trend(self, analysis, scope, date_to, months):
        """Complaints received in the last periods, oldest first, the report's
        period included (monthly, or quarterly for a quarterly report)."""
        end = fields.Date.to_date(date_to)
        first = (
            end + relativedelta(days=1) - relativedelta(months=months * TREND_PERIODS)
        )
        domain = scope + self._complaint_received_domain(first, end)
        counts = {
            fields.Date.to_date(month): count
            for month, count in analysis._read_group(
                domain, ["received_date:month"], ["nbr:sum"]
            )
        }
        trend = []
        for index in range(TREND_PERIODS):
            start = first + relativedelta(months=months * index)
            total = sum(
                counts.get(start + relativedelta(months=step), 0)
                for step in range(months)
            )
            trend.append({"start": fields.Date.to_string(start), "nbr": total})
        return trend

    @api.model
    def _complaint_below_standard_domain(self, domain):
        """The ``complaint.analysis`` rows of ``domain`` below standard:
        closed without first-contact resolution, closed with the customer
        unsatisfied, or with a time limit met late or breached. One
        definition for the report and the below-standard analysis."""
        return domain + [
            "|",
            "|",
            "&",
            ("closed", "=", 1),
            ("fcr", "=", 0),
            ("outcome", "=", "unsatisfied"),
            ("late", "=", 1),
        ]

    @api.model
    def _complaint_missed(self, case):
        """What the ``complaint.analysis`` row ``case`` missed: ``fcr``,
        ``satisfaction``, ``time_limit``."""
        return [
            reason
            for reason, missed in (
                ("fcr", case.closed and not case.fcr),
                ("satisfaction", case.outcome == "unsatisfied"),
                ("time_limit", case.late),
            )
            if missed
        ]

    @api.model
    def _complaint_below_standard(self, analysis, domain):
        """Closed complaints that missed first-contact resolution or left the
        customer unsatisfied, and those whose time limits were missed: counts,
        and the first cases by reference (no personal data; confidential
        complaints are counted, not listed)."""
        closed = domain + [("closed", "=", 1)]
        [(no_fcr,)] = analysis._read_group(closed + [("fcr", "=", 0)], [], ["__count"])
        [(unsatisfied,)] = analysis._read_group(
            closed + [("outcome", "=", "unsatisfied")], [], ["__count"]
        )
        [(late,)] = analysis._read_group(domain + [("late", "=", 1)], [], ["__count"])
        below = self._complaint_below_standard_domain(domain)
        cases = analysis.search_fetch(
            below + [("ticket_id.confidential", "=", False)],
            ["ticket_id", "category_id", "outcome", "fcr", "closed", "late"],
            limit=CASE_LIMIT,
            order="received_date, id",
        )
        return {
            "no_fcr": no_fcr,
            "unsatisfied": unsatisfied,
            "late": late,
            "cases": [
                {
                    "ticket_id": case.ticket_id.id,
                    "number": case.ticket_id.number,
                    "category_id": case.category_id.id,
                    "missed": self._complaint_missed(case),
                }
                for case in cases
            ],
        }

    # ---------------------------------------------------------------- labels
    _complaint_label_fields = {
        "by_type": "root_category_id",
        "by_subtype": "category_id",
        "by_channel": "channel_id",
        "by_business_line": "business_line",
        "by_result": "outcome",
        "by_team": "team_id",
        "regulator": "regulator_transfer",
        "hot_types": "category_id",
        "hot_incidents": "incident_id",
    }

    @api.model
    def _complaint_labels(self, figures):
        """Labels of the keys stored in ``figures``, in the language of the
        environment (the reader's): ``{section: {key: label}}``, plus the
        time limits' names under ``sla`` and the cases' types under
        ``cases``. A fixed number of queries."""
        analysis = self.env["complaint.analysis"]
        labels = {}
        for section, field_name in self._complaint_label_fields.items():
            field = analysis._fields[field_name]
            rows = figures.get(section) or []
            if isinstance(rows, dict):  # hot issues: largest and growing
                rows = rows.get("largest", []) + rows.get("growing", [])
            keys = {row["key"] for row in rows}
            labels[section] = self._complaint_field_labels(field, keys)
        milestones = (
            self.env["complaint.sla.milestone"]
            .sudo()
            .browse([row["key"] for row in figures.get("sla", [])])
        )
        labels["sla"] = {m.id: m.name for m in milestones.exists()}
        cases = (figures.get("below_standard") or {}).get("cases", [])
        categories = (
            self.env["helpdesk.ticket.category"]
            .sudo()
            .browse({case["category_id"] for case in cases if case["category_id"]})
        )
        labels["cases"] = {c.id: c.complete_name for c in categories.exists()}
        return labels

    @api.model
    def _complaint_field_labels(self, field, keys):
        none = self.env._("Not set")
        if field.type == "many2one":
            records = self.env[field.comodel_name].sudo().browse(k for k in keys if k)
            names = {
                r.id: r.complete_name
                if "complete_name" in r._fields
                else r.display_name
                for r in records.exists()
            }
            return {key: names.get(key, none) if key else none for key in keys}
        if field.type == "boolean":
            return {
                True: self.env._("Transferred by the regulator (申诉)"),
                False: self.env._("Received directly (投诉)"),
            }
        selection = dict(field._description_selection(self.env))
        return {key: selection.get(key, none) if key else none for key in keys}
