/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
//
// The training and quality flows of the back office, as their users click
// them; run by complaint_training/tests/test_training_backend_tour.py, each
// as the lowest role that does it.

import { registry } from "@web/core/registry";

const FORM = ".o_action_manager .o_form_view";
const DIALOG = ".modal:not(.o_inactive_modal) .o_form_view";

function fill(root, name, text, content) {
    return {
        content: content || `Fill ${name}`,
        trigger: `${root} .o_field_widget[name='${name}'] :is(input, textarea)`,
        run: `edit ${text}`,
    };
}

function pick(root, name, text, label) {
    return [
        {
            content: `Type "${text}" in ${name}`,
            trigger: `${root} .o_field_widget[name='${name}'] input`,
            run: `edit ${text}`,
        },
        {
            content: `Pick "${label}"`,
            trigger: `.o-autocomplete--dropdown-item a:contains('${label}')`,
            run: "click",
        },
    ];
}

function button(root, name, content) {
    return {
        content,
        trigger: `${root} button[name='${name}']`,
        run: "click",
    };
}

function save(content) {
    return {
        content: content || "Save",
        trigger: ".o_form_view .o_form_button_save",
        run: "click",
    };
}

// Quality reviewer: draws the month's sample, scores a spot check and
// completes it.
registry.category("web_tour.tours").add("complaint_training_qa_tour", {
    steps: () => [
        {
            content: "New spot-check plan",
            trigger: ".o_list_button_add",
            run: "click",
        },
        fill(FORM, "name", "Tour: November spot checks", "Name the plan"),
        fill(FORM, "date_from", "11/01/2026", "From"),
        fill(FORM, "date_to", "11/30/2026", "To"),
        ...pick(FORM, "scorecard_id", "Standard", "Standard complaint spot check"),
        {
            content: "Type the team",
            trigger: `${FORM} .o_field_widget[name='team_ids'] input`,
            run: "edit Tour sampling",
        },
        {
            content: "Pick the team",
            trigger: ".o-autocomplete--dropdown-item a:contains('Tour sampling desk')",
            run: "click",
        },
        fill(FORM, "sample_count", "2", "Two complaints per person"),
        save("Save the plan"),
        button(FORM, "action_draw", "Draw the sample"),
        {
            content: "Open the spot checks drawn",
            trigger: `${FORM} button[name='action_view_reviews']`,
            run: "click",
        },
        {
            content: "Open the first spot check",
            trigger: ".o_list_view .o_data_row:first-child td.o_data_cell",
            run: "click",
        },
        {
            content: "Score Problem solving: 2",
            trigger: ".o_form_view .o_field_widget[name='line_ids'] .o_data_row:contains('Problem solving') .o_data_cell[name='score']",
            run: "click",
        },
        {
            content: "Type the score",
            trigger: ".o_form_view .o_field_widget[name='line_ids'] .o_selected_row .o_data_cell[name='score'] input",
            run: "edit 2",
        },
        fill(FORM, "comment", "Tour: the refund date was not given to the customer.", "Comment"),
        save("Save the scores"),
        button(FORM, "action_done", "Complete the review"),
        {
            content: "The review is below the standard (problem solving failed)",
            trigger: `${FORM} .o_statusbar_status .o_arrow_button_current:contains('Reviewed')`,
        },
    ],
});

// The reviewed handler disputes the result once, with a reason.
registry.category("web_tour.tours").add("complaint_training_dispute_tour", {
    steps: () => [
        {
            content: "Open his spot check",
            trigger: ".o_list_view .o_data_row:first-child td.o_data_cell",
            run: "click",
        },
        {
            content: "Dispute it",
            trigger: `${FORM} .o_form_statusbar button:contains('Dispute')`,
            run: "click",
        },
        fill(DIALOG, "reason", "Tour: the customer asked for a written answer only.", "Why"),
        button(".modal:not(.o_inactive_modal)", "action_dispute", "Send the dispute"),
        {
            content: "The spot check is disputed",
            trigger: `${FORM} .o_statusbar_status .o_arrow_button_current:contains('Disputed'), ${FORM} .o_field_widget[name='dispute_reason']:contains('written answer')`,
        },
    ],
});

// The supervisor grants a qualification, records a session and confirms a
// training need.
registry.category("web_tour.tours").add("complaint_training_supervisor_tour", {
    steps: () => [
        {
            content: "New qualification",
            trigger: ".o_list_button_add",
            run: "click",
        },
        ...pick(FORM, "user_id", "Li Lei", "Li Lei"),
        {
            content: "Type the complaint type",
            trigger: `${FORM} .o_field_widget[name='category_ids'] input`,
            run: "edit Unexpected",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-item a:contains('Unexpected charges')",
            run: "click",
        },
        fill(FORM, "reason", "Tour: five years on the billing desk.", "Reason"),
        save("Grant the qualification"),
        {
            content: "Granted and logged",
            trigger: ".o-mail-Message:contains('five years on the billing desk')",
        },
        {
            content: "Open the Training & Quality menu",
            trigger: ".o_menu_sections button:contains('Training & Quality')",
            run: "click",
        },
        {
            content: "Open the training records",
            trigger: ".dropdown-item:contains('Training Records')",
            run: "click",
        },
        {
            content: "Open Li Lei's training record",
            trigger: ".o_list_view .o_data_row td:contains('Li Lei')",
            run: "click",
        },
        {
            content: "His record lists the qualification just granted",
            trigger: ".o_form_view .o_field_widget[name='complaint_qualification_ids'] .o_data_row:contains('Unexpected charges')",
        },
    ],
});

// The supervisor records a session of the carrier (the attendee present
// passes and qualifies), then confirms a proposed training need.
registry.category("web_tour.tours").add("complaint_training_session_tour", {
    steps: () => [
        {
            content: "New session",
            trigger: ".o_list_button_add",
            run: "click",
        },
        ...pick(FORM, "course_id", "Billing disputes", "Billing disputes"),
        fill(FORM, "date", "11/20/2026 09:00:00", "When"),
        fill(FORM, "trainer", "Tour: Chen Jie", "Trainer"),
        fill(FORM, "location", "Tianhe training room 3", "Where"),
        {
            content: "Add an attendee",
            trigger: `${FORM} .o_field_widget[name='attendance_ids'] .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            content: "Type the attendee",
            trigger: `${FORM} .o_field_widget[name='attendance_ids'] .o_selected_row .o_field_widget[name='user_id'] input`,
            run: "edit Li Lei",
        },
        {
            content: "Pick him",
            trigger: ".o-autocomplete--dropdown-item a:contains('Li Lei')",
            run: "click",
        },
        save("Save the session"),
        button(FORM, "action_done", "Record it as done"),
        {
            content: "The attendee passed",
            trigger: `${FORM} .o_field_widget[name='attendance_ids'] .o_data_row:contains('Passed')`,
        },
        {
            content: "Open the Training & Quality menu",
            trigger: ".o_menu_sections button:contains('Training & Quality')",
            run: "click",
        },
        {
            content: "Open the training needs",
            trigger: ".dropdown-item:contains('Training Needs')",
            run: "click",
        },
        {
            content: "Confirm the proposed need",
            trigger: ".o_list_view .o_data_row:contains('Talking to upset customers') button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The need is confirmed",
            trigger: ".o_list_view .o_data_row:contains('Talking to upset customers'):contains('Confirmed')",
        },
    ],
});

