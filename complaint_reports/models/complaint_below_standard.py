# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.complaint_handling.tools.constants import (
    MANAGER_GROUP,
    PARTNER_SUPERVISOR_GROUP,
    SUPERVISOR_GROUP,
)

# Written only by the generation (and the analysis's own bookkeeping).
PROCESS_FIELDS = {
    "ticket_id",
    "date_from",
    "date_to",
    "missed_fcr",
    "missed_satisfaction",
    "missed_time_limit",
    "analysed_by_id",
    "analysed_date",
}
# What the responsible party records.
ANALYSIS_FIELDS = {"cause_id", "analysis"}
# What the carrier decides: who is responsible.
ASSIGN_FIELDS = {"responsible", "partner_org_id"}
PROCESS_KEY = "complaint_below_standard_process"
# What the generation puts in the context: an object, which no JSON-RPC
# context can carry (a client cannot pass itself off as the generation).
PROCESS_TOKEN = object()
MISSED = (
    ("fcr", "missed_fcr"),
    ("satisfaction", "missed_satisfaction"),
    ("time_limit", "missed_time_limit"),
)


class ComplaintBelowStandard(models.Model):
    """A case below standard (未达标案件) of a period: a complaint received in
    the month that closed without first-contact resolution, closed with the
    customer unsatisfied, or met a time limit late or breached it (the
    definitions of the periodic report, ``complaint.report.figures``).

    Listed per period by ``_complaint_generate`` (idempotent, a fixed number of
    queries). The responsible party records the cause and the analysis: the
    partner organisation for the cases handed to it (in the portal), the
    carrier's supervisors for the others; supervisors move the
    responsibility."""

    _name = "complaint.below.standard"
    _description = "Case Below Standard"
    _order = "date_from desc, received_date, id"
    _rec_name = "number"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Complaint",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    # Of the complaint, read by who reads this record (no personal data).
    number = fields.Char(related="ticket_id.number", store=True, string="Reference")
    category_id = fields.Many2one(
        related="ticket_id.category_id", store=True, string="Complaint Type"
    )
    received_date = fields.Datetime(
        related="ticket_id.received_date", store=True, string="Received"
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    confidential = fields.Boolean(related="ticket_id.confidential", store=True)
    date_from = fields.Date(
        string="Period Start", required=True, readonly=True, index=True
    )
    date_to = fields.Date(string="Period End", required=True, readonly=True)
    period = fields.Char(compute="_compute_period")
    missed_fcr = fields.Boolean(
        string="Missed First-Contact Resolution",
        readonly=True,
        help="Closed without being resolved at the first contact.",
    )
    missed_satisfaction = fields.Boolean(
        readonly=True, help="Closed with the customer unsatisfied at the callback."
    )
    missed_time_limit = fields.Boolean(
        readonly=True, help="A time limit was met late or breached."
    )
    missed = fields.Char(
        compute="_compute_missed",
        help="The standards the case missed.",
    )
    partner_org_id = fields.Many2one(
        comodel_name="res.partner",
        string="Partner Organisation",
        domain=[("complaint_partner_org", "=", True)],
        index="btree_not_null",
        help="The organisation the complaint was handed to when it was listed.",
    )
    responsible = fields.Selection(
        selection=[("carrier", "Carrier"), ("partner", "Partner Organisation")],
        string="Responsible Party",
        required=True,
        default="carrier",
        help="Who records the cause and the analysis: the partner organisation "
        "for the cases handed to it, the carrier for the others.",
    )
    cause_id = fields.Many2one(
        comodel_name="complaint.below.standard.cause",
        ondelete="restrict",
        index="btree_not_null",
    )
    analysis = fields.Text(help="What happened, and why the case fell below standard.")
    state = fields.Selection(
        selection=[("open", "To Analyse"), ("analysed", "Analysed")],
        compute="_compute_state",
        store=True,
        index=True,
    )
    analysed_by_id = fields.Many2one(comodel_name="res.users", readonly=True)
    analysed_date = fields.Datetime(string="Analysed On", readonly=True)
    is_responsible = fields.Boolean(
        compute="_compute_is_responsible",
        help="Whether the current user records the cause of this case.",
    )

    _sql_constraints = [
        (
            "ticket_period_unique",
            "UNIQUE (ticket_id, date_from)",
            "A case is listed once per period.",
        ),
    ]

    @api.depends("date_from")
    def _compute_period(self):
        for case in self:
            case.period = case.date_from and case.date_from.strftime("%Y-%m")

    @api.depends("missed_fcr", "missed_satisfaction", "missed_time_limit")
    @api.depends_context("lang")
    def _compute_missed(self):
        labels = self._complaint_missed_labels()
        for case in self:
            case.missed = ", ".join(labels[key] for key, name in MISSED if case[name])

    @api.depends("cause_id", "analysis")
    def _compute_state(self):
        for case in self:
            analysed = case.cause_id and (case.analysis or "").strip()
            case.state = "analysed" if analysed else "open"

    @api.depends("responsible", "partner_org_id")
    @api.depends_context("uid")
    def _compute_is_responsible(self):
        for case in self:
            case.is_responsible = case._complaint_is_responsible()

    # ------------------------------------------------------------------ checks
    @api.constrains("responsible", "partner_org_id")
    def _check_responsible(self):
        for case in self:
            if case.responsible == "partner" and not case.partner_org_id:
                raise ValidationError(
                    self.env._(
                        "Case %(number)s: name the partner organisation "
                        "responsible for it.",
                        number=case.number,
                    )
                )

    @api.model
    def _complaint_is_carrier(self):
        user = self.env.user
        return self.env.su or any(
            user.has_group(group) for group in (SUPERVISOR_GROUP, MANAGER_GROUP)
        )

    def _complaint_is_responsible(self):
        """Whether the current user records the cause of this case: the
        carrier's supervisors for the carrier's cases, the organisation's
        supervisor agents for the cases it is responsible for."""
        self.ensure_one()
        if self.env.su:
            return True
        user = self.env.user
        if self.responsible == "partner":
            return (
                user.has_group(PARTNER_SUPERVISOR_GROUP)
                and bool(self.partner_org_id)
                and user.commercial_partner_id == self.partner_org_id
            )
        return not user.share and self._complaint_is_carrier()

    # -------------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get(PROCESS_KEY) is not PROCESS_TOKEN:
            raise AccessError(
                self.env._("Cases below standard are listed by the generation.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if self.env.context.get(PROCESS_KEY) is PROCESS_TOKEN or self.env.su:
            return super().write(vals)
        if set(vals) - ANALYSIS_FIELDS - ASSIGN_FIELDS:
            raise AccessError(
                self.env._(
                    "The case, its period and what it missed are set by the generation."
                )
            )
        assign = {name: vals[name] for name in ASSIGN_FIELDS if name in vals}
        analysis = {name: vals[name] for name in ANALYSIS_FIELDS if name in vals}
        if assign and not self._complaint_is_carrier():
            raise AccessError(
                self.env._("Only the carrier's supervisors assign the responsibility.")
            )
        # Responsibility first: who records the analysis written with it
        # depends on it.
        result = super().write(assign) if assign else True
        if analysis:
            refused = self.filtered(lambda case: not case._complaint_is_responsible())
            if refused:
                raise AccessError(
                    self.env._(
                        "Case %(number)s: its cause and analysis are recorded by "
                        "the party responsible for it.",
                        number=refused[0].number,
                    )
                )
            result = super().write(analysis)
            self._complaint_process().write(
                {"analysed_by_id": self.env.uid, "analysed_date": fields.Datetime.now()}
            )
        return result

    def _complaint_process(self):
        return self.with_context(**{PROCESS_KEY: PROCESS_TOKEN}).sudo()

    # ----------------------------------------------------------------- actions
    def action_record_analysis(self, cause_id, analysis):
        """Record the cause and the analysis of this case, as its responsible
        party does (the portal's form): both are required; refused with a
        reason the user can read otherwise."""
        self.ensure_one()
        self.check_access("write")
        analysis = (analysis or "").replace("\r\n", "\n").strip()
        cause = self.env["complaint.below.standard.cause"]
        if cause_id:
            try:
                cause = cause.browse(int(cause_id)).exists()
            except (TypeError, ValueError):
                cause = cause.browse()
        missing = []
        if not cause or not cause.active:
            missing.append(self.env._("choose a cause"))
        if not analysis:
            missing.append(self.env._("write the analysis"))
        if missing:
            raise UserError(
                self.env._(
                    "Case %(number)s is not analysed yet: %(missing)s.",
                    number=self.number,
                    missing=", ".join(missing),
                )
            )
        self.write({"cause_id": cause.id, "analysis": analysis})
        return True

    def action_new_improvement_action(self):
        """A dialog to record an improvement action (整改措施) answering these
        cases: their complaints, their types and, when they share one, their
        partner organisation are filled in."""
        if not self._complaint_is_carrier():
            raise AccessError(
                self.env._("Only the carrier's supervisors record improvement actions.")
            )
        self.check_access("read")
        orgs = self.partner_org_id
        context = {
            "default_below_standard_ids": [fields.Command.set(self.ids)],
            "default_ticket_ids": [fields.Command.set(self.ticket_id.ids)],
            "default_category_ids": [fields.Command.set(self.category_id.ids)],
        }
        if len(orgs) == 1 and all(case.partner_org_id for case in self):
            context["default_partner_org_id"] = orgs.id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Improvement Action"),
            "res_model": "complaint.improvement.action",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }

    # -------------------------------------------------------------- generation
    @api.model
    def _complaint_missed_labels(self):
        return {
            "fcr": self.env._("First-contact resolution"),
            "satisfaction": self.env._("Satisfaction"),
            "time_limit": self.env._("Time limit"),
        }

    @api.model
    def _complaint_month(self, date_from):
        """(first day, last day) of the month of ``date_from``."""
        start = fields.Date.to_date(date_from).replace(day=1)
        return start, start + relativedelta(months=1, days=-1)

    @api.model
    def _complaint_generate(self, company, date_from):
        """List the cases below standard of ``company`` received in the month
        of ``date_from``: new cases are added, the standards missed by those
        already listed are brought up to date, and those no longer below
        standard are removed while nobody has analysed them (an analysis is
        kept). Run as often as wished; a fixed number of queries whatever the
        number of complaints (inserts go by batches of 100). Returns the
        period's cases."""
        date_from, date_to = self._complaint_month(date_from)
        # The analysis is a view of the complaints and their clocks.
        self.env.flush_all()
        Figures = self.env["complaint.report.figures"].sudo().with_company(company)
        analysis = self.env["complaint.analysis"].sudo().with_company(company)
        scope = Figures._complaint_scope_domain(
            company
        ) + Figures._complaint_received_domain(date_from, date_to)
        rows = analysis.search_fetch(
            Figures._complaint_below_standard_domain(scope),
            ["ticket_id", "partner_org_id", "closed", "fcr", "outcome", "late"],
            order="id",
        )
        Cases = self._complaint_process()
        existing = {
            case.ticket_id.id: case
            for case in Cases.search_fetch(
                [("company_id", "=", company.id), ("date_from", "=", date_from)],
                ["ticket_id", "cause_id", "analysis"] + [name for _key, name in MISSED],
            )
        }
        vals_list = []
        updates = defaultdict(lambda: Cases.browse())
        for row in rows:
            missed = set(Figures._complaint_missed(row))
            flags = {name: key in missed for key, name in MISSED}
            case = existing.pop(row.ticket_id.id, None)
            if case is None:
                vals_list.append(
                    {
                        "ticket_id": row.ticket_id.id,
                        "date_from": date_from,
                        "date_to": date_to,
                        "partner_org_id": row.partner_org_id.id,
                        "responsible": "partner" if row.partner_org_id else "carrier",
                        **flags,
                    }
                )
            elif any(case[name] != value for name, value in flags.items()):
                updates[tuple(sorted(flags.items()))] |= case
        Cases.create(vals_list)
        for flags, cases in updates.items():
            cases.write(dict(flags))
        Cases.browse(
            case.id
            for case in existing.values()
            if not case.cause_id and not case.analysis
        ).unlink()
        return self.search(
            [("company_id", "=", company.id), ("date_from", "=", date_from)]
        )

    @api.model
    def _complaint_companies(self):
        """The companies that handle complaints (those with a team)."""
        return self.env["res.company"].browse(
            company.id
            for (company,) in self.env["helpdesk.ticket.team"]
            .sudo()
            ._read_group([], ["company_id"])
            if company
        )

    @api.model
    def _cron_generate(self):
        """Daily: the last month's cases below standard, brought up to date
        (a case closed today counts in the month it was received)."""
        today = fields.Date.context_today(self)
        last_month = today.replace(day=1) - relativedelta(months=1)
        for company in self._complaint_companies():
            self._complaint_generate(company, last_month)
        return True

    # -------------------------------------------------------------------- demo
    @api.model
    def _complaint_demo_analyses(self, analyses):
        """Demo only: each of ``analyses`` ``(user id, cause id, analysis,
        improvement action id or False)`` is recorded by that user on the
        first case of last month they are responsible for and nobody analysed,
        and the case is linked to the improvement action."""
        today = fields.Date.context_today(self)
        last_month = today.replace(day=1) - relativedelta(months=1)
        done = self.browse()
        for user_id, cause_id, text, action_id in analyses:
            user = self.env["res.users"].browse(user_id)
            domain = [("date_from", "=", last_month), ("state", "=", "open")]
            if user.share:
                domain += [
                    ("responsible", "=", "partner"),
                    ("partner_org_id", "=", user.commercial_partner_id.id),
                ]
            else:
                domain.append(("responsible", "=", "carrier"))
            case = self.sudo().search(domain, limit=1)
            if not case:
                continue
            case.with_user(user).action_record_analysis(cause_id, text)
            done |= case
            if action_id:
                self.env["complaint.improvement.action"].browse(action_id).write(
                    {
                        "below_standard_ids": [fields.Command.link(case.id)],
                        "ticket_ids": [fields.Command.link(case.ticket_id.id)],
                    }
                )
        return done
