"""Invoice-number labels as OCR reads them: "Nº" comes out as "N?" or "No"."""

from __future__ import annotations

from pipeline.extract import labels as L


def test_numero_sign_misread_still_labels_the_invoice_number() -> None:
    for text in ("N? de factura: INV-75759", "No de factura: INV-75759", "Nº de factura: INV-75759",
                 "N? facture 2024-17"):
        found = L.best_label(text, L.INVOICE_NUMBER)
        assert found is not None and found[1] == 1.0, text


def test_other_n_words_are_not_invoice_number_labels() -> None:
    assert L.best_label("Nota de factura", L.INVOICE_NUMBER) is None or \
        L.best_label("Nota de factura", L.INVOICE_NUMBER)[1] < 1.0  # type: ignore[index]


def test_tva_intracommunautaire_without_its_numero_sign_is_one_whole_label() -> None:
    # "N°" misread ("Ne") leaves "TVA intracommunautaire": the label must take the whole word, or
    # "communautaire" is read as the start of the id.
    text = "Ne TVA intracommunautaire 84-9076795"
    found = L.best_label(text, L.VAT_ID)
    assert found is not None and text[found[0].end() :].strip() == "84-9076795"
