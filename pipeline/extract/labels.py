"""Label dictionaries for invoice header fields in English, German, French, Spanish and Dutch.

Each entry is (regular expression, strength). Strength is how sure the label makes us that the
value next to it is this field: "Invoice number" is 1.0, a bare "No." much less. Expressions are
matched case-insensitively against one segment of a line (see pipeline.layout).
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

from pipeline.normalize.similar import fold_in_place, one_edit
from pipeline.ocr_repair import LABEL_FRAME_RULE

if TYPE_CHECKING:
    from pipeline.layout import Segment

Label = tuple[re.Pattern[str], float]


class LabelSet(list[Label]):
    """A label list that also carries one alternation of all its expressions, and the words one of
    which any match of them holds.

    Most segments match no label of a list; one search of the alternation says so instead of one
    search per expression (a list has up to 20). The alternation matches somewhere exactly when one
    of the expressions does, so it is only a filter: the strongest label is still chosen by the loop.
    Before it, on a segment of ASCII text, a search of the words (`_keywords`) in its lower case
    text says so faster still: every segment is asked about by a dozen lists, and the alternation's
    case-insensitive search was a seventh of a born-digital invoice's time (session 31).
    The lists are never mutated after they are built (module constants).
    """

    __slots__ = ("keywords", "prefilter")

    def __init__(self, entries: list[Label]) -> None:
        super().__init__(entries)
        self.prefilter = _alternation([p for p, _ in entries])
        self.keywords = _keywords([p for p, _ in entries])


def _keywords(patterns: list[re.Pattern[str]]) -> re.Pattern[str] | None:
    """A search for words, one of which is in the lower case text of every match of `patterns`
    (their literal runs that no match can go without: `_needed`); None where some expression has
    none of two letters or more. Only a filter for ASCII text: there lower case is what matching
    without case compares."""
    try:
        from re import _constants, _parser  # the parser `re` compiles with: its tree, not our guess
    except ImportError:  # a Python that moved it: no filter, the alternation still answers
        return None
    needed: set[str] = set()
    for pattern in patterns:
        words = _needed(_parser.parse(pattern.pattern, pattern.flags).data, _constants)
        if not words:
            return None
        needed |= words
    # Characters that match ASCII letters without case though they are none ("ſ", the Kelvin sign):
    # a word holding one could miss an ASCII match.
    if any(not c.isascii() and (c.upper().isascii() or c.lower().isascii()) for w in needed for c in w):
        return None
    return re.compile("|".join(re.escape(w) for w in sorted(needed, key=len, reverse=True)))


def _needed(items: list[tuple[Any, Any]], sre: Any) -> set[str] | None:
    """Lower case words one of which every match of the parsed sequence `items` holds: its longest
    run of literal characters (a small class of them in it gives one word per member: "n[°º]" is
    "n°" or "nº"), or a group's or a branch's words (every branch must have some); None without
    one of two characters or more. Anything else (a wider class, an optional part, a look-around)
    ends a run and is passed over: the words are only ever fewer than what is needed."""
    best: set[str] | None = None

    def consider(words: set[str] | None) -> None:
        nonlocal best
        if words and all(len(w) >= 2 for w in words) and (
            best is None or min(map(len, words)) > min(map(len, best))
        ):
            best = words

    run = {""}
    for op, av in items:
        longer = _extended(run, op, av, sre)
        if longer is not None:
            run = longer
            continue
        consider({w.lower() for w in run})
        if op is sre.BRANCH:
            # The run goes on into each branch's own first run: `re` takes a prefix common to all
            # branches out of them ("nummer|no|n[°º]" is "n" and "ummer|o|[°º]").
            heads = {r + h for r in run for branch in av[1] for h in _head(branch.data, sre)}
            consider({w.lower() for w in heads} if len(heads) <= _MAX_WORDS else None)
            found = [_needed(branch.data, sre) for branch in av[1]]
            consider(set().union(*found) if all(found) else None)
        run = {""}
        if op is sre.SUBPATTERN:
            consider(_needed(av[3].data, sre))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1:
            consider(_needed(av[2].data, sre))
    consider({w.lower() for w in run})
    return best


_MAX_WORDS = 16  # words one run may stand for through its classes


def _head(items: list[tuple[Any, Any]], sre: Any) -> set[str]:
    """The words the parsed sequence `items` opens with: its first run of literal characters and
    small classes ({""} when it opens with anything else)."""
    run = {""}
    for op, av in items:
        longer = _extended(run, op, av, sre)
        if longer is None:
            break
        run = longer
    return run


def _extended(run: set[str], op: Any, av: Any, sre: Any) -> set[str] | None:
    """The words `run` stands for with the parsed item (op, av) after them, where it is a literal
    character or a class of a few (one word per member: "[°º]", "[äa]"); None for anything else or
    past `_MAX_WORDS` words."""
    if op is sre.LITERAL:
        members = [chr(av)]
    elif op is sre.IN and len(av) <= 4 and all(kind is sre.LITERAL for kind, _ in av):
        members = [chr(code) for _, code in av]
    else:
        return None
    return {w + c for w in run for c in members} if len(run) * len(members) <= _MAX_WORDS else None


def _alternation(patterns: list[re.Pattern[str]]) -> re.Pattern[str] | None:
    """One expression matching wherever one of `patterns` does, or None when they cannot be joined
    (different flags, or inline global flags that are only allowed at the start)."""
    if not patterns or len({p.flags for p in patterns}) != 1:
        return None
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)
    except re.error:
        return None


_NOT_OTHER = r"(?!\s*(?:associ|d'origine|originale?|initiale|pr[ée]c[ée]dente|referenced|rectifi|corrig))"


def _compile(entries: list[tuple[str, float]]) -> LabelSet:
    return LabelSet([(re.compile(p, re.IGNORECASE), s) for p, s in entries])


INVOICE_NUMBER = _compile(
    [
        (r"\binvoice\s*(?:number|no\.?|nr\.?|num\.?|#|id)" + _NOT_OTHER, 1.0),
        (r"\btax invoice\s*(?:no\.?|number|#)", 1.0),
        (r"\bbill\s*(?:number|no\.?)", 0.8),
        (r"\brechnungs?[\s-]*(?:nummer|nr\.?|no\.?)", 1.0),  # "Rechnungs- -Nr.": OCR reads the hyphen twice
        (r"\brechnung\s*(?:nr\.?|no\.?|nummer)", 1.0),
        (r"\bbeleg\s*-?\s*(?:nummer|nr\.?)", 0.7),
        # ... its "°" read as an "e" too before the number ("Facture ne 2022089083": Netpresse on
        # scanner seed 3343; "facture ne" is French prose, so only before a digit)
        (r"\bfacture\s*(?:n[°º o\"*]\.?|ne(?=\s*\d)|num[ée]ro|#)" + _NOT_OTHER, 1.0),
        # "Nº" as OCR reads it too: "N?", "No", "N'", "Ne" ("Ne factura"), 'n"' and "n*" (Netpresse's
        # "Facture n°" on scans); "ú" as "ü" ("Nümero").
        (r"\b(?:n[°º?o'e]|num[ée]ro)\s*(?:de\s+)?facture" + _NOT_OTHER, 1.0),
        (r"\b(?:n[°º?o'e]|n[uúü]mero)\s*(?:de\s+)?factura", 1.0),
        (r"\bfactura\s*(?:n[°º o\"*]\.?|n[uú]m\.?|n[uú]mero|#)", 1.0),
        (r"\bfactuur\s*-?\s*(?:nummer|nr\.?|no\.?)", 1.0),
        (r"\bcredit\s*note\s*(?:number|no\.?|#)", 1.0),
        (r"\bgutschrift\s*-?\s*(?:nummer|nr\.?)", 1.0),
        (r"\bavoir\s*(?:n[°º]|num[ée]ro)", 1.0),
        (r"^(?:invoice|rechnung|facture|factura|factuur)$", 0.55),
        (r"^(?:invoice|rechnung|facture|factura|factuur)\b(?!\s*(?:date|datum|address|adres))", 0.5),
        (r"^(?:document|doc\.?|receipt|booking)\s*(?:no\.?|number|id|#)", 0.55),
        (r"^(?:booking id|order id)$", 0.3),
        # A bare "Nummer:" / "No.:" opening a header cell: weak, but on an invoice's header it is the
        # document's number (the stronger labels above win when present).
        (r"^(?:nummer|number|no\.?|nr\.?|n[°º]\.?|num[ée]ro|n[uú]mero)\s*:?\s*(?=\S*\d|$)", 0.45),
    ]
)

INVOICE_DATE = _compile(
    [
        (r"\binvoice\s*date", 1.0),
        (r"\b(?:date|datum)\s*(?:of\s+)?(?:issue|invoice)", 0.95),
        (r"\bissue\s*date|\bdate issued|\bbill date|\bdated\b", 0.9),
        (r"\brechnungs\s*-?\s*datum|\bbelegdatum|\bausstellungsdatum", 1.0),
        (r"\bdate\s*(?:de\s+)?(?:la\s+)?facture" + _NOT_OTHER, 1.0),
        (r"\bdate\s*d['’]\s*[ée]mission", 1.0),
        (r"\bfecha\s*(?:de\s+)?(?:la\s+)?(?:factura|emisi[óo]n|expedici[óo]n)", 1.0),
        (r"\bfactuur\s*-?\s*datum", 1.0),
        # ";": a colon misread (horstoeko, seed 1303); "[": a frame's rule before it (seed 1381).
        (r"^[\[(|]?(?:date|datum|fecha|fecha)\s*[:;]?$", 0.75),
        (r"^[\[(|]?(?:date|datum|fecha)\s*[:;]", 0.75),
        (r",\s*(?:den|le)$", 0.6),
    ]
)

DUE_DATE = _compile(
    [
        (r"\bdue\s*date|\bpayment\s*due|\bdue\s*(?:on|by)\b|\bpay\s*by\b", 1.0),
        (r"\bf[äa]llig(?:keit|keitsdatum)?(?:\s*am)?|\bzahlbar\s*bis|\bzahlungsziel", 1.0),
        (
            r"\bdate\s*d['’]\s*[ée]ch[ée]ance|\b[ée]ch[ée]ance|\bdate\s*limite\s*de\s*(?:paiement|r[èe]glement)",
            1.0,
        ),
        (r"\bfecha\s*de\s*vencimiento|\bvencimiento", 1.0),
        (r"\bvervaldatum|\bvervaldag|\buiterste\s*betaaldatum", 1.0),
    ]
)

ORDER_DATE_NEGATIVE = re.compile(
    r"(?i)\b(order|bestell|auftrag|commande|pedido|livraison|delivery|liefer|check|print|druck|zeit)"
)

PO_NUMBER = _compile(
    [
        (r"\bpurchase\s*order\s*(?:number|no\.?|nr\.?|#)?(?![a-z])", 1.0),
        (r"\bp\.?\s*o\.?\s*(?:number|no\.?|nr\.?|#|:)", 1.0),
        (r"\byour\s*(?:order|reference)\s*(?:no\.?|number)?", 0.6),
        (
            r"\buw\s*(?:referentie|bestelling|order|kenmerk)|\bihre\s*referenz|\bvotre\s*r[ée]f[ée]rence|"
            r"\bsu\s*referencia",
            0.6,
        ),
        (r"\bbestell\s*-?\s*(?:nummer|nr\.?)|\bihre\s*bestellung", 0.9),
        # its last letter misread on a scan ("'Bon DE COMMANDI": akretion on seed 2647); "bon de"
        # leaves no other word
        (r"\b(?:n[°º]\s*)?(?:de\s+)?bon\s*de\s*command[a-z]?(?![a-z])", 1.0),
        (r"\b(?:n[°º]\s*)?(?:de\s+)?commande", 0.6),
        (r"\b(?:n[uú]mero\s*de\s*)?pedido|\borden\s*de\s*compra", 0.9),
        (r"\binkoop\s*order|\bbestelnummer|\bordernummer", 0.8),
        # A bare English "Order No." is as often the seller's own sales order as the buyer's PO: too
        # weak alone (PO_MIN_SCORE), it only breaks ties.
        (r"\border\s*(?:number|no\.?)", 0.35),
    ]
)

PO_MIN_SCORE = 0.4

CUSTOMER_NUMBER = _compile(
    [
        (r"\b(?:customer|client|account)\s*(?:number|no\b\.?|nr\b\.?|id\b|#|ref\b\.?|reference)", 1.0),
        (r"\bkd\.?\s*-?\s*nr\b\.?|\br[ée]f\.?\s*(?:du\s+)?client\b", 0.9),
        (r"\bkunden\s*-?\s*(?:nummer|nr\.?)|\bdebitoren\s*-?\s*(?:nummer|nr\.?)", 1.0),
        # "N°" as OCR reads it too ("No client", "N? cliente"), as for the invoice number.
        (r"\b(?:n[°º?o']|num[ée]ro)\s*(?:de\s+)?client\b|\bid\.?\s*client\b|\bcode\s*client\b", 1.0),
        (r"\bc[óo]digo\s*(?:de\s*)?cliente\b|\bn[°º?o']\.?\s*(?:de\s*)?cliente\b", 1.0),
        (r"\b(?:n[uú]mero\s*de\s*)?cliente\b", 0.7),
        (r"\bklant\s*-?\s*(?:nummer|nr\.?)", 0.9),
        (r"^klant$", 0.8),  # a column header over the number, or the heading of the address block
    ]
)

SUBTOTAL = _compile(
    [
        (r"\bsub\s*-?\s*total\b|\bsubtotaal\b|\bzwischensumme\b|\bsous[\s-]*total\b", 0.8),
        # The tax word after "Total excl." belongs to this label, not to a tax label of its own.
        (
            r"\btotal\s*(?:net[oa]?|excl(?:uding|\.)?|before\s*tax|w/?o\s*vat|ht|hors\s*taxes?)"
            r"(?:\s*(?:vat|tax|tva|btw|gst|iva|mwst|taxes))?\b",
            1.0,
        ),
        (r"\bnet\s*(?:total|amount)\b|\bamount\s*(?:excl|net)", 1.0),
        (
            r"\bnetto\s*-?\s*(?:betrag|summe|gesamt|rechnungsbetrag)?\b|\bsumme\s*netto\b|\bgesamt\s*netto\b",
            0.95,
        ),
        (r"\bmontant\s*(?:eur\s*)?h\.?t\.?\b|\btotal\s*h\.?t\.?\b", 1.0),
        (r"\bbase\s*imponible\b|\bimporte\s*neto\b|\bsubtotal\b", 0.95),
        (
            r"\bexclusief\s*btw\b|\bexcl\.?\s*btw\b|\btotaal\s*excl(?:usief|\.)?(?:\s*btw\b)?|\bgrondslag\b|"
            r"\bnetto\s*bedrag\b",
            1.0,
        ),
        (r"\bexcl(?:uding|\.)?\s*(?:vat|tax)\b", 0.9),
        (r"\bcharges\b", 0.35),
    ]
)

# The end of a tax word: a word boundary, or its rate glued to it ("BTW21%", "MwSt19%": the space
# lost to OCR or to tight print).
_RATE_GLUED = r"(?:\b|(?=\d{1,2}(?:[.,]\d{1,2})?\s?%))"

TAX_AMOUNT = _compile(
    [
        (
            r"\btotal\s*(?:vat|tax|tva|mwst|iva|btw)\b|\bvat\s*(?:total|amount)\b|\btax\s*(?:total|amount)\b",
            1.0,
        ),
        (r"\bmontant\s*(?:de\s*la\s*)?tva\b|\btotal\s*tva\b", 1.0),
        (rf"\b(?:mwst|ust|umsatzsteuer|mehrwertsteuer){_RATE_GLUED}", 0.8),
        (rf"\b(?:vat|tax|tva|iva|btw|gst|igst|cgst|sgst|sales\s*tax){_RATE_GLUED}", 0.75),
        # "BIWbedrag": its T read as an I and the space lost (saeco, latin5 on seed 3643); "biw" is
        # no word, and only with "bedrag" after it
        (r"\bb[ti]w\s*-?\s*bedrag\b|\bcuota\s*(?:de\s*)?iva\b", 1.0),
    ]
)

# "incl. VAT" after a total label belongs to it ("Totaal incl. btw", "Gesamtbetrag inkl. MwSt"): the
# tax word there names no tax line of its own, as after "Total excl." (SUBTOTAL).
_INCL = (
    r"\s*(?:incl(?:uding|usive|usief)?|inkl(?:usive)?|inc)\.?\s*(?:vat|tax(?:es)?|tva|btw|gst|iva|mwst|ust)\b"
)
_INCL_TAX = rf"(?:{_INCL})?"

TOTAL = _compile(
    [
        (r"\b(?:total|totaal|summe|gesamt|betrag)" + _INCL, 1.0),
        (
            r"\bgrand\s*total\b|\btotal\s*(?:amount\s*)?(?:due|payable|to\s*pay)\b|\bamount\s*(?:due|payable)\b",
            1.0,
        ),
        (
            r"\bbalance\s*due\b|\btotal\s*(?:incl\.?|including)\b|\binvoice\s*total\b|\btotal\s*for\s*this\s*invoice\b",
            1.0,
        ),
        (r"\btotal\s*gross\b|\bgross\s*(?:total|amount)\b", 1.0),
        (r"(?:\bgesamt\s*-?\s*(?:betrag|summe)\b|\brechnungs\s*-?\s*(?:betrag|summe)\b|\bendbetrag\b)"
         + _INCL_TAX, 1.0),
        (r"(?:\bsumme\s*gesamt\b|\bbrutto\s*-?\s*(?:betrag|summe)?\b)" + _INCL_TAX
         + r"|\bzu\s*zahlen\b|\bzahlbetrag\b", 0.95),
        (r"\btotal\s*t\.?t\.?c\.?\b|\bmontant\s*(?:eur\s*)?t\.?t\.?c\.?\b|\bnet\s*[àa]\s*payer\b", 1.0),
        (
            r"\bsomme\s*[àa]\s*payer\b|\bmontant\s*[àa]\s*payer\b|\btotal\s*facture\b|\btotal\s*[àa]\s*payer\b",
            1.0,
        ),
        (r"\bimporte\s*total\b|\btotal\s*(?:a\s*pagar|factura)\b", 1.0),
        (r"\btotaal\s*(?:incl(?:usief|\.)?(?:\s*btw\b)?|bedrag|te\s*betalen)?\b|\bfactuur\s*totaal\b|"
         r"\bte\s*betalen\b", 0.9),
        (r"\btotal\b|\bsumme\b|\bgesamt\b|\btotale\b", 0.7),
    ]
)

TERMS = _compile(
    [
        (r"\bpayment\s*terms?\b|\bterms\s*of\s*payment\b|^terms\b", 1.0),
        (r"\bzahlungs\s*-?\s*bedingungen\b|\bzahlungsziel\b", 1.0),
        (r"\bconditions\s*de\s*(?:paiement|r[èe]glement)\b|\bmodalit[ée]s\s*de\s*paiement\b", 1.0),
        (r"\bcondiciones\s*de\s*pago\b|\bforma\s*de\s*pago\b", 0.8),
        (r"\bbetalings\s*-?\s*(?:voorwaarden|termijn|conditie)\b", 1.0),
    ]
)

IBAN = _compile([(r"\biban\b", 1.0)])
BIC = _compile([(r"\b(?:bic|swift)(?:\s*-?\s*code)?\b", 1.0)])
BANK_NAME = _compile(
    [
        (r"\bbank\s*name\b|\bnom\s*de\s*la\s*banque\b|\bname\s*der\s*bank\b|\bbanco\b|\bbanknaam\b", 1.0),
        (r"\bbankverbindung\b|\bbank\b:", 0.6),
    ]
)
ACCOUNT_NUMBER = _compile(
    [
        (
            r"\b(?:bank\s*)?account\s*(?:number|no\.?|#)|\bbank\s*account\b|\bkonto\s*-?\s*(?:nummer|nr\.?)|\bkto\s*-?\s*nr\.?",
            1.0,
        ),
        (r"\bn[°º]\s*de\s*compte\b|\bn[uú]mero\s*de\s*cuenta\b|\brekening\s*-?\s*(?:nummer|nr\.?)", 1.0),
    ]
)
ROUTING_NUMBER = _compile(
    [
        (
            r"\b(?:aba\s*)?routing(?:\s*(?:number|no\.?|#))?|\baba\b|\bsort\s*code\b|\bblz\b|\bbankleitzahl\b|"
            r"\bifsc(?:\s*code)?\b",
            1.0,
        ),
    ]
)
VAT_ID = _compile(
    [
        (
            r"\bvat\s*(?:reg(?:istration)?\.?\s*)?(?:id|no\.?|number|nr)?\b|\bvat/tin\b|\btax\s*id\b|\btin\b",
            0.9,
        ),
        (r"\bust\s*-?\s*id\s*-?\s*(?:nr\.?)?|\bumsatzsteuer\s*-?\s*id|\bust\.?\s*-?\s*idnr\.?", 1.0),
        (r"\buid\s*(?:-?\s*nr\.?)?(?=\s*[:.]|\s+[A-Z]{2,3}\b)", 0.9),
        (r"\bn[°º]\s*(?:de\s+)?tva(?:\s*intra(?:communautaire)?)?|\btva\s*intra(?:communautaire)?", 1.0),
        (r"\bbtw\s*(?:-?\s*(?:nummer|nr\.?|id))?\b", 0.9),
        (r"\b(?:nif|cif|n\.?i\.?f\.?)(?:[\s-]*iva)?\b|\bgstin\b|\bgst\s*(?:no|number|reg)", 0.8),
    ]
)
CUSTOMER_BLOCK = _compile(
    [
        (
            r"\bbill(?:ed)?\s*to\b|\binvoice\s*to\b|\bsold\s*to\b|\bbilling\s*address\b|\bcustomer\b|\bbuyer\b",
            1.0,
        ),
        (r"\brechnungs\s*-?\s*(?:empf[äa]nger|adresse|anschrift)\b|\bkunde\b|\bauftraggeber\b", 1.0),
        (r"\brechnung\s*an\b|\b(?:leistungs)?empf[äa]nger\b|\bkundendaten\b", 1.0),
        (r"\bfactur(?:er|[ée]e?)\s*[àa]\b|\bfactura(?:r)?\s*a\b|\bfactuur\s*aan\b|\bfactureren\s*aan\b", 1.0),
        (r"\binvoice\s*address\b|\bcustomer\s*details\b|\bclient\s*details\b", 1.0),
        (
            r"\bclient\b|\badresse\s*(?:du\s*client|de\s*facturation)\b|\bfactur[ée]\s*[àa]\b|\bdestinataire\b",
            1.0,
        ),
        (r"\bcliente\b|\bfacturar\s*a\b|\bdirecci[óo]n\s*de\s*facturaci[óo]n\b", 1.0),
        (r"\bklant\b|\bfactuuradres\b|\bgefactureerd\s*aan\b|\bafnemer\b", 1.0),
        (r"\bguest\s*name\b|\battn\b", 0.5),
        (r"^(?:to|aan|an)\s*:?$", 0.9),  # "To:", "Aan", "An" alone over the address window
    ]
)
VENDOR_BLOCK = _compile(
    [
        (
            r"\bsold\s*by\b|\bseller\b|\bvendor\b|\bsupplier\b|\bservice\s*provider\b|\bissued\s*by\b|^from\b",
            1.0,
        ),
        (r"\bverk[äa]ufer\b|\blieferant\b|\brechnungssteller\b|\baussteller\b", 1.0),
        (r"\bvendeur\b|\bfournisseur\b|\b[ée]metteur\b", 1.0),
        (r"\bvendedor\b|\bproveedor\b|\bemisor\b", 1.0),
        (r"\bverkoper\b|\bleverancier\b", 1.0),
    ]
)
SHIP_BLOCK = re.compile(
    r"(?i)\bship(?:ping)?\s*(?:to|address)\b|\bdelivery\s*address\b|\blieferadresse\b|\blivraison\b|"
    r"\bafleveradres\b|\benv[íi]o\b|\bdirecci[óo]n\s*de\s*entrega\b"
)
REVERSE_CHARGE = re.compile(
    r"(?i)reverse\s*charge|steuerschuldnerschaft\s*des\s*leistungsempf|autoliquidation|"
    r"inversi[óo]n\s*del\s*sujeto\s*pasivo|btw\s*verlegd|verlegd\s*naar|article\s*196|art\.?\s*196"
)
PAID = re.compile(
    r"(?i)\b(?:paid\s*in\s*full|already\s*paid|payment\s*received|bereits\s*bezahlt\b(?!,)|"
    r"betrag\s*erhalten|pay[ée]e?\b|acquitt[ée]e|r[ée]gl[ée]e|pagad[oa]|betaald|vooruitbetaald)"
)
NOT_PAID = re.compile(
    r"(?i)\b(?:not\s*paid|unpaid|balance\s*due|amount\s*due|zahlbar|[àa]\s*payer|te\s*betalen)\b"
)
CREDIT_TITLE = re.compile(
    r"(?i)\b(credit\s*(?:note|memo)|gutschrift|rechnungskorrektur|avoir|nota\s*de\s*cr[ée]dito|"
    r"factura\s*rectificativa|creditnota|creditfactuur)\b"
)
PROFORMA_TITLE = re.compile(r"(?i)\bpro[\s-]?forma\b")
PERIOD = _compile(
    [
        (r"\b(?:service|billing|delivery|performance|invoice)\s*period\b|\bperiod\b", 1.0),
        (r"\bleistungs\s*-?\s*zeitraum\b|\babrechnungs\s*-?\s*zeitraum\b|\bzeitraum\b", 1.0),
        (r"\bp[ée]riode\b|\bperiodo\b|\bperiode\b", 0.9),
    ]
)
PERIOD_START = _compile(
    [
        (
            r"\bdate\s*de\s*d[ée]but\s*(?:de\s*)?(?:prestation|p[ée]riode)?|\bservice\s*start\b|\bleistungsbeginn\b|"
            r"\bfecha\s*de\s*inicio\b|\bbegindatum\b|\bfrom\s*date\b",
            1.0,
        ),
    ]
)
PERIOD_END = _compile(
    [
        (
            r"\bdate\s*de\s*fin\s*(?:de\s*)?(?:prestation|p[ée]riode)?|\bservice\s*end\b|\bleistungsende\b|"
            r"\bfecha\s*de\s*fin\b|\beinddatum\b|\bto\s*date\b",
            1.0,
        ),
    ]
)
DELIVERY_DATE = _compile(
    [
        (
            r"\bdelivery\s*date\b|\bdate\s*of\s*(?:supply|service)\b|\bleistungsdatum\b|\blieferdatum\b|"
            r"\bdate\s*de\s*livraison\b|\bfecha\s*de\s*entrega\b|\bleverdatum\b",
            1.0,
        ),
    ]
)

ALL_FIELD_LABELS: list[list[Label]] = [
    INVOICE_NUMBER,
    INVOICE_DATE,
    DUE_DATE,
    PO_NUMBER,
    CUSTOMER_NUMBER,
    SUBTOTAL,
    TAX_AMOUNT,
    TOTAL,
    TERMS,
    IBAN,
    BIC,
    ACCOUNT_NUMBER,
    ROUTING_NUMBER,
    VAT_ID,
    PERIOD,
    PERIOD_START,
    PERIOD_END,
    DELIVERY_DATE,
]


# Is-any-label asks whether some label of at least 0.5 starts within the first three characters: the
# alternation matching at position 0, 1 or 2 says exactly that, without scanning the rest of the text
# (`match` at a position still sees the characters before it for `\b` and `^`, as `search` does).
_ANY_LABEL = _alternation([p for labels in ALL_FIELD_LABELS for p, strength in labels if strength >= 0.5])


# Separators between a label and its value, and the little words that may sit between them before a
# number or date: "Date limite de paiement le 05/07", "fällig am 3.4.", "due on 12 May", "op 1-2-2024".
# An underscore too: a blank's rule, or OCR's reading of the space ("Date_limite_de_paiement_le 05",
# "de_paiement le_05 Juillet": our five-language recogniser on seed 2129).
_LITTLE_WORDS = r"(?:le|au|du|am|bis|zum|vom|den|on|the|by|until|el|op|per)"
SEPARATORS = re.compile(
    r"^[\s:#.\-–=|_]*(?:\((?:[^)]{0,12})\))?[\s:#.\-–=|_]*"
    r"(?:" + _LITTLE_WORDS + r"[\s_]+(?=\d))?"
)
# A date after a one-word value, with the word that introduces it ("du 02 Juillet 2015").
_DATED = re.compile(r"(?i)(?:du|vom|dated|of|del|van|de|le)\s+\d")
# ... and on a scan the little word with the space after it lost ("de_paiement_le05 Juillet 2015":
# free_fiber read by latin5 on seed 2351).
GLUED_LITTLE_WORD = re.compile(r"^[\s:#.\-–=|_]*" + _LITTLE_WORDS + r"(?=\d)")


def best_label(text: str, labels: list[Label]) -> tuple[re.Match[str], float] | None:
    """The strongest label of `labels` in `text` (earliest on ties).

    A line that opens with a capitals word glued to a stray I, l, |, [, Œ or J ("IFACTURE N° :") is
    matched as if that character were a space, at the same offsets: on scans the vertical rule of
    a frame around a title is read as a letter and joined to the title's first word, which hides
    the label from every pattern (they start at a word boundary). No label word of ours starts
    with such a character followed by three capitals, and the line is only retried when nothing
    matched as read at its start ("lAdresse du Client" holds "Client" further on: seed 2087). So is
    a line whose accents OCR misread ("Date d'êchéance", seed 2029: labels read without accents
    match, an "Œ" read for an "E" too), and one whose spaces OCR read as underscores, with spaces
    ("N° BON DE_COMMANDE": our five-language recogniser on seed 2017; no label holds an
    underscore), where what follows the label and its separators (`SEPARATORS`) holds none, and one
    with a speck's point between two small words (`_SPECK_POINT`).
    """
    found = _best_label(text, labels)
    if LABEL_FRAME_RULE.match(text) and (found is None or found[0].start() > 1):
        text = " " + text[1:]
        unframed = _best_label(text, labels)
        if unframed is not None and (found is None or unframed[1] >= found[1]):
            found = unframed  # "lAdresse du Client": the label opens the line, not its "Client"
    if not text.isascii() and (found is None or _cut_at_a_letter(text, found[0].end())):
        # an accent misread ("d'êchéance"), or put on the label's last letter, which cut it off
        # before that letter ("N° BON DE COMMANDÉ : P020...": F20180027 read by latin5 on seed 3037)
        # "Œ" as no label holds it: an "E" our five-language recogniser read so ("SŒLLER TRADE NAME":
        # horstoeko on seed 3389), one character for one as folding keeps the offsets
        folded = fold_in_place(text).replace("œ", "e")
        unfolded = _best_label(folded, labels) if folded != text.lower() else None
        if found is None or (unfolded is not None and unfolded[0].end() > found[0].end()):
            found = unfolded
    if found is None and "_" in text:
        found = _best_label(text.replace("_", " "), labels)
        rest = text[found[0].end() :] if found is not None else ""
        after = " ".join(rest[SEPARATORS.match(rest).end() :].split()[1:])  # type: ignore[union-attr]
        if "_" in after and not _DATED.match(after.replace("_", " ")):
            # the value after it would be read with underscores too; one in the value's own word is
            # the id's ("Invoice_No.:.#BLR_WFLD2015...": Flipkart, seed 2689), and a date after the
            # value is no part of it ("Facture_n°562044387 du_02 Juillet_2015": free_fiber read by
            # our five-language recogniser on seed 3271)
            found = None
    if found is None and "." in text:
        unspecked = _SPECK_POINT.sub(" ", text)
        found = _best_label(unspecked, labels) if unspecked != text else None
    return found


def _cut_at_a_letter(text: str, end: int) -> bool:
    """Does the label found end inside a word, before an accented letter?"""
    return end < len(text) and not text[end].isascii() and text[end].isalpha()


# A point OCR read from a speck after a small word, before another ("Date limite de. paiement":
# free_fiber read by latin5 on seed 2677); no label holds one there. Replaced by a space, offsets
# kept.
_SPECK_POINT = re.compile(r"(?<=[a-zà-ÿ])\.(?= [a-zà-ÿ])")



def _best_label(text: str, labels: list[Label]) -> tuple[re.Match[str], float] | None:
    keywords = getattr(labels, "keywords", None)
    if keywords is not None and text.isascii() and keywords.search(text.lower()) is None:
        return None
    prefilter = getattr(labels, "prefilter", None)
    if prefilter is not None and prefilter.search(text) is None:
        return None
    best: tuple[re.Match[str], float] | None = None
    for pattern, strength in labels:
        m = pattern.search(text)
        if m and (
            best is None or strength > best[1] or (strength == best[1] and m.start() < best[0].start())
        ):
            best = (m, strength)
    return best


@functools.lru_cache(maxsize=8192)
def is_any_label(text: str) -> bool:
    """True when `text` starts with a known field label (used to stop a value search at the next label).

    Cached: a pure function of the text, asked again for the same segments by every field's search.
    """
    if _ANY_LABEL is not None:
        match = _ANY_LABEL.match
        return any(match(text, pos) is not None for pos in range(min(3, len(text) + 1)))
    for labels in ALL_FIELD_LABELS:
        for pattern, strength in labels:
            m = pattern.search(text)
            if m and m.start() <= 2 and strength >= 0.5:
                return True
    return False


def up_to_next_label(segments: list[Segment], si: int, ocr: bool = False) -> list[Segment]:
    """Segment `si` of a line and those after it up to the next that opens with a field label:
    where the value of a label in `si` may stand. On an OCR'd page (`ocr`) a totals word misread by
    a letter opens a label too (`misread_total_word`)."""
    out = [segments[si]]
    for other in segments[si + 1 :]:
        if is_any_label(other.text) or (ocr and misread_total_word(other.text)):
            break
        out.append(other)
    return out


# German "zu Händen" (for the attention of) abbreviated, as printed ("z. Hd.") and as OCR reads it
# with the "z" for a "2" and the point lost ("2 Hd: Herr Mustermann": ZUGFeRD's leasing sample on
# seeds 857 and 1021, whose customer address took the line). A pattern piece for the attention
# and contact patterns of `extract.common` and `extract.parties`.
Z_HD = r"[z2]\.?\s*hd\b"
# What a tax or totals label read a letter off (`misread_tax_label`, `misread_amount_label`) weighs:
# less than one read as printed.
MISREAD_LABEL = 0.6
# Tax words, for `misread_tax_label`, and a short word standing right before a rate.
_TAX_WORDS = ("vat", "btw", "tva", "iva", "gst", "tax", "ust", "mwst")
_WORD_BEFORE_RATE = re.compile(r"^\s*([^\W\d_]{3,4})\.?\s*(?=\d{1,2}(?:[.,]\d{1,2})?\s?%)")


def misread_tax_label(text: str) -> re.Match[str] | None:
    """A line that opens with a tax word OCR read a letter off, right before a rate ("BIW 21%
    € 851,27": coolblue2 on seed 883, where the tax was lost and with it the net); the match spans
    the word. The rate after it is what makes one letter enough: few other words stand there."""
    m = _WORD_BEFORE_RATE.match(text)
    if m is None:
        return None
    word = m.group(1).lower()
    return m if word not in _TAX_WORDS and any(one_edit(word, w) for w in _TAX_WORDS) else None


# One-word labels of the totals block, as printed, for `misread_total_word`.
_TOTAL_WORDS = (
    "subtotal", "subtotaal", "total", "totaal", "totale", "totalt", "summe", "zwischensumme",
    "gesamtsumme", "gesamtbetrag", "nettobetrag", "bruttobetrag", "sous-total", "importe",
)


# Which field each of `_TOTAL_WORDS` labels ("importe" is either: none).
_NET_WORDS = frozenset({"subtotal", "subtotaal", "zwischensumme", "sous-total", "nettobetrag"})
_MISREAD_AMOUNT_LABEL = re.compile(r"(?i)^\s*(?:grand\s+)?([^\W\d_][\w!|-]{4,})\s*:?")
# ... or "Grand" a letter off before a total word printed right ("Orand Total Rs 1939": oyo read by
# our five-language recogniser on seed 3637; the label must open its line, and "Total" further on
# did not).
_MISREAD_GRAND = re.compile(r"(?i)^\s*([^\W\d_]{4,6})\s+(?:total|totaal|totale)\b\s*:?")
# An "l" read as a mark ("Tota!", "Tota|": oyo on seed 1091).
_L_AS_MARK = str.maketrans("!|", "ll")


def misread_amount_label(text: str) -> tuple[str, re.Match[str]] | None:
    """("subtotal" or "total", the match) where `text` opens with one of `_TOTAL_WORDS` that OCR read
    a letter off, after "Grand" too ("Grand Tolal Rs 1939": oyo on seed 941, whose total was lost;
    "Grand Tota!", 1091), or that opens with "Grand" a letter off before "Total" (`_MISREAD_GRAND`);
    None where the words are printed right (the labels have them) or are no such misreading."""
    grand = _MISREAD_GRAND.match(text)
    if grand is not None and (read := grand.group(1).lower()) != "grand" and one_edit(read, "grand"):
        return "total", grand
    m = _MISREAD_AMOUNT_LABEL.match(text)
    if m is None:
        return None
    read = m.group(1).lower()
    word = read.translate(_L_AS_MARK)
    if read in _TOTAL_WORDS or not word.replace("-", "").isalpha():
        return None
    near = {w for w in _TOTAL_WORDS if (w == word or one_edit(word, w)) and w != "importe"}
    fields = {"subtotal" if w in _NET_WORDS else "total" for w in near}
    return (fields.pop(), m) if len(fields) == 1 else None


def misread_amount_labels(text: str, tax: bool = True) -> dict[str, tuple[re.Match[str], float]]:
    """The amount field a misread label opens `text` with ("tax_amount" from `misread_tax_label` when
    `tax`, else "subtotal" or "total" from `misread_amount_label`), with its match and weight
    (`MISREAD_LABEL`), as the amount searches read their labels; empty where none does. For OCR'd
    pages whose segment no label read as printed opens."""
    found = misread_tax_label(text) if tax else None
    if found is not None:
        return {"tax_amount": (found, MISREAD_LABEL)}
    total = misread_amount_label(text)
    return {total[0]: (total[1], MISREAD_LABEL)} if total is not None else {}


# "HT" (hors taxes) read "MT" after a totals word ("TOTAL MT | TOTAL TVA | TOTAL TTC": akretion's
# and F20180027's totals row read so by our five-language recogniser on seeds 2273 and 2293; the
# net's column then read as a bare "TOTAL", the gross). The H's two stems and bar run into an M.
_HT_AS_MT = re.compile(r"(?i)\b((?:total|montant)\s?)(m)(?=\.?t\b)")


def mend_ht(text: str) -> str:
    """`text` of an OCR'd line with an "MT" after a totals word read as the "HT" it stands for; the
    same length, so a match on it has the offsets of `text`."""
    return _HT_AS_MT.sub(lambda m: m.group(1) + ("H" if m.group(2).isupper() else "h"), text)


def misread_total_word(text: str) -> bool:
    """Does `text` open with one of `_TOTAL_WORDS` that OCR misread by a letter (`one_edit`:
    "Subtotaa €717,97", "Totaa")? Why: unknown as a label, its amount was taken as the value of the
    label before it on the line ("Exclusief BTW € 593,36 Subtotaa €717,97": coolblue on scanner
    seed 307 gave the net the gross)."""
    first = text.split()[0].lower().rstrip(":") if text.strip() else ""
    if len(first) < 5 or not first.replace("-", "").isalpha():
        return False
    return any(one_edit(first, w) for w in _TOTAL_WORDS)
