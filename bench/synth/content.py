"""What an invoice says, independent of how it is drawn: parties, items, amounts, identifiers.

Amounts use Decimal and are rounded half-up per line and per tax rate, the way invoicing software
does, so the arithmetic rules the extractor checks (qty x price - discount = line total, sum =
subtotal, subtotal + tax = total) hold exactly on every generated document.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from bench.synth.ids import make_bic, make_iban, make_vat_id

CENT = Decimal("0.01")

# language -> [(country, currency, weight)]
MARKETS: dict[str, list[tuple[str, str, int]]] = {
    "en": [("GB", "GBP", 3), ("US", "USD", 3), ("IN", "INR", 1), ("DE", "EUR", 1), ("CH", "CHF", 1)],
    "de": [("DE", "EUR", 5), ("AT", "EUR", 2), ("CH", "CHF", 2)],
    "fr": [("FR", "EUR", 5), ("CH", "CHF", 1)],
    "es": [("ES", "EUR", 1)],
    "nl": [("NL", "EUR", 1)],
}

TAX_RATES: dict[str, list[str]] = {
    "DE": ["19", "7"],
    "AT": ["20", "10"],
    "CH": ["8.1", "2.6"],
    "FR": ["20", "10", "5.5"],
    "ES": ["21", "10", "4"],
    "NL": ["21", "9"],
    "GB": ["20", "5"],
    "US": ["0", "8.875"],
    "IN": ["18"],
}

STEMS = [
    "Nordlicht",
    "Bergmann",
    "Azur",
    "Sierra",
    "Vanderberg",
    "Kestrel",
    "Lumen",
    "Orbis",
    "Falkner",
    "Merida",
    "Hollandia",
    "Brightwell",
    "Castell",
    "Delfina",
    "Eskerod",
    "Rheinblick",
    "Belair",
    "Montclair",
    "Altamira",
    "Zonnebloem",
    "Greystone",
    "Harbour",
    "Quintessa",
    "Tannenhof",
    "Valdés",
]
FORMS: dict[str, list[str]] = {
    "GB": ["{s} Solutions Ltd", "{s} & Partners Ltd", "{s} Supplies plc", "{s} Consulting Ltd"],
    "US": ["{s} Systems Inc.", "{s} Labs LLC", "{s} Trading Co.", "{s} Industries Inc."],
    "IN": ["{s} Technologies Pvt. Ltd.", "{s} Traders Pvt. Ltd."],
    "DE": ["{s} GmbH", "{s} Technik GmbH", "{s} & Söhne KG", "{s} Handels AG"],
    "AT": ["{s} GmbH", "{s} Bau GmbH"],
    "CH": ["{s} AG", "{s} Sàrl", "{s} GmbH"],
    "FR": ["{s} SARL", "Société {s} SAS", "{s} Services SA", "Établissements {s}"],
    "ES": ["{s} Soluciones S.L.", "Distribuciones {s} S.A.", "{s} Ibérica S.L."],
    "NL": ["{s} B.V.", "{s} Techniek B.V.", "{s} Groep B.V."],
}
PEOPLE = [
    "Anna Weber",
    "John Carter",
    "Marie Dubois",
    "Lucía García",
    "Jan de Vries",
    "Priya Sharma",
    "Thomas Keller",
    "Emma Brown",
    "Pierre Martin",
    "Sofía López",
]
STREETS: dict[str, list[str]] = {
    "GB": ["{n} High Street", "{n} Kings Road", "Unit {n}, Riverside Park"],
    "US": ["{n} Main Street", "{n} Oak Avenue, Suite 200", "{n} Market St"],
    "IN": ["{n} MG Road", "Plot {n}, Sector 5"],
    "DE": ["Hauptstraße {n}", "Industriestr. {n}", "Am Mühlbach {n}"],
    "AT": ["Mariahilfer Straße {n}", "Linzer Gasse {n}"],
    "CH": ["Bahnhofstrasse {n}", "Rue du Rhône {n}"],
    "FR": ["{n} rue de la République", "{n} avenue Jean Jaurès", "{n} boulevard Voltaire"],
    "ES": ["Calle Mayor {n}", "Avenida de la Constitución {n}", "Paseo de Gracia {n}"],
    "NL": ["Keizersgracht {n}", "Stationsweg {n}", "Dorpsstraat {n}"],
}
CITIES: dict[str, list[str]] = {
    "GB": ["London EC1A 1BB", "Manchester M1 2AB", "Leeds LS1 4DY"],
    "US": ["Springfield, IL 62701", "Austin, TX 78701", "Portland, OR 97201"],
    "IN": ["Bengaluru 560001", "Mumbai 400001", "Chennai 600002"],
    "DE": ["10115 Berlin", "80331 München", "50667 Köln", "20095 Hamburg"],
    "AT": ["1010 Wien", "4020 Linz"],
    "CH": ["8001 Zürich", "1204 Genève", "3011 Bern"],
    "FR": ["75011 Paris", "69002 Lyon", "13001 Marseille"],
    "ES": ["28013 Madrid", "08007 Barcelona", "41001 Sevilla"],
    "NL": ["1015 CJ Amsterdam", "3511 AB Utrecht", "2511 BT Den Haag"],
}
BANKS: dict[str, list[str]] = {
    "GB": ["Barclays Bank", "Lloyds Bank"],
    "US": ["First National Bank", "Pacific Trust Bank"],
    "IN": ["State Bank of India"],
    "DE": ["Sparkasse Köln", "Deutsche Bank", "Volksbank Mitte"],
    "AT": ["Erste Bank"],
    "CH": ["Zürcher Kantonalbank", "PostFinance"],
    "FR": ["Crédit Agricole", "BNP Paribas"],
    "ES": ["Banco Santander", "CaixaBank"],
    "NL": ["ING Bank", "Rabobank"],
}
PRODUCTS: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("Consulting services", "h"),
        ("Software licence (annual)", "pcs"),
        ("Office chair, ergonomic", "pcs"),
        ("Printer paper A4, 80 g", "box"),
        ("On-site installation", "h"),
        ("Maintenance contract", "month"),
        ("USB-C cable 2 m", "pcs"),
        ("Web hosting package", "month"),
        ("Project management", "day"),
        ("Laptop stand aluminium", "pcs"),
        ("Copper wire 2.5 mm", "m"),
        ("Cleaning service", "h"),
    ],
    "de": [
        ("Beratungsleistung", "Std"),
        ("Softwarelizenz (jährlich)", "Stk"),
        ("Bürostuhl, ergonomisch", "Stk"),
        ("Kopierpapier A4, 80 g", "Pkt"),
        ("Montage vor Ort", "Std"),
        ("Wartungsvertrag", "Monat"),
        ("Schrauben M6 x 40, verzinkt", "Stk"),
        ("Webhosting-Paket", "Monat"),
        ("Projektleitung", "Tag"),
        ("Kupferkabel 2,5 mm²", "m"),
        ("Gebäudereinigung", "Std"),
        ("Schulung für Mitarbeiter", "Tag"),
    ],
    "fr": [
        ("Prestation de conseil", "h"),
        ("Licence logiciel (annuelle)", "u"),
        ("Chaise de bureau", "u"),
        ("Papier A4, 80 g", "ram"),
        ("Installation sur site", "h"),
        ("Contrat de maintenance", "mois"),
        ("Câble USB-C 2 m", "u"),
        ("Hébergement web", "mois"),
        ("Gestion de projet", "jour"),
        ("Fournitures de bureau", "lot"),
        ("Nettoyage des locaux", "h"),
        ("Formation du personnel", "jour"),
    ],
    "es": [
        ("Servicios de consultoría", "h"),
        ("Licencia de software (anual)", "ud"),
        ("Silla de oficina", "ud"),
        ("Papel A4, 80 g", "caja"),
        ("Instalación in situ", "h"),
        ("Contrato de mantenimiento", "mes"),
        ("Cable USB-C 2 m", "ud"),
        ("Alojamiento web", "mes"),
        ("Gestión de proyecto", "día"),
        ("Material de oficina", "lote"),
        ("Servicio de limpieza", "h"),
        ("Formación del personal", "día"),
    ],
    "nl": [
        ("Advieswerkzaamheden", "uur"),
        ("Softwarelicentie (jaarlijks)", "st"),
        ("Bureaustoel", "st"),
        ("Printpapier A4, 80 g", "doos"),
        ("Installatie op locatie", "uur"),
        ("Onderhoudscontract", "mnd"),
        ("USB-C-kabel 2 m", "st"),
        ("Webhosting", "mnd"),
        ("Projectmanagement", "dag"),
        ("Kantoorartikelen", "set"),
        ("Schoonmaakdienst", "uur"),
        ("Training medewerkers", "dag"),
    ],
}
DETAILS: dict[str, list[str]] = {
    "en": [
        "including configuration and handover to the customer's IT department",
        "as agreed in our quotation, delivered to the main warehouse",
        "period January to March, billed monthly",
    ],
    "de": [
        "inklusive Einrichtung und Übergabe an die IT-Abteilung des Kunden",
        "gemäß unserem Angebot, geliefert an das Hauptlager",
        "Zeitraum Januar bis März, monatlich abgerechnet",
    ],
    "fr": [
        "y compris la configuration et la remise au service informatique du client",
        "selon notre devis, livré à l'entrepôt principal",
        "période de janvier à mars, facturée mensuellement",
    ],
    "es": [
        "incluye configuración y entrega al departamento de informática del cliente",
        "según nuestro presupuesto, entregado en el almacén principal",
        "periodo de enero a marzo, facturado mensualmente",
    ],
    "nl": [
        "inclusief configuratie en overdracht aan de IT-afdeling van de klant",
        "volgens onze offerte, geleverd aan het hoofdmagazijn",
        "periode januari tot maart, maandelijks gefactureerd",
    ],
}


@dataclass(slots=True)
class Party:
    name: str
    street: str
    city: str
    country: str
    vat_id: str | None = None  # compact
    vat_printed: str | None = None
    email: str | None = None
    phone: str | None = None

    @property
    def address(self) -> str:
        return f"{self.street}, {self.city}"


@dataclass(slots=True)
class Item:
    position: int
    code: str
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    discount: Decimal  # percent
    tax_rate: Decimal  # percent
    total: Decimal  # net line amount after discount


@dataclass(slots=True)
class InvoiceData:
    lang: str
    country: str
    currency: str
    number: str
    issue_date: date
    due_date: date | None
    terms_days: int | None
    due_printed: bool  # False: only "Net N" terms are printed, the due date is implied
    customer_number: str | None
    po_number: str | None
    vendor: Party
    customer: Party
    items: list[Item]
    iban: str | None
    bic: str | None
    bank_name: str
    account_number: str | None = None
    routing_number: str | None = None
    breakdown: list[tuple[Decimal, Decimal, Decimal]] = field(default_factory=list)  # rate, net, tax

    @property
    def subtotal(self) -> Decimal:
        return sum((i.total for i in self.items), Decimal(0))

    @property
    def tax_amount(self) -> Decimal:
        return sum((t for _, _, t in self.breakdown), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.tax_amount


def _weighted(rng: random.Random, options: list[tuple[str, str, int]]) -> tuple[str, str]:
    country, currency, _ = rng.choices(options, weights=[o[2] for o in options])[0]
    return country, currency


def _party(rng: random.Random, country: str, with_vat: bool) -> Party:
    stem = rng.choice(STEMS)
    name = rng.choice(FORMS[country]).format(s=stem)
    street = rng.choice(STREETS[country]).format(n=rng.randint(1, 250))
    city = rng.choice(CITIES[country])
    vat = make_vat_id(rng, country) if with_vat else (None, None)
    domain = stem.lower().replace("é", "e") + rng.choice([".com", ".eu", ".net"])
    return Party(
        name=name,
        street=street,
        city=city,
        country=country,
        vat_id=vat[0],
        vat_printed=vat[1],
        email=rng.choice(["info", "billing", "accounts"]) + "@" + domain,
        phone=f"+{rng.randint(30, 49)} {rng.randint(10, 99)} {rng.randint(1000000, 9999999)}",
    )


def _money(rng: random.Random) -> Decimal:
    scale = rng.choice([10, 100, 1000, 5000])
    return (Decimal(rng.randint(50, scale * 100)) / 100).quantize(CENT)


def _quantity(rng: random.Random, unit: str) -> Decimal:
    if unit in ("h", "Std", "uur", "m", "day", "Tag", "jour", "día", "dag") and rng.random() < 0.3:
        return Decimal(rng.choice(["0.5", "1.5", "2.25", "7.5", "12.5"]))
    return Decimal(rng.choice([1, 1, 1, 2, 3, 4, 5, 10, 12, 20, 25, 50, 100]))


def make_items(
    rng: random.Random, lang: str, country: str, n: int, discounts: bool, long_desc: float
) -> list[Item]:
    rates = TAX_RATES[country]
    multi_rate = len(rates) > 1 and rng.random() < 0.5
    items = []
    for pos in range(1, n + 1):
        desc, unit = rng.choice(PRODUCTS[lang])
        if rng.random() < long_desc:
            desc = f"{desc}, {rng.choice(DETAILS[lang])}"
        qty = _quantity(rng, unit)
        price = _money(rng)
        disc = Decimal(rng.choice([0, 0, 0, 5, 10, 15])) if discounts else Decimal(0)
        rate = Decimal(rng.choice(rates) if multi_rate and rng.random() < 0.4 else rates[0])
        total = (qty * price * (1 - disc / 100)).quantize(CENT, rounding=ROUND_HALF_UP)
        code = rng.choice(["", "A-", "ART", "SKU-"]) + str(rng.randint(10000, 99999))
        items.append(Item(pos, code, desc, qty, unit, price, disc, rate, total))
    return items


def make_invoice(
    rng: random.Random, lang: str, n_items: int, discounts: bool = False, long_desc: float = 0.15
) -> InvoiceData:
    country, currency = _weighted(rng, MARKETS[lang])
    vendor = _party(rng, country, with_vat=True)
    customer = _party(rng, country if rng.random() < 0.8 else rng.choice(list(STREETS)), rng.random() < 0.4)
    if customer.country == "US" and customer.vat_id is None:
        customer.vat_printed = None
    issue = date(2019, 1, 1) + timedelta(days=rng.randint(0, 365 * 6))
    terms = rng.choice([None, 14, 30, 30, 45, 60])
    due = issue + timedelta(days=terms) if terms else None
    due_printed = due is not None and rng.random() < 0.7
    year = issue.year
    number = rng.choice(
        [
            f"RE-{year}-{rng.randint(1, 9999):04d}",
            f"INV-{rng.randint(10000, 99999)}",
            f"{year}{rng.randint(100, 999)}",
            f"F{year % 100:02d}/{rng.randint(1, 999):03d}",
            f"{rng.randint(100000, 9999999)}",
            f"{rng.choice('ABCFGH')}{rng.randint(1000, 9999)}-{rng.randint(10, 99)}",
        ]
    )
    items = make_items(rng, lang, country, n_items, discounts, long_desc)
    breakdown = []
    for rate in sorted({i.tax_rate for i in items}, reverse=True):
        net = sum((i.total for i in items if i.tax_rate == rate), Decimal(0))
        breakdown.append((rate, net, (net * rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)))
    iban = bic = account = routing = None
    if country in ("US", "IN"):
        account = str(rng.randint(10**9, 10**11))
        if country == "US":
            d = [rng.randint(0, 9) for _ in range(8)]
            check = (-(3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5]))) % 10
            routing = "".join(map(str, d)) + str(check)
    else:
        iban, bic = make_iban(rng, country), make_bic(rng, country)
    return InvoiceData(
        lang=lang,
        country=country,
        currency=currency,
        number=number,
        issue_date=issue,
        due_date=due,
        terms_days=terms,
        due_printed=due_printed,
        customer_number=str(rng.randint(10000, 999999)) if rng.random() < 0.5 else None,
        po_number=f"PO-{rng.randint(1000, 99999)}" if rng.random() < 0.4 else None,
        vendor=vendor,
        customer=customer,
        items=items,
        iban=iban,
        bic=bic,
        bank_name=rng.choice(BANKS[country]),
        account_number=account,
        routing_number=routing,
        breakdown=breakdown,
    )
