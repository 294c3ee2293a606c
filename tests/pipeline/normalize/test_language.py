"""Language detection on the short, label-heavy texts of receipts, delivery notes, statements and
payslips: each of en/de/fr/es/nl from a handful of words, null (not a guess) without evidence, and
a confidence that says how sure it is."""

from __future__ import annotations

import pytest

from pipeline.normalize.language import detect_language, language_scores

SHORT = [
    # receipts
    ("Edeka Markt\nBrötchen 0,45\nSumme EUR 3,20\nGegeben Bar 5,00\nRückgeld 1,80", "de"),
    ("Albert Heijn\nKaas jong belegen 4,99\nTotaal 7,48\nPinnen 7,48\nBedankt voor uw bezoek", "nl"),
    (
        "Carrefour Market\nBaguette 1,10\nTotal TTC 6,40\nEspèces 10,00\nRendu 3,60\nMerci de votre visite",
        "fr",
    ),
    ("Mercadona\nPan de molde 1,35\nTotal 5,20\nEfectivo 10,00\nCambio 4,80\nGracias por su compra", "es"),
    ("Tesco Express\nMilk 1.20\nTotal 4.85\nCash 5.00\nChange 0.15\nThank you for shopping with us", "en"),
    # delivery notes
    ("LIEFERSCHEIN\nLieferscheinnummer: 4711\nPos Bezeichnung Menge\n1 Schrauben M8 100 Stk", "de"),
    ("PAKBON\nPakbonnummer: 88213\nOmschrijving Aantal\nSchroeven M8 100 stuks\nVervoerder: PostNL", "nl"),
    ("BON DE LIVRAISON\nN° 5521\nDésignation Quantité livrée\nVis M8 100 pièces", "fr"),
    ("ALBARÁN DE ENTREGA\nNúmero 5521\nDescripción Cantidad\nTornillos M8 100 uds", "es"),
    ("DELIVERY NOTE\nNo. 5521\nDescription Qty delivered\nScrews M8 100 pcs\nCarrier: DHL", "en"),
    # statements and payslips
    ("Kontoauszug\nAlter Kontostand 1.200,00\nÜberweisung Miete -850,00\nNeuer Kontostand 350,00", "de"),
    ("Rekeningafschrift\nOud saldo 1.200,00\nHuur september -850,00\nNieuw saldo 350,00", "nl"),
    ("Relevé de compte\nAncien solde 1 200,00\nLoyer août -850,00\nNouveau solde 350,00", "fr"),
    ("Extracto de cuenta\nSaldo anterior 1.200,00\nAlquiler octubre -850,00\nSaldo final 350,00", "es"),
    (
        "Gehaltsabrechnung März 2024\nBruttogehalt 3.500,00\nLohnsteuer 420,00\nAuszahlungsbetrag 2.310,00",
        "de",
    ),
    ("Loonstrook mei 2024\nBrutoloon 3.500,00\nLoonheffing 420,00\nNettoloon 2.310,00", "nl"),
    ("Nómina junio 2024\nSalario base 2.100,00\nRetención IRPF 315,00\nLíquido a percibir 1.650,00", "es"),
]


@pytest.mark.parametrize(("text", "lang"), SHORT)
def test_short_documents(text: str, lang: str) -> None:
    found, confidence = detect_language(text)
    assert found == lang, language_scores(text)
    assert 0.35 <= confidence <= 0.99


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Straße", "de"),
        ("Größe Maß Straße", "de"),
        ("Wij zijn bij", "nl"),
        ("Año señor", "es"),
        ("Reçu façade", "fr"),
    ],
)
def test_telltale_letters(text: str, lang: str) -> None:
    assert detect_language(text)[0] == lang


@pytest.mark.parametrize(
    "text",
    [
        "",
        "12,50 3,20 4711 2024-05-01 00:12",
        "DN-4478296 A-544350 1Z410251762655",
        "Total",
        "Total Date",  # English and French alike
        "Datum",  # German and Dutch alike
        "Müller Bernd",  # a name with an umlaut alone is not a language
    ],
)
def test_no_evidence_gives_null_not_a_guess(text: str) -> None:
    assert detect_language(text) == (None, 0.0)


def test_german_delivery_note_with_a_french_street_name() -> None:
    text = (
        "Rheinblick GmbH\nRue du Rhône 76\n8001 Zürich\nLIEFERSCHEIN\nRheinblick GmbH - Rue du Rhône 76\n"
        "Lieferdatum: 12. August 2025\nBestellnummer: 7727658\nBezeichnung Bestellt Geliefert Einheit\n"
        "Kaffeebohnen 1 kg 24 24 Karton"
    )
    assert detect_language(text)[0] == "de"


def test_a_repeated_name_does_not_outvote_the_labels() -> None:
    rows = "\n".join("03.09.2024 Betaalautomaat Carrefour Market de la Gare 12,00" for _ in range(30))
    assert (
        detect_language(f"Rekeningafschrift\nRekeninghouder: J. Jansen\nOud saldo 10,00\n{rows}")[0] == "nl"
    )


def test_more_evidence_and_a_clearer_lead_give_more_confidence() -> None:
    short = detect_language("Lieferschein Menge Stück")
    longer = detect_language(
        "Lieferschein Nr. 12 vom 3. März\nBitte prüfen Sie die Lieferung bei Empfang.\n"
        "Pos Bezeichnung Menge Einheit\n1 Schrauben 100 Stück\nGesamtgewicht 12 kg\n"
        "Vielen Dank für Ihren Auftrag"
    )
    assert short[0] == longer[0] == "de"
    assert longer[1] > short[1]
    mixed = detect_language("Lieferschein Menge Stück Delivery note quantity")
    assert mixed[0] == "de" and mixed[1] < short[1]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Invoice number 12 Date of the invoice Total amount due Please pay this invoice", "en"),
        ("Rechnung Nummer Datum Bitte zahlen Sie den Betrag bis zum Ende des Monats", "de"),
        ("Facture numéro date de la facture Montant total à payer par virement pour vous", "fr"),
        ("Factura número fecha de la factura Importe total para el pago con su tarjeta", "es"),
        ("Factuur nummer datum van het bedrag Totaal te betalen voor uw bestelling met de", "nl"),
    ],
)
def test_invoice_prose_still_detected(text: str, lang: str) -> None:
    assert detect_language(text)[0] == lang
