from . import (
    test_access,
    test_backfill,
    test_gs1,
    test_ledger,
    test_lifecycle,
    test_serial_format,
    test_serial_format_rule,
    test_serial_generation,
    test_serial_lifecycle,
    test_ui,
    test_uniqueness,
)
