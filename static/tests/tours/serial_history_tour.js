/** @odoo-module **/
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("serialized_inventory_serial_history", {
    steps: () => [
        {
            content: "Filter the serials in stock",
            trigger: ".o_searchview_input",
            run: "edit SITOUR-0001",
        },
        {
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "Open the serial",
            trigger: ".o_data_row .o_data_cell:contains('SITOUR-0001')",
            run: "click",
        },
        {
            content: "Its lifecycle state shows",
            trigger: ".o_form_view .o_field_widget[name=lifecycle_state]:contains('In Stock')",
        },
        {
            content: "The history tab lists the receipt",
            trigger: ".o_notebook a[name=serial_history]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=serial_event_ids] .o_data_row:contains('Receipt')",
        },
        {
            content: "Open the full ledger from the smart button",
            trigger: "button[name=action_view_serial_events]",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('SITOUR-0001'):contains('Receipt')",
        },
    ],
});
