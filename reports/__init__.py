from . import report_serial_label, report_serial_traceability, report_warranty
