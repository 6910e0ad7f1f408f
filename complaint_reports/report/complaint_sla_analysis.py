# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.complaint_sla.models.complaint_sla_line import STATUSES


class ComplaintSlaAnalysis(models.Model):
    """One row per time limit (SLA clock) of a complaint: met on time, late,
    breached or running, by milestone, type, team, partner and month; no
    personal column; read by who may read the complaint."""

    _name = "complaint.sla.analysis"
    _inherit = ["complaint.report.access.mixin"]
    _description = "Time Limit Analysis"
    _auto = False
    # What the query reads: the ORM flushes it before searching the view.
    _depends = {
        "complaint.sla.line": [
            "ticket_id",
            "milestone_id",
            "policy_id",
            "partner_org_id",
            "status",
            "start_date",
            "deadline",
            "met_date",
            "late_minutes",
            "elapsed_minutes",
            "elapsed_work_minutes",
        ],
        "helpdesk.ticket": [
            "active",
            "company_id",
            "category_id",
            "received_date",
            "team_id",
            "user_id",
        ],
        "helpdesk.ticket.category": ["parent_path"],
    }
    _rec_name = "milestone_id"
    _order = "start_date desc, id desc"

    ticket_id = fields.Many2one(comodel_name="helpdesk.ticket", string="Complaint")
    company_id = fields.Many2one(comodel_name="res.company")
    milestone_id = fields.Many2one(
        comodel_name="complaint.sla.milestone", string="Time Limit"
    )
    policy_id = fields.Many2one(comodel_name="complaint.sla.policy")
    category_id = fields.Many2one(
        comodel_name="helpdesk.ticket.category", string="Complaint Type"
    )
    root_category_id = fields.Many2one(
        comodel_name="helpdesk.ticket.category", string="Complaint Type (Level 1)"
    )
    team_id = fields.Many2one(comodel_name="helpdesk.ticket.team")
    user_id = fields.Many2one(comodel_name="res.users", string="Handler")
    partner_org_id = fields.Many2one(
        comodel_name="res.partner", string="Partner Organisation"
    )
    status = fields.Selection(selection=STATUSES)
    received_date = fields.Datetime(string="Complaint Received")
    start_date = fields.Datetime(string="Started")
    deadline = fields.Datetime()
    met_date = fields.Datetime(string="Met On")
    # Measures
    nbr = fields.Integer(string="Time Limits", aggregator="sum")
    on_time = fields.Integer(string="Met on Time", aggregator="sum")
    late = fields.Integer(string="Met Late or Breached", aggregator="sum")
    running = fields.Integer(string="Still Running", aggregator="sum")
    on_time_rate = fields.Float(
        string="On Time (%)",
        aggregator="avg",
        help="Share of the concluded time limits met on time.",
    )
    late_minutes = fields.Float(string="Minutes Late", aggregator="avg")
    elapsed_hours = fields.Float(
        string="Hours Taken",
        aggregator="avg",
        help="Hours from the start of the time limit to the moment it was met, "
        "less its pauses.",
    )
    work_hours = fields.Float(
        string="Working Hours Taken",
        aggregator="avg",
        help="The same in working hours of the limit's calendar; empty when it "
        "has no working calendar.",
    )

    def _select(self):
        return SQL(
            """
            SELECT
                l.id AS id,
                l.ticket_id,
                t.company_id,
                l.milestone_id,
                l.policy_id,
                t.category_id,
                cat.root_id AS root_category_id,
                t.received_date,
                t.team_id,
                t.user_id,
                l.partner_org_id,
                l.status,
                l.start_date,
                l.deadline,
                l.met_date,
                1 AS nbr,
                (l.status = 'met')::int AS on_time,
                (l.status IN ('met_late', 'breached'))::int AS late,
                (l.status IN ('not_started', 'running', 'paused'))::int AS running,
                CASE
                    WHEN l.status = 'met' THEN 100.0
                    WHEN l.status IN ('met_late', 'breached') THEN 0.0
                END AS on_time_rate,
                l.late_minutes,
                l.elapsed_minutes / 60.0 AS elapsed_hours,
                l.elapsed_work_minutes / 60.0 AS work_hours
            """
        )

    def _from(self):
        return SQL(
            """
            FROM complaint_sla_line l
            JOIN helpdesk_ticket t ON t.id = l.ticket_id
            LEFT JOIN (
                SELECT id, NULLIF(split_part(parent_path, '/', 1), '')::int AS root_id
                  FROM helpdesk_ticket_category
            ) cat ON cat.id = t.category_id
            """
        )

    def _where(self):
        return SQL("WHERE l.status != 'cancelled' AND t.active")
