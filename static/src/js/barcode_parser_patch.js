/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
// The web client's GS1 parser (what barcode screens, Odoo's included, use)
// reads a GS1 Digital Link URI as the element string it stands for, as
// models/barcode_nomenclature.py does on the server: the QR code of our
// labels then gives the product, lot, serial and dates of a GS1-128 label.
// It also drops a symbology identifier (]C1, ]d2...) as the server does.
import { patch } from "@web/core/utils/patch";
import { BarcodeParser } from "@barcodes/js/barcode_parser";
import { FNC1_CHAR } from "@barcodes_gs1_nomenclature/js/barcode_parser";

// GS1 Digital Link URI syntax 1.6, section 4: the primary keys a path starts with.
const PRIMARY_KEYS = new Set([
    "00", "01", "253", "255", "401", "402", "414", "417",
    "8003", "8004", "8006", "8010", "8013", "8017", "8018",
]);
const AI_RE = /^\d{2,4}$/;

/**
 * The element string of a GS1 Digital Link URI (FNC1 between its values), or
 * null when `barcode` is not one: any domain and path prefix, the primary key
 * and its qualifiers as path segments, data attributes in the query string.
 *
 * @param {string} barcode
 * @returns {string|null}
 */
export function digitalLinkElementString(barcode) {
    if (!/^(\]Q\d)?https?:\/\//i.test(barcode || "")) {
        return null;
    }
    let url;
    try {
        url = new URL(barcode.replace(/^\]Q\d/, ""));
    } catch {
        return null;
    }
    const segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const start = segments.findIndex(
        (segment) => PRIMARY_KEYS.has(segment)
    );
    if (start < 0 || (segments.length - start) % 2) {
        return null;
    }
    const elements = [];
    for (let index = start; index < segments.length; index += 2) {
        if (!AI_RE.test(segments[index])) {
            return null;
        }
        let value = segments[index + 1];
        if (segments[index] === "01" && /^\d{8,13}$/.test(value)) {
            value = value.padStart(14, "0"); // GTIN-8, -12, -13 in a GTIN-14 field
        }
        elements.push(segments[index] + value);
    }
    for (const [key, value] of url.searchParams) {
        if (AI_RE.test(key)) {
            elements.push(key + value);
        }
    }
    return elements.join(FNC1_CHAR);
}

// The symbology identifiers Odoo's server-side GS1 parser drops before reading
// (barcodes_gs1_nomenclature, gs1_decompose_extanded); its web client parser
// does not, so a scanner set to send them had its GS1 labels refused there.
const SYMBOLOGY_IDENTIFIERS = ["]C1", "]e0", "]d2", "]Q3", "]J1"];

patch(BarcodeParser.prototype, {
    gs1_decompose_extanded(barcode) {
        const link = digitalLinkElementString(barcode);
        if (link !== null) {
            return super.gs1_decompose_extanded(link);
        }
        const identifier = SYMBOLOGY_IDENTIFIERS.find((id) => barcode.startsWith(id));
        return super.gs1_decompose_extanded(identifier ? barcode.slice(3) : barcode);
    },
});
