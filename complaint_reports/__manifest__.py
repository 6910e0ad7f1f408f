# Copyright 2026 Telecom Complaint Handling contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Telecom Complaint Reports",
    "summary": "Complaint analysis without personal data, obeying the "
    "complaints' access rules",
    "version": "18.0.1.0.0",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "Telecom Complaint Handling contributors",
    "website": "https://github.com/telecom-complaints/complaint-handling",
    "depends": ["complaint_sla", "complaint_training"],
    "data": [
        "security/ir.model.access.csv",
        "data/helpdesk_ticket_channel_data.xml",
        "views/helpdesk_ticket_channel_views.xml",
        "report/complaint_analysis_views.xml",
        "report/complaint_sla_analysis_views.xml",
    ],
}
