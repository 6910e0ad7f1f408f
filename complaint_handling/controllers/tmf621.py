# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""TM Forum TMF621 Trouble Ticket Management API (v4 and v5 paths), on Odoo's
bearer authentication (API keys). Everything runs as the key's user."""

import json

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.osv import expression
from odoo.tools.misc import file_open

from ..tools.tmf621 import (
    BASE_PATHS,
    DATE_FILTERS,
    DATE_OPERATORS,
    DEFAULT_LIMIT,
    LIST_FILTERS,
    MAX_LIMIT,
    PRIORITY_CODE,
    STATUSES,
    STEP_STATUS,
    TmfError,
    parse_datetime,
)

OPENAPI = "complaint_handling/static/api/tmf621-openapi.json"


def _routes(suffix):
    return [f"{base}{suffix}" for base in BASE_PATHS]


class TroubleTicketController(http.Controller):
    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _response(self, data, status=200, headers=None):
        return request.make_json_response(data, headers=headers, status=status)

    def _error(self, exc):
        return self._response(exc.body(), status=exc.status)

    def _base(self):
        """The base URL of the collection the request addressed."""
        path = request.httprequest.path
        base = next(b for b in BASE_PATHS if path.startswith(b))
        # The address the client called (behind a proxy in proxy mode: the
        # forwarded host), not the database's web.base.url.
        return f"{request.httprequest.host_url.rstrip('/')}{base}"

    def _body(self):
        try:
            data = json.loads(request.httprequest.get_data() or b"null")
        except ValueError:
            raise TmfError(
                400, "Bad Request", request.env._("The body is not valid JSON.")
            ) from None
        if not isinstance(data, dict):
            raise TmfError(
                400, "Bad Request", request.env._("The body must be a JSON object.")
            )
        return data

    def _check_user(self):
        """The API is for internal users (the carrier's integrations); portal
        users have their portal."""
        if not request.env.user._is_internal():
            raise TmfError(
                403,
                "Forbidden",
                request.env._("This API is for internal users only."),
            )

    def _call(self, func, *args):
        """Run ``func`` in a savepoint: on any error nothing it did is kept
        and the client gets TMF's error body."""
        # Messages in the user's language (a bearer request has no session
        # context to take it from).
        request.update_context(lang=request.env.user.lang or "en_US")
        try:
            self._check_user()
            with request.env.cr.savepoint():
                return func(*args)
        except TmfError as exc:
            return self._error(exc)
        except (AccessError, MissingError) as exc:
            return self._error(TmfError(403, "Forbidden", str(exc)))
        except ValidationError as exc:
            return self._error(TmfError(400, "Bad Request", str(exc)))
        except UserError as exc:
            return self._error(TmfError(409, "Conflict", str(exc)))

    def _ticket(self, ticket_id):
        """The ticket the user can read (404 otherwise: another company's, a
        confidential one, or none)."""
        try:
            record_id = int(ticket_id)
        except ValueError:
            record_id = 0
        ticket = request.env["helpdesk.ticket"].search([("id", "=", record_id)])
        if not ticket:
            raise TmfError(
                404,
                "Not Found",
                request.env._("No trouble ticket %(id)s.", id=ticket_id),
            )
        return ticket

    def _fields(self):
        value = request.httprequest.args.get("fields")
        return [name.strip() for name in value.split(",")] if value else None

    # ------------------------------------------------------------------
    # Trouble tickets
    # ------------------------------------------------------------------
    @http.route(
        _routes("/troubleTicket"),
        type="http",
        auth="bearer",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def create_ticket(self, **_kw):
        return self._call(self._create)

    def _create(self):
        ticket, created = request.env["helpdesk.ticket"].tmf_create(self._body())
        href = f"{self._base()}/troubleTicket"
        resource = ticket._tmf_resources(href)[0]
        # 201 for a new ticket; 200 when the external identifier had been
        # received before (the ticket received then).
        status = 201 if created else 200
        headers = [("Location", resource["href"])]
        if not created:
            headers.append(("X-Duplicate-Of", resource["id"]))
        return self._response(resource, status=status, headers=headers)

    @http.route(
        _routes("/troubleTicket"),
        type="http",
        auth="bearer",
        methods=["GET"],
        readonly=True,
        save_session=False,
    )
    def list_tickets(self, **_kw):
        return self._call(self._list)

    def _list(self):
        args = request.httprequest.args
        offset = self._whole(args.get("offset", 0), "offset")
        limit = min(self._whole(args.get("limit", DEFAULT_LIMIT), "limit"), MAX_LIMIT)
        if not limit:
            # The ORM reads 0 as "no limit".
            raise TmfError(
                400, "Bad Request", request.env._("limit must be at least 1.")
            )
        tickets = request.env["helpdesk.ticket"]
        domain = self._list_domain(args)
        total = tickets.search_count(domain)
        found = tickets.search(domain, offset=offset, limit=limit, order="id")
        href = f"{self._base()}/troubleTicket"
        resources = found._tmf_resources(href, self._fields())
        status = 200 if offset + len(found) >= total else 206
        headers = [
            ("X-Total-Count", str(total)),
            ("X-Result-Count", str(len(found))),
        ]
        return self._response(resources, status=status, headers=headers)

    def _whole(self, value, name):
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = -1
        if number < 0:
            raise TmfError(
                400,
                "Bad Request",
                request.env._("%(name)s must be a whole number.", name=name),
            )
        return number

    def _list_domain(self, args):
        """The search domain of the list's filters (400 on bad input)."""
        domain = []
        for param, value in args.items(multi=True):
            name, _dot, operator = param.partition(".")
            if param in LIST_FILTERS:
                values = value.split(",")
                if LIST_FILTERS[param] == "id":
                    values = [self._whole(v, param) for v in values]
                domain.append((LIST_FILTERS[param], "in", values))
            elif param == "status":
                domain = expression.AND([domain, self._status_domain(value)])
            elif param == "priority":
                codes = [PRIORITY_CODE.get(v) for v in value.split(",")]
                domain.append(("priority", "in", codes))
            elif name in DATE_FILTERS and operator in DATE_OPERATORS:
                try:
                    when = parse_datetime(value)
                except ValueError:
                    raise TmfError(
                        400,
                        "Bad Request",
                        request.env._(
                            "%(name)s must be an ISO 8601 date-time.", name=param
                        ),
                    ) from None
                domain.append((DATE_FILTERS[name], DATE_OPERATORS[operator], when))
            elif param not in ("fields", "offset", "limit"):
                raise TmfError(
                    400,
                    "Bad Request",
                    request.env._("Unknown filter: %(name)s.", name=param),
                )
        return domain

    def _status_domain(self, value):
        statuses = value.split(",")
        unknown = set(statuses) - set(STATUSES)
        if unknown:
            raise TmfError(
                400,
                "Bad Request",
                request.env._(
                    "status must be one of: %(values)s.", values=", ".join(STATUSES)
                ),
            )
        steps = [step for step, status in STEP_STATUS.items() if status in statuses]
        domains = [[("kind", "=", "complaint"), ("complaint_state", "in", steps)]]
        if {"closed", "resolved"} & set(statuses):
            domains.append(
                [("kind", "!=", "complaint"), ("stage_id.closed", "=", True)]
            )
        if {"acknowledged", "inProgress"} & set(statuses):
            domains.append(
                [("kind", "!=", "complaint"), ("stage_id.closed", "=", False)]
            )
        return expression.OR(domains)

    @http.route(
        _routes("/troubleTicket/<string:ticket_id>"),
        type="http",
        auth="bearer",
        methods=["GET"],
        readonly=True,
        save_session=False,
    )
    def get_ticket(self, ticket_id, **_kw):
        return self._call(self._get, ticket_id)

    def _get(self, ticket_id):
        ticket = self._ticket(ticket_id)
        href = f"{self._base()}/troubleTicket"
        return self._response(ticket._tmf_resources(href, self._fields())[0])

    @http.route(
        _routes("/troubleTicket/<string:ticket_id>"),
        type="http",
        auth="bearer",
        methods=["PATCH"],
        csrf=False,
        save_session=False,
    )
    def patch_ticket(self, ticket_id, **_kw):
        return self._call(self._patch, ticket_id)

    def _patch(self, ticket_id):
        ticket = self._ticket(ticket_id)
        ticket.tmf_patch(self._body())
        href = f"{self._base()}/troubleTicket"
        return self._response(ticket._tmf_resources(href)[0])

    # ------------------------------------------------------------------
    # Events hub
    # ------------------------------------------------------------------
    @http.route(
        _routes("/hub"),
        type="http",
        auth="bearer",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def register_listener(self, **_kw):
        return self._call(self._register)

    def _register(self):
        data = self._body()
        unknown = set(data) - {"callback", "query", "@type"}
        if unknown or not isinstance(data.get("callback"), str):
            raise TmfError(
                400,
                "Bad Request",
                request.env._("A hub registration has a callback and a query."),
            )
        listener = request.env["complaint.api.listener"].create(
            {"callback": data["callback"], "query": data.get("query") or False}
        )
        listener._parse_query()
        body = {
            "id": str(listener.id),
            "callback": listener.callback,
            "query": listener.query or "",
            "@type": "Hub",
        }
        return self._response(
            body,
            status=201,
            headers=[("Location", f"{self._base()}/hub/{listener.id}")],
        )

    @http.route(
        _routes("/hub/<string:listener_id>"),
        type="http",
        auth="bearer",
        methods=["DELETE"],
        csrf=False,
        save_session=False,
    )
    def unregister_listener(self, listener_id, **_kw):
        return self._call(self._unregister, listener_id)

    def _unregister(self, listener_id):
        try:
            record_id = int(listener_id)
        except ValueError:
            record_id = 0
        listener = request.env["complaint.api.listener"].search(
            [("id", "=", record_id)]
        )
        if not listener:
            raise TmfError(
                404,
                "Not Found",
                request.env._("No listener %(id)s.", id=listener_id),
            )
        listener.unlink()
        return request.make_response("", status=204)

    # ------------------------------------------------------------------
    # The API's description
    # ------------------------------------------------------------------
    @http.route(
        _routes("/openapi.json"),
        type="http",
        auth="none",
        methods=["GET"],
        readonly=True,
        save_session=False,
    )
    def openapi(self, **_kw):
        with file_open(OPENAPI, "rb") as document:
            return request.make_response(
                document.read(), headers=[("Content-Type", "application/json")]
            )
