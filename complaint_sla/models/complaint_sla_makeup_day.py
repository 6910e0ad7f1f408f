# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ComplaintSlaMakeupDay(models.Model):
    """A make-up working day (调休): a weekend day worked to compensate a
    holiday bridge. Odoo's calendars express holidays (leaves) but not extra
    working days; the SLA clock adds these."""

    _name = "complaint.sla.makeup.day"
    _description = "Make-up Working Day"
    _order = "date"

    calendar_id = fields.Many2one(
        comodel_name="resource.calendar", required=True, ondelete="cascade", index=True
    )
    date = fields.Date(required=True)
    name = fields.Char(string="Reason")
    hour_from = fields.Float(string="From", default=9.0)
    hour_to = fields.Float(string="To", default=18.0)

    _sql_constraints = [
        ("calendar_date_uniq", "UNIQUE(calendar_id, date)", "One make-up day a date."),
    ]

    @api.constrains("hour_from", "hour_to")
    def _check_hours(self):
        for day in self:
            if not 0 <= day.hour_from < day.hour_to <= 24:
                raise ValidationError(
                    self.env._("A make-up day starts before it ends, within the day.")
                )
