"""Delivery-note fields: numbers and date, sender and recipient, carrier and tracking, the item
table with ordered and delivered quantities, packages, weight, and partial-delivery markers.

The item table is read with the shared header-driven reader (pipeline.extract.common.read_table)
because its columns are quantities, not prices: the invoice table stage looks for a price or a
total. Weight is converted to kilograms from the unit printed beside it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from pipeline.extract.common import (
    NOTES,
    Party,
    Vocabulary,
    cell_number,
    cell_text,
    compile_labels,
    date_parser,
    ev,
    id_parser,
    issuer_party,
    labelled,
    labelled_party,
    position_of,
    read_table,
    text_parser,
    whole_text_flag,
    window_party,
)
from pipeline.extract.context import Candidate, DocContext, build_context, span_words
from pipeline.extract.purchase_order import PO_NUMBER
from pipeline.model import Evidence, LoadedDocument
from pipeline.normalize.amounts import parse_amount

DN_NUMBER = compile_labels(
    [
        (
            r"\b(?:delivery\s*note|packing\s*(?:slip|list)|dispatch\s*note|shipping\s*note)\s*(?:number|no\.?|nr\.?|#|id)",
            1.0,
        ),
        (r"\blieferschein\s*-?\s*(?:nummer|nr\.?|no\.?)", 1.0),
        (
            r"\b(?:n[°º]|num[ée]ro)\s*(?:de\s+)?(?:bon\s*de\s*livraison|bl)\b|\bbon\s*de\s*livraison\s*n[°º]",
            1.0,
        ),
        (r"\b(?:n[°º]|n[uú]mero)\s*(?:de\s+)?albar[áa]n|\balbar[áa]n\s*(?:n[°º]|n[uú]m)", 1.0),
        (r"\bnota\s*de\s*entrega\s*(?:n[°º]|n[uú]m)", 1.0),
        (r"\b(?:pakbon|leverbon|afleverbon)\s*-?\s*(?:nummer|nr\.?)?", 0.95),
        (r"^(?:delivery\s*note|packing\s*slip|lieferschein|bon\s*de\s*livraison|albar[áa]n|pakbon)\b", 0.6),
        (r"^(?:document|doc\.?|shipment|sendung)\s*(?:no\.?|number|nr\.?|#)", 0.5),
    ]
)
ORDER_NUMBER = [
    *PO_NUMBER,
    *compile_labels(
        [
            (r"\byour\s*(?:order|po)\b|\bcustomer\s*order\b|\bsales\s*order\s*(?:no\.?|number|#)?", 0.9),
            (r"\bihre\s*bestellung\b|\bauftrag\s*(?:nr\.?|nummer)|\bauftragsnummer\b", 0.9),
            (r"\bvotre\s*commande\b|\bv/\s*commande\b|\bn[°º]\s*commande\b", 0.9),
            (r"\bsu\s*pedido\b", 0.9),
            (r"\buw\s*(?:order|bestelling)\b", 0.9),
        ]
    ),
]
DELIVERY_DATE = compile_labels(
    [
        (
            r"\bdelivery\s*date\b|\bdate\s*of\s*delivery\b|\bdelivered\s*on\b|\bship(?:ping|ment)?\s*date\b|\bdispatch\s*date\b",
            1.0,
        ),
        (r"\bliefer\s*-?\s*datum\b|\bversand\s*-?\s*datum\b|\blieferschein\s*-?\s*datum\b", 1.0),
        (r"\bdate\s*(?:de\s*)?(?:livraison|d['’]exp[ée]dition)\b", 1.0),
        (r"\bfecha\s*(?:de\s*)?(?:entrega|env[íi]o|albar[áa]n)\b", 1.0),
        (r"\b(?:af)?lever\s*-?\s*datum\b|\bverzend\s*-?\s*datum\b", 1.0),
        (r"^(?:date|datum|fecha)\s*:?", 0.7),
    ]
)
SENDER = compile_labels(
    [
        (r"^(?:sender|shipper|ship\s*from|from|consignor|supplier)\b", 1.0),
        (r"^(?:absender|versender|lieferant)\b", 1.0),
        (r"^(?:exp[ée]diteur|fournisseur)\b", 1.0),
        (r"^(?:remitente|expedidor|proveedor)\b", 1.0),
        (r"^(?:afzender|verzender|leverancier)\b", 1.0),
    ]
)
RECIPIENT = compile_labels(
    [
        (r"^(?:recipient|consignee|deliver\s*to|ship\s*to|delivery\s*address|receiver)\b", 1.0),
        (r"^(?:empf[äa]nger|warenempf[äa]nger|liefer\s*-?\s*(?:adresse|anschrift)|lieferung\s*an)\b", 1.0),
        (r"^(?:destinataire|livrer\s*[àa]|adresse\s*de\s*livraison)\b", 1.0),
        (r"^(?:destinatario|direcci[óo]n\s*de\s*entrega|entregar\s*a|consignatario)\b", 1.0),
        (r"^(?:ontvanger|afleveradres|leveradres|geadresseerde)\b", 1.0),
    ]
)
CARRIER = compile_labels(
    [
        (r"\bcarrier\b|\bshipped\s*(?:via|by)\b|\bship\s*via\b|\bforwarder\b|\bcourier\b", 1.0),
        (
            r"\bspediteur\b|\bfrachtf[üu]hrer\b|\bversand\s*(?:durch|mit|per)\b|\bversandart\b|\bpaketdienst\b",
            1.0,
        ),
        (r"\btransporteur\b|\bexp[ée]di[ée]\s*par\b", 1.0),
        (r"\btransportista\b|\bagencia\s*de\s*transporte\b|\benviado\s*por\b", 1.0),
        (r"\bvervoerder\b|\bexpediteur\b|\bverzonden\s*(?:via|met)\b", 1.0),
    ]
)
TRACKING = compile_labels(
    [
        (
            r"\btracking\s*(?:number|no\.?|#|id|code)?\b|\bwaybill\b|\bawb\b|\bconsignment\s*(?:no\.?|number)",
            1.0,
        ),
        (
            r"\bsendungs\s*-?\s*(?:nummer|nr\.?)\b|\btracking\s*-?\s*nr\.?|\bpaket\s*-?\s*(?:nummer|nr\.?)",
            1.0,
        ),
        (r"\bn[°º]\s*(?:de\s*)?suivi\b|\bnum[ée]ro\s*de\s*suivi\b|\bn[°º]\s*(?:de\s*)?colis\b", 1.0),
        (r"\bn[°º]\s*(?:de\s*)?seguimiento\b|\bn[uú]mero\s*de\s*(?:seguimiento|env[íi]o)\b", 1.0),
        (r"\btrack\s*(?:&|and)\s*trace\b|\btrackingnummer\b|\bzendingnummer\b", 1.0),
    ]
)
PACKAGES = compile_labels(
    [
        (
            r"\b(?:number\s*of\s*)?(?:packages|parcels|cartons|pieces)\b|\bno\.?\s*of\s*(?:packages|parcels)\b",
            1.0,
        ),
        (r"\bpackst[üu]cke?\b|\banzahl\s*(?:pakete|packst[üu]cke|kolli)\b|\bkolli\b|\bpakete\b", 1.0),
        (r"\b(?:nombre\s*de\s*)?colis\b", 1.0),
        (r"\b(?:n[uú]mero\s*de\s*)?bultos\b", 1.0),
        (r"\b(?:aantal\s*)?colli\b|\baantal\s*pakketten\b", 1.0),
    ]
)
WEIGHT = compile_labels(
    [
        (r"\b(?:total|gross|net|shipping)?\s*weight\b", 1.0),
        (r"\b(?:gesamt|brutto|netto)?\s*-?\s*gewicht\b", 1.0),
        (r"\bpoids\s*(?:total|brut|net)?\b", 1.0),
        (r"\bpeso\s*(?:total|bruto|neto)?\b", 1.0),
        (r"\b(?:totaal\s*|bruto\s*|netto\s*)?gewicht\b|\bbrutogewicht\b", 1.0),
    ]
)
PARTIAL = re.compile(
    r"(?i)\b(?:partial\s*(?:delivery|shipment)|part\s*shipment|back\s*-?\s*order(?:ed)?|teil\s*-?\s*lieferung|"
    r"livraison\s*partielle|exp[ée]dition\s*partielle|reliquat|entrega\s*parcial|env[íi]o\s*parcial|"
    r"deel\s*-?\s*levering|gedeeltelijke\s*levering)\b"
)
COMPLETE = re.compile(
    r"(?i)\b(?:complete\s*(?:delivery|shipment)|order\s*complete|fully\s*delivered|komplett\s*-?\s*lieferung|"
    r"voll\s*-?\s*lieferung|vollst[äa]ndige\s*lieferung|restlieferung|livraison\s*(?:compl[èe]te|totale)|"
    r"entrega\s*(?:completa|total)|volledige\s*levering|complete\s*levering)\b"
)
_SEQUENCE = re.compile(
    r"(?i)\b(?:shipment|delivery|parcel|package|lieferung|sendung|paket|exp[ée]dition|livraison|colis|env[íi]o|"
    r"entrega|bulto|zending|levering)\s*(?:no\.?|nr\.?|n[°º])?\s*(\d{1,2})\s*(?:/|of|von|sur|de|van)\s*(\d{1,2})\b"
)
_CARRIERS = re.compile(
    r"\b(DHL(?:\s*Express)?|UPS|FedEx|DPD|GLS|TNT|USPS|Royal\s*Mail|PostNL|Chronopost|Colissimo|SEUR|MRW|"
    r"Correos(?:\s*Express)?|Hermes|DB\s*Schenker|Schenker|Kuehne\s*\+\s*Nagel|Geodis|bpost|Deutsche\s*Post)\b"
)

VOCAB = Vocabulary.of(
    {
        "position": ["pos", "pos.", "position", "#", "no", "nr", "lfd. nr", "line", "ligne", "regel"],
        "article_number": [
            "item no",
            "item no.",
            "item #",
            "item code",
            "article no",
            "art.-nr.",
            "art.-nr",
            "art-nr",
            "art. nr",
            "artikelnr",
            "artikelnummer",
            "artikel-nr",
            "sku",
            "part no",
            "part number",
            "product code",
            "code",
            "reference",
            "référence",
            "réf",
            "ref",
            "réf.",
            "código",
            "codigo",
            "cód",
            "artikelcode",
            "materialnr",
            "ean",
        ],
        "description": [
            "description",
            "bezeichnung",
            "artikelbezeichnung",
            "beschreibung",
            "artikel",
            "désignation",
            "designation",
            "libellé",
            "article",
            "descripción",
            "descripcion",
            "concepto",
            "artículo",
            "omschrijving",
            "item",
            "product",
            "produit",
            "producto",
            "goods",
            "items",
        ],
        "quantity_ordered": [
            "ordered",
            "qty ordered",
            "quantity ordered",
            "order qty",
            "ord qty",
            "bestellt",
            "bestellmenge",
            "best. menge",
            "commandé",
            "commande",
            "qté commandée",
            "quantité commandée",
            "pedido",
            "pedida",
            "cantidad pedida",
            "cant. pedida",
            "besteld",
            "bestelde hoeveelheid",
            "besteld aantal",
        ],
        "quantity_delivered": [
            "delivered",
            "shipped",
            "qty shipped",
            "qty delivered",
            "quantity delivered",
            "quantity shipped",
            "ship qty",
            "geliefert",
            "liefermenge",
            "gelieferte menge",
            "livré",
            "livrée",
            "qté livrée",
            "quantité livrée",
            "entregado",
            "entregada",
            "cantidad entregada",
            "servido",
            "servida",
            "geleverd",
            "geleverde hoeveelheid",
            "qty",
            "quantity",
            "menge",
            "anzahl",
            "quantité",
            "qté",
            "cantidad",
            "cant.",
            "aantal",
            "hoeveelheid",
        ],
        "unit": ["unit", "uom", "einheit", "me", "unité", "unite", "unidad", "ud", "eenheid"],
    }
)
_STOP = re.compile(
    r"(?i)^\s*(?:total|summe|gesamt|totaal|packages|packst|anzahl|nombre|colis|bultos|colli|weight|gewicht|"
    r"poids|peso|notes?|remarks?|bemerkung|remarques|observaciones|opmerking|signature|unterschrift|received|"
    r"erhalten|re[çc]u|recibido|ontvangen|partial|teil|livraison|entrega|deel|complete|komplett|volledige)"
)
_ITEM_KEYS = ("position", "description", "article_number", "quantity_ordered", "quantity_delivered", "unit")


def extract_delivery_note(doc: LoadedDocument, items: Any) -> dict[str, Any]:
    """The evidence tree of a delivery note, shaped like `DeliveryNoteContent`."""
    ctx = build_context(doc, items)
    order = date_parser(ctx.date_order)
    sender, recipient = _parties(ctx)
    partial = whole_text_flag(ctx, PARTIAL, True)
    if partial.value is None:
        partial = whole_text_flag(ctx, COMPLETE, False, 0.7)
    return {
        "delivery_note_number": ev(labelled(ctx, DN_NUMBER, id_parser)),
        "order_number": ev(labelled(ctx, ORDER_NUMBER, id_parser)),
        "delivery_date": ev(labelled(ctx, DELIVERY_DATE, order)),
        "sender": _party_tree(sender),
        "recipient": _party_tree(recipient),
        "carrier": _carrier(ctx),
        "tracking_number": ev(labelled(ctx, TRACKING, _tracking_parser)),
        "language": Evidence(ctx.language, confidence=ctx.language_confidence),
        "items": _items(ctx),
        "total_packages": ev(labelled(ctx, PACKAGES, _count_parser)),
        "total_weight_kg": _weight(ctx),
        "is_partial_delivery": partial,
        "delivery_sequence": whole_text_sequence(ctx),
        "notes": ev(labelled(ctx, NOTES, text_parser, below=True), 0.6),
    }


def _parties(ctx: DocContext) -> tuple[Party, Party]:
    """Sender and recipient: labelled blocks first, else the letterhead sends and the address window
    receives."""
    sender = labelled_party(ctx, SENDER)
    recipient = labelled_party(ctx, RECIPIENT)
    if not recipient.found:
        recipient = window_party(ctx)
    if not sender.found:
        sender = issuer_party(ctx, recipient.words)
    return sender, recipient


def _party_tree(p: Party) -> dict[str, Evidence]:
    return {"name": p.name, "address": p.address, "contact": p.contact}


def _tracking_parser(text: str) -> tuple[str, int, int] | None:
    """A tracking number exactly as printed: one token of 8+ letters/digits, or digit groups
    separated by single spaces ("1Z 999 AA1 01 2345 6784")."""
    m = re.match(r"\s*(?:n[°º]\.?|no\.?|#)?\s*([A-Z0-9][A-Z0-9\-]{5,}(?: [A-Z0-9]{2,6})*)", text)
    if not m or sum(c.isdigit() for c in m.group(1)) < 5:
        return None
    return m.group(1), m.start(1), m.end(1)


def _count_parser(text: str) -> tuple[Decimal, int, int] | None:
    m = re.match(r"\s*(\d{1,5})(?![\d.,]\d)", text)
    return (Decimal(m.group(1)), m.start(1), m.end(1)) if m else None


_WEIGHT_VALUE = re.compile(
    r"(?i)(\d{1,3}(?:[.,' ]\d{3})*(?:[.,]\d{1,3})?|\d+(?:[.,]\d{1,3})?)\s*(kg|kgs|lbs?|g|t)\b"
)
_TO_KG = {
    "kg": Decimal(1),
    "kgs": Decimal(1),
    "lb": Decimal("0.45359237"),
    "lbs": Decimal("0.45359237"),
    "g": Decimal("0.001"),
    "t": Decimal(1000),
}


def _weight_parser(text: str) -> tuple[tuple[Decimal, str], int, int] | None:
    m = _WEIGHT_VALUE.match(text.strip())
    if not m:
        return None
    off = len(text) - len(text.lstrip())
    value = parse_amount(m.group(1), None)
    if value is None:
        return None
    return (value, m.group(2).lower()), off + m.start(), off + m.end()


def _weight(ctx: DocContext) -> Evidence:
    """Total weight in kg; a value printed in lb, g or t is converted (raw keeps what was printed)."""
    c: Candidate | None = labelled(ctx, WEIGHT, _weight_parser)
    if c is None:
        return Evidence(None)
    value, unit = c.value
    kg = (value * _TO_KG[unit]).quantize(Decimal("0.01"))
    return Evidence.from_words(kg, c.words, min(0.95, c.score), raw=c.raw)


def _carrier(ctx: DocContext) -> Evidence:
    """The carrier after its label; else a well-known carrier name printed anywhere."""
    c = labelled(ctx, CARRIER, text_parser)
    if c is not None:
        value = re.split(r"\s{2,}|\s[-–|]\s", c.value)[0].strip()
        return Evidence.from_words(value, c.words, 0.85, raw=c.raw)
    for lines in ctx.lines:
        for line in lines:
            m = _CARRIERS.search(line.text)
            if m:
                return Evidence.from_words(m.group(1), span_words(line, m.start(1), m.end(1)), 0.55)
    return Evidence(None)


def whole_text_sequence(ctx: DocContext) -> Evidence:
    """A shipment sequence such as "Shipment 1 of 3" / "Lieferung 1/2", as "1/3"."""
    for lines in ctx.lines:
        for line in lines:
            m = _SEQUENCE.search(line.text)
            if m and 0 < int(m.group(1)) <= int(m.group(2)):
                value = f"{int(m.group(1))}/{int(m.group(2))}"
                return Evidence.from_words(value, span_words(line, m.start(), m.end()), 0.8, raw=m.group())
    return Evidence(None)


def _is_qty(field: str, text: str) -> bool:
    return field.startswith("quantity") and re.search(r"\d", text) is not None


def _items(ctx: DocContext) -> list[dict[str, Evidence]]:
    rows = read_table(
        ctx,
        VOCAB,
        required={"quantity_delivered", "quantity_ordered"},
        anchors={"quantity_delivered", "quantity_ordered"},
        text_fields={"description"},
        stop=_STOP,
        anchor_ok=_is_qty,
    )
    out = []
    for row in rows:
        pos = cell_text(row, "position")
        number = position_of(str(pos.value)) if pos.value is not None else None
        item = {
            "position": Evidence(number, pos.raw, pos.confidence, pos.page, pos.bbox)
            if number
            else Evidence(None),
            "description": cell_text(row, "description"),
            "article_number": cell_text(row, "article_number"),
            "quantity_ordered": cell_number(row, "quantity_ordered"),
            "quantity_delivered": cell_number(row, "quantity_delivered"),
            "unit": cell_text(row, "unit"),
        }
        if item["description"].value is None and item["article_number"].value is None:
            continue
        out.append({k: item[k] for k in _ITEM_KEYS})
    return out


