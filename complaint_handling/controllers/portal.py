# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import os

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.complaint_callback import SATISFACTION
from ..tools.constants import CONCLUDED_STEPS, PARTNER_AGENT_GROUP

# The portal's actions: CSRF-protected POSTs of logged-in users.
POST_ROUTE = {
    "type": "http",
    "auth": "user",
    "website": True,
    "methods": ["POST"],
    "csrf": True,
}

# Pages a list's pager counts beyond the current one: portal.pager shows five
# page links (two each side of the current page, the first five on page 1).
PAGER_LOOKAHEAD = 4


def capped_pager(model, domain, url, page=1, step=20, url_args=None):
    """portal.pager's values for the records of ``model`` matching ``domain``,
    counting no further than the pages it links to and one record beyond (as
    the web client caps its counts, "1-80 / 1000+"): a list page costs the
    same whatever the number of records.

    The count is exact when the records end within ``PAGER_LOOKAHEAD`` pages
    after ``page``; otherwise ``total_capped`` is set, ``total`` is the capped
    count and the pager ends on the page after that reach, which has records:
    its links and "next" stay right, and each page counts further ahead.
    (portal.pager shows no total and no link to the last page.)"""
    page = max(int(page) if str(page).isdigit() else 1, 1)
    limit = (page + PAGER_LOOKAHEAD) * step + 1
    # A page number past any table (ids are 32-bit): count them all.
    total = model.search_count(domain, limit=limit if limit < 2**31 else None)
    values = portal_pager(url=url, url_args=url_args, total=total, page=page, step=step)
    values.update(total=total, total_capped=total == limit)
    return values


class ComplaintPortal(CustomerPortal):
    _complaints_per_page = 20

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _complaint_is_agent(self):
        return request.env.user.has_group(PARTNER_AGENT_GROUP)

    def _complaint_list_domain(self):
        user = request.env.user
        if self._complaint_is_agent():
            return [
                ("kind", "=", "complaint"),
                ("partner_org_id", "=", user.commercial_partner_id.id),
            ]
        return [
            ("kind", "=", "complaint"),
            ("partner_id", "child_of", user.commercial_partner_id.id),
        ]

    def _complaint_get(self, complaint_id):
        """The complaint as the current user sees it, and the user's role on
        it; raises MissingError when the user has no business with it."""
        ticket = request.env["helpdesk.ticket"].browse(complaint_id)
        try:
            ticket.check_access("read")
            ticket = ticket.exists()
        except AccessError as error:
            raise MissingError(request.env._("No such complaint.")) from error
        if not ticket or ticket.kind != "complaint":
            raise MissingError(request.env._("No such complaint."))
        if ticket._complaint_is_agent():
            return ticket, "agent"
        user = request.env.user
        if ticket.partner_id.commercial_partner_id == user.commercial_partner_id:
            return ticket, "customer"
        raise MissingError(request.env._("No such complaint."))

    def _complaint_files(self, company):
        """Uploaded files as [(name, bytes)], checked against the company's
        limits; raises UserError with the reason."""
        files = [
            f
            for f in request.httprequest.files.getlist("attachments")
            if f and f.filename
        ]
        if len(files) > company.complaint_portal_max_files:
            raise UserError(
                request.env._(
                    "Attach at most %(count)s files.",
                    count=company.complaint_portal_max_files,
                )
            )
        limit = company.complaint_portal_max_file_mb * 1024 * 1024
        result = []
        for upload in files:
            name = os.path.basename(upload.filename)
            raw = upload.read(limit + 1)
            company._complaint_check_portal_file(name, len(raw))
            result.append((name, raw))
        return result

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "complaint_count" in counters:
            Ticket = request.env["helpdesk.ticket"]
            values["complaint_count"] = (
                Ticket.search_count(self._complaint_list_domain())
                if Ticket.has_access("read")
                else 0
            )
        return values

    # ------------------------------------------------------------------
    # Lists and pages
    # ------------------------------------------------------------------

    def _complaint_filters(self, is_agent):
        env = request.env
        filters = {
            "open": {
                "label": env._("Open"),
                "domain": [("complaint_state", "not in", CONCLUDED_STEPS)],
            },
            "all": {"label": env._("All"), "domain": []},
        }
        if is_agent:
            filters["to_acknowledge"] = {
                "label": env._("To acknowledge"),
                "domain": [("transfer_state", "=", "sent")],
            }
            filters["mine"] = {
                "label": env._("Mine"),
                "domain": [("partner_agent_id", "=", env.uid)],
            }
        return filters

    @http.route(
        ["/my/complaints", "/my/complaints/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_complaints(self, page=1, filterby="open", search=None, **kw):
        Ticket = request.env["helpdesk.ticket"]
        is_agent = self._complaint_is_agent()
        filters = self._complaint_filters(is_agent)
        filterby = filterby if filterby in filters else "open"
        domain = self._complaint_list_domain() + filters[filterby]["domain"]
        if search:
            domain += [
                "|",
                ("number", "ilike", search),
                ("name", "ilike", search),
            ]
        pager = capped_pager(
            Ticket,
            domain,
            "/my/complaints",
            page=page,
            step=self._complaints_per_page,
            url_args={"filterby": filterby, "search": search},
        )
        complaints = Ticket.search(
            domain,
            order="received_date desc, id desc",
            limit=self._complaints_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "complaints": complaints,
                "notice": self._complaint_gone_notice(
                    kw.get("gone"), kw.get("unsaved")
                ),
                "is_agent": is_agent,
                "page_name": "complaint",
                "pager": pager,
                "default_url": "/my/complaints",
                "searchbar_filters": filters,
                "filterby": filterby,
                "search": search,
                "search_in": "all",
                "searchbar_inputs": {
                    "all": {"input": "all", "label": request.env._("Number or title")}
                },
            }
        )
        return request.render("complaint_handling.portal_my_complaints", values)

    def _complaint_customer_files(self, ticket_sudo, role):
        """The customer's uploads on the complaint (to the customer: their
        own); never the carrier's internal attachments."""
        user = request.env.user
        if role == "customer":
            return ticket_sudo.attachment_ids.filtered(lambda a: a.create_uid == user)
        customer = ticket_sudo.partner_id.commercial_partner_id
        return ticket_sudo.attachment_ids.filtered(
            lambda a: a.create_uid.share
            and a.create_uid.partner_id.commercial_partner_id == customer
        )

    def _complaint_page_values(self, ticket, role, **extra):
        ticket_sudo = ticket.sudo()
        values = self._prepare_portal_layout_values()
        user = request.env.user
        values.update(
            {
                "complaint": ticket_sudo,
                "role": role,
                "page_name": "complaint",
                "satisfaction_levels": SATISFACTION,
                "error": None,
                "error_action": None,
                "form": {},
                "message": request.params.get("done"),
            }
        )
        if role == "agent":
            log_model = request.env["complaint.handling.log"]
            values.update(
                {
                    "logs": ticket_sudo.handling_log_ids,
                    "log_types": log_model._fields["log_type"]._description_selection(
                        request.env
                    ),
                    "contact_results": log_model._fields[
                        "contact_result"
                    ]._description_selection(request.env),
                    "return_reasons": request.env["complaint.transfer"]
                    ._fields["return_reason"]
                    ._description_selection(request.env),
                    "feedback_channels": request.env["complaint.feedback"]
                    ._fields["channel"]
                    ._description_selection(request.env),
                    "is_supervisor": ticket._complaint_is_agent(supervisor=True),
                    "org_agents": ticket_sudo.partner_org_id.complaint_agent_ids,
                    "is_mine": ticket_sudo.partner_agent_id == user,
                }
            )
        values["customer_files"] = self._complaint_customer_files(ticket_sudo, role)
        values["forms"] = self._complaint_forms(
            ticket_sudo,
            role,
            is_mine=values.get("is_mine"),
            is_supervisor=values.get("is_supervisor"),
        )
        values.update(extra)
        # On a refusal whose form the page no longer shows (someone acted
        # first), what was typed is given back with the reason.
        form = values["form"] or {}
        values["typed"] = [
            form[name].strip()
            for name in self._complaint_typed_fields
            if isinstance(form.get(name), str) and form[name].strip()
        ]
        return values

    # The free-text fields of the page's forms, in the order of the page.
    _complaint_typed_fields = (
        "description",
        "measures",
        "conclusion",
        "basis",
        "plan",
        "execution",
        "comment",
        "note",
    )

    def _complaint_forms(self, ticket_sudo, role, is_mine=False, is_supervisor=False):
        """Which action forms the complaint page shows, by action (the route's
        last part): the template's conditions, kept here so that a refused
        action knows whether its form, with what was typed, is still shown."""
        c = ticket_sudo
        state = c.complaint_state
        if role == "customer":
            return {
                "confirm": bool(c.solution_measures)
                and not c.customer_confirmed
                and state == "handling",
                "rate": state == "result_reported",
            }
        acknowledged = c.transfer_state == "acknowledged"
        can_act = (
            acknowledged
            and state not in ("closed", "refused")
            and (not c.partner_agent_id or bool(is_mine) or bool(is_supervisor))
        )
        return {
            "acknowledge": c.transfer_state == "sent",
            "take": acknowledged and not c.partner_agent_id,
            "assign": acknowledged and bool(is_supervisor),
            "log": can_act,
            "solution": can_act and state == "handling",
            "confirm": can_act and state == "handling" and bool(c.solution_measures),
            "feedback": can_act and state == "solution_confirmed",
            "callback": can_act and state == "result_reported",
            "return": bool(c.transfer_state) and state in ("accepted", "handling"),
        }

    @http.route(
        ["/my/complaints/<int:complaint_id>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_complaint(self, complaint_id, **kw):
        try:
            ticket, role = self._complaint_get(complaint_id)
        except MissingError:
            return self._complaint_gone(complaint_id)
        values = self._complaint_page_values(ticket, role)
        return request.render("complaint_handling.portal_complaint_page", values)

    @http.route(
        ["/my/complaints/<int:complaint_id>/file/<int:attachment_id>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_complaint_file(self, complaint_id, attachment_id, **kw):
        """Evidence files (agents) and the customer's own uploads; nothing of
        the carrier's internal attachments."""
        try:
            ticket, role = self._complaint_get(complaint_id)
        except MissingError:
            raise request.not_found() from None
        ticket_sudo = ticket.sudo()
        allowed = self._complaint_customer_files(ticket_sudo, role)
        if role == "agent":
            allowed |= ticket_sudo.handling_log_ids.attachment_ids
        attachment = allowed.filtered(lambda a: a.id == attachment_id)
        if not attachment:
            raise request.not_found()
        return (
            request.env["ir.binary"]
            ._get_stream_from(attachment)
            .get_response(as_attachment=True)
        )

    # ------------------------------------------------------------------
    # Actions (POST, CSRF-protected)
    # ------------------------------------------------------------------

    def _complaint_run(self, complaint_id, action, run, roles=("agent",)):
        """Run ``run(ticket)`` for an allowed role; on a refusal, show the page
        again (a plain 200: the user acted on the page as it was shown, and
        someone else may have acted first) with the reason at its top and by
        the form, and what was typed."""
        try:
            ticket, role = self._complaint_get(complaint_id)
        except MissingError:
            return self._complaint_gone(complaint_id, unsaved=True)
        if role not in roles:
            raise request.not_found()
        try:
            with request.env.cr.savepoint():
                run(ticket)
        except AccessError:
            raise request.not_found() from None
        except (UserError, ValidationError) as error:
            # The savepoint's rollback emptied the cache: the page shows the
            # complaint as it is now (e.g. acknowledged by a colleague).
            values = self._complaint_page_values(
                ticket,
                role,
                error=error.args[0],
                error_action=action,
                form=dict(request.params),
            )
            return request.render("complaint_handling.portal_complaint_page", values)
        return request.redirect(f"/my/complaints/{complaint_id}?done={action}")

    def _complaint_handed_before(self, complaint_id):
        """The last hand-off of complaint ``complaint_id`` to the current
        agent's organisation, if it had it (as superuser: the agent no longer
        reads it); empty for anyone else."""
        Transfer = request.env["complaint.transfer"]
        try:
            complaint_id = int(complaint_id or 0)
        except ValueError:
            return Transfer
        if not complaint_id or not self._complaint_is_agent():
            return Transfer
        return Transfer.sudo().search(
            [
                ("ticket_id", "=", complaint_id),
                ("partner_org_id", "=", request.env.user.commercial_partner_id.id),
            ],
            limit=1,
        )

    def _complaint_gone(self, complaint_id, unsaved=False):
        """A complaint the user may not see (any more): to an agent whose
        organisation had it (taken back, returned or reassigned after the page
        was shown), the list with the reason; a plain 404 to anyone else."""
        if not self._complaint_handed_before(complaint_id):
            raise request.not_found()
        query = f"gone={complaint_id}" + ("&unsaved=1" if unsaved else "")
        return request.redirect(f"/my/complaints?{query}")

    def _complaint_gone_notice(self, complaint_id, unsaved=False):
        """The list's notice about a complaint no longer handed to the agent's
        organisation (see ``_complaint_gone``)."""
        transfer = self._complaint_handed_before(complaint_id)
        if not transfer or transfer.ticket_id.partner_org_id == transfer.partner_org_id:
            return None
        env = request.env
        ended = dict(transfer._fields["state"]._description_selection(env))
        notice = env._(
            "Complaint %(number)s is no longer handed to your organisation "
            "(%(state)s).",
            number=transfer.ticket_id.number,
            state=ended[transfer.state],
        )
        if unsaved:
            notice += " " + env._("What you sent on it was not saved.")
        return notice

    @staticmethod
    def _complaint_hand_off(ticket):
        """The current hand-off of a complaint read as the agent: the agents'
        actions are its methods, each checking the agent's right."""
        transfer = ticket.transfer_id
        if not transfer:
            raise AccessError(request.env._("This complaint is not handed to you."))
        return transfer

    @http.route(["/my/complaints/<int:complaint_id>/acknowledge"], **POST_ROUTE)
    def portal_complaint_acknowledge(self, complaint_id, **kw):
        return self._complaint_run(
            complaint_id,
            "acknowledge",
            lambda ticket: self._complaint_hand_off(ticket).action_acknowledge(),
        )

    @http.route(["/my/complaints/<int:complaint_id>/return"], **POST_ROUTE)
    def portal_complaint_return(self, complaint_id, reason=None, note=None, **kw):
        return self._complaint_run(
            complaint_id,
            "return",
            lambda ticket: self._complaint_hand_off(ticket).action_return(reason, note),
        )

    @http.route(["/my/complaints/<int:complaint_id>/take"], **POST_ROUTE)
    def portal_complaint_take(self, complaint_id, **kw):
        return self._complaint_run(
            complaint_id,
            "take",
            lambda ticket: self._complaint_hand_off(ticket).action_take(),
        )

    @http.route(["/my/complaints/<int:complaint_id>/solution"], **POST_ROUTE)
    def portal_complaint_solution(self, complaint_id, measures=None, **kw):
        return self._complaint_run(
            complaint_id,
            "solution",
            lambda ticket: self._complaint_hand_off(ticket).action_propose_solution(
                measures
            ),
        )

    @http.route(["/my/complaints/<int:complaint_id>/confirm"], **POST_ROUTE)
    def portal_complaint_confirm(self, complaint_id, **kw):
        """The agent records the customer's agreement; the customer gives it."""
        if not self._complaint_is_agent():
            return self._complaint_run(
                complaint_id,
                "confirm",
                lambda ticket: ticket.action_portal_confirm_solution(),
                roles=("customer",),
            )
        return self._complaint_run(
            complaint_id,
            "confirm",
            lambda ticket: self._complaint_hand_off(ticket).action_confirm_solution(),
        )

    @http.route(["/my/complaints/<int:complaint_id>/assign"], **POST_ROUTE)
    def portal_complaint_assign(self, complaint_id, agent_id=None, **kw):
        def run(ticket):
            try:
                agent = request.env["res.users"].browse(int(agent_id or 0))
            except ValueError as error:
                raise UserError(request.env._("Choose an agent.")) from error
            transfer = self._complaint_hand_off(ticket)
            transfer.with_context(**self._complaint_assign_context(kw)).action_assign(
                agent
            )

        return self._complaint_run(complaint_id, "assign", run)

    def _complaint_assign_context(self, kw):
        """Hook: the context of a supervisor agent's assignment, from the
        fields other addons put in the assignment form."""
        return {}

    @http.route(["/my/complaints/<int:complaint_id>/log"], **POST_ROUTE)
    def portal_complaint_log(self, complaint_id, **kw):
        def run(ticket):
            transfer = self._complaint_hand_off(ticket)
            files = self._complaint_files(ticket.sudo().company_id)
            transfer.action_add_log(kw, files)

        return self._complaint_run(complaint_id, "log", run)

    @http.route(["/my/complaints/<int:complaint_id>/feedback"], **POST_ROUTE)
    def portal_complaint_feedback(self, complaint_id, **kw):
        def run(ticket):
            if not (kw.get("conclusion") or "").strip():
                raise UserError(
                    request.env._("Write the conclusion told to the customer.")
                )
            self._complaint_hand_off(ticket).action_report_result(kw)

        return self._complaint_run(complaint_id, "feedback", run)

    @http.route(["/my/complaints/<int:complaint_id>/callback"], **POST_ROUTE)
    def portal_complaint_callback(self, complaint_id, **kw):
        return self._complaint_run(
            complaint_id,
            "callback",
            lambda ticket: self._complaint_hand_off(ticket).action_record_callback(kw),
        )

    @http.route(["/my/complaints/<int:complaint_id>/rate"], **POST_ROUTE)
    def portal_complaint_rate(self, complaint_id, **kw):
        return self._complaint_run(
            complaint_id,
            "rate",
            lambda ticket: ticket.action_portal_rate(
                kw.get("satisfaction"), kw.get("problem_solved"), kw.get("comment")
            ),
            roles=("customer",),
        )
