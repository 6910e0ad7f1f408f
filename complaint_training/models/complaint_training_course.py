# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ComplaintTrainingCourse(models.Model):
    """A course given by the carrier or by a partner organisation, its
    materials, its optional assessment (an Odoo survey certification) and the
    qualification passing it gives."""

    _name = "complaint.training.course"
    _description = "Training Course"
    _inherit = ["mail.thread"]
    _order = "name, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True)
    type_id = fields.Many2one(
        comodel_name="complaint.training.course.type",
        string="Course Type",
        required=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    provider_id = fields.Many2one(
        comodel_name="res.partner",
        required=True,
        default=lambda self: self.env.company.partner_id,
        domain="['|', ('id', '=', company_partner_id), "
        "('complaint_partner_org', '=', True)]",
        help="The carrier or the partner organisation that gives the course.",
    )
    company_partner_id = fields.Many2one(related="company_id.partner_id")
    description = fields.Html()
    duration_hours = fields.Float(string="Hours", default=1.0)
    attachment_ids = fields.Many2many(
        comodel_name="ir.attachment",
        relation="complaint_training_course_attachment_rel",
        column1="course_id",
        column2="attachment_id",
        string="Materials",
    )
    kb_article_ids = fields.Many2many(
        comodel_name="complaint.kb.article",
        string="Knowledge Articles",
    )
    survey_id = fields.Many2one(
        comodel_name="survey.survey",
        string="Assessment",
        domain="[('certification', '=', True)]",
        help="A survey certification: passing it passes the course.",
    )
    pass_mark = fields.Float(
        compute="_compute_pass_mark",
        store=True,
        readonly=False,
        help="Score (in %) needed to pass; the assessment's own pass mark by default.",
    )
    # What passing the course qualifies for (nothing when empty).
    qualification_category_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.category",
        string="Qualifies for Complaint Types",
        help="Passing the course qualifies for these types and their sub-types.",
    )
    qualification_business_line = fields.Selection(
        selection=lambda self: self.env["helpdesk.ticket"]
        ._fields["business_line"]
        ._description_selection(self.env),
        string="Qualifies for Business Line",
    )
    qualification_validity_months = fields.Integer(
        string="Qualification Validity (months)",
        default=12,
    )
    session_ids = fields.One2many(
        comodel_name="complaint.training.session", inverse_name="course_id"
    )

    @api.depends("survey_id")
    def _compute_pass_mark(self):
        for course in self:
            course.pass_mark = course.survey_id.scoring_success_min or course.pass_mark

    @api.constrains("pass_mark", "duration_hours", "qualification_validity_months")
    def _check_numbers(self):
        for course in self:
            if not 0 <= course.pass_mark <= 100:
                raise ValidationError(
                    self.env._("The pass mark of a course is between 0 and 100 %.")
                )
            if course.duration_hours < 0 or course.qualification_validity_months < 0:
                raise ValidationError(
                    self.env._("The hours and validity of a course cannot be negative.")
                )

    def _complaint_qualifies(self):
        """Whether passing the course gives a qualification."""
        self.ensure_one()
        return bool(self.qualification_category_ids or self.qualification_business_line)
