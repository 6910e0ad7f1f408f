# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools import plaintext2html

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController

from ..tools.validators import valid_phone, valid_service_number
from .portal import ComplaintPortal


class ComplaintPortalNew(ComplaintPortal):
    """The customer's new-complaint form: what it offers, checks and creates."""

    def _complaint_categories(self):
        """The complaint types the customer may choose: helpdesk_mgmt's own
        portal lookup (``_get_categories``), so that what restricts its ticket
        form (e.g. OCA helpdesk_portal_restriction) restricts complaints too,
        and of those, as before, the types shown in the portal of the current
        company. Read as the customer (portal users may read categories)."""
        # The controller instance Odoo serves helpdesk_mgmt's routes with: its
        # class includes the overrides of every installed addon.
        helpdesk = next(
            (
                rule.endpoint.func.__self__
                for rule in request.env["ir.http"].routing_map().iter_rules()
                if isinstance(
                    getattr(rule.endpoint.func, "__self__", None),
                    HelpdeskTicketController,
                )
            ),
            HelpdeskTicketController(),
        )
        # Empty when the company does not let customers choose a category in
        # the portal: the handler then classifies the complaint at intake.
        categories = helpdesk._get_categories()
        return categories.filtered_domain(
            [
                ("show_in_portal", "=", True),
                ("company_id", "in", [False, request.env.company.id]),
            ]
        )

    def _complaint_new_values(self, **extra):
        values = self._prepare_portal_layout_values()
        categories = self._complaint_categories()
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
        ["/my/complaints/new"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        readonly=True,
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
        allowed = values["categories"]
        if allowed and category_id not in allowed.ids:
            errors["category_id"] = env._("Choose the type of problem.")
        elif not allowed and category_id:
            # No type to choose (the form shows none): our staff classify.
            errors["form"] = env._(
                "The type of problem is set by our staff: submit the form as shown."
            )
        phone = (kw.get("contact_phone") or "").strip()
        if not phone:
            errors["contact_phone"] = env._(
                "Give a phone number where we can reach you."
            )
        elif not valid_phone(phone, env["helpdesk.ticket"]._complaint_phone_region()):
            errors["contact_phone"] = env._(
                "Give a mobile number, a landline with its area code, or a number "
                "of Hong Kong, Macao, Taiwan or abroad with its country prefix "
                "(+852…)."
            )
        number = (kw.get("service_number") or "").strip()
        if number and not valid_service_number(number):
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
        ip_address = request.httprequest.remote_addr
        if not errors and env["complaint.portal.submission"]._is_flooding(
            env.user, ip_address, company.complaint_portal_max_per_hour
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
            try:
                with env.cr.savepoint():
                    ticket = self._complaint_new_create(
                        self._complaint_new_vals(kw, company), files, ip_address
                    )
            except (UserError, ValidationError) as error:
                errors["form"] = error.args[0]
        if errors:
            values["errors"] = errors
            return request.render(
                "complaint_handling.portal_complaint_new", values, status=400
            )
        return request.redirect(f"/my/complaints/{ticket.id}?done=submitted")

    def _complaint_new_vals(self, kw, company):
        """The new complaint's values: the whitelisted, checked fields of the
        form only (see _complaint_new_check)."""
        env = request.env
        partner = env.user.partner_id
        vals = {
            "kind": "complaint",
            "company_id": company.id,
            "name": kw["name"].strip(),
            "description": plaintext2html(kw["description"].strip()),
            "category_id": int(kw.get("category_id") or 0) or False,
            "business_line": kw.get("business_line") or False,
            "contact_phone": kw["contact_phone"].strip(),
            "service_number": (kw.get("service_number") or "").strip() or False,
            "customer_demand": (kw.get("customer_demand") or "").strip() or False,
            "partner_id": partner.id,
            "partner_name": partner.name,
            "partner_email": partner.email,
            "received_date": fields.Datetime.now(),
            "first_responder_id": False,
            "user_id": False,
        }
        channel = env.ref(
            "helpdesk_mgmt.helpdesk_ticket_channel_web", raise_if_not_found=False
        )
        if channel:
            vals["channel_id"] = channel.id
        return vals

    def _complaint_new_create(self, vals, files, ip_address):
        """Create the complaint of checked ``vals`` with its ``files``: the
        portal user cannot create tickets, hence the superuser."""
        env = request.env
        user = env.user
        ticket = env["helpdesk.ticket"].sudo().create(vals)
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
        env["complaint.portal.submission"].sudo().create(
            {"user_id": user.id, "ip_address": ip_address}
        )
        return ticket
