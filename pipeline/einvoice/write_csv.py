"""CSV for ERP import screens: one row per line item, the header fields repeated on every row.

UTF-8 (a BOM by default, so Excel opens umlauts right), `;` or `,` between fields, numbers with
a decimal point (or a decimal comma on request, only with `;`), dates ISO 8601, no thousands
separators. An invoice without line items gives one row with the line columns empty.
"""

from __future__ import annotations

import csv
import io
from typing import Any

HEADER_COLUMNS: list[tuple[str, str]] = [
    ("invoice_number", "invoice_number"),
    ("document_kind", "document_kind"),
    ("invoice_date", "invoice_date"),
    ("due_date", "due_date"),
    ("currency", "currency"),
    ("vendor_name", "vendor.name"),
    ("vendor_tax_id", "vendor.tax_id"),
    ("vendor_address", "vendor.address"),
    ("customer_name", "customer.name"),
    ("customer_number", "customer.customer_number"),
    ("customer_tax_id", "customer.tax_id"),
    ("purchase_order_number", "purchase_order_number"),
    ("iban", "bank_details.iban"),
    ("bic", "bank_details.bic"),
    ("subtotal", "subtotal"),
    ("tax_amount", "tax_amount"),
    ("total", "total"),
]
LINE_COLUMNS = [
    "position", "product_code", "description", "quantity", "unit", "unit_price",
    "discount_amount", "tax_rate", "total",
]
COLUMNS = [name for name, _ in HEADER_COLUMNS] + [f"line_{name}" for name in LINE_COLUMNS]


def _get(content: dict[str, Any], path: str) -> Any:
    value: Any = content
    for key in path.split("."):
        value = (value or {}).get(key)
    return value


def _cell(value: Any, decimal_comma: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float | int):
        text = format(value, "f").rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
        return text.replace(".", ",") if decimal_comma else text
    return str(value).replace("\r\n", "\n")


def write_csv(content: dict[str, Any], delimiter: str = ";", bom: bool = True, decimal: str = ".") -> bytes:
    """The CSV bytes of a result's `content`."""
    if delimiter not in (";", ",", "\t"):
        raise ValueError("delimiter must be ';', ',' or a tab")
    if decimal not in (".", ","):
        raise ValueError("decimal must be '.' or ','")
    if decimal == "," and delimiter == ",":
        raise ValueError("a decimal comma needs ';' or tab as the delimiter")
    comma = decimal == ","
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    head = [_cell(_get(content, path), comma) for _, path in HEADER_COLUMNS]
    for item in content.get("line_items") or [{}]:
        writer.writerow(head + [_cell(item.get(name), comma) for name in LINE_COLUMNS])
    return (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")
