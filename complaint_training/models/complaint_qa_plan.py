# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math
import random
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


def _seed():
    return random.SystemRandom().randint(1, 2**31 - 1)


class ComplaintQaPlan(models.Model):
    """A sampling plan of spot checks for a period: for each handler (or each
    agent of a partner organisation), N of the complaints they closed or a
    share of them, stratified by complaint type, plus every complaint the
    customer rated unsatisfied. The seed is recorded: drawing again gives the
    same sample."""

    _name = "complaint.qa.plan"
    _description = "Spot Check Plan"
    _inherit = ["mail.thread"]
    _order = "date_from desc, id desc"

    name = fields.Char(required=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    team_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.team",
        string="Teams",
        domain="[('complaint_process', '=', True)]",
        help="The handlers of these teams; all complaint teams when empty.",
    )
    partner_org_id = fields.Many2one(
        comodel_name="res.partner",
        string="Partner Organisation",
        domain="[('complaint_partner_org', '=', True)]",
        help="Sample the organisation's agents instead of the carrier's handlers.",
    )
    scorecard_id = fields.Many2one(
        comodel_name="complaint.qa.scorecard", required=True, ondelete="restrict"
    )
    reviewer_id = fields.Many2one(
        comodel_name="res.users",
        required=True,
        default=lambda self: self.env.user,
    )
    sample_mode = fields.Selection(
        selection=[("count", "Number of complaints"), ("share", "Share of complaints")],
        required=True,
        default="count",
    )
    sample_count = fields.Integer(string="Complaints per Person", default=5)
    sample_share = fields.Float(string="Share per Person (%)", default=10.0)
    include_unsatisfied = fields.Boolean(
        string="Every Unsatisfied Customer",
        default=True,
        help="Also review every complaint whose customer said they were unsatisfied.",
    )
    seed = fields.Integer(
        default=lambda self: _seed(),
        required=True,
        copy=False,
        help="Drawing with the same seed gives the same sample.",
    )
    state = fields.Selection(
        selection=[("draft", "Draft"), ("drawn", "Drawn")],
        default="draft",
        required=True,
        tracking=True,
    )
    review_ids = fields.One2many(
        comodel_name="complaint.qa.review", inverse_name="plan_id", string="Spot Checks"
    )
    review_count = fields.Integer(compute="_compute_review_count")

    @api.depends("review_ids")
    def _compute_review_count(self):
        for plan in self:
            plan.review_count = len(plan.review_ids)

    @api.constrains("date_from", "date_to", "sample_count", "sample_share")
    def _check_plan(self):
        for plan in self:
            if plan.date_to < plan.date_from:
                raise ValidationError(self.env._("The period ends before it starts."))
            if plan.sample_mode == "count" and plan.sample_count < 1:
                raise ValidationError(
                    self.env._("Sample at least one complaint per person.")
                )
            if plan.sample_mode == "share" and not 0 < plan.sample_share <= 100:
                raise ValidationError(
                    self.env._("The share per person is between 0 and 100 %.")
                )

    def _complaint_population_domain(self):
        """Hook: the complaints the plan samples from."""
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("kind", "=", "complaint"),
            ("complaint_state", "=", "closed"),
            ("closed_date", ">=", fields.Datetime.to_datetime(self.date_from)),
            (
                "closed_date",
                "<",
                fields.Datetime.to_datetime(self.date_to) + timedelta(days=1),
            ),
        ]
        if self.partner_org_id:
            domain.append(
                ("partner_agent_id.commercial_partner_id", "=", self.partner_org_id.id)
            )
        else:
            domain.append(("user_id", "!=", False))
            if self.team_ids:
                domain.append(("team_id", "in", self.team_ids.ids))
            else:
                domain.append(("team_id.complaint_process", "=", True))
        return domain

    def _complaint_person(self, ticket):
        return ticket.partner_agent_id if self.partner_org_id else ticket.user_id

    def _complaint_draw(self):
        """The sample: {person: complaints}, the same for the same seed."""
        self.ensure_one()
        found = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search(self._complaint_population_domain(), order="id")
        )
        # Only what the plan's reviewer may read (confidential complaints,
        # other departments): the others cannot be reviewed by him.
        readable = set(
            self.env["helpdesk.ticket"]
            .with_user(self.reviewer_id)
            .search([("id", "in", found.ids)])
            .ids
        )
        tickets = found.filtered(lambda t: t.id in readable)
        rng = random.Random(self.seed)
        by_person = defaultdict(lambda: self.env["helpdesk.ticket"].sudo())
        for ticket in tickets:
            by_person[self._complaint_person(ticket)] |= ticket
        sample = {}
        for person in sorted(by_person, key=lambda p: p.id):
            cases = by_person[person]
            size = (
                self.sample_count
                if self.sample_mode == "count"
                # At least one of each person's complaints.
                else max(1, math.ceil(len(cases) * self.sample_share / 100.0))
            )
            chosen = self._complaint_stratified(cases, min(size, len(cases)), rng)
            if self.include_unsatisfied:
                chosen |= cases.filtered(
                    lambda t: any(t.callback_ids.mapped("unsatisfied"))
                )
            sample[person] = chosen
        return sample

    @api.model
    def _complaint_stratified(self, cases, size, rng):
        """``size`` of ``cases`` shared among their complaint types: one per
        type when there is room, the rest in proportion to what each type has
        left (largest remainders), then drawn at random within each type."""
        if size <= 0:
            return cases.browse()
        strata = defaultdict(list)
        for case in cases:
            strata[case.category_id.id or 0].append(case.id)
        keys = sorted(strata)
        allotted = dict.fromkeys(keys, 1 if size >= len(keys) else 0)
        remaining = size - sum(allotted.values())
        if remaining:
            room = {key: len(strata[key]) - allotted[key] for key in keys}
            total = sum(room.values())
            quotas = {key: remaining * room[key] / total for key in keys}
            for key in keys:
                allotted[key] += int(quotas[key])
            left = size - sum(allotted.values())
            by_remainder = sorted(
                keys, key=lambda key: (int(quotas[key]) - quotas[key], key)
            )
            for key in by_remainder[:left]:
                allotted[key] += 1
        chosen = []
        for key in keys:
            chosen += rng.sample(strata[key], allotted[key])
        return cases.browse(chosen)

    def action_draw(self):
        """Create the spot checks of the sample, for the plan's reviewer."""
        for plan in self:
            if plan.state != "draft":
                raise UserError(self.env._("The sample of this plan is already drawn."))
            sample = plan._complaint_draw()
            # Nobody reviews himself: the reviewer's own cases are left out.
            vals = [
                {
                    "plan_id": plan.id,
                    "ticket_id": ticket.id,
                    "reviewed_user_id": person.id,
                    "reviewer_id": plan.reviewer_id.id,
                    "scorecard_id": plan.scorecard_id.id,
                }
                for person, tickets in sample.items()
                if person != plan.reviewer_id
                for ticket in tickets
            ]
            if not vals:
                raise UserError(
                    self.env._("No closed complaint in the plan's period and scope.")
                )
            self.env["complaint.qa.review"].create(vals)
            plan.state = "drawn"
        return True

    def action_view_reviews(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_training.complaint_qa_review_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"default_plan_id": self.id}
        return action
