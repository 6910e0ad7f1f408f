# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.constants import SUPERVISOR_GROUP


class ComplaintConfidentialMixin(models.AbstractModel):
    """Confidential complaints: seen only by the named people, the owner, the
    customer and the Confidential Complaints group (record rules in
    security/); marked and unmarked by supervisors only."""

    _name = "complaint.confidential.mixin"
    _description = "Confidential Complaint"

    confidential = fields.Boolean(
        tracking=True,
        copy=False,
        help="Visible only to the named people, the complaint's owner, the "
        "customer and the Confidential Complaints group.",
    )
    confidential_reason = fields.Selection(
        selection=[
            ("vip", "VIP customer"),
            ("legal", "Legal dispute"),
            ("media", "Media attention"),
            ("staff", "Internal staff"),
        ],
        tracking=True,
        copy=False,
    )
    confidential_user_ids = fields.Many2many(
        comodel_name="res.users",
        relation="helpdesk_ticket_confidential_user_rel",
        column1="ticket_id",
        column2="user_id",
        string="Named People",
        domain="[('share', '=', False)]",
        copy=False,
    )
    confidential_editable = fields.Boolean(compute="_compute_confidential_editable")

    @api.depends_context("uid")
    def _compute_confidential_editable(self):
        self.confidential_editable = self.env.user.has_group(SUPERVISOR_GROUP)

    def _complaint_check_confidential_vals(self, vals):
        changes = (
            vals.get("confidential")
            or vals.get("confidential_reason")
            or vals.get("confidential_user_ids")
            or ("confidential" in vals and any(self.mapped("confidential")))
        )
        if changes and not self.env.user.has_group(SUPERVISOR_GROUP):
            raise UserError(
                self.env._("Only a supervisor marks a complaint confidential.")
            )
        if vals.get("confidential") and not vals.get("confidential_reason"):
            missing = self.filtered(lambda t: not t.confidential_reason)
            if missing or not self:
                raise UserError(
                    self.env._("Give the reason why the complaint is confidential.")
                )
