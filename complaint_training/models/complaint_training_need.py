# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.complaint_handling.tools.constants import (
    PARTNER_SUPERVISOR_GROUP,
    SUPERVISOR_GROUP,
)


class ComplaintTrainingNeed(models.Model):
    """A course a person should take, proposed by a spot check (a score below
    the company's threshold, or the same criterion failed again) and
    confirmed by a supervisor; done when the person passes the course."""

    _name = "complaint.training.need"
    _description = "Training Need"
    _inherit = ["mail.thread", "complaint.training.person.mixin"]
    _order = "create_date desc, id desc"
    _rec_name = "course_id"

    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Person",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    course_id = fields.Many2one(
        comodel_name="complaint.training.course", required=True, ondelete="restrict"
    )
    review_id = fields.Many2one(
        comodel_name="complaint.qa.review", string="Spot Check", readonly=True
    )
    criterion_id = fields.Many2one(comodel_name="complaint.qa.criterion", readonly=True)
    reason = fields.Text(readonly=True)
    state = fields.Selection(
        selection=[
            ("proposed", "Proposed"),
            ("confirmed", "Confirmed"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="proposed",
        required=True,
        tracking=True,
    )

    def _check_supervisor(self):
        user = self.env.user
        for need in self:
            allowed = user.has_group(SUPERVISOR_GROUP) or (
                need.partner_org_id
                and user.commercial_partner_id == need.partner_org_id
                and user.has_group(PARTNER_SUPERVISOR_GROUP)
            )
            if not allowed:
                raise UserError(
                    self.env._(
                        "Only the person's supervisor decides on a training need."
                    )
                )

    def action_confirm(self):
        self._check_supervisor()
        if self.filtered(lambda n: n.state != "proposed"):
            raise UserError(self.env._("Only a proposed training need is confirmed."))
        self.sudo().state = "confirmed"
        return True

    def action_cancel(self):
        self._check_supervisor()
        self.filtered(
            lambda n: n.state in ("proposed", "confirmed")
        ).sudo().state = "cancelled"
        return True
