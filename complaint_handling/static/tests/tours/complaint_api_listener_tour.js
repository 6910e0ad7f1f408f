/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
//
// The complaint manager finds the carrier's event listener suspended and
// resumes it once the carrier's system answers again (run by
// complaint_handling/tests/test_complaint_tmf621_tour.py).

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("complaint_api_listener_resume_tour", {
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button.dropdown-toggle",
            run: "click",
        },
        {
            content: "Open the Helpdesk app",
            trigger: ".dropdown-item.o_app[data-menu-xmlid='helpdesk_mgmt.helpdesk_ticket_main_menu']",
            run: "click",
        },
        {
            content: "Open the configuration menu",
            trigger: ".o_menu_sections button:contains('Configuration')",
            run: "click",
        },
        {
            content: "Open the event listeners",
            trigger: ".dropdown-item[data-menu-xmlid='complaint_handling.complaint_api_listener_menu']",
            run: "click",
        },
        {
            content: "Open the suspended listener",
            trigger: ".o_list_view .o_data_row:contains('crm.carrier.example') .o_data_cell[name='callback']",
            run: "click",
        },
        {
            content: "Its events wait",
            trigger: ".o_form_view .o_field_widget[name='pending_count']:contains('1')",
        },
        {
            content: "Resume it",
            trigger: ".o_form_view .o_form_statusbar button[name='action_resume']",
            run: "click",
        },
        {
            content: "It is active again",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Active')",
        },
    ],
});
