# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ComplaintPartnerAgreement(models.Model):
    """The service agreement under which a partner organisation receives
    complaints: its period, its scope, the time limits and quality targets it
    promises and its fee terms. The SLA and the reports read these figures."""

    _name = "complaint.partner.agreement"
    _description = "Complaint Handling Service Agreement"
    _inherit = ["mail.thread"]
    _order = "date_start desc, id desc"

    name = fields.Char(string="Reference", required=True, tracking=True)
    partner_org_id = fields.Many2one(
        comodel_name="res.partner",
        string="Partner Organisation",
        required=True,
        index=True,
        tracking=True,
        domain="[('complaint_partner_org', '=', True)]",
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    active = fields.Boolean(default=True)
    date_start = fields.Date(string="Start Date", required=True, tracking=True)
    date_end = fields.Date(
        string="End Date",
        tracking=True,
        help="Leave empty for an open-ended agreement.",
    )
    scope_complaint = fields.Boolean(string="Complaints", default=True)
    scope_fault = fields.Boolean(string="Fault Reports")
    scope_consultation = fields.Boolean(string="Consultations")
    category_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.category",
        string="Complaint Types",
        help="Types the organisation may receive, their sub-types included. "
        "Leave empty for every type.",
    )
    # Time limits promised by the organisation.
    ack_minutes = fields.Integer(
        string="Acknowledge Within (minutes)", default=30, tracking=True
    )
    contact_hours = fields.Integer(
        string="Contact Customer Within (hours)", default=24, tracking=True
    )
    report_hours = fields.Integer(
        string="Report Result Within (hours after the solution)",
        default=4,
        tracking=True,
    )
    callback_hours = fields.Integer(
        string="Call Back Within (hours after result)", default=72, tracking=True
    )
    resolve_working_days = fields.Integer(
        string="Close Within (working days)", default=7, tracking=True
    )
    # Quality targets.
    target_fcr = fields.Float(
        string="First-Contact Resolution Target (%)", default=80.0, tracking=True
    )
    target_satisfaction = fields.Float(
        string="Satisfaction Target (%)", default=90.0, tracking=True
    )
    target_answer_rate = fields.Float(
        string="Call Answer Rate Target (%)", default=90.0, tracking=True
    )
    target_handling_hours = fields.Float(
        string="Average Handling Time Target (hours)", default=48.0, tracking=True
    )
    # Fee terms.
    fee_basis = fields.Selection(
        selection=[("case", "Per case"), ("agent_month", "Per agent and month")],
        default="case",
        required=True,
        tracking=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    fee_amount = fields.Monetary(tracking=True)
    deduction_percent = fields.Float(
        string="Deduction per Missed Target (%)",
        default=5.0,
        tracking=True,
        help="Share of the period's fees deducted for each quality target missed.",
    )
    note = fields.Html()
    state = fields.Selection(
        selection=[
            ("future", "Not started"),
            ("running", "In force"),
            ("ended", "Ended"),
        ],
        compute="_compute_state",
        search="_search_state",
    )

    @api.depends("date_start", "date_end")
    @api.depends_context("tz")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for agreement in self:
            if agreement.date_start and agreement.date_start > today:
                agreement.state = "future"
            elif agreement.date_end and agreement.date_end < today:
                agreement.state = "ended"
            else:
                agreement.state = "running"

    def _search_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise ValidationError(self.env._("Unsupported search on the state."))
        values = [value] if isinstance(value, str) else list(value)
        today = fields.Date.context_today(self)
        domains = {
            "future": [("date_start", ">", today)],
            "running": [
                ("date_start", "<=", today),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", today),
            ],
            "ended": [("date_end", "<", today)],
        }
        domain = ["|"] * (len(values) - 1)
        for each in values:
            domain += domains.get(each, [("id", "=", False)])
        if operator in ("!=", "not in"):
            domain = ["!", *domain] if domain else domain
        return domain

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for agreement in self:
            if agreement.date_end and agreement.date_end < agreement.date_start:
                raise ValidationError(
                    self.env._("An agreement cannot end before it starts.")
                )

    @api.constrains(
        "ack_minutes",
        "contact_hours",
        "report_hours",
        "callback_hours",
        "resolve_working_days",
        "target_fcr",
        "target_satisfaction",
        "target_answer_rate",
        "target_handling_hours",
        "fee_amount",
        "deduction_percent",
    )
    def _check_figures(self):
        percents = ("target_fcr", "target_satisfaction", "target_answer_rate")
        for agreement in self:
            limits = (
                agreement.ack_minutes,
                agreement.contact_hours,
                agreement.report_hours,
                agreement.callback_hours,
                agreement.resolve_working_days,
            )
            if any(limit <= 0 for limit in limits):
                raise ValidationError(
                    self.env._("The promised time limits must be positive.")
                )
            if any(not 0 <= agreement[name] <= 100 for name in percents) or not (
                0 <= agreement.deduction_percent <= 100
            ):
                raise ValidationError(
                    self.env._("Targets and deductions are percentages from 0 to 100.")
                )
            if agreement.target_handling_hours < 0 or agreement.fee_amount < 0:
                raise ValidationError(
                    self.env._("Handling time targets and fees cannot be negative.")
                )

    @api.constrains("partner_org_id")
    def _check_partner_org(self):
        for agreement in self:
            if not agreement.partner_org_id.complaint_partner_org:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is not marked as a complaint-handling partner "
                        "organisation.",
                        partner=agreement.partner_org_id.display_name,
                    )
                )

    def write(self, vals):
        res = super().write(vals)
        if {"date_end", "active"} & set(vals):
            self._end_expired_handoffs()
        return res

    def _end_expired_handoffs(self):
        """An agreement that ended (or was archived) takes every complaint still
        handed over under it back: its agents lose all access at once."""
        ended = self.filtered(lambda a: not a.active or a.state == "ended")
        if not ended:
            return
        # The current hand-offs under them (state is indexed): one search.
        transfers = (
            self.env["complaint.transfer"]
            .sudo()
            .search(
                [
                    ("state", "in", ("sent", "acknowledged")),
                    ("agreement_id", "in", ended.ids),
                ]
            )
        )
        for agreement, current in transfers.grouped("agreement_id").items():
            # Written for the carrier's staff, in the company's language (the
            # hourly job runs in its own user's).
            lang = agreement.company_id._complaint_lang()
            handed = current.ticket_id.with_context(lang=lang)
            note = handed.env._(
                "The agreement %(agreement)s with %(org)s ended.",
                agreement=agreement.name,
                org=agreement.partner_org_id.display_name,
            )
            handed._complaint_log(note)
            current.with_context(lang=lang)._end("expired", note=note)

    @api.model
    def _cron_end_expired_agreements(self):
        self.with_context(active_test=False).search(
            [
                "|",
                ("active", "=", False),
                ("date_end", "<", fields.Date.context_today(self)),
            ]
        )._end_expired_handoffs()

    def _covers(self, ticket):
        """Whether this agreement may receive ``ticket`` today."""
        self.ensure_one()
        if not self.active or self.state != "running":
            return False
        if ticket.company_id != self.company_id:
            return False
        if not self[f"scope_{ticket.kind}"]:
            return False
        if self.category_ids:
            if not ticket.category_id:
                return False
            lineage = ticket.category_id._complaint_lineage_ids()
            return bool(lineage & set(self.category_ids.ids))
        return True
