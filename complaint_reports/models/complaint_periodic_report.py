# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .complaint_report_period_mixin import PERIOD_MONTHS

# Written only by the report's own actions (generation and the review flow).
PROCESS_FIELDS = {
    "figures",
    "generated_date",
    "generated_by_id",
    "state",
    "submitted_date",
    "submitted_by_id",
    "reviewed_date",
    "reviewed_by_id",
    "review_comment",
    "version",
    "previous_version_id",
}
# What the people preparing the report write, while it is theirs to write.
NARRATIVE_FIELDS = {"hot_issues", "causes", "suggestions"}
PROCESS_KEY = "complaint_report_process"
CARRIER_GROUPS = (
    "complaint_handling.complaint_handling_group_supervisor",
    "complaint_handling.complaint_handling_group_manager",
)
PARTNER_SUPERVISOR = "complaint_handling.complaint_handling_group_partner_supervisor"


class ComplaintPeriodicReport(models.Model):
    """The monthly or quarterly report (月报/季报) of the whole carrier or of
    one partner organisation: figures generated from the data and frozen,
    narrative parts written by people, submitted and reviewed."""

    _name = "complaint.periodic.report"
    _description = "Periodic Complaint Report"
    _inherit = [
        "mail.thread",
        "portal.mixin",
        "complaint.report.period.mixin",
        "complaint.reader.notify.mixin",
    ]
    _order = "date_from desc, scope, partner_org_id, version desc"

    # Not stored: read in the reader's language.
    name = fields.Char(compute="_compute_name", search="_search_name")
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        readonly=True,
    )
    # The report's kind: 月报 / 季报.
    period_type = fields.Selection(
        selection=[("month", "Monthly"), ("quarter", "Quarterly")]
    )
    scope = fields.Selection(
        selection=[("carrier", "Whole Carrier"), ("partner", "Partner Organisation")],
        required=True,
        default="carrier",
    )
    partner_org_id = fields.Many2one(
        comodel_name="res.partner",
        string="Partner Organisation",
        domain=[("complaint_partner_org", "=", True)],
        index="btree_not_null",
    )
    version = fields.Integer(default=1, readonly=True, copy=False)
    previous_version_id = fields.Many2one(
        comodel_name="complaint.periodic.report", readonly=True, copy=False
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("returned", "Returned"),
            ("accepted", "Accepted"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    figures = fields.Json(readonly=True, copy=False)
    generated_date = fields.Datetime(readonly=True, copy=False)
    generated_by_id = fields.Many2one(
        comodel_name="res.users", readonly=True, copy=False
    )
    hot_issues = fields.Text(
        help="The issues customers complained about most this period, and why.",
    )
    causes = fields.Text(help="Analysis of the causes, cases below standard included.")
    suggestions = fields.Text(
        string="Improvement Suggestions",
        help="What should change, and who should do it.",
    )
    submitted_date = fields.Datetime(readonly=True, copy=False)
    submitted_by_id = fields.Many2one(
        comodel_name="res.users", readonly=True, copy=False
    )
    reviewed_date = fields.Datetime(readonly=True, copy=False)
    reviewed_by_id = fields.Many2one(
        comodel_name="res.users", readonly=True, copy=False
    )
    review_comment = fields.Text(readonly=True, copy=False)
    total_received = fields.Integer(
        compute="_compute_totals", string="Complaints Received"
    )
    fcr_rate = fields.Float(compute="_compute_totals", string="FCR (%)")
    satisfaction_rate = fields.Float(
        compute="_compute_totals", string="Satisfaction (%)"
    )
    is_preparer = fields.Boolean(
        compute="_compute_is_preparer",
        help="Whether the current user prepares this report (writes its "
        "narrative, generates and submits it).",
    )

    _sql_constraints = [
        (
            "period_version_unique",
            "UNIQUE NULLS NOT DISTINCT "
            "(company_id, period_type, date_from, scope, partner_org_id, version)",
            "There is already a report of this version for this period and scope.",
        ),
    ]

    @api.depends("period_type", "date_from", "scope", "partner_org_id", "version")
    @api.depends_context("lang")
    def _compute_name(self):
        labels = dict(self._fields["period_type"]._description_selection(self.env))
        for report in self:
            if not report.date_from:
                report.name = False
                continue
            period = report._complaint_period_label()
            who = report.partner_org_id.name or report.company_id.name
            name = f"{labels[report.period_type]} {period} · {who}"
            report.name = name if report.version == 1 else f"{name} (v{report.version})"

    def _search_name(self, operator, value):
        """By the organisation or company reported on (what a name shows)."""
        if operator not in ("ilike", "=ilike", "like", "=like", "="):
            return NotImplemented
        return [
            "|",
            ("partner_org_id.name", operator, value),
            "&",
            ("scope", "=", "carrier"),
            ("company_id.name", operator, value),
        ]

    @api.depends("figures")
    def _compute_totals(self):
        for report in self:
            totals = (report.figures or {}).get("totals", {})
            report.total_received = totals.get("nbr", 0)
            report.fcr_rate = totals.get("fcr_rate") or 0.0
            report.satisfaction_rate = totals.get("satisfaction_rate") or 0.0

    @api.depends_context("uid")
    def _compute_is_preparer(self):
        for report in self:
            report.is_preparer = report._complaint_is_preparer()

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for report in self:
            report.access_url = f"/my/complaint-reports/{report.id}"
        return result

    # ------------------------------------------------------------------ checks
    @api.constrains("scope", "partner_org_id")
    def _check_scope(self):
        for report in self:
            if (report.scope == "partner") != bool(report.partner_org_id):
                raise ValidationError(
                    self.env._(
                        "A partner organisation's report names the organisation; "
                        "the whole carrier's report names none."
                    )
                )

    def _complaint_is_carrier(self):
        user = self.env.user
        return self.env.su or any(user.has_group(g) for g in CARRIER_GROUPS)

    def _complaint_is_preparer(self):
        """Who writes the narrative and submits: the organisation's supervisor
        agents for its report, the carrier's supervisors for the carrier's."""
        self.ensure_one()
        user = self.env.user
        if self.scope == "partner" and not self.env.su:
            return (
                user.has_group(PARTNER_SUPERVISOR)
                and user.commercial_partner_id == self.partner_org_id
            )
        return self._complaint_is_carrier()

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get(PROCESS_KEY):
            for vals in vals_list:
                if PROCESS_FIELDS & set(vals):
                    raise AccessError(
                        self.env._(
                            "Figures and states are set by the report's actions."
                        )
                    )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.context.get(PROCESS_KEY) and not self.env.su:
            if PROCESS_FIELDS & set(vals):
                raise AccessError(
                    self.env._("Figures and states are set by the report's actions.")
                )
            if set(vals) - NARRATIVE_FIELDS and self.filtered(
                lambda r: r.generated_date
            ):
                raise UserError(
                    self.env._(
                        "The period and scope of a generated report do not change: "
                        "create another report."
                    )
                )
            if NARRATIVE_FIELDS & set(vals) and not all(
                report._complaint_is_preparer() for report in self
            ):
                raise AccessError(
                    self.env._(
                        "Only the people preparing a report write its narrative."
                    )
                )
            locked = self.filtered(lambda r: r.state in ("submitted", "accepted"))
            if locked:
                raise UserError(
                    self.env._(
                        "Report %(name)s is submitted: it changes only when the "
                        "carrier returns it.",
                        name=locked[0].display_name,
                    )
                )
        return super().write(vals)

    def _complaint_process(self):
        return self.with_context(**{PROCESS_KEY: True}).sudo()

    # ----------------------------------------------------------------- actions
    def action_generate(self):
        """Compute the figures and freeze them on the report. A report already
        submitted is never regenerated over: make a new version instead."""
        for report in self:
            report.check_access("write")
            if not (report._complaint_is_preparer() or report._complaint_is_carrier()):
                raise AccessError(
                    self.env._("Only the people preparing this report generate it.")
                )
            if report.state != "draft":
                raise UserError(
                    self.env._(
                        "Report %(name)s was submitted: its figures stay as they "
                        "were. Create a new version to generate them again.",
                        name=report.display_name,
                    )
                )
        self._complaint_generate()
        return True

    def _complaint_generate(self):
        Figures = self.env["complaint.report.figures"]
        now = fields.Datetime.now()
        for report in self:
            figures = Figures.with_company(report.company_id)._complaint_figures(
                report.company_id,
                report.date_from,
                report.date_to,
                partner_org=report.partner_org_id or None,
            )
            report._complaint_process().write(
                {
                    "figures": figures,
                    "generated_date": now,
                    "generated_by_id": self.env.uid,
                }
            )

    def action_submit(self):
        for report in self:
            report.check_access("write")
            if not report._complaint_is_preparer():
                raise AccessError(
                    self.env._("Only the people preparing this report submit it.")
                )
            if report.state not in ("draft", "returned"):
                raise UserError(
                    self.env._(
                        "Report %(name)s is not open for submission.",
                        name=report.display_name,
                    )
                )
            missing = report._complaint_missing_for_submission()
            if missing:
                raise UserError(
                    self.env._(
                        "Report %(name)s cannot be submitted yet: %(missing)s.",
                        name=report.display_name,
                        missing=", ".join(missing),
                    )
                )
        self._complaint_process().write(
            {
                "state": "submitted",
                "submitted_date": fields.Datetime.now(),
                "submitted_by_id": self.env.uid,
            }
        )
        for report in self:
            report._complaint_notify_reviewers()
        return True

    def _complaint_missing_for_submission(self):
        self.ensure_one()
        missing = []
        if not self.generated_date:
            missing.append(self.env._("the figures are not generated"))
        for name in ("hot_issues", "causes", "suggestions"):
            if not (self[name] or "").strip():
                missing.append(
                    self.env._(
                        "%(field)s is empty",
                        field=self._fields[name]._description_string(self.env),
                    )
                )
        return missing

    def _complaint_check_reviewer(self):
        if not self._complaint_is_carrier():
            raise AccessError(self.env._("Only the carrier reviews periodic reports."))
        for report in self:
            if report.state != "submitted":
                raise UserError(
                    self.env._(
                        "Report %(name)s is not waiting for review.",
                        name=report.display_name,
                    )
                )

    def action_accept(self):
        self.check_access("write")
        self._complaint_check_reviewer()
        self._complaint_process().write(
            {
                "state": "accepted",
                "reviewed_date": fields.Datetime.now(),
                "reviewed_by_id": self.env.uid,
            }
        )
        return True

    def action_return_dialog(self):
        self.ensure_one()
        self._complaint_check_reviewer()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Return the Report"),
            "res_model": "complaint.periodic.report.return",
            "view_mode": "form",
            "target": "new",
            "context": {"default_report_id": self.id},
        }

    def _complaint_return(self, comment):
        """Send the report back to its preparers with the reviewer's comment."""
        self.check_access("write")
        self._complaint_check_reviewer()
        if not (comment or "").strip():
            raise UserError(self.env._("Say what must change before returning it."))
        self._complaint_process().write(
            {
                "state": "returned",
                "review_comment": comment,
                "reviewed_date": fields.Datetime.now(),
                "reviewed_by_id": self.env.uid,
            }
        )
        for report in self:
            report._complaint_notify(
                report._complaint_preparers(),
                lambda r: r.env._("Periodic report returned"),
                lambda r: r.env._(
                    "Report %(name)s was returned by the carrier: %(comment)s",
                    name=r.display_name,
                    comment=comment,
                ),
            )

    def action_new_version(self):
        """A copy of a submitted report, in draft, with fresh figures."""
        self.ensure_one()
        self.check_access("read")
        if not self._complaint_is_preparer():
            raise AccessError(
                self.env._("Only the people preparing this report make a new version.")
            )
        latest = self.sudo().search(
            [
                ("company_id", "=", self.company_id.id),
                ("period_type", "=", self.period_type),
                ("date_from", "=", self.date_from),
                ("scope", "=", self.scope),
                ("partner_org_id", "=", self.partner_org_id.id),
            ],
            order="version desc",
            limit=1,
        )
        if latest.state == "draft":
            raise UserError(
                self.env._(
                    "Version %(version)s of this report is still a draft: work on it.",
                    version=latest.version,
                )
            )
        new = self._complaint_process().create(
            {
                "company_id": self.company_id.id,
                "period_type": self.period_type,
                "date_from": self.date_from,
                "scope": self.scope,
                "partner_org_id": self.partner_org_id.id,
                "hot_issues": self.hot_issues,
                "causes": self.causes,
                "suggestions": self.suggestions,
                "version": latest.version + 1,
                "previous_version_id": latest.id,
            }
        )
        new._complaint_generate()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new.id,
            "view_mode": "form",
        }

    # ----------------------------------------------------------- notification
    def _complaint_preparers(self):
        """Users who prepare this report."""
        self.ensure_one()
        if self.scope == "partner":
            group = self.env.ref(PARTNER_SUPERVISOR)
            return group.sudo().users.filtered(
                lambda u: u.commercial_partner_id == self.partner_org_id
            )
        return self._complaint_reviewers()

    def _complaint_reviewers(self):
        self.ensure_one()
        group = self.env.ref("complaint_handling.complaint_handling_group_manager")
        return group.sudo().users.filtered(lambda u: self.company_id in u.company_ids)

    def _complaint_notify_reviewers(self):
        self._complaint_notify(
            self._complaint_reviewers(),
            lambda r: r.env._("Periodic report submitted"),
            lambda r: r.env._(
                "Report %(name)s was submitted for review.", name=r.display_name
            ),
        )

    # -------------------------------------------------------------------- cron
    @api.model
    def _complaint_last_period(self, period_type, today):
        months = PERIOD_MONTHS[period_type]
        start = today.replace(day=1) - relativedelta(months=months)
        return start - relativedelta(months=(start.month - 1) % months)

    @api.model
    def _cron_generate(self):
        """On the first day of a month (or quarter), the draft of the period
        just ended for every scope (the carrier, each organisation with an
        agreement in force during it), e-mailed to who prepares it. Runs
        daily and only makes what is missing: a missed day is caught up."""
        today = fields.Date.context_today(self)
        Agreement = self.env["complaint.partner.agreement"].sudo()
        wanted = []
        for period_type in PERIOD_MONTHS:
            date_from = self._complaint_last_period(period_type, today)
            date_to = date_from + relativedelta(
                months=PERIOD_MONTHS[period_type], days=-1
            )
            orgs = Agreement._read_group(
                [
                    ("date_start", "<=", date_to),
                    "|",
                    ("date_end", "=", False),
                    ("date_end", ">=", date_from),
                ],
                ["company_id", "partner_org_id"],
            )
            teams = (
                self.env["helpdesk.ticket.team"].sudo()._read_group([], ["company_id"])
            )
            wanted += [(c, period_type, date_from, False) for (c,) in teams if c]
            wanted += [(c, period_type, date_from, org) for c, org in orgs]
        existing = {
            (c.id, p, d, o.id or False)
            for c, p, d, o in self.sudo()._read_group(
                [("date_from", "in", list({w[2] for w in wanted}))],
                ["company_id", "period_type", "date_from:day", "partner_org_id"],
            )
        }
        vals_list = [
            {
                "company_id": company.id,
                "period_type": period_type,
                "date_from": date_from,
                "scope": "partner" if org else "carrier",
                "partner_org_id": org.id if org else False,
            }
            for company, period_type, date_from, org in wanted
            if (company.id, period_type, date_from, org.id if org else False)
            not in existing
        ]
        reports = self._complaint_process().create(vals_list)
        reports._complaint_generate()
        for report in reports:
            report._complaint_notify(
                report._complaint_preparers(),
                lambda r: r.env._("Periodic report to prepare"),
                lambda r: r.env._(
                    "The draft of report %(name)s is ready: write its hot issues, "
                    "causes and suggestions, then submit it.",
                    name=r.display_name,
                ),
            )
        return reports
