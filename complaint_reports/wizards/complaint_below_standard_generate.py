# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError


class ComplaintBelowStandardGenerate(models.TransientModel):
    """List (again) the cases below standard of a month: the carrier's
    supervisors run it for any month; a daily job does the last month."""

    _name = "complaint.below.standard.generate"
    _description = "List the Cases Below Standard of a Month"

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    date_from = fields.Date(
        string="Month",
        required=True,
        default=lambda self: self._default_date_from(),
        help="Any day of the month: its cases received are listed.",
    )

    @api.model
    def _default_date_from(self):
        today = fields.Date.context_today(self)
        return today.replace(day=1) - relativedelta(months=1)

    @api.constrains("date_from")
    def _check_date_from(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            if wizard.date_from > today:
                raise ValidationError(self.env._("Choose a month that has begun."))

    def action_generate(self):
        self.ensure_one()
        Cases = self.env["complaint.below.standard"]
        if not Cases._complaint_is_carrier() or (
            self.company_id not in self.env.user.company_ids and not self.env.su
        ):
            raise AccessError(
                self.env._(
                    "Only the carrier's supervisors list the cases below standard."
                )
            )
        date_from, _date_to = Cases._complaint_month(self.date_from)
        Cases._complaint_generate(self.company_id, date_from)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_reports.complaint_below_standard_action"
        )
        action["domain"] = [
            ("company_id", "=", self.company_id.id),
            ("date_from", "=", date_from),
        ]
        action["context"] = {"search_default_open": 1}
        return action
