# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ComplaintTrainingCourseType(models.Model):
    """Kinds of courses: business knowledge, technical, communication,
    complaint handling, compliance and privacy, ... (configurable)."""

    _name = "complaint.training.course.type"
    _description = "Training Course Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
