# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.misc import format_date

from odoo.addons.complaint_handling.tools.constants import (
    MANAGER_GROUP,
    SUPERVISOR_GROUP,
)

# Months measured before the action starts, and at most after it.
EFFECT_MONTHS = 3
OPEN_STATES = ("open", "in_progress")
# Written only by the action's own methods (its state and bookkeeping).
PROCESS_FIELDS = {"state", "date_done", "overdue_notified_date"}
# What the owner changes through the state buttons.
PROCESS_TOKEN = object()
PROCESS_KEY = "complaint_improvement_process"


class ComplaintImprovementAction(models.Model):
    """An improvement action (整改措施): what the carrier (or a partner
    organisation, for its cases) changes so that complaints of some types stop
    coming, who owns it and by when; the cases below standard and complaints
    it answers; and its measured effect, the complaints of its types per month
    before and after it started. Overdue actions are notified to their owner
    once (daily job)."""

    _name = "complaint.improvement.action"
    _description = "Improvement Action"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "complaint.reader.notify.mixin",
    ]
    _order = "date_due, id"

    name = fields.Char(string="Action", required=True, tracking=True)
    description = fields.Text(help="What changes, how, and what is expected of it.")
    owner_id = fields.Many2one(
        comodel_name="res.users",
        required=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        index=True,
        tracking=True,
    )
    partner_org_id = fields.Many2one(
        comodel_name="res.partner",
        string="Partner Organisation",
        domain=[("complaint_partner_org", "=", True)],
        index="btree_not_null",
        tracking=True,
        help="The organisation whose cases the action answers; its supervisor "
        "agents read it. Empty for the carrier's own actions.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    date_start = fields.Date(
        string="Start",
        required=True,
        default=fields.Date.context_today,
        help="When the action starts to change things: the effect compares the "
        "months before with those after.",
    )
    date_due = fields.Date(string="Due Date", required=True, tracking=True)
    category_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.category",
        string="Complaint Types",
        help="The complaints of these types (and their subtypes) measure the effect.",
    )
    ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket",
        string="Complaints",
        domain=[("kind", "=", "complaint")],
    )
    below_standard_ids = fields.Many2many(
        comodel_name="complaint.below.standard", string="Cases Below Standard"
    )
    state = fields.Selection(
        selection=[
            ("open", "Not Started"),
            ("in_progress", "In Progress"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        string="Status",
        default="open",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    date_done = fields.Date(string="Done On", readonly=True, copy=False)
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
    )
    overdue_notified_date = fields.Datetime(
        readonly=True,
        copy=False,
        help="When the owner was told the action is overdue (once per due date).",
    )
    # The measured effect (computed on demand, for all actions shown at once).
    effect_before = fields.Float(
        string="Before (per month)",
        compute="_compute_effect",
        digits=(16, 1),
        help="Complaints of the action's types per month, in the three months "
        "before the month it started.",
    )
    effect_after = fields.Float(
        string="After (per month)",
        compute="_compute_effect",
        digits=(16, 1),
        help="Complaints of the action's types per month, in the whole months "
        "after the month it started (three at most).",
    )
    effect_months = fields.Integer(
        string="Months Measured After",
        compute="_compute_effect",
        help="Whole months measured after the month the action started.",
    )
    effect_change = fields.Float(
        string="Change (%)",
        compute="_compute_effect",
        digits=(16, 1),
        help="Change of the complaints per month after the action against before.",
    )
    effect_status = fields.Selection(
        selection=[
            ("no_type", "No complaint type"),
            ("waiting", "Not measurable yet"),
            ("no_before", "No complaint before"),
            ("measured", "Measured"),
        ],
        string="Effect",
        compute="_compute_effect",
    )
    is_manager = fields.Boolean(
        compute="_compute_is_manager",
        help="Whether the current user edits the action (the carrier's supervisors).",
    )

    # ---------------------------------------------------------------- computes
    @api.depends("state", "date_due")
    @api.depends_context("tz")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.is_overdue = (
                action.state in OPEN_STATES
                and bool(action.date_due)
                and action.date_due < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        overdue = [
            ("state", "in", OPEN_STATES),
            ("date_due", "<", fields.Date.context_today(self)),
        ]
        if (operator == "=") == value:
            return overdue
        return ["!", "&", *overdue]

    @api.depends_context("uid")
    def _compute_is_manager(self):
        is_manager = self._complaint_is_carrier()
        for action in self:
            action.is_manager = is_manager

    @api.depends("category_ids", "partner_org_id", "company_id", "date_start")
    @api.depends_context("tz")
    def _compute_effect(self):
        """Complaints of the actions' types per month before and after their
        start: one grouped query for all the actions in ``self``."""
        counts = self._complaint_effect_counts()
        this_month = fields.Date.context_today(self).replace(day=1)
        for action in self:
            action.effect_before = action.effect_after = action.effect_change = 0.0
            action.effect_months = 0
            if not action.category_ids or not action.date_start:
                action.effect_status = "no_type"
                continue
            start = action.date_start.replace(day=1)
            months = counts.get(action._origin.id or action.id, {})
            before = sum(
                months.get(start - relativedelta(months=step), 0)
                for step in range(1, EFFECT_MONTHS + 1)
            )
            measured = [
                start + relativedelta(months=step)
                for step in range(1, EFFECT_MONTHS + 1)
                if start + relativedelta(months=step) < this_month
            ]
            after = sum(months.get(month, 0) for month in measured)
            # Monthly averages (shown rounded: computed from the counts).
            before_avg = before / EFFECT_MONTHS
            action.effect_before = before_avg
            action.effect_months = len(measured)
            if not measured:
                action.effect_status = "waiting"
                continue
            after_avg = after / len(measured)
            action.effect_after = after_avg
            if not before:
                action.effect_status = "no_before"
                continue
            action.effect_status = "measured"
            action.effect_change = round(
                100.0 * (after_avg - before_avg) / before_avg, 1
            )

    def _complaint_effect_counts(self):
        """``{action id: {first day of month: complaints}}`` of the actions'
        types (subtypes included), their organisation's complaints for an
        organisation's action, in one grouped query (months of the company's
        calendar)."""
        actions = self.filtered(lambda a: a.category_ids and a.date_start)
        if not actions:
            return {}
        categories = (
            self.env["helpdesk.ticket.category"]
            .sudo()
            .search([("id", "child_of", actions.category_ids.ids)])
        )
        # Type -> the actions' types it falls under (itself, its ancestors).
        ancestors = {
            category.id: {int(part) for part in category.parent_path.split("/") if part}
            for category in categories
        }
        starts = [a.date_start.replace(day=1) for a in actions]
        first = min(starts) - relativedelta(months=EFFECT_MONTHS)
        stop = max(starts) + relativedelta(months=EFFECT_MONTHS + 1)
        Figures = self.env["complaint.report.figures"].sudo()
        tz = self.env.company.partner_id.tz or self.env.user.tz or "UTC"
        analysis = self.env["complaint.analysis"].sudo().with_context(tz=tz)
        start_at, stop_at = Figures._complaint_period_bounds(
            first, stop - relativedelta(days=1)
        )
        domain = [
            ("company_id", "in", actions.company_id.ids),
            ("category_id", "in", categories.ids),
            ("received_date", ">=", start_at),
            ("received_date", "<", stop_at),
        ]
        grouped = defaultdict(int)
        for company, org, category, month, count in analysis._read_group(
            domain,
            ["company_id", "partner_org_id", "category_id", "received_date:month"],
            ["__count"],
        ):
            key = (company.id, org.id, fields.Date.to_date(month))
            for ancestor in ancestors.get(category.id, ()):
                grouped[(ancestor, *key)] += count
        counts = {}
        for action in actions:
            months = defaultdict(int)
            own = set(action.category_ids.ids)
            for (category, company, org, month), count in grouped.items():
                if category not in own or company != action.company_id.id:
                    continue
                if action.partner_org_id and org != action.partner_org_id.id:
                    continue
                months[month] += count
            counts[action._origin.id or action.id] = months
        return counts

    # ------------------------------------------------------------------ checks
    @api.constrains("date_start", "date_due")
    def _check_dates(self):
        for action in self:
            if action.date_due < action.date_start:
                raise ValidationError(
                    self.env._(
                        "Improvement action %(name)s is due before it starts.",
                        name=action.name,
                    )
                )

    @api.model
    def _complaint_is_carrier(self):
        user = self.env.user
        return self.env.su or any(
            user.has_group(group) for group in (SUPERVISOR_GROUP, MANAGER_GROUP)
        )

    def _complaint_check_state_change(self):
        """The owner or the carrier's supervisors move an action on."""
        self.check_access("write")
        if self._complaint_is_carrier():
            return
        if self.filtered(lambda action: action.owner_id != self.env.user):
            raise AccessError(
                self.env._(
                    "Only the owner of an improvement action or the carrier's "
                    "supervisors change its status."
                )
            )

    # -------------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get(PROCESS_KEY) is not PROCESS_TOKEN:
            for vals in vals_list:
                if PROCESS_FIELDS & set(vals):
                    raise AccessError(
                        self.env._("The status is set by the action's buttons.")
                    )
        return super().create(vals_list)

    def write(self, vals):
        if self.env.context.get(PROCESS_KEY) is not PROCESS_TOKEN and not self.env.su:
            if PROCESS_FIELDS & set(vals):
                raise AccessError(
                    self.env._("The status is set by the action's buttons.")
                )
            if not self._complaint_is_carrier():
                raise AccessError(
                    self.env._(
                        "Only the carrier's supervisors edit improvement actions; "
                        "the owner moves theirs on with its buttons."
                    )
                )
        if "date_due" in vals:
            # A new due date: overdue again, told again.
            vals = dict(vals, overdue_notified_date=False)
        return super().write(vals)

    def _complaint_process(self):
        return self.with_context(**{PROCESS_KEY: PROCESS_TOKEN}).sudo()

    # ----------------------------------------------------------------- actions
    def _complaint_set_state(self, state, allowed, **extra):
        self._complaint_check_state_change()
        wrong = self.filtered(lambda action: action.state not in allowed)
        if wrong:
            raise UserError(
                self.env._(
                    "Improvement action %(name)s is %(state)s: it cannot go there.",
                    name=wrong[0].name,
                    state=dict(self._fields["state"]._description_selection(self.env))[
                        wrong[0].state
                    ],
                )
            )
        # As the user (the chatter says who), the status let through.
        self.with_context(**{PROCESS_KEY: PROCESS_TOKEN}).write(
            {"state": state, **extra}
        )
        return True

    def action_start(self):
        return self._complaint_set_state("in_progress", ("open",))

    def action_done(self):
        return self._complaint_set_state(
            "done",
            OPEN_STATES,
            date_done=fields.Date.context_today(self),
        )

    def action_cancel(self):
        return self._complaint_set_state("cancelled", OPEN_STATES)

    def action_reopen(self):
        return self._complaint_set_state("open", ("done", "cancelled"), date_done=False)

    # -------------------------------------------------------------- reporting
    @api.model
    def _complaint_period_domain(self, company, date_from, date_to, partner_orgs=None):
        """Actions of ``company`` under way in the period: started by its end,
        not cancelled, not done before it began. ``partner_orgs``: only those
        organisations' actions (None: all)."""
        domain = [
            ("company_id", "=", company.id),
            ("date_start", "<=", date_to),
            ("state", "!=", "cancelled"),
            "|",
            ("date_done", "=", False),
            ("date_done", ">=", date_from),
        ]
        if partner_orgs is not None:
            domain.append(("partner_org_id", "in", partner_orgs.ids))
        return domain

    @api.model
    def _complaint_report_rows(self, company, date_from, date_to, partner_org=None):
        """The actions of a periodic report, as its figures keep them:
        ``[{"name", "owner", "deadline" (ISO date), "status" (label)}]``."""
        actions = self.sudo().search_fetch(
            self._complaint_period_domain(
                company, date_from, date_to, partner_org if partner_org else None
            ),
            ["name", "owner_id", "date_due", "state"],
            order="date_due, id",
        )
        states = dict(self._fields["state"]._description_selection(self.env))
        return [
            {
                "name": action.name,
                "owner": action.owner_id.name or "",
                "deadline": fields.Date.to_string(action.date_due),
                "status": states[action.state],
            }
            for action in actions
        ]

    # -------------------------------------------------------------------- cron
    @api.model
    def _cron_notify_overdue(self):
        """Daily: tell the owner of each action past its due date, once (until
        the due date changes), in the owner's language."""
        actions = self.sudo().search(
            [("is_overdue", "=", True), ("overdue_notified_date", "=", False)]
        )
        for action in actions:
            action._complaint_notify_overdue()
        actions._complaint_process().write(
            {"overdue_notified_date": fields.Datetime.now()}
        )
        return actions

    def _complaint_notify_overdue(self):
        self.ensure_one()
        self._complaint_notify(
            self.owner_id,
            lambda action: action.env._(
                "Improvement action overdue: %(name)s", name=action.name
            ),
            lambda action: action.env._(
                "Improvement action %(name)s was due on %(date)s and is not done. "
                "Carry it out, or agree on a new due date.",
                name=action.name,
                date=format_date(action.env, action.date_due),
            ),
        )
