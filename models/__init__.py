from . import (
    ir_actions_report,
    product_category,
    product_product,
    product_template,
    res_company,
    res_config_settings,
    serial_event,
    serial_format_rule,
    serial_format_sequence,
    stock_lot,
    stock_move,
    stock_move_line,
)
