# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models


class ComplaintAuthorizationLimit(models.Model):
    _name = "complaint.authorization.limit"
    _description = "Remedy Authorisation Limit"
    _order = "company_id, amount"

    group_id = fields.Many2one(
        comodel_name="res.groups",
        required=True,
        ondelete="cascade",
        help="Members of this group may grant remedies up to the limit.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(string="Limit")
    unlimited = fields.Boolean()

    _sql_constraints = [
        (
            "group_company_uniq",
            "UNIQUE(group_id, company_id)",
            "A group has one authorisation limit per company.",
        ),
        ("amount_positive", "CHECK(amount >= 0)", "A limit cannot be negative."),
    ]

    @api.depends("group_id", "amount", "unlimited")
    def _compute_display_name(self):
        for limit in self:
            limit.display_name = limit.group_id.full_name or ""

    @api.model
    def _limit_of(self, limits, user):
        """The highest amount ``user`` may grant under ``limits`` (one
        company's): ``None`` is unlimited, 0.0 no paid remedy."""
        own = limits.filtered(lambda limit: limit.group_id in user.groups_id)
        if any(own.mapped("unlimited")):
            return None
        return max(own.mapped("amount"), default=0.0)

    @api.model
    def _get_user_limit(self, user, company):
        """Return the highest remedy amount ``user`` may grant in ``company``.

        ``None`` means unlimited; 0.0 means the user may grant no paid remedy.
        """
        limits = self.sudo().search(
            [("company_id", "=", company.id), ("group_id", "in", user.groups_id.ids)]
        )
        return self._limit_of(limits, user)

    @api.model
    def _user_can_grant(self, user, company, amount):
        limit = self._get_user_limit(user, company)
        currency = company.currency_id
        return limit is None or currency.compare_amounts(amount, limit) <= 0

    @api.model
    def _get_approvers(self, company, amount, allowed=None):
        """The internal users of ``company`` whose own limit is the lowest one
        that covers ``amount`` (supervisors before unlimited managers), among
        those ``allowed`` (a filter on users, e.g. who can see the remedy)."""
        limits = self.sudo().search([("company_id", "=", company.id)])
        candidates = limits.group_id.users.filtered(
            lambda user: not user.share
            and company in user.company_ids
            and (allowed is None or allowed(user))
        )
        by_limit = defaultdict(lambda: self.env["res.users"])
        for user in candidates:
            limit = self._limit_of(limits, user)
            if limit is None or company.currency_id.compare_amounts(amount, limit) <= 0:
                by_limit[limit] |= user
        if not by_limit:
            return self.env["res.users"]
        # None (unlimited) ranks after every amount.
        lowest = min(by_limit, key=lambda limit: (limit is None, limit or 0.0))
        return by_limit[lowest]
