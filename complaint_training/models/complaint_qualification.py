# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from odoo.addons.complaint_handling.tools.constants import (
    PARTNER_SUPERVISOR_GROUP,
    SUPERVISOR_GROUP,
)


class ComplaintQualification(models.Model):
    """What a person is qualified to handle: complaint types (with their
    sub-types) and/or a business line, for a period. Gained by passing a
    course, or granted by a supervisor (logged in the chatter)."""

    _name = "complaint.qualification"
    _description = "Complaint Handling Qualification"
    _inherit = ["mail.thread", "complaint.training.person.mixin"]
    _order = "date_end desc, id desc"
    _rec_name = "user_id"

    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Person",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    category_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.category",
        string="Complaint Types",
        tracking=True,
        help="The types (and their sub-types) the person may handle.",
    )
    business_line = fields.Selection(
        selection=lambda self: self.env["helpdesk.ticket"]
        ._fields["business_line"]
        ._description_selection(self.env),
        tracking=True,
    )
    date_start = fields.Date(
        string="Valid From",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    date_end = fields.Date(
        string="Valid Until",
        tracking=True,
        help="Empty: valid without end.",
    )
    source = fields.Selection(
        selection=[("course", "Course passed"), ("granted", "Granted")],
        required=True,
        default="granted",
        readonly=True,
    )
    course_id = fields.Many2one(comodel_name="complaint.training.course", readonly=True)
    granted_by_id = fields.Many2one(
        comodel_name="res.users", string="Granted by", readonly=True
    )
    reason = fields.Text(help="Why a supervisor grants it.", tracking=True)
    state = fields.Selection(
        selection=[
            ("future", "Not Yet Valid"),
            ("valid", "Valid"),
            ("expired", "Expired"),
        ],
        compute="_compute_state",
        search="_search_state",
    )
    warned_date = fields.Date(
        string="Expiry Warned On",
        readonly=True,
        copy=False,
    )

    @api.depends("date_start", "date_end")
    @api.depends_context("date")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for qualification in self:
            if qualification.date_start > today:
                qualification.state = "future"
            elif qualification.date_end and qualification.date_end < today:
                qualification.state = "expired"
            else:
                qualification.state = "valid"

    def _search_state(self, operator, value):
        if operator not in ("=", "!=") or value not in ("future", "valid", "expired"):
            raise UserError(self.env._("Unsupported search on the validity."))
        today = fields.Date.context_today(self)
        domains = {
            "future": [("date_start", ">", today)],
            "valid": self._valid_domain(today),
            "expired": [("date_end", "<", today)],
        }
        domain = domains[value]
        return domain if operator == "=" else ["!", *domain]

    @api.model
    def _valid_domain(self, day):
        return [
            ("date_start", "<=", day),
            "|",
            ("date_end", "=", False),
            ("date_end", ">=", day),
        ]

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for qualification in self:
            if (
                qualification.date_end
                and qualification.date_end < qualification.date_start
            ):
                raise ValidationError(
                    self.env._("A qualification cannot end before it starts.")
                )

    @api.constrains("category_ids", "business_line")
    def _check_scope(self):
        for qualification in self:
            if not (qualification.category_ids or qualification.business_line):
                raise ValidationError(
                    self.env._(
                        "Say what the qualification is for: complaint types, a "
                        "business line, or both."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not self.env.su:
                # Made by hand: a supervisor's grant, whatever the values say.
                vals.update(source="granted", course_id=False, warned_date=False)
            if vals.get("source", "granted") == "granted":
                vals["granted_by_id"] = self.env.uid
        # No "you have been assigned" e-mail: the holder is not assigned a task.
        qualifications = super(
            ComplaintQualification,
            self.with_context(mail_auto_subscribe_no_notify=True),
        ).create(vals_list)
        qualifications = qualifications.with_env(self.env)
        granted = qualifications.filtered(lambda q: q.source == "granted")
        for qualification in granted:
            if not self.env.su and not self.env.user.has_group(SUPERVISOR_GROUP):
                raise UserError(self.env._("Only a supervisor grants a qualification."))
            if not (qualification.reason or "").strip():
                raise UserError(
                    self.env._("Give the reason why the qualification is granted.")
                )
            qualification.message_post(
                body=self.env._(
                    "Granted by %(user)s: %(reason)s",
                    user=self.env.user.name,
                    reason=qualification.reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return qualifications

    def write(self, vals):
        if not self.env.su and {
            "source",
            "course_id",
            "granted_by_id",
            "warned_date",
        } & set(vals):
            raise UserError(
                self.env._(
                    "Where a qualification comes from is recorded by the system."
                )
            )
        return super().write(vals)

    def _covers(self, category, business_line):
        """Whether this qualification covers a complaint of ``category`` (its
        sub-types included) and ``business_line``."""
        self.ensure_one()
        if self.category_ids:
            path = category.parent_path or ""
            if not category or not any(
                path.startswith(cat.parent_path) for cat in self.category_ids
            ):
                return False
        return not (self.business_line and self.business_line != business_line)

    def _complaint_supervisors(self):
        """{qualification: its holder's supervisors}: the partner
        organisation's supervisor agents, or the leaders of the holder's
        complaint teams (the company's level-2 supervisor when none). A few
        queries for any number of qualifications."""
        supervisors = {}
        orgs = self.partner_org_id
        org_supervisors = {
            org: org.complaint_agent_ids.filtered(
                lambda u: u.has_group(PARTNER_SUPERVISOR_GROUP)
            )
            for org in orgs
        }
        holders = self.filtered(lambda q: not q.partner_org_id).user_id
        teams = (
            self.env["helpdesk.ticket.team"]
            .sudo()
            .search([("user_ids", "in", holders.ids), ("complaint_process", "=", True)])
        )
        for qualification in self:
            user = qualification.user_id
            if qualification.partner_org_id:
                supervisors[qualification] = org_supervisors[
                    qualification.partner_org_id
                ]
                continue
            leaders = teams.filtered(lambda t, u=user: u in t.user_ids).user_id - user
            supervisors[qualification] = (
                leaders or qualification.company_id.complaint_escalation_l2_user_id
            )
        return supervisors

    @api.model
    def _cron_warn_expiry(self):
        """Warn holders and their supervisors of the qualifications ending
        within the company's warning period (once per qualification)."""
        today = fields.Date.context_today(self)
        pending = [("warned_date", "=", False), ("date_end", ">=", today)]
        for (company,) in self._read_group(pending, ["company_id"]):
            limit = today + timedelta(days=company.complaint_qualification_warn_days)
            ending = self.search(
                [
                    ("company_id", "=", company.id),
                    ("warned_date", "=", False),
                    ("date_end", "!=", False),
                    ("date_end", ">=", today),
                    ("date_end", "<=", limit),
                ]
            )
            supervisors = ending._complaint_supervisors()
            for qualification in ending:
                qualification._complaint_warn_expiry(supervisors[qualification])
            ending.warned_date = today

    def _complaint_warn_expiry(self, supervisors):
        self.ensure_one()
        readers = self.user_id | supervisors
        for reader in readers:
            # Written for its reader, in the reader's language.
            record = self.with_context(lang=reader.lang or self.env.lang)
            record.message_notify(
                partner_ids=reader.partner_id.ids,
                subject=record.env._("A qualification expires soon"),
                body=record.env._(
                    "The qualification of %(person)s for %(scope)s expires on "
                    "%(date)s: renew it by a course or a supervisor's grant.",
                    person=self.user_id.name,
                    scope=record._complaint_scope_label(),
                    date=format_date(record.env, self.date_end),
                ),
            )

    def _complaint_scope_label(self):
        self.ensure_one()
        parts = self.category_ids.mapped("complete_name")
        if self.business_line:
            parts.append(
                dict(self._fields["business_line"]._description_selection(self.env))[
                    self.business_line
                ]
            )
        return ", ".join(parts)
