# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


# helpdesk.ticket is split by concern on purpose, one file each (as Odoo
# splits mail.thread): pylint-odoo would have one class.
# pylint: disable=consider-merging-classes-inherited
class HelpdeskTicket(models.Model):
    """Living beside OCA helpdesk_type (not a dependency): its type field
    ``type_id`` and the teams each type is for."""

    _inherit = "helpdesk.ticket"

    def _apply_onchange_methods(self, field_name, result):
        """helpdesk_type empties the team and the assigned user when the type
        chosen is not one of the team's: a complaint without a team that
        follows the complaint process cannot be saved. A complaint keeps its
        team and handler, and the user is told why (and which of the type's
        teams handle complaints, to choose one). Does nothing without
        helpdesk_type: ``type_id`` is then no field to change."""
        if field_name != "type_id" or self.kind != "complaint":
            return super()._apply_onchange_methods(field_name, result)
        team, user = self.team_id, self.user_id
        super()._apply_onchange_methods(field_name, result)
        if not team.complaint_process or self.team_id == team:
            return
        self.team_id = team
        self.user_id = user
        ticket_type = self.type_id
        message = self.env._(
            "Type %(type)s is not one of team %(team)s's types, but the complaint "
            "stays with %(team)s: a complaint is always handled by a team that "
            "follows the complaint process.",
            type=ticket_type.display_name,
            team=team.display_name,
        )
        teams = ticket_type.team_ids.filtered("complaint_process")
        if teams:
            message += " " + self.env._(
                "Teams of this type that handle complaints: %(teams)s.",
                teams=", ".join(teams.mapped("display_name")),
            )
        result["warnings"].add((self.env._("Team kept"), message, "dialog"))
