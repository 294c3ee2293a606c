"""Purchase-order fields: the order number and dates, buyer and supplier, ship-to, line items, totals.

A purchase order is laid out like an invoice with the roles swapped: the buyer issues it (letterhead,
sender line) and the supplier is the addressee (address window, or a "Supplier"/"Vendor" block).
Labelled blocks win; without labels the letterhead is the buyer and the window the supplier. Line
items come from the shared table stage (same columns as an invoice: position, article, quantity,
unit, unit price, total), totals from labels plus arithmetic.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.extract import labels as L
from pipeline.extract.common import (
    NOTES,
    Party,
    amount_fields,
    choose_totals,
    compile_labels,
    date_parser,
    ev,
    id_parser,
    issuer_party,
    labelled,
    labelled_party,
    position_of,
    sum_of_line_totals,
    text_parser,
    window_party,
)
from pipeline.extract.context import DocContext, build_context
from pipeline.model import Evidence, LoadedDocument

PO_NUMBER = compile_labels(
    [
        (r"\bpurchase\s*order\s*(?:number|no\.?|nr\.?|#|id)", 1.0),
        (r"\bp\.?\s*o\.?\s*(?:number|no\.?|nr\.?|#)", 1.0),
        (r"\border\s*(?:number|no\.?|nr\.?|#|id)", 0.9),
        (
            r"\bbestell\s*-?\s*(?:nummer|nr\.?)|\bbestellung\s*(?:nr\.?|nummer)|\bauftrags\s*-?\s*(?:nummer|nr\.?)",
            1.0,
        ),
        (r"\b(?:n[°º]|num[ée]ro)\s*(?:de\s+)?(?:bon\s*de\s*)?commande|\bbon\s*de\s*commande\s*n[°º]?", 1.0),
        (r"\bcommande\s*n[°º]", 1.0),
        (
            r"\b(?:n[uú]mero|n[°º]|nro\.?)\s*(?:de\s+)?(?:pedido|orden(?:\s*de\s*compra)?)|\bpedido\s*n[°º]?",
            1.0,
        ),
        (r"\borden\s*de\s*compra\s*(?:n[°º]|n[uú]m)", 1.0),
        (
            r"\binkoop\s*-?\s*order\s*(?:nummer|nr\.?)?|\bbestel\s*-?\s*(?:nummer|nr\.?)|\border\s*-?\s*nummer",
            1.0,
        ),
        (r"^(?:purchase\s*order|bestellung|bon\s*de\s*commande|orden\s*de\s*compra|inkooporder)\b", 0.6),
    ]
)
ORDER_DATE = compile_labels(
    [
        (r"\b(?:order|po)\s*date\b|\bdate\s*of\s*order\b", 1.0),
        (r"\bbestell\s*-?\s*datum\b|\bauftrags\s*-?\s*datum\b", 1.0),
        (r"\bdate\s*(?:de\s*(?:la\s*)?)?commande\b", 1.0),
        (r"\bfecha\s*(?:de(?:l)?\s*)?(?:pedido|orden)\b", 1.0),
        (r"\bbestel\s*-?\s*datum\b|\border\s*-?\s*datum\b", 1.0),
        (r"^(?:date|datum|fecha|issue\s*date|date\s*d['’][ée]mission)\s*:?", 0.7),
    ]
)
DELIVERY_REQUESTED = compile_labels(
    [
        (
            r"\b(?:requested|required|desired|expected)\s*(?:delivery\s*)?(?:date|by)\b|\bdeliver(?:y)?\s*by\b",
            1.0,
        ),
        (r"\bdelivery\s*date\b|\bneed(?:ed)?\s*by\b|\bship\s*(?:date|by)\b", 0.9),
        (r"\bliefer\s*-?\s*(?:termin|datum)\b|\bwunsch\s*-?\s*termin\b|\bgew[üu]nschte[rs]?\s*liefer", 1.0),
        (
            r"\bdate\s*de\s*livraison(?:\s*souhait[ée]e)?\b|\blivraison\s*souhait[ée]e\b|\bd[ée]lai\s*de\s*livraison",
            1.0,
        ),
        (r"\bfecha\s*de\s*entrega(?:\s*(?:solicitada|deseada|requerida))?\b|\bplazo\s*de\s*entrega\b", 1.0),
        (r"\b(?:gewenste\s*)?lever\s*-?\s*datum\b|\bleverings\s*-?\s*datum\b", 1.0),
    ]
)
BUYER = compile_labels(
    [
        (r"^(?:buyer|purchaser|ordered\s*by|bill\s*to|invoice\s*to|customer)\b", 1.0),
        (r"^(?:besteller|auftraggeber|k[äa]ufer|rechnungs\s*-?\s*(?:adresse|empf[äa]nger))\b", 1.0),
        (r"^(?:acheteur|donneur\s*d['’]ordre|client|factur(?:er|ation)\s*[àa]?)\b", 1.0),
        (r"^(?:comprador|cliente|facturar\s*a)\b", 1.0),
        (r"^(?:koper|besteller|opdrachtgever|klant|factuuradres)\b", 1.0),
    ]
)
SUPPLIER = compile_labels(
    [
        (r"^(?:supplier|vendor|seller|to)\b", 1.0),
        (r"^(?:lieferant|verk[äa]ufer|an)\b", 1.0),
        (r"^(?:fournisseur|vendeur)\b", 1.0),
        (r"^(?:proveedor|vendedor)\b", 1.0),
        (r"^(?:leverancier|verkoper|aan)\b", 1.0),
    ]
)
SHIP_TO = compile_labels(
    [
        (r"^(?:ship\s*to|deliver\s*to|delivery\s*address|shipping\s*address)\b", 1.0),
        (r"^(?:liefer\s*-?\s*(?:adresse|anschrift)|lieferung\s*an|warenempf[äa]nger)\b", 1.0),
        (r"^(?:adresse\s*de\s*livraison|livrer\s*[àa]|lieu\s*de\s*livraison)\b", 1.0),
        (r"^(?:direcci[óo]n\s*de\s*entrega|enviar\s*a|entregar\s*en|lugar\s*de\s*entrega)\b", 1.0),
        (r"^(?:afleveradres|leveradres|leveren\s*aan|afleveren\s*aan)\b", 1.0),
    ]
)
_NOT_ORDER_DATE = re.compile(r"(?i)\b(deliver|liefer|livraison|entrega|lever|due|f[äa]llig|ship)")
_ITEM_KEYS = (
    "position",
    "description",
    "article_number",
    "quantity",
    "unit",
    "unit_price",
    "total",
    "tax_rate",
)


def extract_purchase_order(doc: LoadedDocument, items: Any) -> dict[str, Any]:
    """The evidence tree of a purchase order, shaped like `PurchaseOrderContent`."""
    ctx = build_context(doc, items)
    rows = list(getattr(items, "rows", []) or [])
    order = date_parser(ctx.date_order)
    buyer, supplier = _parties(ctx)
    ship = labelled_party(ctx, SHIP_TO)
    line_items = [_item(r) for r in rows]
    totals = choose_totals(
        amount_fields(ctx, {"subtotal": L.SUBTOTAL, "tax_amount": L.TAX_AMOUNT, "total": L.TOTAL}),
        sum_of_line_totals(rows),
    )
    number = labelled(ctx, PO_NUMBER, id_parser)
    terms = labelled(ctx, L.TERMS, text_parser)
    notes = labelled(ctx, NOTES, text_parser, below=True)
    return {
        "po_number": ev(number),
        "order_date": ev(labelled(ctx, ORDER_DATE, order, negative=_NOT_ORDER_DATE)),
        "delivery_date_requested": ev(labelled(ctx, DELIVERY_REQUESTED, order)),
        "buyer": _party_tree(buyer),
        "supplier": _party_tree(supplier),
        "delivery_address": _ship_address(ship),
        "currency": Evidence(ctx.currency, raw=ctx.currency, confidence=ctx.currency_confidence),
        "language": Evidence(ctx.language, confidence=ctx.language_confidence),
        "line_items": line_items,
        **totals,
        "payment_terms": ev(terms, 0.8),
        "notes": ev(notes, 0.6),
        "items_truncated": Evidence(False, confidence=1.0),
    }


def _ship_address(ship: Party) -> Evidence:
    if not ship.found:
        return Evidence(None)
    parts = [p for p in (ship.name.value, ship.address.value) if p]
    words = ship.words
    return Evidence.from_words(", ".join(parts), words, 0.7)


def _parties(ctx: DocContext) -> tuple[Party, Party]:
    """Buyer and supplier: labelled blocks first; without a label the letterhead (the issuer) is the
    buyer and the address window the supplier."""
    buyer = labelled_party(ctx, BUYER)
    supplier = labelled_party(ctx, SUPPLIER)
    ship = labelled_party(ctx, SHIP_TO)
    if not supplier.found:
        supplier = window_party(ctx)
    if not buyer.found:
        buyer = issuer_party(ctx, supplier.words + ship.words)
    return buyer, supplier


def _party_tree(p: Party) -> dict[str, Evidence]:
    return {"name": p.name, "address": p.address, "contact": p.contact, "tax_id": p.tax_id}


def _item(row: dict[str, Evidence]) -> dict[str, Evidence]:
    out = {k: row.get(k, Evidence(None)) for k in _ITEM_KEYS if k not in ("article_number", "position")}
    out["article_number"] = row.get("product_code", Evidence(None))
    pos = row.get("position", Evidence(None))
    value = position_of(str(pos.value)) if pos.value is not None else None
    out["position"] = (
        Evidence(value, pos.raw, pos.confidence, pos.page, pos.bbox) if value else Evidence(None)
    )
    return {k: out[k] for k in _ITEM_KEYS}
