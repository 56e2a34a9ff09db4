/** @odoo-module **/
import { registry } from "@web/core/registry";

// A recall manager pastes the serials of a recall, previews where they are,
// creates the campaign, starts it and notifies the customers. What the
// campaign holds is asserted by the Python test.
registry.category("web_tour.tours").add("serialized_inventory_recall", {
    steps: () => [
        {
            content: "Start a new recall from the campaigns",
            trigger: ".o_list_view button:contains('New Recall')",
            run: "click",
        },
        {
            content: "Paste the serials, one unknown here",
            trigger: ".modal .o_field_widget[name=serial_list] textarea",
            run: "edit TOUR-RC-1, TOUR-RC-2, TOUR-RC-404",
        },
        {
            trigger: ".modal button[name=action_preview]",
            run: "click",
        },
        {
            content: "The preview groups the units: in our stock and at the customer",
            trigger:
                ".modal .o_field_widget[name=preview_html]:contains('2 serials affected')" +
                ":contains('In Our Stock: 1'):contains('At Customer: 1')" +
                ":contains('tour.customer@example.com'):contains('TOUR-RC-404')",
        },
        {
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Tour: cracked housing",
        },
        {
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The draft campaign lists both serials",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Draft')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=line_ids] .o_data_row:contains('TOUR-RC-2')",
        },
        {
            trigger: ".o_form_view button[name=action_activate]",
            run: "click",
        },
        {
            content: "Confirm the start",
            trigger: ".modal-footer button.btn-primary",
            run: "click",
        },
        {
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Active')",
        },
        {
            trigger: ".o_form_view button[name=action_notify_customers]",
            run: "click",
        },
        {
            content: "The notices are queued",
            trigger: ".o_notification:contains('1 customer notices queued')",
        },
    ],
});
