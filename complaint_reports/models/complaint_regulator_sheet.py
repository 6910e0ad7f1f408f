# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import datetime

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .complaint_subscriber_count import QUARTERS, _default_quarter, _default_year
from .helpdesk_ticket_category import REGULATOR_CATEGORIES

# A complaint is answered in time when its first result reaches the customer
# on or before this calendar day after the day it was received.
ANSWER_DAYS = 15


class ComplaintRegulatorSheet(models.Model):
    """The quarterly statistics the carrier reports to the regulator (工信部):
    complaints per regulator category, regulator transfers (申诉) apart from
    direct complaints (投诉), per million users, against the previous quarter,
    and the share answered within 15 days. Computed once, then frozen."""

    _name = "complaint.regulator.sheet"
    _description = "Regulator Statistics"
    _order = "year desc, quarter desc, id desc"

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    year = fields.Integer(required=True, default=_default_year)
    quarter = fields.Selection(
        selection=QUARTERS, required=True, default=_default_quarter
    )
    state = fields.Selection(
        selection=[("draft", "Draft"), ("done", "Done")],
        string="Status",
        required=True,
        default="draft",
        readonly=True,
        copy=False,
    )
    date_computed = fields.Datetime(string="Computed On", readonly=True, copy=False)
    computed_by_id = fields.Many2one(
        comodel_name="res.users", string="Computed by", readonly=True, copy=False
    )
    line_ids = fields.One2many(
        comodel_name="complaint.regulator.sheet.line",
        inverse_name="sheet_id",
        string="Figures",
        readonly=True,
        copy=False,
    )
    unmapped_count = fields.Integer(
        string="Unmapped Complaints",
        readonly=True,
        copy=False,
        help="Complaints of the quarter whose type (nor any type above it) has no "
        "regulator category: they are not in the figures. Set the category on "
        "their types and compute again.",
    )
    prev_unmapped_count = fields.Integer(
        string="Previous Unmapped Complaints", readonly=True, copy=False
    )
    missing_subscribers = fields.Json(
        string="Missing User Counts",
        readonly=True,
        copy=False,
        help="The quarters and business lines without user count when computed.",
    )
    missing_subscribers_message = fields.Text(
        string="Missing User Counts Message",
        compute="_compute_missing_subscribers_message",
    )

    _sql_constraints = [
        (
            "period_unique",
            "UNIQUE(company_id, year, quarter)",
            "There is already a regulator sheet for this quarter.",
        ),
        (
            "year_valid",
            "CHECK(year BETWEEN 1900 AND 9999)",
            "The year must have four digits.",
        ),
    ]

    @api.depends("year", "quarter")
    def _compute_display_name(self):
        for sheet in self:
            sheet.display_name = self.env._(
                "Regulator Statistics Q%(quarter)s %(year)s",
                quarter=sheet.quarter or "",
                year=sheet.year or "",
            )

    @api.depends("missing_subscribers")
    @api.depends_context("lang")
    def _compute_missing_subscribers_message(self):
        lines = dict(
            self.env["helpdesk.ticket"]
            ._fields["business_line"]
            ._description_selection(self.env)
        )
        for sheet in self:
            messages = []
            for missing in sheet.missing_subscribers or []:
                period = self.env._(
                    "Q%(quarter)s %(year)s",
                    quarter=missing["quarter"],
                    year=missing["year"],
                )
                if missing["business_lines"]:
                    messages.append(
                        self.env._(
                            "%(period)s: no user count for %(lines)s. The figures "
                            "per million users of that quarter are left blank: "
                            "enter the user counts, set the sheet to draft and "
                            "compute it again.",
                            period=period,
                            lines=", ".join(
                                lines.get(line, line)
                                for line in missing["business_lines"]
                            ),
                        )
                    )
                else:
                    messages.append(
                        self.env._(
                            "%(period)s: the complaints counted have no business "
                            "line, so there are no users to divide by. The figures "
                            "per million users of that quarter are left blank.",
                            period=period,
                        )
                    )
            sheet.missing_subscribers_message = "\n".join(messages) or False

    def write(self, vals):
        period = {"company_id", "year", "quarter"} & set(vals)
        if period and any(sheet.state == "done" for sheet in self):
            raise UserError(
                self.env._(
                    "The quarter of a computed sheet cannot be changed: set it to "
                    "draft first."
                )
            )
        return super().write(vals)

    def action_compute(self):
        """Freeze the quarter's figures in the sheet's lines (managers)."""
        self.check_access("write")
        if any(sheet.state != "draft" for sheet in self):
            raise UserError(
                self.env._(
                    "The sheet is done: set it to draft before computing it again."
                )
            )
        for sheet in self:
            sheet._regulator_compute()
        return True

    def action_draft(self):
        self.check_access("write")
        self.write({"state": "draft"})
        return True

    # Computation -----------------------------------------------------------

    def _regulator_periods(self):
        """((year, quarter), start, end) of the sheet's quarter and of the
        previous one: bounds in UTC of the quarters in the company's time zone
        (its address's; UTC when it has none)."""
        self.ensure_one()
        tz = pytz.timezone(self.company_id.partner_id.tz or "UTC")

        def start_of(year, quarter):
            if quarter > 4:
                year, quarter = year + 1, 1
            local = tz.localize(datetime(year, 3 * quarter - 2, 1))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        year, quarter = self.year, int(self.quarter)
        prev = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        return [
            ((year, quarter), start_of(year, quarter), start_of(year, quarter + 1)),
            (prev, start_of(*prev), start_of(year, quarter)),
        ]

    def _regulator_query(self, periods):
        """The complaints of both quarters, counted by quarter (current
        first), effective regulator category, regulator transfer, business
        line; with those answered in time. One query, as the superuser (the
        figures are aggregates of the whole company)."""
        self.ensure_one()
        (_current, start, end), (_prev, since, _start) = periods
        tz = self.company_id.partner_id.tz or "UTC"
        return SQL(
            """
            WITH complaint AS (
                SELECT t.id, t.category_id, t.channel_id, t.business_line,
                       t.received_date
                  FROM helpdesk_ticket t
                 WHERE t.kind = 'complaint'
                   AND t.active
                   AND t.company_id = %(company)s
                   AND t.received_date >= %(since)s
                   AND t.received_date < %(end)s
            )
            SELECT c.received_date >= %(start)s AS current,
                   reg.category,
                   COALESCE(ch.complaint_regulator, FALSE) AS regulator,
                   c.business_line,
                   COUNT(*) AS nbr,
                   COUNT(answer.date) FILTER (
                       WHERE (answer.date AT TIME ZONE 'UTC'
                                 AT TIME ZONE %(tz)s)::date
                           - (c.received_date AT TIME ZONE 'UTC'
                                 AT TIME ZONE %(tz)s)::date
                           <= %(days)s
                   ) AS answered
              FROM complaint c
              LEFT JOIN helpdesk_ticket_category cat ON cat.id = c.category_id
              LEFT JOIN helpdesk_ticket_channel ch ON ch.id = c.channel_id
              -- The category of the type or of the nearest type above it.
              LEFT JOIN LATERAL (
                    SELECT a.complaint_regulator_category AS category
                      FROM helpdesk_ticket_category a
                     WHERE a.complaint_regulator_category IS NOT NULL
                       AND starts_with(cat.parent_path, a.parent_path)
                  ORDER BY length(a.parent_path) DESC
                     LIMIT 1
              ) reg ON TRUE
              -- The first result reported to the customer (a corrected
              -- feedback counts by its correction).
              LEFT JOIN LATERAL (
                    SELECT MIN(f.date) AS date
                      FROM complaint_feedback f
                     WHERE f.ticket_id = c.id
                       AND NOT EXISTS (
                           SELECT 1 FROM complaint_feedback fc
                            WHERE fc.correction_of_id = f.id
                       )
              ) answer ON TRUE
          GROUP BY 1, 2, 3, 4
            """,
            company=self.company_id.id,
            since=since,
            start=start,
            end=end,
            tz=tz,
            days=ANSWER_DAYS,
        )

    def _regulator_subscribers(self, periods):
        """{(year, quarter): {business line: users}} of both quarters."""
        self.ensure_one()
        domain = [("company_id", "=", self.company_id.id)]
        keys = [key for key, _start, _end in periods]
        domain += ["|"] * (len(keys) - 1)
        for year, quarter in keys:
            domain += ["&", ("year", "=", year), ("quarter", "=", str(quarter))]
        users = defaultdict(dict)
        for year, quarter, line, total in (
            self.env["complaint.subscriber.count"]
            .sudo()
            ._read_group(
                domain, ["year", "quarter", "business_line"], ["subscribers:sum"]
            )
        ):
            users[year, int(quarter)][line] = total
        return users

    def _regulator_compute(self):
        self.ensure_one()
        periods = self._regulator_periods()
        self.env.flush_all()
        self.env.cr.execute(self._regulator_query(periods))
        rows = self.env.cr.fetchall()
        users = self._regulator_subscribers(periods)
        figures = {}
        unmapped = {}
        missing = []
        for index, (key, _start, _end) in enumerate(periods):
            current = index == 0
            by_category = defaultdict(lambda: defaultdict(int))
            involved = set()
            unmapped[key] = 0
            for is_current, category, regulator, line, nbr, answered in rows:
                if is_current != current:
                    continue
                if not category:
                    unmapped[key] += nbr
                    continue
                for each in (category, None):  # None: the total
                    by_category[each]["count"] += nbr
                    by_category[each]["regulator"] += nbr if regulator else 0
                    by_category[each]["answered"] += answered
                if line:
                    involved.add(line)
            lacking = sorted(involved - set(users[key]))
            subscribers = sum(users[key].get(line, 0) for line in involved)
            total = by_category[None]["count"]
            is_missing = bool(lacking) or bool(total and not subscribers)
            if is_missing:
                missing.append(
                    {"year": key[0], "quarter": key[1], "business_lines": lacking}
                )
            figures[key] = {
                category: self._regulator_figures(
                    by_category[category], total, subscribers, is_missing
                )
                for category in [code for code, _label in REGULATOR_CATEGORIES] + [None]
            }
        (current_key, _s, _e), (prev_key, _s, _e) = periods
        vals_list = []
        for sequence, category in enumerate(
            [code for code, _label in REGULATOR_CATEGORIES] + [None]
        ):
            now = figures[current_key][category]
            prev = figures[prev_key][category]
            vals = {
                "sheet_id": self.id,
                "sequence": sequence,
                "regulator_category": category or False,
                "is_total": not category,
                **now,
                **{f"prev_{name}": value for name, value in prev.items()},
                "change": now["complaint_count"] - prev["complaint_count"],
                "change_pct_defined": bool(prev["complaint_count"]),
                "change_pct": (
                    (now["complaint_count"] - prev["complaint_count"])
                    / prev["complaint_count"]
                    * 100.0
                    if prev["complaint_count"]
                    else 0.0
                ),
                "per_million_change": (
                    0.0
                    if now["subscribers_missing"] or prev["subscribers_missing"]
                    else now["per_million"] - prev["per_million"]
                ),
            }
            vals_list.append(vals)
        # The lines are read-only for everyone: only this computation, after
        # the write check on the sheet, makes them.
        self.line_ids.sudo().unlink()
        self.env["complaint.regulator.sheet.line"].sudo().create(vals_list)
        self.write(
            {
                "state": "done",
                "date_computed": fields.Datetime.now(),
                "computed_by_id": self.env.uid,
                "unmapped_count": unmapped[current_key],
                "prev_unmapped_count": unmapped[prev_key],
                "missing_subscribers": missing or False,
            }
        )

    @api.model
    def _regulator_figures(self, counts, total, subscribers, is_missing):
        """The figures of one category (or of the total) in one quarter."""
        count = counts["count"]
        return {
            "complaint_count": count,
            "regulator_count": counts["regulator"],
            "direct_count": count - counts["regulator"],
            "subscribers": 0 if is_missing else subscribers,
            "subscribers_missing": is_missing,
            "per_million": (
                count / subscribers * 1e6 if subscribers and not is_missing else 0.0
            ),
            "share": count / total * 100.0 if total else 0.0,
            "answered_15d_count": counts["answered"],
            "answered_15d_rate": counts["answered"] / count * 100.0 if count else 0.0,
        }
