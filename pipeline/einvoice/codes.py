"""Code lists shared by the readers and writers: document type codes (UNTDID 1001), unit codes
(UN/ECE Recommendation 20) and registration schemes (ISO 6523 ICD), with the names our schema uses.
"""

from __future__ import annotations

import re

# UNTDID 1001 -> document_kind
KIND_BY_TYPE_CODE: dict[str, str] = {
    "380": "invoice",
    "326": "invoice",  # partial invoice
    "389": "self_billed_invoice",
    "751": "invoice",  # invoice information for accounting purposes
    "384": "corrected_invoice",
    "386": "prepayment_invoice",
    "325": "proforma",
    "381": "credit_note",
    "261": "credit_note",  # self-billed credit note
    "262": "credit_note",  # consolidated credit note
    "396": "credit_note",  # factored credit note
}
TYPE_CODE_BY_KIND: dict[str, str] = {
    "invoice": "380",
    "self_billed_invoice": "389",
    "corrected_invoice": "384",
    "prepayment_invoice": "386",
    "proforma": "325",
    "credit_note": "381",
}

# Written units -> UN/ECE Rec 20 codes, for exports from visual extractions.
UNIT_CODES: dict[str, str] = {
    "pcs": "H87", "pc": "H87", "piece": "H87", "pieces": "H87", "stk": "H87", "stück": "H87",
    "st": "H87", "pce": "H87", "pièce": "H87", "ea": "EA", "each": "EA", "unit": "C62",
    "units": "C62", "x": "C62", "h": "HUR", "hr": "HUR", "hrs": "HUR", "hour": "HUR", "hours": "HUR",
    "std": "HUR", "stunde": "HUR", "stunden": "HUR", "heure": "HUR", "heures": "HUR",
    "day": "DAY", "days": "DAY", "tag": "DAY", "tage": "DAY", "jour": "DAY", "jours": "DAY",
    "month": "MON", "months": "MON", "monat": "MON", "mois": "MON", "week": "WEE", "year": "ANN",
    "kg": "KGM", "g": "GRM", "t": "TNE", "m": "MTR", "km": "KMT", "cm": "CMT", "mm": "MMT",
    "m2": "MTK", "m²": "MTK", "m3": "MTQ", "m³": "MTQ", "l": "LTR", "ltr": "LTR", "ml": "MLT",
    "kwh": "KWH", "min": "MIN", "set": "SET", "pauschal": "LS", "lump sum": "LS", "flat": "LS",
}
_REC20 = re.compile(r"^[A-Z0-9]{2,3}$")

# ISO 6523 ICD scheme of a legal registration -> our registration type
REGISTRATION_BY_SCHEME: dict[str, str] = {
    "0002": "SIREN", "0009": "SIRET", "0106": "KVK", "0184": "CVR", "0183": "UID", "0208": "KBO",
    "0007": "ORGNR", "0088": "GLN", "0060": "DUNS", "0195": "UEN", "0151": "ABN", "0211": "CF",
    "0096": "CVR", "0192": "ORGNR", "0196": "KT", "0216": "OVT",
}
SCHEME_BY_REGISTRATION: dict[str, str] = {v: k for k, v in REGISTRATION_BY_SCHEME.items()}


def unit_code(unit: str | None) -> tuple[str, bool]:
    """The Rec 20 code for a written unit and whether it is certain; unknown units fall back to C62."""
    if not unit:
        return "C62", True  # no unit printed: "one" is what EN 16931 prescribes
    code = UNIT_CODES.get(unit.strip().lower().rstrip("."))
    if code:
        return code, True
    if _REC20.match(unit.strip()):
        return unit.strip(), True
    return "C62", False
