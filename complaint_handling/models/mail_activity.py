# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError


class MailActivity(models.Model):
    _inherit = "mail.activity"

    @api.depends("res_model", "res_id", "user_id")
    def _compute_res_name(self):
        """The name of the record as the activity's user sees it: its reader
        is the user it is assigned to, whoever schedules it (a confidential
        complaint's name is hidden from those who cannot read it)."""
        tickets = self.filtered(lambda a: a.res_model == "helpdesk.ticket")
        for activity in tickets:
            ticket = self.env["helpdesk.ticket"].browse(activity.res_id)
            if activity.user_id:
                ticket = ticket.with_user(activity.user_id)
            activity.res_name = ticket.display_name
        return super(MailActivity, self - tickets)._compute_res_name()

    @api.model_create_multi
    def create(self, vals_list):
        activities = super().create(vals_list)
        activities._complaint_check_confidential_assignees()
        return activities

    def write(self, vals):
        result = super().write(vals)
        if "user_id" in vals or "res_id" in vals:
            self._complaint_check_confidential_assignees()
        return result

    def _complaint_check_confidential_assignees(self):
        """An activity of a confidential complaint goes only to someone who
        can read the complaint: the activity shows its title and customer."""
        on_tickets = self.filtered(
            lambda a: a.res_model == "helpdesk.ticket" and a.user_id
        )
        # One check per assignee, whatever the number of activities (the SLA
        # job schedules them in batches).
        for user, activities in on_tickets.grouped("user_id").items():
            tickets = self.env["helpdesk.ticket"].browse(activities.mapped("res_id"))
            if tickets._complaint_unreadable_confidential(user):
                raise UserError(
                    self.env._(
                        "%(user)s cannot read this confidential complaint: a "
                        "supervisor names them on it before they are given "
                        "an activity on it.",
                        user=user.name,
                    )
                )
