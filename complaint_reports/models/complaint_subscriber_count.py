# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

QUARTERS = [("1", "Q1"), ("2", "Q2"), ("3", "Q3"), ("4", "Q4")]


def _default_year(model):
    return fields.Date.context_today(model).year


def _default_quarter(model):
    return str((fields.Date.context_today(model).month - 1) // 3 + 1)


class ComplaintSubscriberCount(models.Model):
    """The carrier's number of users of a business line in a quarter: what the
    regulator statistics divide complaints by (complaints per million users)."""

    _name = "complaint.subscriber.count"
    _description = "Complaint Subscriber Count"
    _order = "year desc, quarter desc, business_line"

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    year = fields.Integer(required=True, default=_default_year)
    quarter = fields.Selection(
        selection=QUARTERS, required=True, default=_default_quarter
    )
    business_line = fields.Selection(
        selection=lambda self: self.env["helpdesk.ticket"]
        ._fields["business_line"]
        ._description_selection(self.env),
        required=True,
    )
    subscribers = fields.Integer(
        string="Users",
        required=True,
        help="Users of the business line in the quarter (for example at its end), "
        "as the carrier reports them to the regulator.",
    )

    _sql_constraints = [
        (
            "period_line_unique",
            "UNIQUE(company_id, year, quarter, business_line)",
            "There is already a user count for this business line and quarter.",
        ),
        (
            "subscribers_positive",
            "CHECK(subscribers > 0)",
            "The number of users must be positive.",
        ),
        (
            "year_valid",
            "CHECK(year BETWEEN 1900 AND 9999)",
            "The year must have four digits.",
        ),
    ]

    def _compute_display_name(self):
        lines = dict(self._fields["business_line"]._description_selection(self.env))
        for count in self:
            count.display_name = self.env._(
                "%(line)s, Q%(quarter)s %(year)s",
                line=lines.get(count.business_line, ""),
                quarter=count.quarter or "",
                year=count.year or "",
            )
