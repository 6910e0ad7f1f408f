# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError


# helpdesk.ticket is split by concern on purpose, one file each (as Odoo
# splits mail.thread): pylint-odoo would have one class.
# pylint: disable=consider-merging-classes-inherited
class HelpdeskTicket(models.Model):
    """The buttons of the complaint form and the dialogs they open."""

    _inherit = "helpdesk.ticket"

    def get_formview_id(self, access_uid=None):
        """Complaints open in their own form (links in e-mails, activities,
        many2one fields)."""
        if len(self) == 1 and self.kind == "complaint":
            return self.env.ref(
                "complaint_handling.helpdesk_ticket_complaint_view_form"
            ).id
        return super().get_formview_id(access_uid=access_uid)

    def action_complaint_accept(self):
        return self._complaint_move_to_step("accepted")

    def action_complaint_start(self):
        return self._complaint_move_to_step("handling")

    def action_complaint_confirm_solution(self):
        """The customer agreed to the solution plan."""
        for ticket in self:
            if ticket.complaint_state != "handling":
                raise UserError(
                    self.env._(
                        "Complaint %(number)s is not in handling.", number=ticket.number
                    )
                )
            if not ticket.solution_measures:
                raise UserError(self.env._("Record the solution measures first."))
        self._complaint_write(
            {
                "customer_confirmed": True,
                "customer_confirmed_date": fields.Datetime.now(),
            }
        )
        return self._complaint_move_to_step("solution_confirmed")

    def action_complaint_mark_implemented(self):
        for ticket in self:
            if not ticket.customer_confirmed:
                raise UserError(
                    self.env._("The customer has not confirmed the solution yet.")
                )
        self.write(
            {
                "solution_implemented": True,
                "solution_implemented_date": fields.Datetime.now(),
            }
        )
        return True

    def action_complaint_report_result(self):
        return self._complaint_move_to_step("result_reported")

    def action_complaint_callback_done(self):
        return self._complaint_move_to_step("callback_done")

    def action_complaint_close(self):
        return self._complaint_move_to_step("closed")

    def action_complaint_rehandle(self):
        """Start a new handling round (customer not satisfied, supervisor order)."""
        self._complaint_move_to_step("handling")
        return self._complaint_notification(
            self.env._(
                "Handling round %(round)s started: the complaint is in handling again.",
                round=", ".join(str(r) for r in self.mapped("handling_round")),
            )
        )

    def action_complaint_reopen(self):
        return self._complaint_move_to_step("received")

    def _complaint_notification(self, message, notify_type="success"):
        """The client action telling the user what an action did, then
        reloading the view (the records it changed)."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": notify_type,
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _complaint_notify(self, message, notify_type="warning"):
        """Tell the current user, in the web client, what an action did that
        he did not ask for by name (a new round, an escalation)."""
        self.env.user._bus_send(
            "simple_notification",
            {"type": notify_type, "message": message, "sticky": True},
        )

    def _complaint_open_form(self, model, name, extra_context=None):
        self.ensure_one()
        context = {"default_ticket_id": self.id, **(extra_context or {})}
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": context,
        }

    def action_complaint_refuse(self):
        return self._complaint_open_form(
            "complaint.refuse.wizard", self.env._("Refuse Complaint")
        )

    def action_complaint_escalate(self):
        return self._complaint_open_form(
            "complaint.escalate.wizard", self.env._("Escalate Complaint")
        )

    def action_complaint_add_log(self):
        return self._complaint_open_form(
            "complaint.handling.log", self.env._("Handling Step")
        )

    def action_complaint_add_remedy(self):
        return self._complaint_open_form(
            "complaint.remedy", self.env._("Remedy"), {"dialog_size": "medium"}
        )

    def action_complaint_add_feedback(self):
        return self._complaint_open_form(
            "complaint.feedback",
            self.env._("Result Feedback"),
            {"default_plan": self.solution_measures},
        )

    def action_complaint_add_callback(self):
        return self._complaint_open_form("complaint.callback", self.env._("Callback"))

    def action_view_kb_articles(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_handling.complaint_kb_article_action"
        )
        action["domain"] = [("id", "in", self.kb_article_ids.ids)]
        return action

    def action_create_kb_article(self):
        """Seed a draft knowledge article from a resolved complaint."""
        self.ensure_one()
        if self.complaint_state not in ("callback_done", "closed"):
            raise UserError(
                self.env._("Only a resolved complaint can seed a knowledge article.")
            )
        feedback = self.last_feedback_id
        article = self.env["complaint.kb.article"].create(
            {
                "name": self.name,
                "article_type": "method",
                "category_ids": [fields.Command.set(self.category_id.ids)],
                "source_ticket_id": self.id,
                # Markup escapes the values: they are the handlers' free text.
                "body": Markup(
                    self.env._(
                        "<h3>Problem</h3><p>%(problem)s</p><h3>Solution</h3>"
                        "<p>%(solution)s</p><h3>Basis</h3><p>%(basis)s</p>"
                    )
                )
                % {
                    "problem": self.name,
                    "solution": self.solution_measures or feedback.conclusion or "",
                    "basis": feedback.basis or "",
                },
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "complaint.kb.article",
            "res_id": article.id,
            "view_mode": "form",
        }
