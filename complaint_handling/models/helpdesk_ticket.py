# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, is_html_empty

from .complaint_callback import SATISFACTION
from .complaint_escalation import ESCALATION_LEVELS

# The main line of the process; "refused" stands aside.
PROCESS = [
    "received",
    "accepted",
    "handling",
    "solution_confirmed",
    "result_reported",
    "callback_done",
    "closed",
]
# (severity, urgency) -> helpdesk priority
PRIORITY_MATRIX = {
    "minor": {"low": "0", "normal": "0", "urgent": "1", "critical": "2"},
    "general": {"low": "0", "normal": "1", "urgent": "2", "critical": "2"},
    "serious": {"low": "1", "normal": "2", "urgent": "2", "critical": "3"},
    "major": {"low": "2", "normal": "2", "urgent": "3", "critical": "3"},
}
PHONE_RE = re.compile(r"^(?:\+?86)?(?:1[3-9]\d{9}|0\d{2,3}\d{7,8}(?:\d{1,6})?)$")
SERVICE_NUMBER_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z-]{2,31}$")
PASSPORT_RE = re.compile(r"^[A-Z0-9]{5,17}$")
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"
# Fields only the complaint process itself writes.
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
# Customers' personal data: masked to users without the personal data right
# (read, search_read, the web client, exports); (kept at start, kept at end).
PERSONAL_FIELDS = {
    "contact_phone": (3, 4),
    "service_number": (3, 4),
    "account_number": (2, 4),
    "id_number": (3, 4),
    "contact_address": (6, 0),
}
SUPERVISOR_GROUP = "complaint_handling.complaint_handling_group_supervisor"
PERSONAL_DATA_GROUP = "complaint_handling.complaint_handling_group_personal_data"
PARTNER_AGENT_GROUP = "complaint_handling.complaint_handling_group_partner_agent"
PARTNER_SUPERVISOR_GROUP = (
    "complaint_handling.complaint_handling_group_partner_supervisor"
)


def valid_phone(value):
    """Whether ``value`` is a Chinese mobile or landline number (spaces,
    dashes and brackets ignored)."""
    return bool(PHONE_RE.match(re.sub(r"[\s()-]", "", value or "")))


def mask_value(value, keep_start=3, keep_end=4):
    """110105194912310021 -> 110***********0021; short values are hidden."""
    value = value or ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    tail = value[len(value) - keep_end :] if keep_end else ""
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + tail


def _valid_resident_id(number):
    """Chinese resident identity card number (GB 11643): 18 characters."""
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == number[17]


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

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
    # Personal data: internal users only; the portal reads the masked values.
    contact_phone = fields.Char(groups="base.group_user")
    service_number = fields.Char(index=True, help="Phone or line number concerned.")
    contact_address = fields.Char(
        string="Customer Address",
        groups="base.group_user",
        help="Where the service is installed or the customer lives, when the "
        "complaint needs it (home broadband, on-site visit).",
    )
    account_number = fields.Char()
    id_document_type = fields.Selection(
        selection=[
            ("resident_id", "Resident identity card"),
            ("passport", "Passport"),
            ("other", "Other document"),
        ],
        string="ID Document",
        default="resident_id",
    )
    id_number = fields.Char(string="ID Document Number", groups="base.group_user")
    id_number_masked = fields.Char(
        string="ID Document Number (masked)",
        compute="_compute_personal_masked",
        compute_sudo=True,
    )
    confidential_editable = fields.Boolean(compute="_compute_personal_data_visible")
    personal_data_visible = fields.Boolean(
        compute="_compute_personal_data_visible",
        help="The user sees personal data in full (personal data right).",
    )
    contact_phone_portal = fields.Char(
        string="Contact Phone (portal)",
        compute="_compute_personal_masked",
        compute_sudo=True,
        help="The contact phone for the customer and for the partner agents while "
        "the complaint is theirs and open; masked otherwise.",
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

    legal_hold = fields.Boolean(
        tracking=True,
        copy=False,
        help="Under legal hold, the complaint is neither deleted nor anonymised, "
        "whatever its retention date.",
    )
    retention_until = fields.Date(
        string="Kept Until",
        compute="_compute_retention_until",
        store=True,
        index=True,
        help="Closing date plus the company's retention period.",
    )
    anonymized_date = fields.Datetime(
        string="Anonymised On", readonly=True, copy=False, index="btree_not_null"
    )
    confidential = fields.Boolean(
        tracking=True,
        copy=False,
        help="Visible only to the named people, the complaint's owner, the "
        "customer and the Confidential Complaints group.",
    )
    confidential_reason = fields.Selection(
        selection=[
            ("vip", "VIP customer"),
            ("legal", "Legal dispute"),
            ("media", "Media attention"),
            ("staff", "Internal staff"),
        ],
        tracking=True,
        copy=False,
    )
    confidential_user_ids = fields.Many2many(
        comodel_name="res.users",
        relation="helpdesk_ticket_confidential_user_rel",
        column1="ticket_id",
        column2="user_id",
        string="Named People",
        domain="[('share', '=', False)]",
        copy=False,
    )
    partner_org_id = fields.Many2one(
        comodel_name="res.partner",
        string="Partner Organisation",
        readonly=True,
        index="btree_not_null",
        tracking=True,
        copy=False,
        help="The organisation the complaint is currently handed to.",
    )
    transfer_id = fields.Many2one(
        comodel_name="complaint.transfer",
        string="Current Hand-off",
        readonly=True,
        copy=False,
    )
    transfer_state = fields.Selection(
        related="transfer_id.state", string="Hand-off Status", store=True
    )
    transfer_ids = fields.One2many(
        comodel_name="complaint.transfer",
        inverse_name="ticket_id",
        string="Hand-offs",
    )
    partner_agent_id = fields.Many2one(
        comodel_name="res.users",
        readonly=True,
        tracking=True,
        copy=False,
        help="The partner organisation's agent working on the complaint.",
    )

    @api.model
    def _search(self, domain, *args, **kwargs):
        # Not for the system's own searches (repeat detection, jobs).
        if self.env.context.get("complaint_portal_hide_complaints") and not self.env.su:
            # helpdesk_mgmt's portal ticket list (see controllers/helpdesk.py).
            domain = expression.AND([domain or [], [("kind", "!=", "complaint")]])
        return super()._search(domain, *args, **kwargs)

    @api.depends("complaint_state")
    def _compute_customer_status(self):
        by_step = {
            "received": "received",
            "accepted": "accepted",
            "handling": "in_progress",
            "solution_confirmed": "in_progress",
            "result_reported": "replied",
            "callback_done": "resolved",
            "closed": "closed",
            "refused": "not_accepted",
        }
        for ticket in self:
            ticket.customer_status = by_step.get(ticket.complaint_state, False)

    @api.depends("number", "name")
    def _compute_display_name(self):
        # helpdesk_mgmt shows "number - title", which reads "/ - False" on a
        # ticket not saved yet: show its title alone until it has a number.
        res = super()._compute_display_name()
        for ticket in self:
            if not ticket.number or ticket.number == "/":
                ticket.display_name = ticket.name or self.env._("New")
        return res

    @api.depends("kind", "severity", "urgency")
    def _compute_priority(self):
        for ticket in self:
            if ticket.kind == "complaint" and ticket.severity and ticket.urgency:
                ticket.priority = PRIORITY_MATRIX[ticket.severity][ticket.urgency]
            else:
                ticket.priority = ticket.priority or "1"

    @api.depends("closed_date", "company_id.complaint_retention_years")
    def _compute_retention_until(self):
        for ticket in self:
            closed = fields.Datetime.to_datetime(ticket.closed_date)
            years = ticket.company_id.complaint_retention_years or 2
            ticket.retention_until = (
                closed.date() + relativedelta(years=years) if closed else False
            )

    @api.depends_context("uid")
    def _compute_personal_data_visible(self):
        self.personal_data_visible = self._complaint_sees_personal_data()
        self.confidential_editable = self.env.user.has_group(SUPERVISOR_GROUP)

    @api.depends_context("uid")
    @api.depends("id_number", "contact_phone", "partner_org_id", "stage_id")
    def _compute_personal_masked(self):
        user = self.env.user
        for ticket in self:
            ticket.id_number_masked = mask_value(ticket.id_number)
            phone = ticket.contact_phone or ""
            visible = user._is_internal() or (
                ticket.partner_id
                and ticket.partner_id.commercial_partner_id
                == user.commercial_partner_id
            )
            if not visible and ticket._complaint_is_agent(user):
                visible = not ticket.closed and ticket.complaint_state not in (
                    "closed",
                    "refused",
                )
            ticket.contact_phone_portal = phone if visible else mask_value(phone, 3, 2)

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

    @api.constrains("contact_phone", "service_number", "id_number", "id_document_type")
    def _check_complaint_identifiers(self):
        for ticket in self:
            if ticket.contact_phone and not valid_phone(ticket.contact_phone):
                raise ValidationError(
                    self.env._(
                        "%(phone)s is not a valid contact phone: give an 11-digit "
                        "mobile number or a landline with its area code.",
                        phone=ticket.contact_phone,
                    )
                )
            if ticket.service_number and not SERVICE_NUMBER_RE.match(
                ticket.service_number
            ):
                raise ValidationError(
                    self.env._(
                        "%(number)s is not a valid service number: use 3 to 32 "
                        "letters, digits or dashes.",
                        number=ticket.service_number,
                    )
                )
            number = (ticket.id_number or "").strip().upper()
            if not number:
                continue
            if ticket.id_document_type == "resident_id" and not _valid_resident_id(
                number
            ):
                raise ValidationError(
                    self.env._(
                        "The resident identity card number is not valid: it has "
                        "18 characters and its last one is a check digit."
                    )
                )
            if ticket.id_document_type == "passport" and not PASSPORT_RE.match(number):
                raise ValidationError(
                    self.env._(
                        "The passport number is not valid: use 5 to 17 letters "
                        "or digits."
                    )
                )

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
            kind = vals.get("kind") or self.env.context.get("default_kind")
            if kind != "complaint":
                continue
            vals["kind"] = kind
            if "priority" not in vals:
                # helpdesk_mgmt's field default would win over the compute.
                severity = PRIORITY_MATRIX.get(vals.get("severity") or "general", {})
                vals["priority"] = severity.get(vals.get("urgency") or "normal", "1")
            if set(vals) & PROCESS_FIELDS:
                raise UserError(
                    self.env._(
                        "The handling round, escalation level and customer "
                        "confirmation are set by the complaint process."
                    )
                )
            if not vals.get("team_id"):
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["team_id"] = (
                    company.with_company(company)._complaint_default_team().id
                )
        for vals in vals_list:
            self.browse()._complaint_check_confidential_vals(vals)
        complaint_vals = [vals for vals in vals_list if vals.get("kind") == "complaint"]
        self._complaint_prepare_numbers(complaint_vals)
        self._complaint_prepare_stages(complaint_vals)
        tickets = super().create(vals_list)
        complaints = tickets.filtered(lambda t: t.kind == "complaint")
        wrong_stage = complaints.filtered(lambda t: t.complaint_state != "received")
        if wrong_stage:
            raise ValidationError(
                self.env._(
                    "A complaint is created in the received step; it then "
                    "follows the process."
                )
            )
        complaints._complaint_detect_repeats()
        return tickets

    @api.model
    def _cron_anonymize_expired(self, batch=500):
        """Anonymise, batch by batch, the complaints past their retention period
        and not under legal hold. Each batch is marked in its own transaction:
        an interrupted run leaves the rest to the next one."""
        domain = [
            ("kind", "=", "complaint"),
            ("retention_until", "<", fields.Date.context_today(self)),
            ("legal_hold", "=", False),
            ("anonymized_date", "=", False),
        ]
        tickets = self.sudo().search(domain, limit=batch, order="id")
        # What the job writes in place of the data, in each company's language.
        for company, mine in tickets.grouped("company_id").items():
            mine.with_context(lang=company._complaint_lang())._complaint_anonymize()
        if len(tickets) == batch:
            self.env["ir.cron"]._notify_progress(done=len(tickets), remaining=1)
        return tickets

    def _complaint_anonymize(self):
        """Replace the customers' personal data of the complaints in place: the
        complaint's fields, the customer link when the customer has no other
        use, the chatter bodies and tracking values, the attachments and the
        free texts of the handling records. What the reports count (kind, type,
        severity, channel, team, organisation, steps, dates, satisfaction,
        first-contact resolution, escalations, remedies' amounts) is kept."""
        tickets = self.sudo().with_context(tracking_disable=True, mail_notrack=True)
        if not tickets:
            return
        kept = tickets._complaint_kept()
        if kept:
            raise UserError(
                self.env._(
                    "Complaint %(number)s is still within its retention period or "
                    "under legal hold.",
                    number=kept[0].number,
                )
            )
        text = self.env._("(anonymised)")
        cr = self.env.cr
        self.env.flush_all()
        # Customers with no other use are detached.
        partners = tickets.partner_id
        other_use = {
            partner.id
            for [partner] in self.env["helpdesk.ticket"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [("partner_id", "in", partners.ids), ("id", "not in", tickets.ids)],
                ["partner_id"],
            )
        }
        detached = partners.filtered(
            lambda p: p.id not in other_use and not p.user_ids and not p.is_company
        )
        tickets._complaint_write(
            {
                **dict.fromkeys(PERSONAL_FIELDS, False),
                "name": text,
                "partner_name": text,
                "partner_email": False,
                "description": Markup("<p>%s</p>") % text,
                "customer_demand": False,
                "solution_measures": False,
                "refuse_explanation": False,
                "anonymized_date": fields.Datetime.now(),
            }
        )
        tickets.filtered(lambda t: t.partner_id in detached)._complaint_write(
            {"partner_id": False}
        )
        # A customer known only through these complaints is anonymised too.
        detached.sudo().write(
            {
                "name": text,
                "email": False,
                "phone": False,
                "mobile": False,
                "street": False,
                "street2": False,
                "zip": False,
                "city": False,
                "vat": False,
                "comment": False,
                "active": False,
            }
        )
        logs = tickets.handling_log_ids
        logs._write_tech_state({"description": text, "tech_answer": False})
        tickets.feedback_ids.write(
            {"conclusion": text, "basis": False, "plan": False, "execution": False}
        )
        tickets.callback_ids.write({"comment": False})
        tickets.remedy_ids._write_decision({"description": text})
        tickets.escalation_ids.write({"note": False})
        tickets.transfer_ids.write({"note": False, "end_note": False})
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    "|",
                    "&",
                    ("res_model", "=", "helpdesk.ticket"),
                    ("res_id", "in", tickets.ids),
                    "&",
                    ("res_model", "=", "complaint.handling.log"),
                    ("res_id", "in", logs.ids),
                ]
            )
        )
        attachments.unlink()
        # Remedies have a chatter of their own (approval activities and their
        # feedback): emptied with the complaint's.
        remedies = tickets.remedy_ids
        remedies.activity_ids.unlink()
        self.env.flush_all()
        threads = SQL(
            "(model = 'helpdesk.ticket' AND res_id = ANY(%s)) OR "
            "(model = 'complaint.remedy' AND res_id = ANY(%s))",
            tickets.ids,
            remedies.ids,
        )
        cr.execute(
            SQL(
                "UPDATE mail_message SET body = %s, subject = NULL WHERE %s",
                Markup("<p>%s</p>") % text,
                threads,
            )
        )
        cr.execute(
            SQL(
                "UPDATE mail_tracking_value SET old_value_char = NULL, "
                "new_value_char = NULL, old_value_text = NULL, new_value_text = NULL "
                "WHERE mail_message_id IN (SELECT id FROM mail_message WHERE %s)",
                threads,
            )
        )
        self.env["mail.message"].invalidate_model(["body", "subject"])
        self.env["mail.tracking.value"].invalidate_model()
        self.env["complaint.personal.access.log"]._log(
            tickets, "anonymise", list(PERSONAL_FIELDS)
        )

    def _complaint_check_legal_hold_vals(self, vals):
        if "legal_hold" in vals and not self.env.user.has_group(SUPERVISOR_GROUP):
            raise UserError(self.env._("Only a supervisor sets or lifts a legal hold."))

    def _complaint_check_confidential_vals(self, vals):
        changes = (
            vals.get("confidential")
            or vals.get("confidential_reason")
            or vals.get("confidential_user_ids")
            or ("confidential" in vals and any(self.mapped("confidential")))
        )
        if changes and not self.env.user.has_group(SUPERVISOR_GROUP):
            raise UserError(
                self.env._("Only a supervisor marks a complaint confidential.")
            )
        if vals.get("confidential") and not vals.get("confidential_reason"):
            missing = self.filtered(lambda t: not t.confidential_reason)
            if missing or not self:
                raise UserError(
                    self.env._("Give the reason why the complaint is confidential.")
                )

    def write(self, vals):
        self._complaint_check_confidential_vals(vals)
        self._complaint_check_legal_hold_vals(vals)
        if "anonymized_date" in vals:
            raise UserError(self.env._("Only the retention job anonymises complaints."))
        if vals.get("confidential"):
            handed = self.filtered("partner_org_id")
            if handed:
                raise UserError(
                    self.env._(
                        "Complaint %(number)s is handed to a partner organisation: "
                        "take it back before marking it confidential.",
                        number=handed[0].number,
                    )
                )
        if set(vals) & PROCESS_FIELDS:
            raise UserError(
                self.env._(
                    "The handling round, escalation level, customer confirmation, "
                    "refusal and repeat links are set by the complaint process."
                )
            )
        if "kind" in vals:
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
        rehandled = self.browse()
        if vals.get("stage_id"):
            stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
            complaints = self.filtered(lambda t: t.kind == "complaint")
            complaints._complaint_check_transition(stage.complaint_step)
            if stage.complaint_step == "handling":
                rehandled = complaints.filtered(
                    lambda t: PROCESS.index(t.complaint_state)
                    > PROCESS.index("handling")
                    if t.complaint_state in PROCESS
                    else False
                )
        res = super().write(vals)
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
        return res

    def unlink(self):
        kept = self._complaint_kept()
        if kept:
            raise UserError(
                self.env._(
                    "Complaint %(number)s is a complaint record kept until the end "
                    "of its retention period (or its legal hold): archive it "
                    "instead.",
                    number=kept[0].number,
                )
            )
        return super().unlink()

    def _complaint_kept(self):
        """The complaints of ``self`` that must be kept: within their retention
        period (not closed yet, or closed less than the period ago) or under
        legal hold."""
        today = fields.Date.context_today(self)
        return self.sudo().filtered(
            lambda t: t.kind == "complaint"
            and (t.legal_hold or not t.retention_until or t.retention_until >= today)
        )

    def _complaint_sees_personal_data(self):
        return self.env.su or self.env.user.has_group(PERSONAL_DATA_GROUP)

    def _read_format(self, fnames, load="_classic_read"):
        """Personal fields reach the client masked, unless the user has the
        personal data right (the server code reads the real values)."""
        result = super()._read_format(fnames, load=load)
        masked = [name for name in fnames if name in PERSONAL_FIELDS]
        if masked and not self._complaint_sees_personal_data():
            for values in result:
                for name in masked:
                    if values.get(name):
                        values[name] = mask_value(values[name], *PERSONAL_FIELDS[name])
        return result

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        """Exports mask personal fields like the screen does; an export of
        unmasked personal data is logged, complaint by complaint."""
        rows = super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        columns = {
            index: path[0]
            for index, path in enumerate(fields)
            if len(path) == 1 and path[0] in PERSONAL_FIELDS
        }
        if not columns or not self:
            return rows
        if self._complaint_sees_personal_data():
            if not self.env.su:
                self.env["complaint.personal.access.log"]._log(
                    self, "export", sorted(set(columns.values()))
                )
            return rows
        for row in rows:
            for index, name in columns.items():
                if row[index]:
                    row[index] = mask_value(row[index], *PERSONAL_FIELDS[name])
        return rows

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), **kwargs):
        names = {spec.split(":")[0].split(".")[0] for spec in groupby} | {
            spec.split(":")[0] for spec in aggregates
        }
        if names & set(PERSONAL_FIELDS) and not self._complaint_sees_personal_data():
            raise AccessError(
                self.env._("Grouping by personal data needs the personal data right.")
            )
        return super()._read_group(
            domain, groupby=groupby, aggregates=aggregates, having=having, **kwargs
        )

    def action_complaint_reveal(self):
        """Show the full value of one personal field (context
        ``reveal_field``), and log who saw it, when and from where."""
        self.ensure_one()
        name = self.env.context.get("reveal_field")
        if name not in PERSONAL_FIELDS:
            raise UserError(self.env._("Nothing to reveal."))
        self.check_access("read")
        self.env["complaint.personal.access.log"]._log(self, "reveal", [name])
        label = self._fields[name]._description_string(self.env)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._(
                    "%(field)s of %(number)s", field=label, number=self.number
                ),
                "message": self.sudo()[name] or "-",
                "sticky": False,
                "type": "info",
            },
        }

    @api.model
    def _complaint_prepare_numbers(self, vals_list):
        """Number the new complaints of a batch: one sequence lookup per company
        and, for a standard sequence, one query for all the numbers (instead of
        helpdesk_mgmt's lookup and query per ticket)."""
        by_company = defaultdict(list)
        for vals in vals_list:
            if vals.get("number", "/") == "/":
                by_company[vals.get("company_id") or self.env.company.id].append(vals)
        for company_id, items in by_company.items():
            sequences = self.env["ir.sequence"].with_company(company_id)
            sequences.browse().check_access("read")
            sequence = sequences.search(
                [
                    ("code", "=", "complaint.ticket.sequence"),
                    ("company_id", "in", [company_id, False]),
                ],
                order="company_id",
                limit=1,
            )
            if not sequence:
                continue  # helpdesk_mgmt's ticket numbering applies
            if sequence.implementation == "standard" and not sequence.use_date_range:
                self.env.cr.execute(
                    SQL(
                        "SELECT nextval(%s) FROM generate_series(1, %s)",
                        f"ir_sequence_{sequence.id:03d}",
                        len(items),
                    )
                )
                numbers = [
                    sequence.get_next_char(value)
                    for value in sorted(row[0] for row in self.env.cr.fetchall())
                ]
            else:
                numbers = [sequence._next() for _vals in items]
            for vals, number in zip(items, numbers, strict=True):
                vals["number"] = number

    @api.model
    def _complaint_prepare_stages(self, vals_list):
        """The first stage of each new complaint's team, looked up once per team
        of the batch (helpdesk_mgmt searches it for every ticket)."""
        first_stage = {}
        for vals in vals_list:
            team_id = vals.get("team_id")
            if "stage_id" in vals or not team_id:
                continue
            if team_id not in first_stage:
                team = self.env["helpdesk.ticket.team"].browse(team_id)
                first_stage[team_id] = team._get_applicable_stages()[:1].id
            vals["stage_id"] = first_stage[team_id]

    def _compute_access_url(self):
        res = super()._compute_access_url()
        # Complaints have their own portal page (see controllers/portal.py).
        for ticket in self.filtered(lambda t: t.kind == "complaint"):
            ticket.access_url = f"/my/complaints/{ticket.id}"
        return res

    def _prepare_ticket_number(self, values):
        kind = values.get("kind") or self.env.context.get("default_kind")
        if kind == "complaint":
            seq = self.env["ir.sequence"]
            if values.get("company_id"):
                seq = seq.with_company(values["company_id"])
            number = seq.next_by_code("complaint.ticket.sequence")
            if number:
                return number
        return super()._prepare_ticket_number(values)

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        if self.env.context.get("default_kind") == "complaint":
            return stages.search([("complaint_step", "!=", False)])
        return super()._read_group_stage_ids(stages, domain)

    # ------------------------------------------------------------------
    # Process
    # ------------------------------------------------------------------

    def _complaint_log(self, body):
        """Log ``body`` (plain text, escaped here) as an internal note on each
        complaint: the process trail. No e-mail is sent, so it also works for
        integration users without an e-mail address."""
        if self:
            self._message_log_batch(bodies=dict.fromkeys(self.ids, body))

    def _complaint_write(self, vals):
        """Write fields that only the process may change (see PROCESS_FIELDS)."""
        return super().write(vals)

    def _complaint_time_bar_date(self):
        self.ensure_one()
        company = self.company_id or self.env.company
        months = (
            company.complaint_billing_time_bar_months
            if self.category_id.billing_dispute
            else company.complaint_general_time_bar_months
        )
        received = (
            fields.Datetime.to_datetime(self.received_date) or fields.Datetime.now()
        )
        return received.date() - relativedelta(months=months)

    def _complaint_detect_repeats(self):
        """Link each complaint to the earlier ones of the same customer or
        service number and the same type within the company's window.
        One search for the whole batch."""
        candidates = self.filtered(
            lambda t: t.category_id and (t.partner_id or t.service_number)
        )
        if not candidates:
            return
        window = max(candidates.company_id.mapped("complaint_repeat_window_days"))
        start = min(candidates.mapped("received_date")) - timedelta(days=window)
        partner_ids = candidates.partner_id.ids
        numbers = [n for n in candidates.mapped("service_number") if n]
        # Detection must see every earlier complaint of the company, whoever
        # records the new one (an integration user sees only its own): search as
        # superuser, restricted to the companies of the batch. Only the links
        # and numbers are kept; reading the linked complaints stays subject to
        # the user's rights.
        earlier = self.sudo().search(
            [
                ("company_id", "in", candidates.company_id.ids),
                ("kind", "=", "complaint"),
                ("category_id", "in", candidates.category_id.ids),
                ("received_date", ">=", start),
                ("received_date", "<=", max(candidates.mapped("received_date"))),
                "|",
                ("partner_id", "in", partner_ids),
                ("service_number", "in", numbers),
            ]
        )
        # Index the earlier complaints by (company, type, customer or number),
        # then match each new complaint against its own keys only.
        index = defaultdict(list)
        for other in earlier:
            key = (other.company_id.id, other.category_id.id)
            if other.partner_id:
                index[(*key, "partner", other.partner_id.id)].append(other)
            if other.service_number:
                index[(*key, "number", other.service_number)].append(other)
        bodies, links = {}, []
        for ticket in candidates:
            key = (ticket.company_id.id, ticket.category_id.id)
            since = ticket.received_date - timedelta(
                days=ticket.company_id.complaint_repeat_window_days
            )
            found = (
                index[(*key, "partner", ticket.partner_id.id)]
                if ticket.partner_id
                else []
            )
            if ticket.service_number:
                found = found + index[(*key, "number", ticket.service_number)]
            matches = self.browse(
                {
                    other.id
                    for other in found
                    if since <= other.received_date <= ticket.received_date
                    and (other.received_date, other.id)
                    < (ticket.received_date, ticket.id)
                }
            )
            if matches:
                links.append((ticket, [fields.Command.set(matches.ids)]))
                bodies[ticket.id] = self.env._(
                    "Repeat complaint: the customer complained about the same "
                    "type in %(numbers)s.",
                    numbers=", ".join(matches.sorted("id").mapped("number")),
                )
        if links:
            # One insert into the relation for the whole batch, instead of a
            # write per complaint (the field is the process's, never a user's).
            repeats = self.browse(list(bodies))
            repeats.modified(["repeat_of_ids"], before=True)
            self._fields["repeat_of_ids"].write_batch(links)
            repeats.modified(["repeat_of_ids"])
            repeats._message_log_batch(bodies=bodies)

    def _complaint_current_round(self, records):
        """Keep the records (feedback, callbacks) of the current handling round."""
        self.ensure_one()
        return records.filtered(lambda r: r.handling_round == self.handling_round)

    def _complaint_step_errors(self, step):
        """Return the reasons why this complaint cannot enter ``step``.

        Each step has its own hook ``_complaint_errors_<step>`` to extend."""
        self.ensure_one()
        hook = getattr(self, f"_complaint_errors_{step}", None)
        return hook() if hook else []

    def _complaint_errors_accepted(self):
        missing = []
        if not (self.partner_id or self.partner_name):
            missing.append(self.env._("the complainant"))
        if not self.contact_phone:
            missing.append(self.env._("a contact phone"))
        if not (self.service_number or self.account_number):
            missing.append(self.env._("the service or account number"))
        if not self.category_id:
            missing.append(self.env._("the complaint type"))
        if is_html_empty(self.description):
            missing.append(self.env._("the complaint content"))
        if not self.received_date:
            missing.append(self.env._("the time received"))
        if not missing:
            return []
        return [
            self.env._(
                "To accept the complaint, record:\n%(missing)s",
                # A list, one item a line: no separator to translate.
                missing="\n".join(f"- {item}" for item in missing),
            )
        ]

    def _complaint_errors_solution_confirmed(self):
        if self.incident_id.state == "resolved":
            # A network incident is solved for everyone once service is back.
            return []
        errors = []
        if not self.solution_measures:
            errors.append(self.env._("Record the solution measures first."))
        if not self.customer_confirmed:
            errors.append(self.env._("The customer has not confirmed the solution."))
        return errors

    def _complaint_errors_result_reported(self):
        if self._complaint_current_round(self.feedback_ids):
            return []
        return [
            self.env._(
                "Record the result feedback given to the customer before "
                "reporting the result."
            )
        ]

    def _complaint_errors_callback_done(self):
        callbacks = self._complaint_current_round(self.callback_ids)
        satisfied = callbacks.filtered(lambda c: c.reached and not c.unsatisfied)
        failed = callbacks.filtered(lambda c: not c.reached)
        max_attempts = self.company_id.complaint_callback_max_attempts
        if satisfied or len(failed) >= max_attempts:
            return []
        return [
            self.env._(
                "Call the customer back first: a callback that reached them, or "
                "%(count)s documented failed attempts (%(done)s so far).",
                count=max_attempts,
                done=len(failed),
            )
        ]

    def _complaint_errors_closed(self):
        errors = self._complaint_errors_callback_done()
        if self.remedy_ids.filtered(lambda r: r.state == "pending"):
            errors.append(
                self.env._("A remedy is waiting for approval: decide it first.")
            )
        return errors

    def _complaint_errors_refused(self):
        if self.refuse_reason_id and self.refuse_explanation:
            return []
        return [
            self.env._(
                "Refuse a complaint with the Refuse button: it needs a reason and "
                "the explanation given to the customer."
            )
        ]

    def _complaint_check_transition(self, step):
        # The step names in the user's language (the list holds the source).
        labels = dict(
            self.env["helpdesk.ticket.stage"]
            ._fields["complaint_step"]
            ._description_selection(self.env)
        )
        for ticket in self:
            src = ticket.complaint_state
            if not step:
                raise UserError(
                    self.env._(
                        "Complaint %(number)s must stay in the complaint stages.",
                        number=ticket.number,
                    )
                )
            if src == step:
                continue
            if src in PROCESS and step in PROCESS:
                i, j = PROCESS.index(src), PROCESS.index(step)
                if j > i:
                    to_check = PROCESS[i + 1 : j + 1]
                elif step == "handling":
                    to_check = []
                    if src == "closed" and not self.env.user.has_group(
                        SUPERVISOR_GROUP
                    ):
                        raise UserError(
                            self.env._(
                                "Only a supervisor can reopen the closed "
                                "complaint %(number)s.",
                                number=ticket.number,
                            )
                        )
                else:
                    to_check = None
            elif src == "received" and step == "refused":
                to_check = ["refused"]
            elif src == "refused" and step == "received":
                if not self.env.user.has_group(SUPERVISOR_GROUP):
                    raise UserError(
                        self.env._(
                            "Only a supervisor can reopen the refused complaint "
                            "%(number)s.",
                            number=ticket.number,
                        )
                    )
                to_check = []
            else:
                to_check = None
            if to_check is None:
                raise UserError(
                    self.env._(
                        "Complaint %(number)s cannot go from %(src)s to %(dst)s.",
                        number=ticket.number,
                        src=labels.get(src, src),
                        dst=labels[step],
                    )
                )
            for each in to_check:
                errors = ticket._complaint_step_errors(each)
                if errors:
                    raise UserError(
                        self.env._(
                            "Complaint %(number)s cannot enter %(step)s: %(errors)s",
                            number=ticket.number,
                            step=labels[each],
                            errors=" ".join(errors),
                        )
                    )

    def _complaint_stage_for(self, step):
        self.ensure_one()
        stages = self.team_id._get_applicable_stages().filtered(
            lambda s: s.complaint_step == step
        )
        if not stages:
            raise UserError(
                self.env._(
                    "No stage of team %(team)s stands for this step: configure "
                    "the complaint stages.",
                    team=self.team_id.display_name,
                )
            )
        return stages[:1]

    def _complaint_move_to_step(self, step):
        by_stage = {}
        for ticket in self:
            stage = ticket._complaint_stage_for(step)
            by_stage.setdefault(stage, self.browse())
            by_stage[stage] |= ticket
        for stage, tickets in by_stage.items():
            tickets.write({"stage_id": stage.id})
        return True

    def _complaint_apply_callbacks(self, callbacks):
        """React to new callbacks: unsatisfied customers start a new handling
        round (and escalate when configured); satisfied ones end the callback."""
        for ticket in self:
            mine = callbacks.filtered(lambda c, t=ticket: c.ticket_id == t)
            if mine.filtered("unsatisfied"):
                ticket._complaint_move_to_step("handling")
                message = self.env._(
                    "Complaint %(number)s: the customer is unsatisfied, handling "
                    "round %(round)s started.",
                    number=ticket.number,
                    round=ticket.handling_round,
                )
                if (
                    ticket.company_id.complaint_escalate_unsatisfied
                    and ticket.escalation_level != "3"
                ):
                    ticket._complaint_escalate(
                        "unsatisfied",
                        self.env._("Customer unsatisfied at callback: %s")
                        % (mine.filtered("unsatisfied")[:1].comment or ""),
                    )
                    message = self.env._(
                        "%(message)s Escalated to %(level)s.",
                        message=message,
                        level=dict(
                            ticket._fields["escalation_level"]._description_selection(
                                self.env
                            )
                        )[ticket.escalation_level],
                    )
                ticket._complaint_notify(message)
            elif mine.filtered("reached"):
                ticket._complaint_move_to_step("callback_done")

    def _complaint_escalate(self, reason, note, to_level=None):
        """Escalate to ``to_level`` (default: one level up), record who, when,
        why and the hand-over note (``note``: one text, or {ticket id: text}),
        and move responsibility. Batched: the complaints going to the same level
        of the same company are handed over together."""
        self.check_access("write")
        notes = note if isinstance(note, dict) else dict.fromkeys(self.ids, note)
        groups = defaultdict(lambda: self.browse())
        for ticket in self:
            if ticket.kind != "complaint":
                raise UserError(self.env._("Only complaints are escalated."))
            from_level = int(ticket.escalation_level)
            level = int(to_level or from_level + 1)
            if level <= from_level or level > 3:
                raise UserError(
                    self.env._(
                        "Complaint %(number)s is at level %(level)s: it can only "
                        "be escalated to a higher level, up to 3.",
                        number=ticket.number,
                        level=from_level,
                    )
                )
            groups[(ticket.company_id, from_level, level)] |= ticket
        reason_label = dict(
            self.env["complaint.escalation"]
            ._fields["reason"]
            ._description_selection(self.env)
        )[reason]
        for (company, from_level, level), tickets in groups.items():
            team, user = company._complaint_escalation_target(level)
            self.env["complaint.escalation"].sudo().create(
                [
                    {
                        "ticket_id": ticket.id,
                        "user_id": self.env.user.id,
                        "reason": reason,
                        "from_level": str(from_level),
                        "to_level": str(level),
                        "note": notes.get(ticket.id),
                        "from_team_id": ticket.team_id.id,
                        "from_user_id": ticket.user_id.id,
                        "to_team_id": (team or ticket.team_id).id,
                        "to_user_id": (user or ticket.user_id).id,
                    }
                    for ticket in tickets
                ]
            )
            tickets._complaint_write({"escalation_level": str(level)})
            tickets._message_log_batch(
                bodies={
                    ticket.id: self.env._(
                        "Escalated from level %(src)s to level %(dst)s (%(reason)s). "
                        "Hand-over note: %(note)s",
                        src=from_level,
                        dst=level,
                        reason=reason_label,
                        note=notes.get(ticket.id) or "",
                    )
                    for ticket in tickets
                }
            )
            # Last: handing over may take the complaints out of the escalating
            # user's reach.
            vals = {}
            if team:
                vals["team_id"] = team.id
            if user:
                vals["user_id"] = user.id
            if vals:
                tickets.write(vals)
        return True

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_complaint_accept(self):
        return self._complaint_move_to_step("accepted")

    def action_complaint_start(self):
        return self._complaint_move_to_step("handling")

    def action_complaint_confirm_solution(self):
        """The customer agreed to the solution plan."""
        for ticket in self:
            if ticket.complaint_state != "handling":
                raise UserError(
                    self.env._(
                        "Complaint %(number)s is not in handling.", number=ticket.number
                    )
                )
            if not ticket.solution_measures:
                raise UserError(self.env._("Record the solution measures first."))
        self._complaint_write(
            {
                "customer_confirmed": True,
                "customer_confirmed_date": fields.Datetime.now(),
            }
        )
        return self._complaint_move_to_step("solution_confirmed")

    def action_complaint_mark_implemented(self):
        for ticket in self:
            if not ticket.customer_confirmed:
                raise UserError(
                    self.env._("The customer has not confirmed the solution yet.")
                )
        self.write(
            {
                "solution_implemented": True,
                "solution_implemented_date": fields.Datetime.now(),
            }
        )
        return True

    def action_complaint_report_result(self):
        return self._complaint_move_to_step("result_reported")

    def action_complaint_callback_done(self):
        return self._complaint_move_to_step("callback_done")

    def action_complaint_close(self):
        return self._complaint_move_to_step("closed")

    def action_complaint_rehandle(self):
        """Start a new handling round (customer not satisfied, supervisor order)."""
        self._complaint_move_to_step("handling")
        return self._complaint_notification(
            self.env._(
                "Handling round %(round)s started: the complaint is in handling again.",
                round=", ".join(str(r) for r in self.mapped("handling_round")),
            )
        )

    def action_complaint_reopen(self):
        return self._complaint_move_to_step("received")

    def _complaint_notification(self, message, notify_type="success"):
        """The client action telling the user what an action did, then
        reloading the view (the records it changed)."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": notify_type,
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _complaint_notify(self, message, notify_type="warning"):
        """Tell the current user, in the web client, what an action did that
        he did not ask for by name (a new round, an escalation)."""
        self.env.user._bus_send(
            "simple_notification",
            {"type": notify_type, "message": message, "sticky": True},
        )

    def _complaint_open_form(self, model, name, extra_context=None):
        self.ensure_one()
        context = {"default_ticket_id": self.id, **(extra_context or {})}
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": context,
        }

    def action_complaint_refuse(self):
        return self._complaint_open_form(
            "complaint.refuse.wizard", self.env._("Refuse Complaint")
        )

    def action_complaint_escalate(self):
        return self._complaint_open_form(
            "complaint.escalate.wizard", self.env._("Escalate Complaint")
        )

    def action_complaint_add_log(self):
        return self._complaint_open_form(
            "complaint.handling.log", self.env._("Handling Step")
        )

    def action_complaint_add_remedy(self):
        return self._complaint_open_form(
            "complaint.remedy", self.env._("Remedy"), {"dialog_size": "medium"}
        )

    def action_complaint_add_feedback(self):
        return self._complaint_open_form(
            "complaint.feedback",
            self.env._("Result Feedback"),
            {"default_plan": self.solution_measures},
        )

    def action_complaint_add_callback(self):
        return self._complaint_open_form("complaint.callback", self.env._("Callback"))

    def action_view_kb_articles(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_handling.complaint_kb_article_action"
        )
        action["domain"] = [("id", "in", self.kb_article_ids.ids)]
        return action

    def action_create_kb_article(self):
        """Seed a draft knowledge article from a resolved complaint."""
        self.ensure_one()
        if self.complaint_state not in ("callback_done", "closed"):
            raise UserError(
                self.env._("Only a resolved complaint can seed a knowledge article.")
            )
        feedback = self.last_feedback_id
        article = self.env["complaint.kb.article"].create(
            {
                "name": self.name,
                "article_type": "method",
                "category_ids": [fields.Command.set(self.category_id.ids)],
                "source_ticket_id": self.id,
                # Markup escapes the values: they are the handlers' free text.
                "body": Markup(
                    self.env._(
                        "<h3>Problem</h3><p>%(problem)s</p><h3>Solution</h3>"
                        "<p>%(solution)s</p><h3>Basis</h3><p>%(basis)s</p>"
                    )
                )
                % {
                    "problem": self.name,
                    "solution": self.solution_measures or feedback.conclusion or "",
                    "basis": feedback.basis or "",
                },
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "complaint.kb.article",
            "res_id": article.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Hand-off to partner organisations (转派)
    # ------------------------------------------------------------------

    def _complaint_is_agent(self, user=None, supervisor=False):
        """Whether ``user`` is an agent (or supervisor agent) of the partner
        organisation the complaint is currently handed to."""
        self.ensure_one()
        user = user or self.env.user
        group = PARTNER_SUPERVISOR_GROUP if supervisor else PARTNER_AGENT_GROUP
        return bool(
            self.partner_org_id
            and user.commercial_partner_id == self.partner_org_id
            and user.has_group(group)
        )

    def _complaint_transfer_missing_info(self):
        """Labels of the information a partner organisation needs and that is
        missing on the complaint."""
        self.ensure_one()
        ticket = self.sudo()
        missing = []
        if not (ticket.partner_name or ticket.partner_id.name):
            missing.append(self.env._("customer name"))
        if not (
            ticket.contact_phone
            or ticket.partner_email
            or ticket.partner_id.phone
            or ticket.partner_id.email
        ):
            missing.append(self.env._("contact"))
        if not (ticket.id_number or ticket.account_number):
            missing.append(self.env._("ID document or account number"))
        if is_html_empty(ticket.description):
            missing.append(self.env._("content of the complaint"))
        if not ticket.received_date:
            missing.append(self.env._("time received"))
        return missing

    def _complaint_transfer(self, agreement, note=None):
        """Hand the complaints to the organisation of ``agreement``; complaints
        already handed to another organisation are reassigned."""
        self.check_access("write")
        agreement = agreement.with_env(self.env)  # "today" in the user's time zone
        org = agreement.partner_org_id
        now = fields.Datetime.now()
        for ticket in self:
            if ticket.kind != "complaint" or ticket.complaint_state not in (
                "accepted",
                "handling",
            ):
                raise UserError(
                    self.env._(
                        "Complaint %(number)s cannot be handed over now: only "
                        "accepted complaints, or complaints in handling, can.",
                        number=ticket.number,
                    )
                )
            if ticket.confidential:
                raise UserError(
                    self.env._(
                        "Complaint %(number)s is confidential: it stays with the "
                        "carrier.",
                        number=ticket.number,
                    )
                )
            if ticket.partner_org_id == org:
                raise UserError(
                    self.env._(
                        "Complaint %(number)s is already handed to %(org)s.",
                        number=ticket.number,
                        org=org.display_name,
                    )
                )
            missing = ticket._complaint_transfer_missing_info()
            if missing:
                raise UserError(
                    self.env._(
                        "Complaint %(number)s cannot be handed over: %(missing)s "
                        "missing.",
                        number=ticket.number,
                        missing=", ".join(missing),
                    )
                )
            if not agreement._covers(ticket):
                raise UserError(
                    self.env._(
                        "The agreement %(agreement)s of %(org)s does not cover "
                        "complaint %(number)s (period, company, kind or type).",
                        agreement=agreement.name,
                        org=org.display_name,
                        number=ticket.number,
                    )
                )
        handed = self.filtered("partner_org_id")
        handed._complaint_end_transfer(
            "reassigned",
            note=self.env._("Reassigned to %(org)s.", org=org.display_name),
        )
        transfers = (
            self.env["complaint.transfer"]
            .sudo()
            .create(
                [
                    {
                        "ticket_id": ticket.id,
                        "partner_org_id": org.id,
                        "agreement_id": agreement.id,
                        "handling_round": ticket.handling_round,
                        "note": note,
                        "sent_by_id": self.env.user.id,
                        "date_sent": now,
                    }
                    for ticket in self
                ]
            )
        )
        for ticket, transfer in zip(self, transfers, strict=True):
            ticket._complaint_write(
                {
                    "partner_org_id": org.id,
                    "transfer_id": transfer.id,
                    "partner_agent_id": False,
                }
            )
        self._complaint_log(
            self.env._(
                "Handed to %(org)s under agreement %(agreement)s. Note: %(note)s",
                org=org.display_name,
                agreement=agreement.name,
                note=note or "",
            )
        )
        self._complaint_notify_org(
            org,
            self.env._("New complaints handed to %(org)s", org=org.display_name),
        )
        return transfers

    def _complaint_notify_org(self, org, subject):
        """Tell the organisation's supervisor agents (all its agents when it has
        none) by e-mail, without making them followers."""
        partners = org._complaint_notice_partners()
        if not partners:
            return
        base_url = self.get_base_url()
        links = Markup("").join(
            Markup('<li><a href="%s%s">%s</a> %s</li>')
            % (base_url, ticket.access_url, ticket.number, ticket.name)
            for ticket in self
        )
        self[:1].sudo().message_notify(
            partner_ids=partners.ids,
            subject=subject,
            body=Markup("<p>%s</p><ul>%s</ul>") % (subject, links),
            email_layout_xmlid="mail.mail_notification_light",
        )

    def _complaint_end_transfer(self, state, reason=None, note=None):
        """Close the current hand-off of each complaint: the organisation and its
        agents lose access at once (followers of the organisation removed).
        Batched per organisation: an ended agreement may end thousands."""
        handed = self.filtered("transfer_id").sudo()
        if not handed:
            return
        handed.transfer_id.write(
            {
                "state": state,
                "date_ended": fields.Datetime.now(),
                "ended_by_id": self.env.user.id,
                "return_reason": reason,
                "end_note": note,
            }
        )
        for org, tickets in handed.grouped("partner_org_id").items():
            followers = tickets.message_partner_ids.filtered(
                lambda p, o=org: p.commercial_partner_id == o
            )
            if followers:
                tickets.message_unsubscribe(partner_ids=followers.ids)
        handed._complaint_write(
            {"partner_org_id": False, "transfer_id": False, "partner_agent_id": False}
        )

    def _complaint_take_back(self, note=None):
        """The carrier takes the complaints back from their organisation."""
        self.check_access("write")
        not_handed = self.filtered(lambda t: not t.partner_org_id)
        if not_handed:
            raise UserError(
                self.env._(
                    "Complaint %(number)s is not handed to a partner organisation.",
                    number=not_handed[0].number,
                )
            )
        self._message_log_batch(
            bodies={
                ticket.id: self.env._(
                    "Taken back from %(org)s. Note: %(note)s",
                    org=ticket.partner_org_id.display_name,
                    note=note or "",
                )
                for ticket in self
            }
        )
        self._complaint_end_transfer("recalled", note=note)
        return True

    def _complaint_order_rehandle(self, reason):
        """Supervisor order: the organisation handles the complaint again (a new
        handling round)."""
        self.check_access("write")
        if not self.env.user.has_group(SUPERVISOR_GROUP):
            raise UserError(self.env._("Only a supervisor can order re-handling."))
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for the re-handling."))
        for ticket in self:
            if ticket.complaint_state not in (
                "solution_confirmed",
                "result_reported",
                "callback_done",
                "closed",
            ):
                raise UserError(
                    self.env._(
                        "Complaint %(number)s is still in handling: there is "
                        "nothing to handle again yet.",
                        number=ticket.number,
                    )
                )
        self._complaint_move_to_step("handling")
        for transfer in self.transfer_id.sudo():
            transfer.rehandle_count += 1
        self._message_log_batch(
            bodies={
                ticket.id: self.env._(
                    "Re-handling ordered (round %(round)s): %(reason)s",
                    round=ticket.handling_round,
                    reason=reason,
                )
                for ticket in self
            }
        )
        for org, tickets in (
            self.filtered("partner_org_id").grouped("partner_org_id").items()
        ):
            tickets._complaint_notify_org(
                org, self.env._("Re-handling ordered by the carrier")
            )
        return True

    # Agent actions. The portal calls them on the complaint read as the agent
    # (record rules applied); each one checks the agent's right again and then
    # writes as superuser, since agents have no write access to complaints.

    def _partner_check(self, supervisor=False, acknowledged=True, assigned=True):
        self.ensure_one()
        self.check_access("read")
        if not self._complaint_is_agent(supervisor=supervisor):
            raise AccessError(
                self.env._(
                    "Complaint %(number)s is not handed to your organisation.",
                    number=self.number,
                )
            )
        if acknowledged and self.transfer_state != "acknowledged":
            raise UserError(
                self.env._(
                    "Acknowledge complaint %(number)s first.", number=self.number
                )
            )
        if (
            assigned
            and self.partner_agent_id
            and self.partner_agent_id != self.env.user
            and not self._complaint_is_agent(supervisor=True)
        ):
            raise UserError(
                self.env._(
                    "Complaint %(number)s is assigned to %(agent)s.",
                    number=self.number,
                    agent=self.partner_agent_id.name,
                )
            )
        return self.sudo()

    def _partner_acknowledge(self):
        ticket = self._partner_check(acknowledged=False, assigned=False)
        if ticket.transfer_state != "sent":
            transfer = ticket.transfer_id
            if transfer.acknowledged_by_id:
                raise UserError(
                    self.env._(
                        "Complaint %(number)s was already acknowledged by %(agent)s.",
                        number=self.number,
                        agent=transfer.acknowledged_by_id.name,
                    )
                )
            raise UserError(
                self.env._(
                    "Complaint %(number)s was already acknowledged.", number=self.number
                )
            )
        ticket.transfer_id.write(
            {
                "state": "acknowledged",
                "date_acknowledged": fields.Datetime.now(),
                "acknowledged_by_id": self.env.user.id,
            }
        )
        if ticket.complaint_state == "accepted":
            ticket._complaint_move_to_step("handling")
        ticket._complaint_log(
            self.env._(
                "Acknowledged by %(agent)s (%(org)s).",
                agent=self.env.user.name,
                org=ticket.partner_org_id.display_name,
            )
        )
        return True

    def _partner_return(self, reason, note):
        ticket = self._partner_check(acknowledged=False, assigned=False)
        reasons = dict(
            self.env["complaint.transfer"]
            ._fields["return_reason"]
            ._description_selection(self.env)
        )
        if reason not in reasons:
            raise UserError(self.env._("Choose why the complaint is returned."))
        if not (note or "").strip():
            raise UserError(self.env._("Explain why the complaint is returned."))
        if ticket.complaint_state not in ("accepted", "handling"):
            raise UserError(
                self.env._(
                    "Complaint %(number)s is past handling: it can no longer be "
                    "returned.",
                    number=self.number,
                )
            )
        org = ticket.partner_org_id
        ticket._complaint_log(
            self.env._(
                "Returned by %(org)s (%(reason)s): %(note)s",
                org=org.display_name,
                reason=reasons[reason],
                note=note,
            )
        )
        owner = ticket.user_id or ticket.first_responder_id
        if owner and not owner.share:
            ticket.activity_schedule(
                act_type_xmlid="mail.mail_activity_data_todo",
                summary=self.env._("Complaint returned by %s", org.display_name),
                note=note,
                user_id=owner.id,
            )
        ticket._complaint_end_transfer("returned", reason=reason, note=note)
        return True

    def _partner_take(self):
        ticket = self._partner_check(assigned=False)
        if ticket.partner_agent_id and ticket.partner_agent_id != self.env.user:
            raise UserError(
                self.env._(
                    "Complaint %(number)s is already taken by %(agent)s.",
                    number=self.number,
                    agent=ticket.partner_agent_id.name,
                )
            )
        return ticket._partner_set_agent(self.env.user)

    def _partner_assign(self, agent):
        ticket = self._partner_check(supervisor=True, assigned=False)
        agent = agent.sudo()
        if not agent or agent not in ticket.partner_org_id.complaint_agent_ids:
            raise UserError(
                self.env._("Assign the complaint to an agent of your organisation.")
            )
        return ticket._partner_set_agent(agent)

    def _partner_set_agent(self, agent):
        self._complaint_write({"partner_agent_id": agent.id})
        self._complaint_log(self.env._("Partner agent: %(agent)s.", agent=agent.name))
        return True

    def _partner_add_log(self, vals, attachments=None):
        """Log a contact attempt, an investigation step or a technical support
        request; ``attachments``: [(file name, raw bytes)] of evidence."""
        ticket = self._partner_check()
        vals = {
            key: vals.get(key)
            for key in ("log_type", "contact_result", "description")
            if vals.get(key)
        }
        if vals.get("log_type") == "tech_request":
            tech = ticket.company_id.complaint_tech_user_id
            if not tech:
                raise UserError(
                    self.env._(
                        "The carrier has no technical support contact configured: "
                        "ask the complaint owner."
                    )
                )
            vals["tech_user_id"] = tech.id
        elif vals.get("log_type") != "contact":
            vals.pop("contact_result", None)
        log = (
            self.env["complaint.handling.log"]
            .sudo()
            .create({**vals, "ticket_id": ticket.id})
        )
        if attachments:
            files = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    [
                        {
                            "name": name,
                            "raw": raw,
                            "res_model": "complaint.handling.log",
                            "res_id": log.id,
                        }
                        for name, raw in attachments
                    ]
                )
            )
            log.attachment_ids = [fields.Command.set(files.ids)]
        labels = dict(log._fields["log_type"]._description_selection(self.env))
        ticket._complaint_log(
            self.env._(
                "%(agent)s (%(org)s) logged %(type)s: %(text)s%(files)s",
                agent=self.env.user.name,
                org=ticket.partner_org_id.display_name,
                type=labels[log.log_type],
                text=log.description,
                files=self.env._(" (evidence files: %s)", len(attachments))
                if attachments
                else "",
            )
        )
        return log

    def _partner_propose_solution(self, measures):
        ticket = self._partner_check()
        if not (measures or "").strip():
            raise UserError(self.env._("Describe the proposed solution."))
        if ticket.complaint_state != "handling":
            raise UserError(
                self.env._(
                    "Complaint %(number)s is not in handling: the solution is settled.",
                    number=self.number,
                )
            )
        ticket.write({"solution_measures": measures})
        ticket._complaint_log(
            self.env._(
                "Solution proposed by %(agent)s: %(measures)s",
                agent=self.env.user.name,
                measures=measures,
            )
        )
        return True

    def _partner_confirm_solution(self):
        ticket = self._partner_check()
        ticket.action_complaint_confirm_solution()
        ticket._complaint_log(
            self.env._(
                "The customer's agreement to the solution recorded by %(agent)s.",
                agent=self.env.user.name,
            )
        )
        return True

    def _partner_report_result(self, vals):
        """Record the result feedback given to the customer and report it."""
        ticket = self._partner_check()
        if ticket.complaint_state != "solution_confirmed":
            raise UserError(
                self.env._(
                    "Complaint %(number)s: the result is reported once the "
                    "customer has agreed to the solution.",
                    number=self.number,
                )
            )
        feedback = (
            self.env["complaint.feedback"]
            .sudo()
            .create(
                {
                    key: vals.get(key)
                    for key in ("channel", "conclusion", "basis", "plan", "execution")
                    if vals.get(key)
                }
                | {"ticket_id": ticket.id}
            )
        )
        if not ticket.solution_implemented:
            ticket.action_complaint_mark_implemented()
        ticket.action_complaint_report_result()
        return feedback

    def _partner_record_callback(self, vals):
        ticket = self._partner_check()
        return (
            self.env["complaint.callback"]
            .sudo()
            .create(
                {
                    "ticket_id": ticket.id,
                    "reached": bool(vals.get("reached")),
                    "satisfaction": vals.get("satisfaction") or False,
                    "problem_solved": bool(vals.get("problem_solved")),
                    "comment": vals.get("comment"),
                }
            )
        )

    # Customer actions in the portal.

    def _portal_customer_check(self):
        self.ensure_one()
        self.check_access("read")
        user = self.env.user
        if (
            self.kind != "complaint"
            or not self.partner_id
            or self.partner_id.commercial_partner_id != user.commercial_partner_id
        ):
            raise AccessError(
                self.env._("Complaint %(number)s is not yours.", number=self.number)
            )
        return self.sudo()

    def _portal_customer_confirm(self):
        ticket = self._portal_customer_check()
        if ticket.complaint_state != "handling" or not ticket.solution_measures:
            raise UserError(self.env._("There is no proposed solution to confirm."))
        ticket.action_complaint_confirm_solution()
        ticket._complaint_log(
            self.env._("The customer agreed to the solution in the portal.")
        )
        return True

    def _portal_customer_rate(self, satisfaction, problem_solved, comment):
        ticket = self._portal_customer_check()
        if ticket.complaint_state != "result_reported":
            raise UserError(
                self.env._("You can rate the handling once the result is reported.")
            )
        if satisfaction not in dict(SATISFACTION):
            raise UserError(self.env._("Choose how satisfied you are."))
        return (
            self.env["complaint.callback"]
            .sudo()
            .create(
                {
                    "ticket_id": ticket.id,
                    "channel": "portal",
                    "reached": True,
                    "satisfaction": satisfaction,
                    "problem_solved": bool(problem_solved),
                    "comment": comment,
                }
            )
        )

    # Carrier actions (wizard)

    def _complaint_open_transfer_wizard(self, name, mode):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "complaint.transfer.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_ids": self.ids, "default_mode": mode},
        }

    def action_complaint_transfer(self):
        return self._complaint_open_transfer_wizard(
            self.env._("Hand Off to a Partner Organisation"),
            "reassign" if any(self.mapped("partner_org_id")) else "transfer",
        )

    def action_complaint_take_back(self):
        return self._complaint_open_transfer_wizard(
            self.env._("Take Back from the Partner Organisation"), "take_back"
        )

    def action_complaint_order_rehandle(self):
        return self._complaint_open_transfer_wizard(
            self.env._("Order Re-handling"), "rehandle"
        )
