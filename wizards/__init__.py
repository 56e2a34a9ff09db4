from . import (
    serial_label_wizard,
    serial_recall_wizard,
    serial_recall_write_off,
    serial_warranty_claim_override,
    serial_warranty_report_wizard,
)
