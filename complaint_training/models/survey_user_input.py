# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    def _mark_done(self):
        """A finished assessment decides the attendee's result: the score
        against the course's pass mark, on the person's pending attendance of
        a session of that course."""
        result = super()._mark_done()
        inputs = self.filtered(
            lambda i: i.survey_id.certification and i.partner_id and not i.test_entry
        )
        if not inputs:
            return result
        Attendance = self.env["complaint.training.attendance"].sudo()
        pending = Attendance.search(
            [
                ("course_id.survey_id", "in", inputs.survey_id.ids),
                # After the session (not before, not a cancelled one); a new
                # attempt may pass what an earlier one failed.
                ("session_id.state", "=", "done"),
                ("result", "in", ("pending", "failed")),
                ("attended", "=", True),
                ("user_id.partner_id", "in", inputs.partner_id.ids),
            ],
            order="session_date desc",
        )
        for user_input in inputs:
            attendance = pending.filtered(
                lambda a, i=user_input: a.course_id.survey_id == i.survey_id
                and a.user_id.partner_id == i.partner_id
            )[:1]
            if attendance:
                passed = user_input.scoring_percentage >= attendance.course_id.pass_mark
                attendance.write(
                    {
                        "survey_user_input_id": user_input.id,
                        "score": user_input.scoring_percentage,
                        "result": "passed" if passed else "failed",
                    }
                )
        return result
