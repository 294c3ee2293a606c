"""Which language a document is written in (ISO 639-1: en, de, fr, es, nl), with a confidence.

Business documents are short and label-heavy: a receipt or a delivery note has a few dozen words,
most of them labels ("Lieferschein-Nr.", "Pakbonnummer", "Cantidad") and names, and hardly any
prose. Statistical detectors trained on running text do poorly there, so the evidence is counted
from what such documents do contain, each kind weighted by how much it says:

- whole words: function words and the label vocabulary of invoices, receipts, orders, delivery
  notes, bank statements and payslips, month and weekday names;
- stems inside words, for German and Dutch compounds ("Lieferscheinnummer", "Afschriftdatum") and
  inflected Romance labels ("facturación", "livraisons") that no word list can enumerate;
- letters only one or two of the languages use (ß, ij, ñ, ç, è, á ...).

A word shared by several languages counts for each in part; a word repeated many times (a purpose
text on every statement row, a street name) counts at most a few times, so one name cannot outvote
the labels. Too little evidence, or a tie, gives (None, 0.0) rather than a guess.
"""

from __future__ import annotations

import math
import re
from collections import Counter

LANGUAGES = ("en", "de", "fr", "es", "nl")


def _words(block: str) -> frozenset[str]:
    """A word list written as whitespace-separated text (easier to read and extend than literals)."""
    return frozenset(block.split())


WORDS: dict[str, frozenset[str]] = {
    "en": _words(
        """
        the and of for to with this that from your our you we are is be by at on in it as per or no not
        please thank thanks here will has have was all any
        invoice bill date total amount due tax vat payment number price charges subtotal sum net gross
        receipt cash change card paid purchase order ordered supplier buyer vendor customer terms
        delivery deliver delivered shipped shipping ship packing slip carrier tracking weight package
        packages parcel parcels shipment partial complete quantity qty unit units item items pcs each
        description reference account statement balance opening closing credit debit deposit
        withdrawal transfer transaction transactions holder period value issued
        payslip salary wage wages pay earnings deductions employee employer pension insurance income
        national overtime bonus hours
        street road avenue lane ltd plc inc llc
        january february march april june july august september october november december
        monday tuesday wednesday thursday friday saturday sunday
        """
    ),
    "de": _words(
        """
        der die das den dem des und oder für mit von bei bis zu zum zur auf aus nach ist sind wird wir
        sie ihr ihre ihren uns unser nicht kein keine ein eine einer eines im am vom durch über unter
        bitte danke vielen dank gegeben zurück
        rechnung datum betrag summe zahlbar mwst ust netto brutto steuer gesamt menge preis anzahl
        einzelpreis gesamtpreis bezeichnung artikel einheit stück stk stck kunde kunden lieferung
        lieferschein bestellung bestellt geliefert versand spediteur sendung gewicht paket pakete
        empfänger absender auftrag angebot bestellnummer lieferant käufer
        kasse bar barzahlung rückgeld kartenzahlung beleg bon quittung
        konto kontoauszug kontoinhaber buchung buchungstag valuta wertstellung verwendungszweck
        soll haben saldo kontostand überweisung gutschrift lastschrift zeitraum erstellt
        gehalt lohn entgelt abzüge abzug lohnsteuer sozialversicherung arbeitnehmer arbeitgeber
        auszahlung auszahlungsbetrag personalnummer
        straße strasse gasse platz weg gmbh
        januar jänner februar märz april mai juni juli august september oktober november dezember
        montag dienstag mittwoch donnerstag freitag samstag sonntag
        """
    ),
    "fr": _words(
        """
        le la les des du de et ou pour avec par sur sous dans au aux en à un une est sont nous vous
        votre vos notre nos ce cette ces qui que ne pas merci
        facture date montant total tva paiement prix quantité qté désignation libellé référence
        échéance règlement remise ht ttc unitaire numéro total net brut
        reçu ticket caisse espèces rendu carte client fournisseur commande acheteur conditions
        livraison livré livrée livrés bon transporteur colis poids expédition expéditeur destinataire
        suivi partielle complète article unité pièce pièces
        relevé compte titulaire solde opération opérations débit crédit virement prélèvement retrait
        période édité valeur
        bulletin paie salaire brut cotisations cotisation retenues salarié employeur impôt congés
        heures
        rue avenue boulevard chemin place sarl sas
        janvier février mars avril juin juillet août septembre octobre novembre décembre
        lundi mardi mercredi jeudi vendredi samedi dimanche
        """
    ),
    "es": _words(
        """
        el la los las del de y o para con por en un una es son su sus nuestro nuestra al se lo que no
        gracias
        factura fecha importe total iva pago precio cantidad descripción concepto referencia
        vencimiento descuento base imponible unitario número neto bruto
        recibo ticket caja efectivo cambio tarjeta cliente proveedor pedido comprador condiciones
        entrega albarán entregado entregada enviado transportista bultos peso envío destinatario
        remitente seguimiento parcial completa artículo unidad unidades uds
        extracto cuenta titular saldo movimiento movimientos cargo abono transferencia operación
        periodo emisión valor
        nómina salario devengos deducciones trabajador empresa retención cotización líquido percibir
        horas
        calle avenida plaza paseo
        enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre
        lunes martes miércoles jueves viernes sábado domingo
        """
    ),
    "nl": _words(
        """
        de het een en van voor met op in is zijn wij we uw u je ons onze niet geen aan bij naar uit
        door over of te tot dit dat deze die er ook worden wordt bedankt dank
        factuur datum bedrag totaal btw betaling prijs aantal omschrijving artikel eenheid stuks stuk
        vervaldatum korting netto bruto excl incl
        bon kassa contant wisselgeld pin betaald klant leverancier bestelling besteld bestelnummer
        levering geleverd pakbon vervoerder zending gewicht colli afleveradres afzender ontvanger
        volledige gedeeltelijke
        rekening afschrift rekeninghouder saldo oud nieuw af bij boekdatum valutadatum overboeking
        incasso opname periode kenmerk
        loonstrook salaris loon inhoudingen werknemer werkgever loonheffing vakantiegeld uitbetaling
        uren
        straat weg laan plein gracht kade
        januari februari maart april mei juni juli augustus september oktober november december
        maandag dinsdag woensdag donderdag vrijdag zaterdag zondag
        """
    ),
}
# Stems found inside longer words. A stem that two languages share ("nummer", "datum" in German and
# Dutch) is listed under both; one that would misfire on a neighbour is left out or narrowed (Dutch
# "bestel" would match German "bestellt", so Dutch has "besteld" and "bestelling").
STEMS: dict[str, frozenset[str]] = {
    "en": _words(
        """
        ship ness ght ount ould
        """
    ),
    "de": _words(
        """
        liefer bestell rechnung zahlung betrag steuer sendung schein gesamt summe überweis
        gutschrift lastschrift buchung zweck gehalt lohn abzug abzüg versicherung beitrag menge
        einheit bezeichnung konto auszahl einzahl stück straße strasse kunden leistung empfäng
        absend spedit versand auftrag zeitraum auszug inhaber arbeit entgelt brutto ung heit
        keit schaft tsch pfl nummer datum gewicht
        """
    ),
    "fr": _words(
        """
        factur livr commande montant paiement règlement échéan relevé solde salaire cotis
        retenue quantité désign unitaire libell virement prélève expédi destinat numéro société
        eux oir ée
        """
    ),
    "es": _words(
        """
        factur albar pedido entreg importe cantidad precio descrip impuest nómina retenc devengo
        deducc líquido cotizac extracto cuenta recibo efectivo proveedor envío
        ción dad ado
        """
    ),
    "nl": _words(
        """
        factuur levering geleverd aflever leveranc besteld bestelling bestelnr rekening
        afschrift betaling bedrag schrijving aantal eenheid prijs totaal inhouding verzekering
        premie bijdrage zending vervoer pakbon opname overboeking incasso terug salaris loon
        straat gracht kenmerk ontvang afzend werkgever werknemer vakantie maand nummer datum
        gewicht aa uu
        """
    ),
}
# Letters that point at a language wherever they appear (ij as a Dutch digraph).
LETTERS: dict[str, dict[str, float]] = {
    "ß": {"de": 1.0},
    "ä": {"de": 0.8},
    "ö": {"de": 0.8},
    "ü": {"de": 0.7},
    "ij": {"nl": 0.8},
    "ñ": {"es": 1.0},
    "ç": {"fr": 1.0},
    "è": {"fr": 0.8},
    "ê": {"fr": 0.8},
    "à": {"fr": 0.6},
    "â": {"fr": 0.8},
    "ù": {"fr": 0.8},
    "û": {"fr": 0.8},
    "î": {"fr": 0.8},
    "œ": {"fr": 1.0},
    "é": {"fr": 0.5, "es": 0.3},
    "á": {"es": 0.8},
    "í": {"es": 0.8},
    "ó": {"es": 0.8},
    "ú": {"es": 0.8},
    "¿": {"es": 1.0},
    "¡": {"es": 1.0},
}
WORD_WEIGHT = 1.0
STEM_WEIGHT = 0.5  # a stem match is weaker than a whole label: suffixes such as "ing" are loose
MAX_REPEAT = 3  # a token counts at most this many times (one repeated name must not outvote labels)
MIN_EVIDENCE = 1.5  # below this the text says too little to name a language
MIN_MARGIN = 0.5  # the winner must lead the runner-up by at least this much
_TOKEN = re.compile(r"[^\W\d_]+|[¿¡]")
_STEM_RE = {
    lang: re.compile("|".join(sorted((re.escape(s) for s in stems), key=len, reverse=True)))
    for lang, stems in STEMS.items()
}
_WORD_LANGS: dict[str, tuple[str, ...]] = {}
for _lang, _words in WORDS.items():
    for _w in _words:
        _WORD_LANGS[_w] = (*_WORD_LANGS.get(_w, ()), _lang)


def _token_score(token: str) -> dict[str, float]:
    """What one token says: a whole word, else stems; plus its telltale letters."""
    out: dict[str, float] = {}
    langs = _WORD_LANGS.get(token)
    if langs:
        for lang in langs:
            out[lang] = WORD_WEIGHT / len(langs)
    elif len(token) >= 4:
        # Each language's share is how many of its stems the word holds ("lieferscheinnummer": German
        # liefer + schein + nummer, Dutch only nummer).
        hits = {lang: len(rx.findall(token)) for lang, rx in _STEM_RE.items()}
        found = sum(hits.values())
        for lang, n in hits.items():
            if n:
                out[lang] = STEM_WEIGHT * n / found
    letters: dict[str, float] = {}
    for mark, weights in LETTERS.items():
        if mark in token:
            for lang, w in weights.items():
                letters[lang] = max(letters.get(lang, 0.0), w)
    for lang, w in letters.items():
        out[lang] = out.get(lang, 0.0) + w
    return out


def language_scores(text: str) -> dict[str, float]:
    """The evidence for each language in `text` (0 for none); what `detect_language` decides on."""
    counts = Counter(_TOKEN.findall(text.lower()))
    score = dict.fromkeys(LANGUAGES, 0.0)
    for token, n in counts.items():
        if len(token) < 2 and token not in ("à", "y", "u", "¿", "¡"):
            continue
        for lang, w in _token_score(token).items():
            score[lang] += w * min(n, MAX_REPEAT)
    return score


def detect_language(text: str) -> tuple[str | None, float]:
    """The most likely of en/de/fr/es/nl and a confidence, or (None, 0.0) for too little evidence.

    The confidence grows with the winner's lead over the runner-up and with the amount of evidence:
    a receipt with three German labels is German with less certainty than a page of German."""
    score = language_scores(text)
    ranked = sorted(score.items(), key=lambda kv: kv[1], reverse=True)
    (best, top), (_second_lang, second) = ranked[0], ranked[1]
    if top < MIN_EVIDENCE or top - second < MIN_MARGIN:
        return None, 0.0
    lead = (top - second) / top
    amount = 1 - math.exp(-top / 6)
    return best, round(min(0.99, 0.35 + 0.64 * lead * (0.4 + 0.6 * amount)), 3)
