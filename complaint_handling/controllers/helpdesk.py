# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.exceptions import BadRequest

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk

from ..tools.constants import PARTNER_AGENT_GROUP


def _portal_complaint_form():
    """Where a portal user goes instead of helpdesk_mgmt's ticket form: the
    complaint form for customers (a complaint is received through it, with
    its checks and time limits), the organisation's list for agents.
    helpdesk_mgmt's submit route stays: what it creates is a consultation,
    never a complaint (``kind`` is set by our form only)."""
    if request.env.user.has_group(PARTNER_AGENT_GROUP):
        return request.redirect("/my/complaints", code=303)
    return request.redirect("/my/complaints/new", code=303)


class HelpdeskTicketControllerSecure(HelpdeskTicketController):
    @http.route("/ticket/close", type="http", auth="user", methods=["POST"], csrf=True)
    def support_ticket_close(self, ticket_id=None, stage_id=None, **kw):
        """helpdesk_mgmt's version finds the ticket as superuser, through a GET,
        without checking who asks: anyone logged in could close any ticket.
        Here only a user allowed to read the ticket closes it, through a
        CSRF-protected POST, into a closing stage of the ticket's team."""
        try:
            ticket_id, stage_id = int(ticket_id), int(stage_id)
        except (TypeError, ValueError) as error:
            raise BadRequest() from error
        ticket = request.env["helpdesk.ticket"].browse(ticket_id)
        try:
            ticket.check_access("read")
            ticket = ticket.exists()
        except (AccessError, MissingError):
            ticket = ticket.browse()
        if not ticket:
            raise request.not_found()
        stage = (
            ticket.team_id.sudo()
            ._get_applicable_stages()
            .filtered(lambda s: s.id == stage_id and s.close_from_portal)
        )
        # Complaints close through their process, never from the portal.
        if stage and ticket.kind != "complaint" and not ticket.closed:
            ticket.sudo().stage_id = stage
        # 302, as helpdesk_mgmt's route answered (its own tests check it).
        return request.redirect(f"/my/ticket/{ticket.id}", code=302)

    @http.route()
    def create_new_ticket(self, **kw):
        if request.env.user.share:
            return _portal_complaint_form()
        return super().create_new_ticket(**kw)

    @http.route(
        "/submitted/ticket",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
        csrf=True,
    )
    def submit_ticket(self, **kw):
        """helpdesk_mgmt's route creates a ticket for any method: a GET needs
        no CSRF token, so a link could create tickets for whoever follows it.
        A POST only here; partner agents work on complaints, never create
        tickets."""
        if request.env.user.has_group(PARTNER_AGENT_GROUP):
            raise request.not_found()
        return super().submit_ticket(**kw)


class CustomerPortalHelpdeskComplaint(CustomerPortalHelpdesk):
    """helpdesk_mgmt's *Tickets* in the portal list the other tickets:
    complaints have their own list and page."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "ticket_count" in counters and values.get("ticket_count"):
            values["ticket_count"] = request.env["helpdesk.ticket"].search_count(
                [("kind", "!=", "complaint")]
            )
        return values

    # helpdesk_mgmt ships no Chinese and Odoo reads a module's code
    # translations from its own files only: its portal labels are given here,
    # translated with ours.
    def _ticket_labels(self, values, labels):
        for key, label in labels.items():
            if key in values:
                values[key]["label"] = label
        return values

    def _ticket_get_searchbar_sortings(self):
        env = request.env
        return self._ticket_labels(
            super()._ticket_get_searchbar_sortings(),
            {
                "date": env._("Newest"),
                "name": env._("Title"),
                "stage": env._("Stage"),
                "update": env._("Last Stage Update"),
            },
        )

    def _ticket_get_searchbar_groupby(self):
        env = request.env
        return self._ticket_labels(
            super()._ticket_get_searchbar_groupby(),
            {
                "none": env._("None"),
                "category": env._("Category"),
                "stage": env._("Stage"),
            },
        )

    def _ticket_get_searchbar_inputs(self):
        env = request.env
        return self._ticket_labels(
            super()._ticket_get_searchbar_inputs(),
            {
                "all": env._("Search in All"),
                "number": env._("Search in Number"),
                "name": env._("Search in Title"),
            },
        )

    @http.route()
    def portal_my_tickets(self, *args, **kw):
        # helpdesk_mgmt builds its domain inside the route: the context tells
        # helpdesk.ticket._search to leave complaints out of this page.
        request.update_context(complaint_portal_hide_complaints=True)
        return super().portal_my_tickets(*args, **kw)

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        # The files the customer may see: not those of internal notes.
        values["portal_attachments"] = ticket._portal_visible_attachments()
        return values

    @http.route()
    def portal_my_ticket(self, ticket_id, access_token=None, **kw):
        """Complaints have their own portal page, which shows each role only
        what it may see (helpdesk_mgmt's page lists every attachment)."""
        ticket = request.env["helpdesk.ticket"].browse(ticket_id)
        if ticket.sudo().exists().kind == "complaint":
            # Same answer as helpdesk_mgmt's for a ticket one may not see.
            if not ticket.has_access("read"):
                return request.redirect("/my")
            return request.redirect(f"/my/complaints/{ticket_id}")
        return super().portal_my_ticket(ticket_id, access_token=access_token, **kw)
