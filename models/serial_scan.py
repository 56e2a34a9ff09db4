# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..lib import scan as scan_lib
from ..lib import serial_lifecycle as lifecycle
from ..lib import warranty as warranty_rules

MODES = ("lookup", "receive", "pick", "pack", "count", "scrap")
STOCK_USER = "stock.group_stock_user"
# Fields of stock.lot a serial's scan reads in its one lookup query.
LOT_FIELDS = [
    "name",
    "active",
    "product_id",
    "company_id",
    "lifecycle_state",
    "current_location_id",
    "current_holder_id",
    "sscc_case_id",
    "sscc_pallet_id",
]
# The parsed GS1 values a result carries, dates as ISO strings.
GS1_KEYS = (
    "gtin",
    "serial",
    "lot",
    "expiry",
    "production_date",
    "best_before",
    "sscc",
    "quantity",
    "cpv",
)


class SerialScan(models.AbstractModel):
    """One entry point for whatever a scanner, a camera or a keyboard sent:
    read by lib/scan.py, resolved here to a serial, product, package, location
    or transfer of the user's companies, and checked for a flow (``mode``).
    It never writes."""

    _name = "serial.scan"
    _description = "Scan of a Serial, Product, Package, Location or Transfer"

    @api.model
    def scan(self, code, mode="lookup", context=None):
        """What ``code`` is, as a JSON-safe dict (see README, "Scanning")."""
        if not self.env.user.has_group(STOCK_USER):
            raise AccessError(self.env._("Only inventory users can scan."))
        if mode not in MODES:
            raise UserError(self.env._("Unknown scan mode %(mode)s.", mode=mode))
        parsed = scan_lib.normalize(code)
        result = self._parsed_values(parsed, mode)
        if parsed.error:
            return dict(result, level="error", message=self._error_message(parsed))
        result.update(self._resolve(parsed))
        check = getattr(self, f"_check_{mode}", None)
        if check:
            result.update(check(result, context or {}) or {})
        return result

    # ------------------------------------------------------------------
    # Result
    # ------------------------------------------------------------------

    @api.model
    def _parsed_values(self, parsed, mode):
        values = {key: getattr(parsed, key) or False for key in GS1_KEYS}
        for key in ("expiry", "production_date", "best_before"):
            values[key] = values[key] and values[key].isoformat()
        return {
            "code": parsed.text,
            "mode": mode,
            "format": parsed.kind,
            "kind": "unknown",
            "lot_id": False,
            "product_id": False,
            "package_id": False,
            "location_id": False,
            "picking_id": False,
            "other_ais": dict(parsed.other),
            **values,
        }

    @api.model
    def _error_message(self, parsed):
        reasons = {
            scan_lib.EMPTY: self.env._("Nothing was scanned."),
            scan_lib.TOO_LONG: self.env._(
                "The scan is longer than %(max)s characters: not a label.",
                max=scan_lib.MAX_LENGTH,
            ),
            scan_lib.CONTROL_CHARACTERS: self.env._(
                "The scan contains control characters: check the scanner's set-up."
            ),
            scan_lib.CHECK_DIGIT: self.env._(
                "A check digit is wrong: the code was mistyped or misread."
            ),
            scan_lib.INVALID_DATE: self.env._("A date in the scan is not a valid date."),
            scan_lib.TRUNCATED: self.env._("The scan is cut short: scan the whole label again."),
            scan_lib.INVALID_VALUE: self.env._("A value in the scan does not fit its GS1 format."),
            scan_lib.UNKNOWN_AI: self.env._(
                "The scan has a GS1 application identifier that does not exist."
            ),
            scan_lib.INVALID_DIGITAL_LINK: self.env._("The link is not a GS1 Digital Link."),
            scan_lib.INVALID_EPC: self.env._("The EPC URN is not an SGTIN or SSCC pure identity."),
        }
        reason = reasons.get(parsed.error, self.env._("The scan could not be read."))
        if not parsed.text:
            return reason
        return self.env._("%(code)s: %(reason)s", code=parsed.text[:80], reason=reason)

    # ------------------------------------------------------------------
    # Resolution
    # ------------------------------------------------------------------

    @api.model
    def _resolve(self, parsed):
        """The record a scan stands for: a GS1 serial (narrowed by its GTIN),
        an SSCC's package, a GTIN's product; plain text is tried in turn as a
        serial, a product, a package, a location and a transfer."""
        if parsed.serial:
            return self._serial_result(parsed.serial, parsed.gtin)
        if parsed.sscc and parsed.kind != scan_lib.PLAIN:
            return self._package_result(parsed.sscc) or self._not_found(parsed.sscc)
        if parsed.gtin and parsed.kind != scan_lib.PLAIN:
            return self._product_result(self._products_by_gtin(parsed.gtin), parsed.gtin)
        return self._plain_result(parsed)

    @api.model
    def _plain_result(self, parsed):
        text = parsed.text
        lots = self._find_lots(text)
        if lots:
            return self._lots_result(text, lots)
        products = self._products_by_gtin(parsed.gtin) if parsed.gtin else None
        products = products or self._search_one(
            "product.product", ["|", ("barcode", "=", text), ("default_code", "=", text)]
        )
        return (
            (products and self._product_result(products, text))
            or self._package_result(text)
            or self._record_result(
                "location", self._search_one("stock.location", [("barcode", "=", text)])
            )
            or self._record_result(
                "picking", self._search_one("stock.picking", [("name", "=", text)])
            )
            or self._not_found(text)
        )

    @api.model
    def _search_one(self, model, domain):
        """Up to two records: one is a match, two are not unique."""
        return self.env[model].search(domain, limit=2)

    @api.model
    def _find_lots(self, serial, gtin=None):
        """The serials named ``serial`` the user's companies see (archived
        included), of the products whose barcode is ``gtin`` when given: one
        query on stock_lot.name (the GTIN narrows it in the same query)."""
        domain = [("name", "=", serial)]
        if gtin:
            domain.append(("product_id.barcode", "in", self._gtin_forms(gtin)))
        return (
            self.env["stock.lot"]
            .with_context(active_test=False)
            .search_fetch(domain, LOT_FIELDS, limit=20)
        )

    @api.model
    def _gtin_forms(self, gtin):
        """The barcodes that stand for this GTIN-14: itself and its 13, 12 or 8
        digit form."""
        return [gtin[14 - n :] for n in (8, 12, 13, 14) if gtin[: 14 - n].strip("0") == ""]

    @api.model
    def _products_by_gtin(self, gtin):
        """Products whose barcode is this GTIN-14 or its 13, 12 or 8 digit form."""
        return self.env["product.product"].search([("barcode", "in", self._gtin_forms(gtin))])

    @api.model
    def _serial_result(self, serial, gtin):
        """The serial of a GS1 scan: in one query when its GTIN is a product's
        barcode; a GTIN no product has is not ours to narrow by, so the serial
        is then looked up by name alone."""
        lots = self._find_lots(serial, gtin)
        products = not lots and gtin and self._products_by_gtin(gtin)
        if not lots and gtin and not products:
            lots = self._find_lots(serial)
        if products:
            result = self._not_found(serial)
            message = self.env._(
                "No serial %(serial)s of %(product)s.",
                serial=serial,
                product=products[:1].display_name,
            )
            return dict(result, product_id=products[:1].id, message=message)
        return self._lots_result(serial, lots) if lots else self._not_found(serial)

    @api.model
    def _lots_result(self, serial, lots):
        if len(lots) > 1:
            return {
                "kind": "ambiguous",
                "level": "warning",
                "candidates": [
                    {
                        "lot_id": lot.id,
                        "product_id": lot.product_id.id,
                        "product": lot.product_id.display_name,
                    }
                    for lot in lots
                ],
                "message": self.env._(
                    "Serial %(serial)s exists for %(count)s products: scan its GS1 label "
                    "or choose the product.",
                    serial=serial,
                    count=len(lots),
                ),
            }
        return self._lot_card(lots)

    @api.model
    def _package_result(self, name):
        packages = self._search_one("stock.quant.package", [("name", "=", name)])
        return self._record_result("package", packages)

    @api.model
    def _product_result(self, products, code):
        if len(products) > 1:
            return {
                "kind": "ambiguous",
                "level": "warning",
                "candidates": [{"product_id": p.id, "product": p.display_name} for p in products],
                "message": self.env._(
                    "%(code)s is the barcode of %(count)s products.",
                    code=code,
                    count=len(products),
                ),
            }
        return self._record_result("product", products) or self._not_found(code)

    @api.model
    def _record_result(self, kind, records):
        if len(records) != 1:
            return {}
        return {
            "kind": kind,
            f"{kind}_id": records.id,
            "level": "ok",
            "name": records.display_name,
            "message": self._record_labels()[kind] % {"name": records.display_name},
        }

    @api.model
    def _record_labels(self):
        return {
            "product": self.env._("Product %(name)s"),
            "package": self.env._("Package %(name)s"),
            "location": self.env._("Location %(name)s"),
            "picking": self.env._("Transfer %(name)s"),
        }

    @api.model
    def _not_found(self, code):
        return {
            "kind": "unknown",
            "level": "error",
            "message": self.env._(
                "%(code)s is no serial, product, package, location or transfer you can see.",
                code=code,
            ),
        }

    # ------------------------------------------------------------------
    # A serial's card: what a person at the shelf needs
    # ------------------------------------------------------------------

    @api.model
    def _lot_card(self, lot):
        row = self._lot_card_row(lot)
        states = dict(lot._fields["lifecycle_state"]._description_selection(self.env))
        warranty_state, warranty_end = self._warranty_summary(row["warranties"] or [])
        warranty_labels = dict(
            self.env["serial.warranty"]._fields["state"]._description_selection(self.env)
        )
        product = (
            f"[{row['default_code']}] {row['product']}" if row["default_code"] else row["product"]
        )
        card = {
            "kind": "serial",
            "lot_id": lot.id,
            "serial": lot.name,
            "product_id": lot.product_id.id,
            "product": product,
            "active": lot.active,
            "lifecycle_state": lot.lifecycle_state,
            "lifecycle_label": states.get(lot.lifecycle_state, ""),
            "location_id": lot.current_location_id.id,
            "location": row["location"] or False,
            "holder_id": lot.current_holder_id.id,
            "holder": row["holder"] or False,
            "case_id": lot.sscc_case_id.id,
            "case": row["case_name"] or False,
            "pallet_id": lot.sscc_pallet_id.id,
            "pallet": row["pallet_name"] or False,
            "package_id": (lot.sscc_case_id or lot.sscc_pallet_id).id,
            "warranty_state": warranty_state or False,
            "warranty_label": warranty_labels.get(warranty_state, ""),
            "warranty_end": (warranty_end and warranty_end.isoformat()) or False,
            "recall_blocked": bool(row["recall"]),
            "recall": row["recall"] or False,
            "recall_reason": row["recall_reason"] or False,
        }
        card.update(self._card_message(card))
        return card

    @api.model
    def _lot_card_row(self, lot):
        """Names of the serial's location, holder, case, pallet and product, its
        active recall and its warranties, in one query (their record rules are
        not the serial's: the serial is what the user may see). The names mirror
        the display names of stock.location (its complete name) and of
        product.product without variant values ("[code] name", translated),
        Odoo 18.0; tests/test_scan.py compares them."""
        for model in (
            "stock.lot",
            "stock.location",
            "res.partner",
            "stock.quant.package",
            "product.product",
            "product.template",
            "serial.recall",
            "serial.recall.line",
            "serial.warranty",
        ):
            self.env[model].flush_model()
        lang = self.env.lang or "en_US"
        self.env.cr.execute(
            SQL(
                """
            SELECT location.complete_name AS location, holder.complete_name AS holder,
                   case_package.name AS case_name, pallet.name AS pallet_name,
                   product.default_code,
                   COALESCE(template.name->>%(lang)s, template.name->>'en_US') AS product,
                   recall.name AS recall, recall.reason AS recall_reason,
                   (SELECT json_agg(json_build_object(
                               'id', w.id, 'state', w.state, 'start', w.start_date,
                               'end', w.end_date, 'closed', w.closed_date))
                      FROM serial_warranty w WHERE w.lot_id = lot.id) AS warranties
              FROM stock_lot lot
              JOIN product_product product ON product.id = lot.product_id
              JOIN product_template template ON template.id = product.product_tmpl_id
         LEFT JOIN stock_location location ON location.id = lot.current_location_id
         LEFT JOIN res_partner holder ON holder.id = lot.current_holder_id
         LEFT JOIN stock_quant_package case_package ON case_package.id = lot.sscc_case_id
         LEFT JOIN stock_quant_package pallet ON pallet.id = lot.sscc_pallet_id
         LEFT JOIN LATERAL (
                   SELECT r.name, r.reason FROM serial_recall_line line
                     JOIN serial_recall r ON r.id = line.recall_id
                    WHERE line.lot_id = lot.id AND r.state = 'active'
                 ORDER BY r.id LIMIT 1) recall ON TRUE
             WHERE lot.id = %(lot)s
                """,
                lang=lang,
                lot=lot.id,
            )
        )
        return self.env.cr.dictfetchone()

    @api.model
    def _warranty_summary(self, rows):
        today = fields.Date.context_today(self)
        warranties = [
            warranty_rules.SerialWarranty(
                row["id"],
                row["state"],
                warranty_rules.Cover(
                    start=row["start"] and fields.Date.to_date(row["start"])
                    if row["state"] != "pending"
                    else None,
                    end=fields.Date.to_date(row["end"]) if row["end"] else None,
                    closed=fields.Date.to_date(row["closed"]) if row["closed"] else None,
                ),
            )
            for row in rows
        ]
        return warranty_rules.current_state(warranties, today)

    @api.model
    def _card_message(self, card):
        message = self.env._(
            "Serial %(serial)s of %(product)s: %(state)s, %(place)s.",
            serial=card["serial"],
            product=card["product"],
            state=card["lifecycle_label"],
            place=card["location"] or card["holder"] or self.env._("nowhere yet"),
        )
        if card["recall_blocked"]:
            message = self.env._(
                "%(message)s Recalled by %(recall)s: %(reason)s",
                message=message,
                recall=card["recall"],
                reason=card["recall_reason"],
            )
            return {"level": "warning", "message": message}
        return {"level": "ok", "message": message}

    # ------------------------------------------------------------------
    # Flow checks: each refuses with level 'error' and writes nothing
    # ------------------------------------------------------------------

    @api.model
    def _refuse(self, result, reason):
        return {
            "level": "error",
            "message": self.env._(
                "Serial %(serial)s: %(reason)s",
                serial=result.get("serial") or result["code"],
                reason=reason,
            ),
        }

    @api.model
    def _check_receive(self, result, context):
        """Receiving refuses a serial in stock, recalled, already on the
        receipt, or against the product's serial format rule."""
        if result["kind"] == "serial":
            if result["recall_blocked"]:
                return self._refuse(
                    result, self.env._("recalled (%(reason)s).", reason=result["recall_reason"])
                )
            if result["lifecycle_state"] == lifecycle.IN_STOCK:
                return self._refuse(
                    result,
                    self.env._("already in stock at %(location)s.", location=result["location"]),
                )
        elif result["kind"] != "unknown":
            return None
        serial = result["serial"] or (result["format"] == scan_lib.PLAIN and result["code"])
        if not serial:
            return None
        product = self.env["product.product"].browse(
            result["product_id"] or context.get("product_id")
        )
        if product:
            errors = self.env["stock.lot"]._serial_entry_errors(product, [serial])
            if errors:
                return self._refuse(result, "\n".join(errors))
        if context.get("picking_id") and self._on_picking(serial, context["picking_id"]):
            return self._refuse(result, self.env._("already scanned on this receipt."))
        if result["kind"] == "unknown":
            return {
                "kind": "serial",
                "serial": serial,
                "product_id": product.id,
                "level": "ok",
                "message": self.env._("New serial %(serial)s can be received.", serial=serial),
            }
        return None

    @api.model
    def _on_picking(self, serial, picking_id):
        return bool(
            self.env["stock.move.line"].search_count(
                [
                    ("picking_id", "=", picking_id),
                    "|",
                    ("lot_name", "=", serial),
                    ("lot_id.name", "=", serial),
                ],
                limit=1,
            )
        )

    @api.model
    def _check_pick(self, result, context):
        """Picking refuses a serial recalled or not in stock at the transfer's
        source location (in stock at all without a transfer)."""
        if result["kind"] != "serial":
            return None
        if result["recall_blocked"]:
            return self._refuse(
                result, self.env._("recalled (%(reason)s).", reason=result["recall_reason"])
            )
        picking = self.env["stock.picking"].browse(context.get("picking_id"))
        if picking:
            quants = self.env["stock.quant"].search_count(
                [
                    ("lot_id", "=", result["lot_id"]),
                    ("location_id", "child_of", picking.location_id.id),
                    ("quantity", ">", 0),
                ],
                limit=1,
            )
            if not quants:
                return self._refuse(
                    result,
                    self.env._(
                        "not in stock at %(location)s.", location=picking.location_id.display_name
                    ),
                )
        elif result["lifecycle_state"] != lifecycle.IN_STOCK:
            return self._refuse(
                result, self.env._("not in stock (%(state)s).", state=result["lifecycle_label"])
            )
        return None

    @api.model
    def _check_scrap(self, result, context):
        """Scrapping refuses an archived or already scrapped serial."""
        if result["kind"] != "serial":
            return None
        if not result["active"]:
            return self._refuse(result, self.env._("archived, it cannot be scrapped."))
        if result["lifecycle_state"] == lifecycle.SCRAPPED:
            return self._refuse(result, self.env._("already scrapped."))
        return None
