from . import (
    report_serial_label,
    report_serial_recall,
    report_serial_traceability,
    report_sscc_label,
    report_warranty,
)
