# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command


def uninstall_hook(env):
    """Give complaint_sla its own analysis menu back (hidden while this addon
    analyses the time limits), and helpdesk_mgmt's Reporting menu back to its
    managers."""
    menu = env.ref("complaint_sla.complaint_sla_line_menu", raise_if_not_found=False)
    if menu:
        menu.active = True
    reporting = env.ref(
        "helpdesk_mgmt.helpdesk_ticket_reporting_menu", raise_if_not_found=False
    )
    users = env.ref("helpdesk_mgmt.group_helpdesk_user_own", raise_if_not_found=False)
    if reporting and users:
        reporting.groups_id = [Command.unlink(users.id)]
