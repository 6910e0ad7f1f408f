# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import datetime, time

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools.misc import format_date

from odoo.addons.complaint_handling.tools.constants import CONCLUDED_STEPS

# Targets of the month's rates, in %.
FCR_TARGET = 80
SATISFACTION_TARGET = 90
# Satisfaction levels counted as satisfied (complaint.analysis' ``satisfied``).
SATISFIED = ("4", "5")
# How the tables are split.
SPLITS = ("team_id", "partner_org_id")


class ComplaintDashboard(models.AbstractModel):
    """The manager's dashboard: a few figures of the complaints the user may
    read, in total, by team and by partner organisation, each with the domain
    of the complaints behind it (the client opens them as a list).

    Everything is read as the user, through ``_read_group`` on the complaints:
    their record rules (teams, departments, confidentiality, companies) decide
    what is counted. One grouped query per figure, whatever the number of
    complaints."""

    _name = "complaint.dashboard"
    _description = "Complaint Dashboard"

    @api.model
    @api.readonly  # served by a read replica when there is one
    def get_dashboard_data(self):
        """The dashboard's figures (JSON): ``figures`` (their definitions, in
        the order shown), ``totals`` ({figure: cell}), ``teams`` and
        ``organisations`` (rows: id, name, cells), ``period`` and ``action``
        (the complaints' list, to which the client adds a cell's domain).

        A cell is ``{"value", "domain"}``; a rate's cell also has ``count``
        and ``total`` (its value is ``count / total`` in %, or ``None`` when
        there is nothing to rate)."""
        # Who may read the complaint analysis may read its dashboard.
        self.env["complaint.analysis"].check_access("read")
        periods = self._dashboard_periods()
        figures = self._dashboard_figures(periods)
        totals = {}
        rows = {split: defaultdict(dict) for split in SPLITS}
        for figure in figures:
            total, by_split = self._dashboard_compute(figure)
            totals[figure["key"]] = total
            for split, cells in by_split.items():
                for record, cell in cells.items():
                    rows[split][record][figure["key"]] = cell
        return {
            "figures": [
                {
                    "key": figure["key"],
                    "label": figure["label"],
                    "help": figure["help"],
                    "rate": bool(figure.get("success")),
                    "target": figure.get("target"),
                }
                for figure in figures
            ],
            "totals": totals,
            "teams": self._dashboard_rows("team_id", rows["team_id"], figures),
            "organisations": self._dashboard_rows(
                "partner_org_id", rows["partner_org_id"], figures
            ),
            "period": {
                "today": format_date(self.env, periods["today"]),
                "month": format_date(self.env, periods["today"], date_format="LLLL y"),
            },
            "action": self._dashboard_list_action(),
        }

    # ------------------------------------------------------------------
    # Definitions
    # ------------------------------------------------------------------

    @api.model
    def _dashboard_periods(self):
        """Now, today and this month in the user's time zone, as UTC bounds
        (``day_start``, ``day_end``, ``month_start``, ``month_end``)."""
        tz = pytz.timezone(self.env.user.tz or self.env.company.partner_id.tz or "UTC")
        now = fields.Datetime.now()
        today = pytz.utc.localize(now).astimezone(tz).date()
        month = today.replace(day=1)

        def utc(day):
            local = tz.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        return {
            "now": now,
            "today": today,
            "day_start": utc(today),
            "day_end": utc(today + relativedelta(days=1)),
            "month_start": utc(month),
            "month_end": utc(month + relativedelta(months=1)),
        }

    @api.model
    def _dashboard_base_domain(self):
        """The complaints of the user's current companies."""
        return [
            ("kind", "=", "complaint"),
            ("company_id", "in", self.env.companies.ids),
        ]

    @api.model
    def _dashboard_figures(self, periods):
        """The figures, in the order shown (hook: add or change figures).
        A figure has a ``key``, a ``label``, a ``help`` and a complaint
        ``domain``; a rate also has ``success`` (a field and the values that
        count as a success, among the complaints of the domain) and
        ``target`` (in %)."""
        base = self._dashboard_base_domain()
        now = fields.Datetime.to_string(periods["now"])

        def between(name, start, end):
            return [
                (name, ">=", fields.Datetime.to_string(periods[start])),
                (name, "<", fields.Datetime.to_string(periods[end])),
            ]

        open_ = expression.AND([base, [("complaint_state", "not in", CONCLUDED_STEPS)]])
        # A clock is breached once the job marked it, or as soon as its
        # running deadline has passed (the job may not have run yet).
        breached_clock = [
            "|",
            ("status", "=", "breached"),
            "&",
            ("status", "=", "running"),
            ("deadline", "<=", now),
        ]
        # At risk: a clock whose owner was warned (running or paused), or a
        # running clock whose next warning is due (the job sends it at its
        # next run). A milestone without warnings is never at risk.
        risky_clock = [
            "|",
            "&",
            ("status", "in", ("running", "paused")),
            ("warned_count", ">", 0),
            "&",
            ("status", "=", "running"),
            ("next_check", "<=", now),
        ]
        return [
            {
                "key": "open",
                "label": self.env._("Open"),
                "help": self.env._("Complaints neither closed nor refused."),
                "domain": open_,
            },
            {
                "key": "at_risk",
                "label": self.env._("At Risk"),
                "help": self.env._(
                    "Open complaints with a time limit whose warning was sent or "
                    "is due, and none missed."
                ),
                "domain": expression.AND(
                    [
                        open_,
                        [
                            ("sla_line_ids", "any", risky_clock),
                            ("sla_line_ids", "not any", breached_clock),
                        ],
                    ]
                ),
            },
            {
                "key": "breached",
                "label": self.env._("Breached"),
                "help": self.env._("Open complaints with a time limit missed."),
                "domain": expression.AND(
                    [open_, [("sla_line_ids", "any", breached_clock)]]
                ),
            },
            {
                "key": "received_today",
                "label": self.env._("Received Today"),
                "help": self.env._("Complaints received today, whatever their step."),
                "domain": expression.AND(
                    [base, between("received_date", "day_start", "day_end")]
                ),
            },
            {
                "key": "received_month",
                "label": self.env._("Received This Month"),
                "help": self.env._(
                    "Complaints received this month, whatever their step."
                ),
                "domain": expression.AND(
                    [base, between("received_date", "month_start", "month_end")]
                ),
            },
            {
                "key": "fcr",
                "label": self.env._("First-Contact Resolution"),
                "help": self.env._(
                    "Of the complaints closed this month, the share closed in "
                    "their first handling round without escalation."
                ),
                "domain": expression.AND(
                    [
                        base,
                        [("complaint_state", "=", "closed")],
                        between("closed_date", "month_start", "month_end"),
                    ]
                ),
                "success": ("first_contact_resolution", (True,)),
                "target": FCR_TARGET,
            },
            {
                "key": "satisfaction",
                "label": self.env._("Satisfaction"),
                "help": self.env._(
                    "Of the complaints whose customer was called back and rated "
                    "this month, the share satisfied (4 or 5)."
                ),
                "domain": expression.AND(
                    [
                        base,
                        [
                            ("satisfaction", "!=", False),
                            (
                                "callback_ids",
                                "any",
                                [
                                    ("reached", "=", True),
                                    *between("date", "month_start", "month_end"),
                                ],
                            ),
                        ],
                    ]
                ),
                "success": ("satisfaction", SATISFIED),
                "target": SATISFACTION_TARGET,
            },
        ]

    # ------------------------------------------------------------------
    # Computation
    # ------------------------------------------------------------------

    @api.model
    def _dashboard_compute(self, figure):
        """The total cell of ``figure`` and its cells by team and partner
        organisation ({split: {record: cell}}), from one grouped query."""
        success = figure.get("success")
        groupby = [*SPLITS, success[0]] if success else list(SPLITS)
        groups = self.env["helpdesk.ticket"]._read_group(
            figure["domain"], groupby, ["__count"]
        )
        grand = [0, 0]  # complaints, successes
        by_split = {split: defaultdict(lambda: [0, 0]) for split in SPLITS}
        for group in groups:
            count = group[-1]
            hit = count if success and group[len(SPLITS)] in success[1] else 0
            keys = [grand] + [
                by_split[split][record]
                for split, record in zip(SPLITS, group[: len(SPLITS)], strict=True)
            ]
            for key in keys:
                key[0] += count
                key[1] += hit
        total = self._dashboard_cell(figure, figure["domain"], *grand)
        cells = {}
        for split, records in by_split.items():
            cells[split] = {
                record: self._dashboard_cell(
                    figure,
                    expression.AND([figure["domain"], [(split, "=", record.id)]]),
                    *numbers,
                )
                for record, numbers in records.items()
                # Complaints not handed to a partner have no organisation row.
                if record or split == "team_id"
            }
        return total, cells

    @api.model
    def _dashboard_cell(self, figure, domain, count, hits):
        if not figure.get("success"):
            return {"value": count, "domain": domain}
        return {
            "value": round(100.0 * hits / count, 1) if count else None,
            "count": hits,
            "total": count,
            "domain": domain,
        }

    @api.model
    def _dashboard_rows(self, split, cells_by_record, figures):
        """The rows ({id, name, cells}) of the table by ``split``, sorted by
        name; every figure has a cell (an empty one when the row has no
        complaint for it)."""
        rows = []
        for record, cells in cells_by_record.items():
            for figure in figures:
                if figure["key"] not in cells:
                    domain = expression.AND(
                        [figure["domain"], [(split, "=", record.id)]]
                    )
                    cells[figure["key"]] = self._dashboard_cell(figure, domain, 0, 0)
            name = record.display_name if record else self.env._("Without Team")
            rows.append({"id": record.id, "name": name, "cells": cells})
        # Named rows in alphabetical order, "Without Team" last.
        return sorted(rows, key=lambda row: (not row["id"], row["name"].lower()))

    @api.model
    def _dashboard_list_action(self):
        """The complaints' list (complaint_handling's views and search view,
        without its default filters): the client adds a cell's name and
        domain."""
        xmlid = self.env["ir.model.data"]._xmlid_to_res_id
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "views": [
                [
                    xmlid("complaint_handling.helpdesk_ticket_complaint_view_list"),
                    "list",
                ],
                [
                    xmlid("complaint_handling.helpdesk_ticket_complaint_view_form"),
                    "form",
                ],
            ],
            "search_view_id": [
                xmlid("complaint_handling.helpdesk_ticket_complaint_view_search"),
                "search",
            ],
            "context": {"default_kind": "complaint"},
            "target": "current",
        }
