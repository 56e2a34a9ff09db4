/** @odoo-module **/
import { registry } from "@web/core/registry";

// A stock user creates a case, which gets its SSCC when saved, then scans a
// pallet's SSCC (as a GS1-128 scanner sends it) in the packages search, opens
// the pallet, reads what it holds and opens its serials.
registry.category("web_tour.tours").add("serialized_inventory_sscc_pallet", {
    steps: () => [
        {
            trigger: ".o-kanban-button-new",
            run: "click",
        },
        {
            content: "A new case",
            trigger: ".o_field_widget[name=package_type_id] input",
            run: "edit SI Tour Case",
        },
        {
            trigger: ".ui-menu-item > a:contains('SI Tour Case')",
            run: "click",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved with a generated SSCC",
            trigger: ".o_form_saved .o_field_widget[name=name] input",
            run: function () {
                if (!/^10614141\d{10}$/.test(this.anchor.value)) {
                    throw new Error(`Expected a generated SSCC, got ${this.anchor.value}`);
                }
            },
        },
        {
            content: "Back to the packages",
            trigger: ".o_breadcrumb .o_back_button",
            run: "click",
        },
        {
            trigger: ".o_kanban_view .o_searchview_input",
            run: "edit ]C100106141411234567897",
        },
        {
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "The scan found the pallet",
            trigger: ".o_kanban_record:contains('106141411234567897')",
            run: "click",
        },
        {
            content: "The pallet lists its case",
            trigger: ".o_field_widget[name=child_ids] .o_data_row:contains('SI Tour Case')",
        },
        {
            content: "and its serials per product",
            trigger: ".o_field_widget[name=contents_summary]:contains('SI Tour Drill')",
        },
        {
            trigger: ".o_field_widget[name=contained_quant_ids] .o_data_row:contains('SITOUR-SSCC-1')",
        },
        {
            content: "Open the serials",
            trigger: "button[name=action_view_contained_serials]",
            run: "click",
        },
        {
            // the serials' list, grouped by product (the form has no groups)
            content: "Unfold the product's serials",
            trigger: ".o_list_view .o_group_header:contains('SI Tour Drill')",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_group_header ~ .o_data_row:contains('SITOUR-SSCC-1')",
        },
    ],
});
