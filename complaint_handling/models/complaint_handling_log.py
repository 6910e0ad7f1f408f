# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.text import text_to_html
from .complaint_process_record import correction_fields


class ComplaintHandlingLog(models.Model):
    _name = "complaint.handling.log"
    _inherit = "complaint.process.record"
    _complaint_anonymized_fields = {"description": True, "tech_answer": False}
    # The technical contact answers a request after it is made.
    _complaint_open_fields = frozenset({"tech_answer"})
    _description = "Complaint Handling Step"
    _order = "date desc, id desc"

    log_type = fields.Selection(
        selection=[
            ("contact", "Contact attempt"),
            ("tech_request", "Technical check request"),
            ("verification", "Business verification"),
            ("finding", "Finding"),
            ("evidence", "Evidence"),
            ("note", "Other step"),
        ],
        string="Type",
        required=True,
        default="contact",
    )
    contact_result = fields.Selection(
        selection=[
            ("reached", "Reached the customer"),
            ("no_answer", "No answer"),
            ("busy", "Line busy"),
            ("refused", "Customer declined to talk"),
            ("wrong_number", "Wrong number"),
        ],
    )
    description = fields.Text(required=True)
    attachment_ids = fields.Many2many(
        comodel_name="ir.attachment",
        relation="complaint_handling_log_attachment_rel",
        column1="log_id",
        column2="attachment_id",
        string="Evidence Files",
    )
    tech_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Technical Contact",
        domain="[('share', '=', False)]",
        compute="_compute_tech_user_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    tech_answer = fields.Text(string="Technical Answer")
    tech_answer_date = fields.Datetime(readonly=True)
    activity_id = fields.Many2one(comodel_name="mail.activity", readonly=True)
    correction_of_id, corrected_by_id = correction_fields("complaint.handling.log")

    @api.depends("log_type", "ticket_id")
    def _compute_tech_user_id(self):
        """Only a technical check request has a technical contact: the
        company's by default."""
        for log in self:
            if log.log_type != "tech_request":
                log.tech_user_id = False
            elif not log.tech_user_id:
                log.tech_user_id = log.ticket_id.company_id.complaint_tech_user_id

    @api.constrains("log_type", "contact_result", "tech_user_id")
    def _check_type_details(self):
        for log in self:
            if log.log_type == "contact" and not log.contact_result:
                raise ValidationError(
                    self.env._("A contact attempt needs its outcome.")
                )
            if log.log_type == "tech_request" and not log.tech_user_id:
                raise ValidationError(
                    self.env._(
                        "A technical check request needs the technical contact "
                        "who must answer it."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.pop("tech_answer_date", None)
            vals.pop("activity_id", None)
        logs = super().create(vals_list)
        # Whatever the values said, only a technical request keeps a contact.
        logs.filtered(
            lambda log: log.log_type != "tech_request" and log.tech_user_id
        )._complaint_write({"tech_user_id": False})
        logs.filtered(lambda log: log.log_type == "tech_request")._request_tech_check()
        reached = logs.filtered(
            lambda log: log.log_type == "contact" and log.contact_result == "reached"
        )
        # One event per batch and date (a batch is usually recorded at once).
        for date, same in reached.grouped("date").items():
            same.ticket_id._complaint_event("first_contact", records=same, when=date)
        return logs

    def write(self, vals):
        if not self._complaint_by_process():
            self._check_tech_vals(vals)
        return super().write(vals)

    def _check_tech_vals(self, vals):
        """Users' writes: the request's state follows its activity, a sent
        answer stays (the process still writes both: anonymisation)."""
        if {"activity_id", "tech_answer_date"} & set(vals):
            raise UserError(
                self.env._("The technical request follows its activity by itself.")
            )
        if "tech_answer" in vals and self.filtered("tech_answer_date"):
            raise UserError(self.env._("A sent technical answer cannot be changed."))

    def _request_tech_check(self):
        activity_type = self.env.ref("complaint_handling.mail_activity_type_tech_check")
        for log in self:
            activity = log.ticket_id.activity_schedule(
                activity_type_id=activity_type.id,
                summary=self.env._("Technical check for %s", log.ticket_id.number),
                # The text as written, escaped: never markup in the activity.
                note=text_to_html(log.description or ""),
                user_id=log.tech_user_id.id,
            )
            log._complaint_write({"activity_id": activity.id})

    def action_answer_tech_request(self):
        """Record the technical team's answer and close its activity."""
        for log in self:
            if log.log_type != "tech_request":
                raise UserError(self.env._("Only technical requests get an answer."))
            if not log.tech_answer:
                raise UserError(
                    self.env._("Write the technical answer before sending it.")
                )
            log._complaint_write({"tech_answer_date": fields.Datetime.now()})
            if log.activity_id:
                log.activity_id.action_feedback(feedback=log.tech_answer)
            log.ticket_id._complaint_log(
                self.env._("Technical answer: %s", log.tech_answer)
            )
        return True
