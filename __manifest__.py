# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Serialized Inventory",
    "summary": "Per-unit serial lifecycle, holder and an immutable event ledger",
    "version": "18.0.2.0.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/serialized-inventory/serialized_inventory",
    "author": "Serialized Inventory",
    "license": "LGPL-3",
    "depends": ["stock", "mail"],
    "external_dependencies": {"python": ["psycopg2", "reportlab", "qrcode", "xlsxwriter"]},
    "data": [
        "security/serialized_inventory_security.xml",
        "security/ir.model.access.csv",
        "views/serial_event_views.xml",
        "views/serial_format_rule_views.xml",
        "views/stock_lot_views.xml",
        "views/stock_move_views.xml",
        "views/stock_quant_package_views.xml",
        "views/serial_label_wizard_views.xml",
        "data/serial_warranty_data.xml",
        "views/serial_warranty_policy_views.xml",
        "views/serial_warranty_views.xml",
        "views/serial_warranty_claim_views.xml",
        "views/serial_warranty_claim_override_views.xml",
        "views/serial_warranty_analysis_views.xml",
        "views/serial_warranty_report_wizard_views.xml",
        "reports/serialized_inventory_reports.xml",
        "views/serialized_inventory_menus.xml",
    ],
    "demo": [
        "demo/serialized_inventory_demo.xml",
        "demo/serial_warranty_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "serialized_inventory/static/src/js/*.js",
        ],
        "web.assets_tests": [
            "serialized_inventory/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
}
