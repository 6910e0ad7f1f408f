# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResUsers(models.Model):
    """A person's training record: sessions attended, qualifications,
    training needs and spot checks, and the hours trained."""

    _inherit = "res.users"

    complaint_attendance_ids = fields.One2many(
        comodel_name="complaint.training.attendance",
        inverse_name="user_id",
        string="Training Sessions",
    )
    complaint_qualification_ids = fields.One2many(
        comodel_name="complaint.qualification",
        inverse_name="user_id",
        string="Qualifications",
    )
    complaint_training_need_ids = fields.One2many(
        comodel_name="complaint.training.need",
        inverse_name="user_id",
        string="Training Needs",
    )
    complaint_qa_review_ids = fields.One2many(
        comodel_name="complaint.qa.review",
        inverse_name="reviewed_user_id",
        string="Spot Checks",
    )
    complaint_training_hours = fields.Float(
        string="Training Hours", compute="_compute_complaint_training_hours"
    )

    @api.depends("complaint_attendance_ids.hours")
    def _compute_complaint_training_hours(self):
        groups = self.env["complaint.training.attendance"]._read_group(
            [("user_id", "in", self.ids)], ["user_id"], ["hours:sum"]
        )
        hours = {user.id: total for user, total in groups}
        for user in self:
            user.complaint_training_hours = hours.get(user.id, 0.0)
