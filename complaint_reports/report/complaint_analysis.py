# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.complaint_handling.models.complaint_callback import SATISFACTION

OUTCOMES = [
    ("open", "Open"),
    ("refused", "Not Accepted"),
    ("satisfied", "Closed, Satisfied"),
    ("unsatisfied", "Closed, Unsatisfied"),
    ("unrated", "Closed, Not Rated"),
]


class ComplaintAnalysis(models.Model):
    """One row per complaint, for pivots and graphs: its dimensions and its
    measures, no personal column. A row is read by whoever may read its
    complaint (``complaint.report.access.mixin``). The query is built from
    ``_select``/``_from``/``_where`` parts other addons extend."""

    _name = "complaint.analysis"
    _inherit = ["complaint.report.access.mixin"]
    _description = "Complaint Analysis"
    _auto = False
    # What the query reads: the ORM flushes it before searching the view.
    _depends = {
        "helpdesk.ticket": [
            "kind",
            "active",
            "company_id",
            "received_date",
            "closed_date",
            "category_id",
            "channel_id",
            "business_line",
            "severity",
            "complaint_state",
            "team_id",
            "user_id",
            "partner_org_id",
            "partner_agent_id",
            "incident_id",
            "satisfaction",
            "is_repeat",
            "escalation_level",
            "first_contact_resolution",
            "handling_round",
        ],
        "helpdesk.ticket.category": ["parent_path"],
        "helpdesk.ticket.channel": ["complaint_regulator"],
        "complaint.remedy": ["ticket_id", "amount", "state"],
        "complaint.sla.line": [
            "ticket_id",
            "milestone_id",
            "status",
            "met_date",
            "elapsed_work_minutes",
            "elapsed_work_days",
        ],
        "complaint.sla.milestone": ["fulfil_event"],
    }
    _rec_name = "ticket_id"
    _order = "received_date desc, id desc"

    ticket_id = fields.Many2one(comodel_name="helpdesk.ticket", string="Complaint")
    company_id = fields.Many2one(comodel_name="res.company")
    received_date = fields.Datetime(string="Time Received")
    closed_date = fields.Datetime(string="Closed On")
    category_id = fields.Many2one(
        comodel_name="helpdesk.ticket.category", string="Complaint Type"
    )
    root_category_id = fields.Many2one(
        comodel_name="helpdesk.ticket.category", string="Complaint Type (Level 1)"
    )
    channel_id = fields.Many2one(comodel_name="helpdesk.ticket.channel")
    business_line = fields.Selection(
        selection=lambda self: self.env["helpdesk.ticket"]
        ._fields["business_line"]
        ._description_selection(self.env)
    )
    severity = fields.Selection(
        selection=lambda self: self.env["helpdesk.ticket"]
        ._fields["severity"]
        ._description_selection(self.env)
    )
    complaint_state = fields.Selection(
        selection=lambda self: self.env["helpdesk.ticket"]
        ._fields["complaint_state"]
        ._description_selection(self.env),
        string="Complaint Step",
    )
    team_id = fields.Many2one(comodel_name="helpdesk.ticket.team")
    user_id = fields.Many2one(comodel_name="res.users", string="Handler")
    partner_org_id = fields.Many2one(
        comodel_name="res.partner", string="Partner Organisation"
    )
    partner_agent_id = fields.Many2one(comodel_name="res.users")
    incident_id = fields.Many2one(
        comodel_name="complaint.incident", string="Network Incident"
    )
    satisfaction = fields.Selection(selection=SATISFACTION)
    outcome = fields.Selection(
        selection=OUTCOMES,
        string="Result",
        help="Where the complaint ended: still open, not accepted, or closed "
        "with the customer satisfied, unsatisfied or not rated.",
    )
    regulator_transfer = fields.Boolean(
        help="Transferred by the regulator (申诉), not received directly (投诉)."
    )
    # Measures
    nbr = fields.Integer(string="Complaints", aggregator="sum")
    closed = fields.Integer(aggregator="sum")
    refused = fields.Integer(string="Not Accepted", aggregator="sum")
    repeat = fields.Integer(string="Repeats", aggregator="sum")
    escalated = fields.Integer(aggregator="sum")
    fcr = fields.Integer(string="First-Contact Resolutions", aggregator="sum")
    rated = fields.Integer(string="Callbacks Rated", aggregator="sum")
    satisfied = fields.Integer(string="Satisfied Customers", aggregator="sum")
    late = fields.Integer(
        string="Time Limits Missed",
        aggregator="sum",
        help="1 when one of the complaint's time limits was met late or breached.",
    )
    satisfaction_score = fields.Float(string="Satisfaction (1-5)", aggregator="avg")
    handling_rounds = fields.Float(aggregator="avg")
    hours_to_close = fields.Float(string="Hours to Close", aggregator="avg")
    remedy_amount = fields.Float(string="Remedies Granted", aggregator="sum")
    hours_to_first_contact = fields.Float(
        string="Hours to First Contact",
        aggregator="avg",
        help="Hours from the reception of the complaint to the first contact with "
        "the customer: the earliest met time limit fulfilled by the first contact.",
    )
    work_hours_to_first_contact = fields.Float(
        string="Working Hours to First Contact",
        aggregator="avg",
        help="Working hours of that time limit on its working calendar, less "
        "its pauses. Empty when the limit has no working calendar.",
    )
    work_days_to_close = fields.Float(
        string="Working Days to Close",
        aggregator="avg",
        help="Working days of the time limit fulfilled by the closing (such as "
        "7 working days) on its working calendar, less its pauses.",
    )

    def _select(self):
        return SQL(
            """
            SELECT
                t.id AS id,
                t.id AS ticket_id,
                t.company_id,
                t.received_date,
                t.closed_date,
                t.category_id,
                cat.root_id AS root_category_id,
                t.channel_id,
                t.business_line,
                t.severity,
                t.complaint_state,
                t.team_id,
                t.user_id,
                t.partner_org_id,
                t.partner_agent_id,
                t.incident_id,
                t.satisfaction,
                COALESCE(ch.complaint_regulator, FALSE) AS regulator_transfer,
                1 AS nbr,
                (t.complaint_state = 'closed')::int AS closed,
                (t.complaint_state = 'refused')::int AS refused,
                COALESCE(t.is_repeat, FALSE)::int AS repeat,
                (t.escalation_level != '1')::int AS escalated,
                COALESCE(t.first_contact_resolution, FALSE)::int AS fcr,
                (t.satisfaction IS NOT NULL)::int AS rated,
                (t.satisfaction IN ('4', '5'))::int AS satisfied,
                t.satisfaction::int AS satisfaction_score,
                t.handling_round AS handling_rounds,
                -- Closed complaints only: a refusal also sets the closing date.
                CASE WHEN t.complaint_state = 'closed'
                    THEN EXTRACT(EPOCH FROM t.closed_date - t.received_date) / 3600.0
                END AS hours_to_close,
                -- Computed only for the rows a query keeps (ticket_id index).
                EXISTS (
                    SELECT 1
                      FROM complaint_sla_line late_line
                     WHERE late_line.ticket_id = t.id
                       AND late_line.status IN ('met_late', 'breached')
                )::int AS late,
                CASE
                    WHEN t.complaint_state = 'refused' THEN 'refused'
                    WHEN t.complaint_state != 'closed' THEN 'open'
                    WHEN t.satisfaction IN ('4', '5') THEN 'satisfied'
                    WHEN t.satisfaction IS NOT NULL THEN 'unsatisfied'
                    ELSE 'unrated'
                END AS outcome,
                -- A correlated sum: computed only for the rows the query keeps.
                COALESCE(
                    (
                        SELECT SUM(r.amount)
                          FROM complaint_remedy r
                         WHERE r.ticket_id = t.id AND r.state = 'approved'
                    ),
                    0.0
                ) AS remedy_amount,
                %(hours_to_first_contact)s AS hours_to_first_contact,
                %(work_hours_to_first_contact)s AS work_hours_to_first_contact,
                %(work_days_to_close)s AS work_days_to_close
            """,
            hours_to_first_contact=self._select_first_clock(
                "first_contact",
                SQL("EXTRACT(EPOCH FROM l.met_date - t.received_date) / 3600.0"),
            ),
            work_hours_to_first_contact=self._select_first_clock(
                "first_contact", SQL("l.elapsed_work_minutes / 60.0")
            ),
            work_days_to_close=self._select_first_clock(
                "closed", SQL("l.elapsed_work_days")
            ),
        )

    def _select_first_clock(self, event, column):
        """``column`` of the complaint's first time limit met by ``event``
        (alias ``l``), as a correlated sub-query: computed only for the rows
        the query keeps, and only when the column is read."""
        return SQL(
            """(
                SELECT %(column)s
                  FROM complaint_sla_line l
                  JOIN complaint_sla_milestone m ON m.id = l.milestone_id
                 WHERE l.ticket_id = t.id
                   AND l.status IN ('met', 'met_late')
                   AND m.fulfil_event = %(event)s
              ORDER BY l.met_date, l.id
                 LIMIT 1
            )""",
            column=column,
            event=event,
        )

    def _from(self):
        return SQL(
            """
            FROM helpdesk_ticket t
            -- The first level of each type, worked out once per type.
            LEFT JOIN (
                SELECT id, NULLIF(split_part(parent_path, '/', 1), '')::int AS root_id
                  FROM helpdesk_ticket_category
            ) cat ON cat.id = t.category_id
            LEFT JOIN helpdesk_ticket_channel ch ON ch.id = t.channel_id
            """
        )

    def _where(self):
        return SQL("WHERE t.kind = 'complaint' AND t.active")
