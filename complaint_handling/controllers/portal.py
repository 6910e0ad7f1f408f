# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import os

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.tools import plaintext2html

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.complaint_callback import SATISFACTION
from ..models.helpdesk_ticket import (
    PARTNER_AGENT_GROUP,
    SERVICE_NUMBER_RE,
    valid_phone,
)

# Agent actions: route suffix -> (method of helpdesk.ticket, form fields)
AGENT_ACTIONS = {
    "acknowledge": ("_partner_acknowledge", ()),
    "return": ("_partner_return", ("reason", "note")),
    "take": ("_partner_take", ()),
    "solution": ("_partner_propose_solution", ("measures",)),
    "confirm": ("_partner_confirm_solution", ()),
}


# The portal's actions: CSRF-protected POSTs of logged-in users.
POST_ROUTE = {
    "type": "http",
    "auth": "user",
    "website": True,
    "methods": ["POST"],
    "csrf": True,
}


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
                "domain": [("complaint_state", "not in", ("closed", "refused"))],
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
        count = Ticket.search_count(domain)
        pager = portal_pager(
            url="/my/complaints",
            url_args={"filterby": filterby, "search": search},
            total=count,
            page=page,
            step=self._complaints_per_page,
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
        values.update(extra)
        return values

    @http.route(
        ["/my/complaints/<int:complaint_id>"], type="http", auth="user", website=True
    )
    def portal_my_complaint(self, complaint_id, **kw):
        try:
            ticket, role = self._complaint_get(complaint_id)
        except MissingError:
            raise request.not_found() from None
        values = self._complaint_page_values(ticket, role)
        return request.render("complaint_handling.portal_complaint_page", values)

    @http.route(
        ["/my/complaints/<int:complaint_id>/file/<int:attachment_id>"],
        type="http",
        auth="user",
        website=True,
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
        again with the reason and what was typed."""
        try:
            ticket, role = self._complaint_get(complaint_id)
        except MissingError:
            raise request.not_found() from None
        if role not in roles:
            raise request.not_found()
        try:
            with request.env.cr.savepoint():
                run(ticket)
        except AccessError:
            raise request.not_found() from None
        except (UserError, ValidationError) as error:
            ticket.invalidate_recordset()
            values = self._complaint_page_values(
                ticket,
                role,
                error=error.args[0],
                error_action=action,
                form=dict(request.params),
            )
            return request.render(
                "complaint_handling.portal_complaint_page", values, status=400
            )
        return request.redirect(f"/my/complaints/{complaint_id}?done={action}")

    @http.route(
        [
            "/my/complaints/<int:complaint_id>/<any("
            + ",".join(AGENT_ACTIONS)
            + "):action>"
        ],
        **POST_ROUTE,
    )
    def portal_complaint_agent_action(self, complaint_id, action, **kw):
        method, params = AGENT_ACTIONS[action]

        def run(ticket):
            getattr(ticket, method)(*[kw.get(param) for param in params])

        if action == "confirm" and not self._complaint_is_agent():
            return self._complaint_run(
                complaint_id,
                action,
                lambda t: t._portal_customer_confirm(),
                roles=("customer",),
            )
        return self._complaint_run(complaint_id, action, run)

    @http.route(
        ["/my/complaints/<int:complaint_id>/assign"],
        **POST_ROUTE,
    )
    def portal_complaint_assign(self, complaint_id, agent_id=None, **kw):
        def run(ticket):
            try:
                agent = request.env["res.users"].browse(int(agent_id or 0))
            except ValueError as error:
                raise UserError(request.env._("Choose an agent.")) from error
            ticket._partner_assign(agent)

        return self._complaint_run(complaint_id, "assign", run)

    @http.route(
        ["/my/complaints/<int:complaint_id>/log"],
        **POST_ROUTE,
    )
    def portal_complaint_log(self, complaint_id, **kw):
        def run(ticket):
            if not (kw.get("description") or "").strip():
                raise UserError(request.env._("Describe what was done."))
            files = self._complaint_files(ticket.sudo().company_id)
            ticket._partner_add_log(kw, files)

        return self._complaint_run(complaint_id, "log", run)

    @http.route(
        ["/my/complaints/<int:complaint_id>/feedback"],
        **POST_ROUTE,
    )
    def portal_complaint_feedback(self, complaint_id, **kw):
        def run(ticket):
            if not (kw.get("conclusion") or "").strip():
                raise UserError(
                    request.env._("Write the conclusion told to the customer.")
                )
            ticket._partner_report_result(kw)

        return self._complaint_run(complaint_id, "feedback", run)

    @http.route(
        ["/my/complaints/<int:complaint_id>/callback"],
        **POST_ROUTE,
    )
    def portal_complaint_callback(self, complaint_id, **kw):
        return self._complaint_run(
            complaint_id,
            "callback",
            lambda ticket: ticket._partner_record_callback(kw),
        )

    @http.route(
        ["/my/complaints/<int:complaint_id>/rate"],
        **POST_ROUTE,
    )
    def portal_complaint_rate(self, complaint_id, **kw):
        return self._complaint_run(
            complaint_id,
            "rate",
            lambda ticket: ticket._portal_customer_rate(
                kw.get("satisfaction"), kw.get("problem_solved"), kw.get("comment")
            ),
            roles=("customer",),
        )

    # ------------------------------------------------------------------
    # Customer: new complaint
    # ------------------------------------------------------------------

    def _complaint_new_values(self, **extra):
        values = self._prepare_portal_layout_values()
        categories = (
            request.env["helpdesk.ticket.category"]
            .sudo()
            .search(
                [
                    ("show_in_portal", "=", True),
                    ("company_id", "in", [False, request.env.company.id]),
                ]
            )
        )
        company = request.env.company.sudo()
        values.update(
            {
                "page_name": "complaint_new",
                "categories": categories,
                "business_lines": request.env["helpdesk.ticket"]
                ._fields["business_line"]
                ._description_selection(request.env),
                "company": company,
                "files_hint": request.env._(
                    "At most %(count)s files of %(size)s MB each, of these types: "
                    "%(types)s. Files are not kept when the form shows an error: "
                    "attach them again.",
                    count=company.complaint_portal_max_files,
                    size=company.complaint_portal_max_file_mb,
                    types=company.complaint_portal_file_types,
                ),
                "errors": {},
                "form": {},
            }
        )
        values.update(extra)
        return values

    @http.route(
        ["/my/complaints/new"], type="http", auth="user", methods=["GET"], website=True
    )
    def portal_complaint_new(self, **kw):
        if self._complaint_is_agent():
            return request.redirect("/my/complaints")
        return request.render(
            "complaint_handling.portal_complaint_new", self._complaint_new_values()
        )

    def _complaint_new_check(self, kw, values):
        """{field: message} of what is wrong in the submitted form (``values``:
        the form's choices, see _complaint_new_values)."""
        env = request.env
        errors = {}
        if not (kw.get("name") or "").strip():
            errors["name"] = env._("Give your complaint a short title.")
        elif len(kw["name"]) > 200:
            errors["name"] = env._("Use at most 200 characters for the title.")
        description = (kw.get("description") or "").strip()
        if len(description) < 10:
            errors["description"] = env._(
                "Describe the problem in a few words (at least 10 characters)."
            )
        elif len(description) > 10000:
            errors["description"] = env._("The description is too long.")
        try:
            category_id = int(kw.get("category_id") or 0)
        except ValueError:
            category_id = 0
        if category_id not in values["categories"].ids:
            errors["category_id"] = env._("Choose the type of problem.")
        phone = (kw.get("contact_phone") or "").strip()
        if not phone:
            errors["contact_phone"] = env._(
                "Give a phone number where we can reach you."
            )
        elif not valid_phone(phone):
            errors["contact_phone"] = env._(
                "Give an 11-digit mobile number or a landline with its area code."
            )
        number = (kw.get("service_number") or "").strip()
        if number and not SERVICE_NUMBER_RE.match(number):
            errors["service_number"] = env._(
                "A service number has 3 to 32 letters, digits or dashes."
            )
        business_lines = dict(values["business_lines"])
        if kw.get("business_line") and kw["business_line"] not in business_lines:
            errors["business_line"] = env._("Choose a service.")
        return errors

    @http.route(
        ["/my/complaints/new"],
        type="http",
        auth="user",
        methods=["POST"],
        csrf=True,
        website=True,
    )
    def portal_complaint_submit(self, **kw):
        if self._complaint_is_agent():
            raise request.not_found()
        env = request.env
        values = self._complaint_new_values(form=dict(kw))
        company = values["company"]
        errors = self._complaint_new_check(kw, values)
        user = env.user
        ip_address = request.httprequest.remote_addr
        Submission = env["complaint.portal.submission"]
        if not errors and Submission._is_flooding(
            user, ip_address, company.complaint_portal_max_per_hour
        ):
            errors["form"] = env._(
                "You have submitted many complaints in the last hour. Please wait "
                "before submitting another one, or call our service line."
            )
        files = []
        if not errors:
            try:
                files = self._complaint_files(company)
            except UserError as error:
                errors["attachments"] = error.args[0]
        ticket = env["helpdesk.ticket"]
        if not errors:
            vals = {
                "kind": "complaint",
                "company_id": company.id,
                "name": kw["name"].strip(),
                "description": plaintext2html(kw["description"].strip()),
                "category_id": int(kw["category_id"]),
                "business_line": kw.get("business_line") or False,
                "contact_phone": kw["contact_phone"].strip(),
                "service_number": (kw.get("service_number") or "").strip() or False,
                "customer_demand": (kw.get("customer_demand") or "").strip() or False,
                "partner_id": user.partner_id.id,
                "partner_name": user.partner_id.name,
                "partner_email": user.partner_id.email,
                "received_date": fields.Datetime.now(),
                "first_responder_id": False,
                "user_id": False,
            }
            channel = env.ref(
                "helpdesk_mgmt.helpdesk_ticket_channel_web", raise_if_not_found=False
            )
            if channel:
                vals["channel_id"] = channel.id
            try:
                with env.cr.savepoint():
                    # The portal user cannot create tickets: the values above are
                    # the whitelisted, checked fields of the form only.
                    ticket = ticket.sudo().create(vals)
                    # As helpdesk_mgmt's form: the customer follows the replies.
                    ticket.message_subscribe(partner_ids=user.partner_id.ids)
                    if files:
                        env["ir.attachment"].sudo().create(
                            [
                                {
                                    "name": name,
                                    "raw": raw,
                                    "res_model": "helpdesk.ticket",
                                    "res_id": ticket.id,
                                }
                                for name, raw in files
                            ]
                        )
                    Submission.sudo().create(
                        {"user_id": user.id, "ip_address": ip_address}
                    )
            except (UserError, ValidationError) as error:
                errors["form"] = error.args[0]
        if errors:
            values["errors"] = errors
            return request.render(
                "complaint_handling.portal_complaint_new", values, status=400
            )
        return request.redirect(f"/my/complaints/{ticket.id}?done=submitted")
