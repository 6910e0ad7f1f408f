# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class ComplaintTrainingAttendance(models.Model):
    """A person at a training session: present or not, the result, the hours
    counted for the person and the organisation."""

    _name = "complaint.training.attendance"
    _inherit = ["complaint.training.person.mixin"]
    _description = "Training Attendance"
    _order = "session_date desc, id desc"
    _rec_name = "user_id"

    session_id = fields.Many2one(
        comodel_name="complaint.training.session",
        required=True,
        ondelete="cascade",
        index=True,
    )
    course_id = fields.Many2one(related="session_id.course_id", store=True, index=True)
    company_id = fields.Many2one(related="session_id.company_id", store=True)
    session_date = fields.Datetime(related="session_id.date", store=True)
    # The organisation whose session it is (the person's organisation is
    # ``partner_org_id``: a partner agent may attend the carrier's sessions).
    session_org_id = fields.Many2one(
        related="session_id.partner_org_id", store=True, string="Session Organisation"
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Person",
        required=True,
        index=True,
        ondelete="restrict",
    )
    attended = fields.Boolean(default=True)
    score = fields.Float(help="Assessment score, in % (0-100).")
    result = fields.Selection(
        selection=[
            ("pending", "Pending"),
            ("passed", "Passed"),
            ("failed", "Failed"),
            ("absent", "Absent"),
        ],
        default="pending",
        required=True,
    )
    hours = fields.Float(compute="_compute_hours", store=True)
    survey_user_input_id = fields.Many2one(
        comodel_name="survey.user_input", string="Assessment Answers", readonly=True
    )
    qualification_id = fields.Many2one(
        comodel_name="complaint.qualification", readonly=True
    )

    _sql_constraints = [
        (
            "session_user_unique",
            "unique(session_id, user_id)",
            "A person attends a session once.",
        )
    ]

    @api.depends("attended", "session_id.duration_hours", "session_id.state")
    def _compute_hours(self):
        for attendance in self:
            attendance.hours = (
                attendance.session_id.duration_hours
                if attendance.attended and attendance.session_id.state == "done"
                else 0.0
            )

    @api.constrains("user_id", "session_id")
    def _check_organisation(self):
        """A partner organisation's session trains its own people; the
        carrier's sessions its own staff and any partner agent."""
        for attendance in self:
            org = attendance.session_id.partner_org_id
            user = attendance.user_id
            if org and user.commercial_partner_id != org:
                raise ValidationError(
                    self.env._(
                        "%(person)s is not one of %(org)s's people: a session of "
                        "an organisation is attended by its own people.",
                        person=user.name,
                        org=org.name,
                    )
                )

    @api.constrains("score")
    def _check_score(self):
        for attendance in self:
            if not 0 <= attendance.score <= 100:
                raise ValidationError(
                    self.env._("An assessment score is between 0 and 100 %.")
                )

    def unlink(self):
        self._complaint_check_session_open()
        return super().unlink()

    def _complaint_check_process_vals(self, vals):
        """Results, the qualification gained and the assessment answers are
        the process's (closing the session, the assessment), never typed."""
        if self.env.su:
            return
        if {"qualification_id", "survey_user_input_id", "result"} & set(vals):
            raise UserError(
                self.env._(
                    "Results, qualifications and assessments are recorded by the "
                    "system (closing the session, the assessment)."
                )
            )

    def _complaint_check_session_open(self):
        """Attendance is recorded while the session is planned; afterwards only
        the process writes results (closing, the assessment)."""
        if self.env.su:
            return
        if any(a.session_id.state != "planned" for a in self):
            raise UserError(
                self.env._("The session is closed: its attendance is kept as recorded.")
            )

    def _complaint_session_done(self):
        """Results once the session is done: absent, or passed/failed by the
        score when the course is assessed, or passed for being there."""
        for attendance in self.filtered(lambda a: a.result == "pending"):
            course = attendance.course_id
            if not attendance.attended:
                attendance.result = "absent"
            elif course.survey_id and not attendance.survey_user_input_id:
                continue  # the assessment decides (survey_user_input.py)
            elif course.survey_id or course.pass_mark:
                # Graded: the recorded score against the pass mark (0 fails).
                attendance.result = (
                    "passed" if attendance.score >= course.pass_mark else "failed"
                )
            else:
                attendance.result = "passed"
        self._complaint_grant_qualifications()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._complaint_check_process_vals(vals)
        attendances = super().create(vals_list)
        attendances._complaint_check_session_open()
        return attendances

    def write(self, vals):
        self._complaint_check_process_vals(vals)
        self._complaint_check_session_open()
        result = super().write(vals)
        if vals.get("result") == "passed":
            self._complaint_grant_qualifications()
        return result

    def _complaint_grant_qualifications(self):
        """Passing a course that qualifies gives (or renews) the
        qualification, valid from the session for the course's validity; it
        also completes the person's training needs of that course."""
        # A partner's own session qualifies through the course's assessment
        # only; the carrier's sessions also by attendance or recorded score.
        passed = self.filtered(
            lambda a: a.result == "passed"
            and not a.qualification_id
            and a.course_id._complaint_qualifies()
            and (a.course_id.survey_id or not a.session_id.closed_by_id.share)
        )
        Qualification = self.env["complaint.qualification"].sudo()
        for attendance in passed:
            course = attendance.course_id
            start = attendance.session_date.date()
            end = (
                start + relativedelta(months=course.qualification_validity_months)
                if course.qualification_validity_months
                else False
            )
            qualification = Qualification.create(
                {
                    "user_id": attendance.user_id.id,
                    "category_ids": [
                        fields.Command.set(course.qualification_category_ids.ids)
                    ],
                    "business_line": course.qualification_business_line,
                    "date_start": start,
                    "date_end": end,
                    "source": "course",
                    "course_id": course.id,
                    "company_id": course.company_id.id,
                }
            )
            attendance.sudo().qualification_id = qualification
        done = self.filtered(lambda a: a.result == "passed")
        if done:
            self.env["complaint.training.need"].sudo().search(
                [
                    ("state", "=", "confirmed"),
                    ("user_id", "in", done.user_id.ids),
                    ("course_id", "in", done.course_id.ids),
                ]
            ).filtered(
                lambda n: (n.user_id, n.course_id)
                in {(a.user_id, a.course_id) for a in done}
            ).write({"state": "done"})
