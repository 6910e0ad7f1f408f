# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

from ..tools.constants import CUSTOMER_STATUS, PRIORITY_MATRIX, PROCESS, STEP_EVENTS
from .complaint_callback import SATISFACTION
from .complaint_escalation import ESCALATION_LEVELS
from .complaint_record_mixin import (
    by_process,
    check_required,
    process_write,
    without_token,
)

# Fields only the complaint process itself writes (``_complaint_write``).
PROCESS_FIELDS = {
    "handling_round",
    "escalation_level",
    "customer_confirmed",
    "customer_confirmed_date",
    "repeat_of_ids",
    "refuse_reason_id",
    "refuse_explanation",
    "refused_related_ticket_id",
    "partner_org_id",
    "transfer_id",
    "partner_agent_id",
}


class HelpdeskTicket(models.Model):
    """Complaints are helpdesk tickets of kind "complaint": their intake and
    process fields, and ``create``/``write`` as chains of named checks
    (``_complaint_check_*_vals``). Each concern lives in its own mixin or
    file: personal data, confidentiality, retention (mixins), the process,
    repeats, the buttons, the hand-off and the portal (helpdesk_ticket_*)."""

    _name = "helpdesk.ticket"
    _inherit = [
        "helpdesk.ticket",
        "complaint.personal.data.mixin",
        "complaint.confidential.mixin",
        "complaint.retention.mixin",
    ]

    kind = fields.Selection(
        selection=[
            ("complaint", "Complaint"),
            ("consultation", "Consultation"),
            ("fault", "Fault report"),
        ],
        required=True,
        default="consultation",
        index=True,
        tracking=True,
        help="Complaints follow the full complaint process; consultations and "
        "fault reports keep the plain helpdesk flow.",
    )
    received_date = fields.Datetime(
        string="Time Received",
        default=fields.Datetime.now,
        index=True,
        tracking=True,
        help="When the customer lodged the complaint; may precede its recording.",
    )
    issue_date = fields.Date(
        string="Problem Date",
        help="When the problem happened (for billing disputes: the disputed "
        "bill's period). Used for the time bar.",
    )
    business_line = fields.Selection(
        selection=[
            ("mobile", "Mobile"),
            ("fixed", "Fixed line"),
            ("broadband", "Broadband"),
            ("tv", "TV"),
            ("enterprise", "Enterprise services"),
        ],
        tracking=True,
    )
    category_id = fields.Many2one(tracking=True)

    # Complaints move through the complaint stages only (status bar, kanban).
    stage_id = fields.Many2one(
        domain="kind == 'complaint' and [('complaint_step', '!=', False), '|', "
        "('team_ids', '=', team_id), ('team_ids', '=', False)] "
        "or ['|', ('team_ids', '=', team_id), ('team_ids', '=', False)]"
    )
    customer_demand = fields.Text(string="Customer's Demands")
    severity = fields.Selection(
        selection=[
            ("minor", "Minor"),
            ("general", "General"),
            ("serious", "Serious"),
            ("major", "Major"),
        ],
        default="general",
        tracking=True,
    )
    urgency = fields.Selection(
        selection=[
            ("low", "Low"),
            ("normal", "Normal"),
            ("urgent", "Urgent"),
            ("critical", "Critical"),
        ],
        default="normal",
        tracking=True,
    )
    priority = fields.Selection(
        compute="_compute_priority", store=True, readonly=False, precompute=True
    )
    first_responder_id = fields.Many2one(
        comodel_name="res.users",
        default=lambda self: self.env.user,
        tracking=True,
        help="Who received the complaint; accountable until it is handed on.",
    )
    complaint_state = fields.Selection(
        string="Complaint Step",
        related="stage_id.complaint_step",
        store=True,
        index=True,
    )
    customer_status = fields.Selection(
        selection=[
            ("received", "Received"),
            ("accepted", "Accepted"),
            ("in_progress", "Being handled"),
            ("replied", "Reply sent: we will call you back"),
            ("resolved", "Resolved"),
            ("closed", "Closed"),
            ("not_accepted", "Not accepted"),
        ],
        string="Status for the Customer",
        compute="_compute_customer_status",
        help="The complaint's step in the words shown to the customer.",
    )
    refuse_reason_id = fields.Many2one(
        comodel_name="complaint.refuse.reason",
        string="Refusal Reason",
        readonly=True,
        tracking=True,
    )
    refuse_explanation = fields.Text(
        string="Explanation to the Customer", readonly=True
    )
    refused_related_ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Concluded Complaint Repeated",
        readonly=True,
    )
    is_time_barred = fields.Boolean(
        compute="_compute_is_time_barred",
        help="The problem is older than the configured time bar.",
    )
    repeat_of_ids = fields.Many2many(
        comodel_name="helpdesk.ticket",
        relation="complaint_repeat_rel",
        column1="ticket_id",
        column2="earlier_ticket_id",
        string="Earlier Complaints",
        readonly=True,
    )
    is_repeat = fields.Boolean(
        string="Repeat Complaint",
        compute="_compute_is_repeat",
        store=True,
        index=True,
    )
    handling_log_ids = fields.One2many(
        comodel_name="complaint.handling.log",
        inverse_name="ticket_id",
        string="Handling Record",
    )
    solution_measures = fields.Text(tracking=True)
    solution_owner_id = fields.Many2one(comodel_name="res.users", tracking=True)
    solution_due_date = fields.Date(string="Solution Due")
    customer_confirmed = fields.Boolean(
        string="Confirmed by Customer", readonly=True, tracking=True, copy=False
    )
    customer_confirmed_date = fields.Datetime(readonly=True, copy=False)
    solution_implemented = fields.Boolean(tracking=True, copy=False)
    solution_implemented_date = fields.Datetime(readonly=True, copy=False)
    remedy_ids = fields.One2many(
        comodel_name="complaint.remedy", inverse_name="ticket_id"
    )
    remedy_pending_count = fields.Integer(compute="_compute_remedy_pending_count")
    feedback_ids = fields.One2many(
        comodel_name="complaint.feedback",
        inverse_name="ticket_id",
        string="Result Feedback",
    )
    last_feedback_id = fields.Many2one(
        comodel_name="complaint.feedback", compute="_compute_last_feedback_id"
    )
    callback_ids = fields.One2many(
        comodel_name="complaint.callback",
        inverse_name="ticket_id",
    )
    satisfaction = fields.Selection(
        selection=SATISFACTION,
        compute="_compute_satisfaction",
        store=True,
        help="Satisfaction given at the last callback that reached the customer.",
    )
    handling_round = fields.Integer(default=1, readonly=True, tracking=True, copy=False)
    escalation_level = fields.Selection(
        selection=ESCALATION_LEVELS,
        default="1",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    escalation_ids = fields.One2many(
        comodel_name="complaint.escalation",
        inverse_name="ticket_id",
    )
    first_contact_resolution = fields.Boolean(
        compute="_compute_first_contact_resolution",
        store=True,
        help="Closed in its first handling round without escalation.",
    )
    incident_id = fields.Many2one(
        comodel_name="complaint.incident",
        string="Network Incident",
        index=True,
        tracking=True,
    )
    kb_article_ids = fields.Many2many(
        comodel_name="complaint.kb.article",
        compute="_compute_kb_article_ids",
        string="Knowledge Articles",
    )
    kb_article_count = fields.Integer(compute="_compute_kb_article_ids")

    @api.model
    def _search(self, domain, *args, **kwargs):
        # Not for the system's own searches (repeat detection, jobs).
        if self.env.context.get("complaint_portal_hide_complaints") and not self.env.su:
            # helpdesk_mgmt's portal ticket list (see controllers/helpdesk.py).
            domain = expression.AND([domain or [], [("kind", "!=", "complaint")]])
        return super()._search(domain, *args, **kwargs)

    @api.depends("complaint_state")
    def _compute_customer_status(self):
        for ticket in self:
            ticket.customer_status = CUSTOMER_STATUS.get(ticket.complaint_state, False)

    @api.depends("number", "name", "confidential")
    @api.depends_context("uid")
    def _compute_display_name(self):
        # helpdesk_mgmt shows "number - title", which reads "/ - False" on a
        # ticket not saved yet: show its title alone until it has a number.
        res = super()._compute_display_name()
        for ticket in self:
            if not ticket.number or ticket.number == "/":
                ticket.display_name = ticket.name or self.env._("New")
        self._complaint_hide_confidential_names()
        return res

    @api.depends("kind", "severity", "urgency")
    def _compute_priority(self):
        for ticket in self:
            if ticket.kind == "complaint" and ticket.severity and ticket.urgency:
                ticket.priority = PRIORITY_MATRIX[ticket.severity][ticket.urgency]
            else:
                ticket.priority = ticket.priority or "1"

    @api.depends("issue_date", "received_date", "category_id", "company_id", "kind")
    def _compute_is_time_barred(self):
        for ticket in self:
            ticket.is_time_barred = bool(
                ticket.kind == "complaint"
                and ticket.issue_date
                and ticket.issue_date < ticket._complaint_time_bar_date()
            )

    @api.depends("repeat_of_ids")
    def _compute_is_repeat(self):
        for ticket in self:
            ticket.is_repeat = bool(ticket.repeat_of_ids)

    @api.depends("remedy_ids.state")
    def _compute_remedy_pending_count(self):
        for ticket in self:
            ticket.remedy_pending_count = len(
                ticket.remedy_ids.filtered(lambda r: r.state == "pending")
            )

    @api.depends("feedback_ids")
    def _compute_last_feedback_id(self):
        for ticket in self:
            ticket.last_feedback_id = ticket.feedback_ids.sorted(
                lambda f: (f.date, f.id), reverse=True
            )[:1]

    @api.depends("callback_ids.satisfaction", "callback_ids.reached")
    def _compute_satisfaction(self):
        for ticket in self:
            reached = ticket.callback_ids.filtered("reached").sorted(
                lambda c: (c.date, c.id), reverse=True
            )
            ticket.satisfaction = reached[:1].satisfaction

    @api.depends("complaint_state", "handling_round", "escalation_ids")
    def _compute_first_contact_resolution(self):
        for ticket in self:
            ticket.first_contact_resolution = (
                ticket.complaint_state == "closed"
                and ticket.handling_round == 1
                and not ticket.escalation_ids
            )

    @api.depends("category_id")
    def _compute_kb_article_ids(self):
        for ticket in self:
            articles = self.env["complaint.kb.article"]
            if ticket.category_id:
                lineage = list(ticket.category_id._complaint_lineage_ids())
                articles = articles.search(
                    [("state", "=", "published"), ("category_ids", "in", lineage)]
                )
            ticket.kb_article_ids = articles
            ticket.kb_article_count = len(articles)

    @api.constrains("received_date", "issue_date")
    def _check_received_date(self):
        limit = fields.Datetime.now() + timedelta(minutes=5)
        for ticket in self:
            if ticket.received_date and ticket.received_date > limit:
                raise ValidationError(
                    self.env._("A complaint cannot be received in the future.")
                )
            received = ticket.received_date or fields.Datetime.now()
            if ticket.issue_date and ticket.issue_date > received.date():
                raise ValidationError(
                    self.env._(
                        "The problem cannot have happened after the complaint "
                        "was received."
                    )
                )

    @api.constrains("kind", "team_id", "stage_id")
    def _check_complaint_team(self):
        for ticket in self.filtered(lambda t: t.kind == "complaint"):
            if not ticket.team_id.complaint_process:
                raise ValidationError(
                    self.env._(
                        "Complaint %(number)s must be handled by a team that "
                        "follows the complaint process.",
                        number=ticket.number,
                    )
                )
            if not ticket.stage_id.complaint_step:
                raise ValidationError(
                    self.env._(
                        "Complaint %(number)s must be in a complaint stage.",
                        number=ticket.number,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.browse()._complaint_check_vals(vals)
        check_required(self, vals_list)
        complaint_vals = [vals for vals in vals_list if vals.get("kind") == "complaint"]
        self._complaint_prepare_numbers(complaint_vals)
        self._complaint_prepare_stages(complaint_vals)
        tickets = super().create(vals_list)
        complaints = tickets.filtered(lambda t: t.kind == "complaint")
        complaints._complaint_check_created()
        complaints._complaint_detect_repeats()
        # Every ticket is received (time limits may apply to other kinds too).
        tickets._complaint_event("received")
        return tickets

    def write(self, vals):
        if not self:
            return super().write(vals)
        if not self._complaint_by_process():
            self._complaint_check_vals(vals)
        # What follows (other overrides, automated actions) is checked again.
        tickets = without_token(self)
        stage = self.env["helpdesk.ticket.stage"].browse(vals.get("stage_id"))
        before = {ticket: ticket.stage_id for ticket in self} if stage else {}
        rehandled = self._complaint_rehandled_by(stage)
        res = super(HelpdeskTicket, tickets).write(vals)
        if stage:
            tickets._complaint_stage_changed(before, stage, rehandled)
        if {"confidential", "confidential_user_ids", "user_id"} & set(vals):
            tickets._complaint_drop_unreadable_followers()
        return res

    def unlink(self):
        self._complaint_check_unlink()
        return super().unlink()

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        """Nobody who cannot read a confidential complaint follows it: the
        followers are told its number, title and customer."""
        if not partner_ids or not self.sudo().filtered("confidential"):
            return super().message_subscribe(
                partner_ids=partner_ids, subtype_ids=subtype_ids
            )
        by_record = self._complaint_followers_by_record(partner_ids)
        for record, allowed in by_record.items():
            super(HelpdeskTicket, record).message_subscribe(
                partner_ids=allowed, subtype_ids=subtype_ids
            )
        return True

    def _complaint_check_vals(self, vals):
        """The chain of checks of the values written to ``self`` (empty: the
        values of a new ticket). Each concern has its own named hook, to
        extend or replace alone."""
        self._complaint_check_intake_vals(vals)
        self._complaint_check_process_vals(vals)
        self._complaint_check_kind_vals(vals)
        self._complaint_check_stage_vals(vals)
        self._complaint_check_personal_vals(vals)
        self._complaint_check_confidential_vals(vals)
        self._complaint_check_handoff_vals(vals)
        self._complaint_check_legal_hold_vals(vals)
        self._complaint_check_retention_vals(vals)

    def _complaint_check_intake_vals(self, vals):
        """New complaints: their kind, priority and team."""
        kind = vals.get("kind") or self.env.context.get("default_kind")
        if self or kind != "complaint":
            return
        vals["kind"] = kind
        if "priority" not in vals:
            # helpdesk_mgmt's field default would win over the compute.
            severity = PRIORITY_MATRIX.get(vals.get("severity") or "general", {})
            vals["priority"] = severity.get(vals.get("urgency") or "normal", "1")
        if not vals.get("team_id"):
            company = self.env["res.company"].browse(
                vals.get("company_id") or self.env.company.id
            )
            vals["team_id"] = company.with_company(company)._complaint_default_team().id

    def _complaint_check_process_vals(self, vals):
        if not set(vals) & PROCESS_FIELDS:
            return
        if not self:
            if vals.get("kind") != "complaint":
                return
            raise UserError(
                self.env._(
                    "The handling round, escalation level and customer "
                    "confirmation are set by the complaint process."
                )
            )
        raise UserError(
            self.env._(
                "The handling round, escalation level, customer confirmation, "
                "refusal and repeat links are set by the complaint process."
            )
        )

    def _complaint_check_kind_vals(self, vals):
        if "kind" not in vals:
            return
        started = self.filtered(
            lambda t: t.kind == "complaint"
            and t.complaint_state != "received"
            and vals["kind"] != "complaint"
        )
        if started:
            raise UserError(
                self.env._(
                    "Complaint %(number)s is already in process: it cannot "
                    "become another kind of ticket.",
                    number=started[0].number,
                )
            )

    def _complaint_check_stage_vals(self, vals):
        if self and vals.get("stage_id"):
            stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
            complaints = self.filtered(lambda t: t.kind == "complaint")
            complaints._complaint_check_transition(stage.complaint_step)

    def _complaint_check_created(self):
        wrong_stage = self.filtered(lambda t: t.complaint_state != "received")
        if wrong_stage:
            raise ValidationError(
                self.env._(
                    "A complaint is created in the received step; it then "
                    "follows the process."
                )
            )

    def _complaint_rehandled_by(self, stage):
        """The complaints that ``stage`` sends back to handling from a later
        step: they start a new handling round."""
        if stage.complaint_step != "handling":
            return self.browse()
        return self.filtered(
            lambda t: t.kind == "complaint"
            and t.complaint_state in PROCESS
            and PROCESS.index(t.complaint_state) > PROCESS.index("handling")
        )

    def _complaint_stage_changed(self, before, stage, rehandled):
        """After a stage change: new handling rounds, then the events (the
        stage, and the step when it changed), once per batch."""
        for ticket in rehandled:
            ticket._complaint_write(
                {
                    "handling_round": ticket.handling_round + 1,
                    "customer_confirmed": False,
                    "customer_confirmed_date": False,
                }
            )
            ticket._complaint_log(
                self.env._(
                    "Handling round %(round)s started.", round=ticket.handling_round
                )
            )
        moved = self.filtered(lambda t: before[t] != stage)
        if not moved:
            return
        when = fields.Datetime.now()
        moved._complaint_event("stage", when=when)
        stepped = moved.filtered(
            lambda t: before[t].complaint_step != stage.complaint_step
        )
        event = STEP_EVENTS.get(stage.complaint_step)
        if event and stepped:
            stepped._complaint_event(event, when=when)

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        if self.env.context.get("default_kind") == "complaint":
            return stages.search([("complaint_step", "!=", False)])
        return super()._read_group_stage_ids(stages, domain)

    def _complaint_by_process(self):
        """Whether the write comes from the process (``_complaint_write``)."""
        return by_process(self)

    def _complaint_write(self, vals):
        """Write fields that only the process may change (PROCESS_FIELDS),
        through the normal ``write`` chain: other addons' overrides see it."""
        return process_write(self, vals)
