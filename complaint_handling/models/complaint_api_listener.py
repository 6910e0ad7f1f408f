# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from urllib.parse import parse_qs, urlsplit

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from ..tools.constants import MANAGER_GROUP
from ..tools.tmf621 import EVENT_TYPES


class ComplaintApiListener(models.Model):
    """A listener registered on the TMF621 hub: the events of the tickets
    its owner can read are sent to its callback URL, rendered as the owner
    (record rules and personal data rights apply). A listener that keeps
    failing is suspended and its owner and the complaint managers are told;
    resuming it sends what waited, in order."""

    _name = "complaint.api.listener"
    _description = "Trouble Ticket Event Listener"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _rec_name = "callback"

    callback = fields.Char(string="Callback URL", required=True, tracking=True)
    query = fields.Char(
        help="TMF hub query: eventType=<type>[,<type>…] to receive only those "
        "events (empty: all of them).",
    )
    event_types = fields.Char(
        compute="_compute_event_types",
        store=True,
        help="The event types sent (empty: all).",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Owner",
        required=True,
        default=lambda self: self.env.user,
        ondelete="cascade",
        index=True,
        help="Events are rendered as this user: only the tickets he can read, "
        "with his rights to personal data.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    state = fields.Selection(
        selection=[("active", "Active"), ("suspended", "Suspended")],
        default="active",
        required=True,
        tracking=True,
    )
    active = fields.Boolean(default=True)
    failure_count = fields.Integer(
        string="Failures in a Row", readonly=True, help="Reset by any delivery."
    )
    last_error = fields.Char(readonly=True)
    last_delivery_date = fields.Datetime(readonly=True)
    event_ids = fields.One2many(
        comodel_name="complaint.api.event", inverse_name="listener_id"
    )
    pending_count = fields.Integer(
        string="Events Waiting", compute="_compute_pending_count"
    )

    @api.depends("query")
    def _compute_event_types(self):
        for listener in self:
            listener.event_types = ",".join(listener._parse_query())

    def _compute_pending_count(self):
        counts = dict(
            self.env["complaint.api.event"]._read_group(
                [("listener_id", "in", self.ids), ("state", "=", "pending")],
                ["listener_id"],
                ["__count"],
            )
        )
        for listener in self:
            listener.pending_count = counts.get(listener, 0)

    def _parse_query(self):
        """The event types of the TMF query (ValidationError if unknown)."""
        self.ensure_one()
        params = parse_qs((self.query or "").strip().lstrip("?"))
        names = {
            name.strip()
            for value in params.get("eventType", [])
            for name in value.split(",")
            if name.strip()
        }
        unknown = names - set(EVENT_TYPES)
        if unknown:
            raise ValidationError(
                self.env._(
                    "Unknown event types: %(types)s. Known: %(known)s.",
                    types=", ".join(sorted(unknown)),
                    known=", ".join(EVENT_TYPES),
                )
            )
        return sorted(names)

    @api.constrains("callback")
    def _check_callback(self):
        for listener in self:
            url = urlsplit(listener.callback or "")
            if url.scheme not in ("http", "https") or not url.hostname:
                raise ValidationError(
                    self.env._("The callback must be an http or https URL.")
                )
            if url.username or url.password:
                raise ValidationError(
                    self.env._("The callback URL cannot carry credentials.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        listeners = super().create(vals_list)
        self.env.registry.clear_cache()  # _listener_ids
        return listeners

    def write(self, vals):
        res = super().write(vals)
        if {"state", "active", "company_id", "event_types", "query"} & set(vals):
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res

    @api.model
    @tools.ormcache("company_id")
    def _listener_ids(self, company_id):
        """The active listeners of the company (cached: checked on every
        change of a ticket)."""
        return tuple(
            self.sudo()
            .search([("company_id", "=", company_id), ("state", "=", "active")])
            .ids
        )

    def wants(self, event_type):
        self.ensure_one()
        return not self.event_types or event_type in self.event_types.split(",")

    def action_resume(self):
        """Send again what waited: the events are due now, in order."""
        self.write({"state": "active", "failure_count": 0, "last_error": False})
        events = (
            self.env["complaint.api.event"]
            .sudo()
            .search([("listener_id", "in", self.ids), ("state", "=", "pending")])
        )
        events.write({"next_attempt_date": fields.Datetime.now()})
        for listener in self:
            listener.message_post(
                body=self.env._("Resumed by %(user)s.", user=self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        self.env.ref(
            "complaint_handling.ir_cron_complaint_api_deliver"
        ).sudo()._trigger()
        return True

    def action_suspend(self):
        self.write({"state": "suspended"})
        return True

    def _suspend_after_failures(self):
        """Suspend the listeners that failed too often in a row and tell
        their owner and the complaint managers, each in his language."""
        self.write({"state": "suspended"})
        managers = self.env.ref(MANAGER_GROUP).sudo().users
        for listener in self:
            readers = (
                listener.user_id
                | managers.filtered(
                    lambda u, listener=listener: listener.company_id in u.company_ids
                )
            ).filtered(lambda u: not u.share)
            for reader in readers:
                in_lang = listener.with_context(lang=reader.lang or self.env.lang)
                listener.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=in_lang.env._(
                        "Event listener suspended: %(callback)s",
                        callback=listener.callback,
                    ),
                    note=in_lang.env._(
                        "The listener failed %(count)s times in a row (last "
                        "error: %(error)s). Its events wait: resume it once it "
                        "answers again.",
                        count=listener.failure_count,
                        error=listener.last_error or "",
                    ),
                    user_id=reader.id,
                )
