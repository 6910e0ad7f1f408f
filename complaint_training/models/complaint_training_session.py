# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class ComplaintTrainingSession(models.Model):
    """One session of a course: when, by whom, where (or online), and who
    attended. A partner organisation's sessions are recorded by its supervisor
    agents in the portal; the carrier sees them all."""

    _name = "complaint.training.session"
    _description = "Training Session"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    course_id = fields.Many2one(
        comodel_name="complaint.training.course",
        required=True,
        ondelete="restrict",
        index=True,
        tracking=True,
    )
    name = fields.Char(related="course_id.name", string="Course Name")
    company_id = fields.Many2one(related="course_id.company_id", store=True, index=True)
    partner_org_id = fields.Many2one(
        comodel_name="res.partner",
        string="Organisation",
        index="btree_not_null",
        domain="[('complaint_partner_org', '=', True)]",
        tracking=True,
        help="The partner organisation whose people the session trains; empty "
        "for the carrier's own staff.",
    )
    date = fields.Datetime(required=True, tracking=True)
    duration_hours = fields.Float(
        string="Hours",
        compute="_compute_duration_hours",
        store=True,
        readonly=False,
    )
    trainer = fields.Char(required=True)
    location = fields.Char(string="Place")
    online = fields.Boolean()
    state = fields.Selection(
        selection=[
            ("planned", "Planned"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="planned",
        required=True,
        tracking=True,
    )
    attendance_ids = fields.One2many(
        comodel_name="complaint.training.attendance",
        inverse_name="session_id",
        string="Attendees",
    )
    attendee_count = fields.Integer(compute="_compute_attendee_count")
    closed_by_id = fields.Many2one(
        comodel_name="res.users",
        readonly=True,
        copy=False,
        help="Who recorded the session as done.",
    )

    @api.depends("course_id")
    def _compute_duration_hours(self):
        for session in self:
            session.duration_hours = (
                session.duration_hours or session.course_id.duration_hours
            )

    @api.depends("attendance_ids")
    def _compute_attendee_count(self):
        for session in self:
            session.attendee_count = len(session.attendance_ids)

    @api.constrains("duration_hours", "online", "location")
    def _check_session(self):
        for session in self:
            if session.duration_hours <= 0:
                raise ValidationError(
                    self.env._("The hours of a session are more than 0.")
                )
            if not session.online and not session.location:
                raise ValidationError(
                    self.env._("Give the place of the session, or mark it online.")
                )

    @api.constrains("partner_org_id")
    def _check_attendees_organisation(self):
        self.attendance_ids._check_organisation()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._complaint_check_session_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._complaint_check_session_vals(vals)
        if not self.env.su and self.filtered(lambda s: s.state != "planned"):
            raise UserError(
                self.env._("The session is closed: it is kept as recorded.")
            )
        return super().write(vals)

    def _complaint_check_session_vals(self, vals):
        """The state is the buttons' (done, cancel); the organisation of a
        partner's session is its own (the portal sets it), never another."""
        if self.env.su:
            return
        if "state" in vals and vals["state"] != "planned":
            raise UserError(
                self.env._("A session is closed or cancelled with its buttons.")
            )
        if "closed_by_id" in vals:
            raise UserError(
                self.env._("Who closed a session is recorded by the system.")
            )
        user = self.env.user
        if (
            user.share
            and "partner_org_id" in vals
            and (vals["partner_org_id"] != user.commercial_partner_id.id)
        ):
            raise UserError(
                self.env._("A partner organisation records its own sessions only.")
            )

    def action_done(self):
        """Close the session: attendees present pass, unless the course has an
        assessment (their survey result decides) or a pass mark (their recorded
        score decides)."""
        self.check_access("write")
        for session in self:
            if session.state != "planned":
                raise UserError(self.env._("Only a planned session can be closed."))
            # The state and results are the process's: written as the system.
            session.sudo().write({"state": "done", "closed_by_id": self.env.uid})
            session.attendance_ids.sudo()._complaint_session_done()
        return True

    def action_cancel(self):
        self.check_access("write")
        self.filtered(lambda s: s.state == "planned").sudo().state = "cancelled"
        return True
