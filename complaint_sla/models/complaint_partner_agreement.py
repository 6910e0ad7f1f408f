# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ComplaintPartnerAgreement(models.Model):
    _inherit = "complaint.partner.agreement"

    sla_policy_ids = fields.One2many(
        comodel_name="complaint.sla.policy",
        inverse_name="agreement_id",
        string="SLA Policies",
    )

    def _sla_milestone_specs(self):
        """(start event, fulfil event) -> milestone values, from the promised
        time limits."""
        self.ensure_one()
        calendar = self.company_id.resource_calendar_id or self.env.ref(
            "resource.resource_calendar_std"
        )
        return {
            ("transferred", "acknowledged"): {
                "name": self.env._("Acknowledge within %s minutes", self.ack_minutes),
                "target": self.ack_minutes,
                "unit": "minutes",
                "sequence": 10,
            },
            ("transferred", "first_contact"): {
                "name": self.env._(
                    "Contact the customer within %s hours", self.contact_hours
                ),
                "target": self.contact_hours,
                "unit": "hours",
                "sequence": 20,
            },
            ("solution_confirmed", "result_reported"): {
                "name": self.env._(
                    "Report the result within %s hours of the solution",
                    self.report_hours,
                ),
                "target": self.report_hours,
                "unit": "hours",
                "sequence": 30,
            },
            ("result_reported", "callback_done"): {
                "name": self.env._(
                    "Call back within %s hours of the result", self.callback_hours
                ),
                "target": self.callback_hours,
                "unit": "hours",
                "sequence": 40,
            },
            ("received", "closed"): {
                "name": self.env._(
                    "Close within %s working days", self.resolve_working_days
                ),
                "target": self.resolve_working_days,
                "unit": "working_days",
                "calendar_id": calendar.id,
                "sequence": 50,
            },
        }

    def action_generate_sla_policy(self):
        """Create, or bring up to date, the SLA policy of each agreement from its
        promised limits. Complaints already running keep their lines until
        their policy is re-applied."""
        Policy = self.env["complaint.sla.policy"]
        for agreement in self:
            policy = agreement.sla_policy_ids[:1]
            if not policy:
                policy = Policy.create(
                    {
                        "name": self.env._(
                            "Agreement %(agreement)s (%(org)s)",
                            agreement=agreement.name,
                            org=agreement.partner_org_id.name,
                        ),
                        "sequence": 5,
                        "kind": "complaint",
                        "company_id": agreement.company_id.id,
                        "agreement_id": agreement.id,
                    }
                )
            existing = {
                (m.start_event, m.fulfil_event): m for m in policy.milestone_ids
            }
            to_create = []
            for (start, fulfil), vals in agreement._sla_milestone_specs().items():
                milestone = existing.get((start, fulfil))
                if milestone:
                    milestone.write(vals)
                else:
                    to_create.append(
                        {
                            **vals,
                            "policy_id": policy.id,
                            "start_event": start,
                            "fulfil_event": fulfil,
                        }
                    )
            self.env["complaint.sla.milestone"].create(to_create)
            agreement.message_post(
                body=self.env._(
                    "SLA policy %(policy)s generated from the agreement's time limits.",
                    policy=policy.name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "complaint.sla.policy",
            "view_mode": "list,form",
            "domain": [("agreement_id", "in", self.ids)],
            "name": self.env._("SLA Policies"),
        }
