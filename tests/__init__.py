from hypothesis import HealthCheck, settings

# Property tests measure what the code does, not how fast the machine is: a
# loaded 2-CPU machine must not fail them by time (deadline, too_slow).
settings.register_profile(
    "serialized_inventory", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("serialized_inventory")

from . import (  # noqa: E402 (the profile is loaded before any test module)
    test_access,
    test_access_matrix,
    test_backfill,
    test_bad_input,
    test_create_contract,
    test_done_batch,
    test_exports,
    test_gs1,
    test_gs1_barcodes,
    test_gs1_nomenclature,
    test_label_render,
    test_ledger,
    test_lifecycle,
    test_lot_lookup_index,
    test_recall,
    test_recall_lib,
    test_recall_ui,
    test_reports,
    test_reservation,
    test_scan,
    test_scan_lib,
    test_serial_format,
    test_serial_format_rule,
    test_serial_generation,
    test_serial_lifecycle,
    test_spreadsheet,
    test_sscc,
    test_sscc_packages,
    test_traceability_pdf,
    test_ui,
    test_uniqueness,
    test_warranty,
    test_warranty_access,
    test_warranty_claim,
    test_warranty_report,
    test_warranty_rules,
)
