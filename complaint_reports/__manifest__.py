# Copyright 2026 Telecom Complaint Handling contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Telecom Complaint Reports",
    "summary": "Complaint analysis, periodic reports to the carrier and the "
    "regulator, and a dashboard, obeying the complaints' access rules",
    "version": "18.0.1.0.0",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "Telecom Complaint Handling contributors",
    "website": "https://github.com/telecom-complaints/complaint-handling",
    "depends": ["complaint_sla", "complaint_training", "report_xlsx"],
    "data": [
        "security/ir.model.access.csv",
        "security/complaint_reports_security.xml",
        "security/complaint_regulator_security.xml",
        "data/complaint_periodic_report_cron.xml",
        "data/helpdesk_ticket_channel_data.xml",
        "data/helpdesk_ticket_category_data.xml",
        "data/ir_ui_menu_data.xml",
        "views/helpdesk_ticket_channel_views.xml",
        "report/complaint_analysis_views.xml",
        "report/complaint_sla_analysis_views.xml",
        "views/complaint_dashboard_views.xml",
        "views/complaint_periodic_report_views.xml",
        "views/complaint_periodic_report_portal_templates.xml",
        "views/helpdesk_ticket_category_views.xml",
        "views/complaint_subscriber_count_views.xml",
        "views/complaint_regulator_sheet_views.xml",
        "report/complaint_periodic_report_pdf.xml",
        "report/complaint_periodic_report_xlsx.xml",
    ],
    "assets": {
        "web.assets_backend": ["complaint_reports/static/src/dashboard/**/*"],
        "web.assets_tests": ["complaint_reports/static/tests/tours/**/*"],
    },
    "uninstall_hook": "uninstall_hook",
    "demo": [
        "demo/complaint_history_demo.xml",
        "demo/complaint_periodic_report_demo.xml",
        "demo/complaint_regulator_demo.xml",
    ],
}
