# Copyright 2026 Telecom Complaint Handling contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Telecom Complaint SLA",
    "summary": "Several time limits per complaint on working calendars, "
    "with pauses, extensions, warnings and escalation on breach",
    "version": "18.0.1.1.0",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "Telecom Complaint Handling contributors",
    "website": "https://github.com/telecom-complaints/complaint-handling",
    "depends": ["complaint_handling", "resource"],
    # Our engine replaces OCA's: both would put SLA fields on the same tickets.
    "excludes": ["helpdesk_mgmt_sla"],
    "data": [
        "security/complaint_sla_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/mail_activity_type_data.xml",
        "data/complaint_sla_policy_data.xml",
        "views/complaint_sla_policy_views.xml",
        "views/complaint_sla_line_views.xml",
        "views/resource_calendar_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/complaint_partner_agreement_views.xml",
        "views/complaint_portal_templates.xml",
        "views/complaint_sla_menus.xml",
    ],
    "demo": ["demo/complaint_sla_demo.xml"],
    "post_init_hook": "post_init_hook",
}
