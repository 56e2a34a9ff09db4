# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import format_datetime

from ..lib import traceability_pdf


class ReportSerialTraceability(models.AbstractModel):
    """Per serial (or lot): identity, state, holder and the full history."""

    _name = "report.serialized_inventory.report_serial_traceability"
    _description = "Serial Traceability Report"

    @api.model
    def _render_reportlab(self, lots, data):
        company = self.env.company
        header = traceability_pdf.PageHeader(
            company=company.name,
            subtitle=self.env._(
                "Traceability, printed %(date)s",
                date=format_datetime(self.env, fields.Datetime.now()),
            ),
            page_label=self.env._("Page %(page)s of %(pages)s"),
        )
        documents = [self._document(lot) for lot in lots]
        return traceability_pdf.render(
            documents,
            header,
            page_size="letter" if company.paperformat_id.format == "Letter" else "a4",
            title=self.env._("Traceability"),
        )

    @api.model
    def _document(self, lot):
        serial = lot.product_tracking == "serial"
        return traceability_pdf.TraceDocument(
            title=f"{lot.product_id.display_name} — {lot.name}",
            identity=self._identity(lot),
            sections=self._sections(lot),
            events_title=self.env._("History"),
            no_events=self.env._("No movement done yet."),
            **(self._serial_events(lot) if serial else self._lot_moves(lot)),
        )

    @api.model
    def _identity(self, lot):
        def when(value):
            return format_datetime(self.env, value) if value else ""

        rows = [
            (self.env._("Product"), lot.product_id.display_name),
            (
                self.env._("Serial Number")
                if lot.product_tracking == "serial"
                else self.env._("Lot Number"),
                lot.name,
            ),
        ]
        if lot.ref:
            rows.append((self.env._("Internal Reference"), lot.ref))
        if lot.gs1_element_string:
            rows.append((self.env._("GS1 Element String"), lot.gs1_element_string))
            rows.append((self.env._("GS1 Digital Link"), lot.gs1_digital_link))
        if lot.product_tracking == "serial":
            rule = lot.product_id._get_serial_format_rule()
            states = dict(lot._fields["lifecycle_state"]._description_selection(self.env))
            rows += [
                (self.env._("Format Rule"), f"{rule.name} ({rule.template})" if rule else ""),
                (self.env._("State"), states.get(lot.lifecycle_state, "")),
                (self.env._("Current Location"), lot.current_location_id.display_name or ""),
                (self.env._("Current Holder"), lot.current_holder_id.display_name or ""),
                (self.env._("Case"), lot.sscc_case_id.name or ""),
                (self.env._("Pallet"), lot.sscc_pallet_id.name or ""),
                (self.env._("First Receipt"), when(lot.first_receipt_date)),
                (self.env._("Last Delivery"), when(lot.last_delivery_date)),
            ]
        else:
            rows.append(
                (self.env._("Quantity on Hand"), f"{lot.product_qty:g} {lot.product_uom_id.name}")
            )
        if lot.company_id:
            rows.append((self.env._("Company"), lot.company_id.name))
        return rows

    @api.model
    def _sections(self, lot):
        """More blocks of (label, value) rows (warranty, recalls, packaging...)."""
        return self._warranty_sections(lot)

    @api.model
    def _warranty_sections(self, lot):
        """One block per warranty of the serial, the latest first."""
        warranties = lot.sudo().warranty_ids.sorted(
            lambda w: (w.start_date or w.delivery_date, w.id)
        )
        if not warranties:
            return []
        states = dict(warranties._fields["state"]._description_selection(self.env))
        sources = dict(warranties._fields["start_source"]._description_selection(self.env))
        return [
            traceability_pdf.Section(
                title=self.env._("Warranty: %(policy)s", policy=warranty.policy_id.name),
                rows=[
                    (self.env._("Customer"), warranty.partner_id.display_name),
                    (self.env._("Status"), states.get(warranty.state, "")),
                    (
                        self.env._("Cover"),
                        self.env._(
                            "%(start)s to %(end)s", start=warranty.start_date, end=warranty.end_date
                        )
                        if warranty.start_date
                        else self.env._("Waiting for the customer's registration"),
                    ),
                    (self.env._("Started From"), sources.get(warranty.start_source, "")),
                    *(
                        [(self.env._("Stopped On"), str(warranty.closed_date))]
                        if warranty.closed_date
                        else []
                    ),
                ],
            )
            for warranty in reversed(warranties)
        ]

    def _columns(self):
        return [
            self.env._("Date"),
            self.env._("Event"),
            self.env._("From"),
            self.env._("To"),
            self.env._("Reference"),
            self.env._("Partner"),
            self.env._("Done By"),
        ]

    @api.model
    def _serial_events(self, lot):
        events = self.env["serial.event"].search([("lot_id", "=", lot.id)], order="date, id")
        types = dict(events._fields["event_type"]._description_selection(self.env))
        return {
            "columns": self._columns(),
            "column_widths": [1.3, 1.2, 1.8, 1.8, 1.3, 1.5, 1.2],
            "events": [
                [
                    format_datetime(self.env, event.date),
                    types.get(event.event_type, ""),
                    event.location_id.display_name or "",
                    event.location_dest_id.display_name or "",
                    self._event_reference(event),
                    event.partner_id.display_name or "",
                    event.user_id.name or "",
                ]
                for event in events
            ],
        }

    @api.model
    def _event_reference(self, event):
        """The transfer, and for Packed/Unpacked events the container (and the
        case the unit went on or off a pallet with)."""
        parts = [event.reference or ""]
        if event.package_id:
            container = event.package_id.name
            if event.inner_package_id:
                container = self.env._(
                    "%(pallet)s via %(case)s",
                    pallet=container,
                    case=event.inner_package_id.name,
                )
            parts.append(container)
        return " ".join(part for part in parts if part)

    @api.model
    def _lot_moves(self, lot):
        lines = self.env["stock.move.line"].search(
            [("lot_id", "=", lot.id), ("state", "=", "done")], order="date, id"
        )
        return {
            "columns": [*self._columns()[:2], self.env._("Quantity"), *self._columns()[2:]],
            "column_widths": [1.3, 1.2, 0.9, 1.6, 1.6, 1.2, 1.4, 1.1],
            "events": [
                [
                    format_datetime(self.env, line.date),
                    line.picking_type_id.name or line.move_id.name or "",
                    f"{line.quantity:g} {line.product_uom_id.name}",
                    line.location_id.display_name or "",
                    line.location_dest_id.display_name or "",
                    line.reference or "",
                    line.picking_partner_id.display_name or "",
                    line.write_uid.name or "",
                ]
                for line in lines
            ],
        }
