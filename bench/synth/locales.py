"""Words, numbers and dates the way each language prints them on invoices.

Every label has several variants per language because real suppliers do not agree on wording; the
generator picks one per document so the extractor cannot key on a single spelling. Only Latin-1
characters are used except the euro sign, which the embedded fonts carry.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

LANGUAGES = ("en", "de", "fr", "es", "nl")

# label key -> language -> variants
LABELS: dict[str, dict[str, list[str]]] = {
    "title": {
        "en": ["INVOICE", "Invoice", "Tax Invoice"],
        "de": ["RECHNUNG", "Rechnung"],
        "fr": ["FACTURE", "Facture"],
        "es": ["FACTURA", "Factura"],
        "nl": ["FACTUUR", "Factuur"],
    },
    "number": {
        "en": ["Invoice No.", "Invoice Number", "Invoice #", "Invoice no:"],
        "de": ["Rechnungsnummer", "Rechnung Nr.", "Rechnungs-Nr.", "Beleg-Nr."],
        "fr": ["N° de facture", "Facture n°", "Numéro de facture", "N° facture"],
        "es": ["Nº de factura", "Factura nº", "Número de factura", "Nº factura"],
        "nl": ["Factuurnummer", "Factuurnr.", "Nummer"],
    },
    "date": {
        "en": ["Invoice Date", "Date", "Date of issue", "Issue date"],
        "de": ["Rechnungsdatum", "Datum", "Belegdatum"],
        "fr": ["Date de facture", "Date", "Date d'émission"],
        "es": ["Fecha de factura", "Fecha", "Fecha de emisión"],
        "nl": ["Factuurdatum", "Datum"],
    },
    "due": {
        "en": ["Due Date", "Payment due", "Due"],
        "de": ["Fällig am", "Zahlbar bis", "Fälligkeitsdatum"],
        "fr": ["Date d'échéance", "Échéance", "À payer avant le"],
        "es": ["Fecha de vencimiento", "Vencimiento"],
        "nl": ["Vervaldatum", "Te betalen voor"],
    },
    "customer_no": {
        "en": ["Customer No.", "Customer ID", "Customer ref."],
        "de": ["Kundennummer", "Kunden-Nr.", "Kd.-Nr."],
        "fr": ["N° client", "Code client", "Réf. client"],
        "es": ["Nº cliente", "Código cliente"],
        "nl": ["Klantnummer", "Klantnr."],
    },
    "po": {
        "en": ["PO Number", "Purchase Order", "Your order", "P.O. No."],
        "de": ["Bestellnummer", "Ihre Bestellung", "Bestell-Nr."],
        "fr": ["N° de commande", "Bon de commande", "Votre commande"],
        "es": ["Nº de pedido", "Pedido", "Su pedido"],
        "nl": ["Bestelnummer", "Uw referentie", "Ordernummer"],
    },
    "bill_to": {
        "en": ["Bill To", "Invoice to", "Customer"],
        "de": ["Rechnungsempfänger", "Rechnung an", "Kunde"],
        "fr": ["Facturé à", "Client", "Adresse de facturation"],
        "es": ["Facturar a", "Cliente", "Datos del cliente"],
        "nl": ["Factuuradres", "Aan", "Klant"],
    },
    "from": {
        "en": ["From", "Supplier"],
        "de": ["Von", "Lieferant"],
        "fr": ["De", "Fournisseur"],
        "es": ["De", "Proveedor"],
        "nl": ["Van", "Leverancier"],
    },
    "vat_id": {
        "en": ["VAT No.", "VAT Reg. No.", "Tax ID"],
        "de": ["USt-IdNr.", "USt-ID", "UID"],
        "fr": ["N° TVA", "TVA intracom.", "N° TVA intracommunautaire"],
        "es": ["NIF", "CIF", "NIF-IVA"],
        "nl": ["Btw-nummer", "Btw-nr.", "BTW"],
    },
    "pos": {
        "en": ["#", "No."],
        "de": ["Pos.", "Pos"],
        "fr": ["N°", "Pos."],
        "es": ["Nº", "Pos."],
        "nl": ["Nr.", "Pos."],
    },
    "code": {
        "en": ["Item", "SKU", "Code"],
        "de": ["Art.-Nr.", "Artikel"],
        "fr": ["Réf.", "Code"],
        "es": ["Ref.", "Código"],
        "nl": ["Artikelnr.", "Code"],
    },
    "desc": {
        "en": ["Description", "Item description", "Details"],
        "de": ["Beschreibung", "Bezeichnung", "Leistung"],
        "fr": ["Désignation", "Description", "Libellé"],
        "es": ["Descripción", "Concepto", "Artículo"],
        "nl": ["Omschrijving", "Beschrijving", "Artikel"],
    },
    "qty": {
        "en": ["Qty", "Quantity", "Units"],
        "de": ["Menge", "Anz."],
        "fr": ["Qté", "Quantité"],
        "es": ["Cant.", "Cantidad"],
        "nl": ["Aantal", "Aant."],
    },
    "unit": {
        "en": ["Unit", "UoM"],
        "de": ["Einheit", "ME"],
        "fr": ["Unité", "U."],
        "es": ["Unidad", "Ud."],
        "nl": ["Eenheid", "Eenh."],
    },
    "price": {
        "en": ["Unit Price", "Rate", "Price"],
        "de": ["Einzelpreis", "E-Preis", "Preis"],
        "fr": ["Prix unitaire", "P.U. HT", "Prix HT"],
        "es": ["Precio unitario", "Precio", "P. unit."],
        "nl": ["Prijs", "Stukprijs", "Eenheidsprijs"],
    },
    "disc": {
        "en": ["Disc. %", "Discount"],
        "de": ["Rabatt", "Rab. %"],
        "fr": ["Remise", "Rem. %"],
        "es": ["Dto. %", "Descuento"],
        "nl": ["Korting", "Kort. %"],
    },
    "vat": {
        "en": ["VAT", "Tax"],
        "de": ["MwSt.", "USt."],
        "fr": ["TVA"],
        "es": ["IVA"],
        "nl": ["Btw", "BTW"],
    },
    "amount": {
        "en": ["Amount", "Total", "Line Total"],
        "de": ["Betrag", "Gesamt", "Gesamtpreis"],
        "fr": ["Montant HT", "Total HT", "Montant"],
        "es": ["Importe", "Total"],
        "nl": ["Bedrag", "Totaal"],
    },
    "subtotal": {
        "en": ["Subtotal", "Net total", "Total excl. VAT"],
        "de": ["Zwischensumme", "Nettobetrag", "Summe netto"],
        "fr": ["Total HT", "Montant HT", "Sous-total"],
        "es": ["Base imponible", "Subtotal", "Total neto"],
        "nl": ["Subtotaal", "Totaal excl. btw", "Netto"],
    },
    "total": {
        "en": ["Total", "Total Due", "Amount Due", "Invoice Total"],
        "de": ["Gesamtbetrag", "Rechnungsbetrag", "Gesamtsumme", "Endbetrag"],
        "fr": ["Total TTC", "Net à payer", "Montant TTC"],
        "es": ["Total factura", "Total", "Total a pagar"],
        "nl": ["Totaal", "Totaal incl. btw", "Te betalen"],
    },
    "page": {"en": ["Page"], "de": ["Seite"], "fr": ["Page"], "es": ["Página"], "nl": ["Pagina"]},
    "of": {"en": ["of"], "de": ["von"], "fr": ["sur"], "es": ["de"], "nl": ["van"]},
    "carried": {
        "en": ["Carried forward"],
        "de": ["Übertrag"],
        "fr": ["À reporter"],
        "es": ["Suma y sigue"],
        "nl": ["Transport"],
    },
    "brought": {
        "en": ["Brought forward"],
        "de": ["Übertrag"],
        "fr": ["Report"],
        "es": ["Suma anterior"],
        "nl": ["Transport"],
    },
    "terms": {
        "en": ["Payment terms: Net {n}", "Terms: Net {n} days", "Please pay within {n} days"],
        "de": ["Zahlungsziel: {n} Tage netto", "Zahlbar innerhalb von {n} Tagen ohne Abzug"],
        "fr": ["Paiement à {n} jours net", "Conditions de paiement : {n} jours"],
        "es": ["Forma de pago: {n} días", "Pago a {n} días"],
        "nl": ["Betaling binnen {n} dagen", "Betalingstermijn: {n} dagen"],
    },
    "bank": {
        "en": ["Bank", "Bank details"],
        "de": ["Bankverbindung", "Bank"],
        "fr": ["Banque", "Coordonnées bancaires"],
        "es": ["Banco", "Datos bancarios"],
        "nl": ["Bank", "Bankgegevens"],
    },
    "account": {
        "en": ["Account No."],
        "de": ["Konto"],
        "fr": ["Compte"],
        "es": ["Cuenta"],
        "nl": ["Rekening"],
    },
    "routing": {
        "en": ["Routing No. (ABA)", "ABA Routing"],
        "de": ["BLZ"],
        "fr": ["Code"],
        "es": ["Código"],
        "nl": ["Code"],
    },
    "rate": {"en": ["Rate"], "de": ["Satz"], "fr": ["Taux"], "es": ["Tipo"], "nl": ["Tarief"]},
    "net": {"en": ["Net"], "de": ["Netto"], "fr": ["Base HT"], "es": ["Base"], "nl": ["Netto"]},
    "thanks": {
        "en": ["Thank you for your business.", "Thank you for your order!"],
        "de": ["Vielen Dank für Ihren Auftrag.", "Wir danken für Ihre Bestellung."],
        "fr": ["Merci pour votre confiance.", "Nous vous remercions de votre commande."],
        "es": ["Gracias por su confianza.", "Gracias por su pedido."],
        "nl": ["Bedankt voor uw opdracht.", "Hartelijk dank voor uw bestelling."],
    },
    "currency_note": {
        "en": ["All amounts in {c}"],
        "de": ["Alle Beträge in {c}"],
        "fr": ["Montants exprimés en {c}"],
        "es": ["Importes en {c}"],
        "nl": ["Alle bedragen in {c}"],
    },
}

MONTHS: dict[str, list[str]] = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "de": [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
}

# date style name -> languages that print it. "mdy" only where the document is American.
DATE_STYLES: dict[str, tuple[str, ...]] = {
    "dmy_slash": ("en", "fr", "es", "nl"),
    "dmy_dot": ("de", "fr"),
    "dmy_dash": ("nl", "es"),
    "iso": LANGUAGES,
    "long": LANGUAGES,
    "long_us": ("en",),
    "abbr": ("en",),
    "mdy": ("en",),
}

NUMBER_STYLES = {
    "en": ("en",),  # 1,234.56
    "de": ("de", "es", "nl", "fr"),  # 1.234,56
    "fr": ("fr",),  # 1 234,56 (space or no-break space)
    "ch": ("de", "fr", "en"),  # 1'234.56 (Swiss)
    "plain_dot": ("en",),  # 1234.56
    "plain_comma": ("de", "fr", "es", "nl"),  # 1234,56
}

CURRENCY_SYMBOL = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF", "INR": "Rs."}


def label(rng: random.Random, key: str, lang: str) -> str:
    return rng.choice(LABELS[key][lang])


def format_number(value: Decimal, style: str, decimals: int = 2, nbsp: bool = False) -> str:
    """Print `value` in a number style (see NUMBER_STYLES); negative values get a leading minus."""
    q = Decimal(1).scaleb(-decimals)
    v = value.quantize(q, rounding=ROUND_HALF_UP)
    sign = "-" if v < 0 else ""
    int_part, _, frac = f"{abs(v):f}".partition(".")
    groups = []
    while len(int_part) > 3:
        groups.insert(0, int_part[-3:])
        int_part = int_part[:-3]
    groups.insert(0, int_part)
    sep, dec = {
        "en": (",", "."),
        "de": (".", ","),
        "fr": ("\u00a0" if nbsp else " ", ","),
        "ch": ("'", "."),
        "plain_dot": ("", "."),
        "plain_comma": ("", ","),
    }[style]
    out = sep.join(groups)
    if decimals:
        out += dec + frac
    return sign + out


def format_quantity(value: Decimal, style: str) -> str:
    """Quantities print without decimals when whole, else with as many as they need (max 3)."""
    if value == value.to_integral_value():
        return format_number(value, style, 0)
    decimals = min(3, max(1, -value.normalize().as_tuple().exponent))
    return format_number(value, style, decimals)


def format_money(value: Decimal, currency: str, style: str, placement: str, nbsp: bool = False) -> str:
    """Amount with its currency.

    `placement` is 'none', 'sym_before', 'sym_after', 'code_before' or 'code_after'.
    """
    num = format_number(value, style, 2, nbsp)
    sym = CURRENCY_SYMBOL[currency]
    if placement == "none":
        return num
    if placement == "sym_before":
        return f"{sym}{num}" if sym in ("$", "£") else f"{sym} {num}"
    if placement == "sym_after":
        return f"{num} {sym}"
    if placement == "code_before":
        return f"{currency} {num}"
    return f"{num} {currency}"


def format_date(d: date, style: str, lang: str) -> str:
    month = MONTHS[lang][d.month - 1]
    if style == "dmy_slash":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if style == "dmy_dot":
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    if style == "dmy_dash":
        return f"{d.day:02d}-{d.month:02d}-{d.year}"
    if style == "mdy":
        return f"{d.month:02d}/{d.day:02d}/{d.year}"
    if style == "iso":
        return d.isoformat()
    if style == "long_us":
        return f"{month} {d.day}, {d.year}"
    if style == "abbr":
        return f"{d.day:02d}-{month[:3]}-{d.year}"
    # "long"
    if lang == "de":
        return f"{d.day}. {month} {d.year}"
    if lang == "es":
        return f"{d.day} de {month} de {d.year}"
    return f"{d.day} {month} {d.year}"
