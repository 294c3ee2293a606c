"""Six layout families. Each places the same facts differently on the page, so an extractor that
learns one position or one label arrangement fails on the others:

classic  letterhead, address window, meta block with label/value columns, ruled grid table
modern   big title, right-side meta block, "Bill to" block, table with a header rule only
twocol   vendor and customer side by side, a row of meta cells with labels above values
norules  "Label: value" lines, a table without any rules, plain totals
boxed    right-aligned letterhead, meta in a box, zebra rows, totals and tax breakdown in a box
erp      dense monospaced print: positions, item codes, units, discount and VAT columns
"""

from __future__ import annotations

from bench.synth.canvas import GREY, Canvas
from bench.synth.content import InvoiceData
from bench.synth.draw import (
    breakdown_table,
    draw_table,
    draw_totals,
    number_pages,
    payment_lines,
    terms_line,
    totals_lines,
)
from bench.synth.style import Style


def meta_pairs(inv: InvoiceData, st: Style) -> list[tuple[str, str]]:
    pairs = [(st.label("number"), inv.number), (st.label("date"), st.date(inv, inv.issue_date))]
    if inv.due_date and inv.due_printed:
        pairs.append((st.label("due"), st.date(inv, inv.due_date)))
    if inv.customer_number:
        pairs.append((st.label("customer_no"), inv.customer_number))
    if inv.po_number:
        pairs.append((st.label("po"), inv.po_number))
    return pairs


def vendor_lines(inv: InvoiceData) -> list[str]:
    return [inv.vendor.name, inv.vendor.street, inv.vendor.city]


def customer_lines(inv: InvoiceData, st: Style) -> list[str]:
    lines = [inv.customer.name, inv.customer.street, inv.customer.city]
    if inv.customer.vat_printed:
        lines.append(f"{st.label('vat_id')} {inv.customer.vat_printed}")
    return lines


def vendor_ids(inv: InvoiceData, st: Style) -> list[str]:
    out = [f"{st.label('vat_id')} {inv.vendor.vat_printed}"]
    if inv.vendor.email:
        out.append(inv.vendor.email)
    return out


def continuation(inv: InvoiceData, st: Style) -> callable:
    """The small header of pages 2+: vendor left, title and number right."""

    def header(cv: Canvas) -> float:
        cv.text(40, 40, inv.vendor.name, st.size, bold=True)
        cv.text(cv.width - 40, 40, f"{st.labels['title']} {inv.number}", st.size, align="r")
        return 62

    return header


def closing(
    cv: Canvas, inv: InvoiceData, st: Style, x: float, y: float, bottom: float, with_payment: bool
) -> float:
    """Terms, currency note, payment lines and thanks after the totals."""
    lines = []
    if st.money == "none" and st.col_money == "none":
        lines.append(st.labels["currency_note"].format(c=inv.currency))
    t = terms_line(inv, st)
    if t:
        lines.append(t)
    if with_payment:
        lines += payment_lines(inv, st)
    lines.append(st.labels["thanks"])
    lh = st.size * 1.45
    if y + lh * len(lines) > bottom:
        cv.new_page()
        y = continuation(inv, st)(cv)
    for line in lines:
        cv.text(x, y + lh, line, st.size)
        y += lh
    return y


def _ensure_room(cv: Canvas, inv: InvoiceData, st: Style, y: float, need: float, bottom: float) -> float:
    if y + need > bottom:
        cv.new_page()
        return continuation(inv, st)(cv)
    return y


def _footer_columns(cv: Canvas, inv: InvoiceData, st: Style, columns: list[list[str]]) -> None:
    """Footer on every page: columns of small text above the bottom margin, a rule above them."""
    size = st.size - 1.5
    lh = size * 1.35
    top = cv.height - 30 - lh * max(len(c) for c in columns)
    width = (cv.width - 80) / len(columns)
    for i in range(cv.doc.page_count):
        cv.goto(i)
        cv.hline(40, cv.width - 40, top - 6, width=0.4, color=GREY)
        for k, col in enumerate(columns):
            for j, line in enumerate(col):
                cv.text(40 + k * width, top + lh * (j + 0.8), line, size, color=GREY)


def footer_height(st: Style, rows: int) -> float:
    return 30 + (st.size - 1.5) * 1.35 * rows + 16


def classic(cv: Canvas, inv: InvoiceData, st: Style) -> None:
    m, s = 50, st.size
    cv.text(m, 60, inv.vendor.name, s + 7, bold=True)
    cv.text(m, 76, f"{inv.vendor.street} · {inv.vendor.city}", s)
    cv.text(m, 138, f"{inv.vendor.name} · {inv.vendor.street} · {inv.vendor.city}", s - 2.5, color=GREY)
    for i, line in enumerate(customer_lines(inv, st)):
        cv.text(m, 156 + i * s * 1.35, line, s)
    meta_x = cv.width * 0.58
    for i, (label, value) in enumerate(meta_pairs(inv, st)):
        cv.text(meta_x, 156 + i * s * 1.5, label, s)
        cv.text(cv.width - m, 156 + i * s * 1.5, value, s, align="r")
    cv.text(
        m, 268, f"{st.labels['title']} {inv.number}" if st.colon else st.labels["title"], s + 5, bold=True
    )
    bottom = cv.height - footer_height(st, 4)
    y = draw_table(cv, inv, st, m, cv.width - m, 282, bottom, continuation(inv, st))
    rows = totals_lines(inv, st)
    y = _ensure_room(cv, inv, st, y, len(rows) * s * 1.6 + 10, bottom)
    y = draw_totals(cv, st, rows, cv.width * 0.55, cv.width - m, y + 6)
    closing(cv, inv, st, m, y + 10, bottom, with_payment=False)
    _footer_columns(cv, inv, st, [vendor_lines(inv), payment_lines(inv, st), vendor_ids(inv, st)])
    number_pages(cv, st, y_from_bottom=14)


def modern(cv: Canvas, inv: InvoiceData, st: Style) -> None:
    m, s = 44, st.size
    cv.text(m, 80, st.labels["title"], s + 16, bold=False)
    gutter = cv.width - m - 105
    for i, (label, value) in enumerate(meta_pairs(inv, st)):
        cv.text(gutter - 8, 60 + i * s * 1.6, label, s, color=GREY, align="r")
        cv.text(gutter, 60 + i * s * 1.6, value, s, bold=True)
    for i, line in enumerate(vendor_lines(inv) + vendor_ids(inv, st)[:1]):
        cv.text(m, 104 + i * s * 1.35, line, s - 0.5, bold=i == 0, color=(0, 0, 0) if i == 0 else GREY)
    cv.text(m, 190, st.labels["bill_to"].upper(), s - 1, bold=True, color=GREY)
    for i, line in enumerate(customer_lines(inv, st)):
        cv.text(m, 204 + i * s * 1.35, line, s, bold=i == 0)
    bottom = cv.height - 50
    y = draw_table(cv, inv, st, m, cv.width - m, 270, bottom, continuation(inv, st))
    rows = totals_lines(inv, st)
    y = _ensure_room(cv, inv, st, y, len(rows) * s * 1.6 + 10, bottom)
    y = draw_totals(cv, st, rows, cv.width * 0.6, cv.width - m, y + 8)
    closing(cv, inv, st, m, y + 14, bottom, with_payment=True)
    number_pages(cv, st)


def twocol(cv: Canvas, inv: InvoiceData, st: Style) -> None:
    m, s = 48, st.size
    cv.text(cv.width - m, 64, st.labels["title"], s + 12, bold=True, align="r")
    cv.text(m, 56, inv.vendor.name, s + 4, bold=True)
    half = cv.width / 2
    cv.text(m, 110, st.labels["from"], s - 1, color=GREY)
    cv.text(half, 110, st.labels["bill_to"], s - 1, color=GREY)
    for i, line in enumerate(vendor_lines(inv) + vendor_ids(inv, st)[:1]):
        cv.text(m, 124 + i * s * 1.35, line, s)
    for i, line in enumerate(customer_lines(inv, st)):
        cv.text(half, 124 + i * s * 1.35, line, s)
    pairs = meta_pairs(inv, st)
    cell = (cv.width - 2 * m) / len(pairs)
    for i, (label, value) in enumerate(pairs):
        cv.text(m + i * cell, 212, label.rstrip(":"), s - 1, color=GREY)
        cv.text(m + i * cell, 226, value, s + 1, bold=True)
    bottom = cv.height - footer_height(st, 1)
    y = draw_table(cv, inv, st, m, cv.width - m, 252, bottom, continuation(inv, st))
    rows = totals_lines(inv, st)
    y = _ensure_room(cv, inv, st, y, len(rows) * s * 1.6 + 10, bottom)
    y = draw_totals(cv, st, rows, cv.width * 0.58, cv.width - m, y + 6)
    closing(cv, inv, st, m, y + 10, bottom, with_payment=False)
    _footer_columns(cv, inv, st, [[" · ".join([inv.vendor.name, *payment_lines(inv, st)[1:]])]])
    number_pages(cv, st, y_from_bottom=14)


def norules(cv: Canvas, inv: InvoiceData, st: Style) -> None:
    m, s = 56, st.size
    for i, line in enumerate([*vendor_lines(inv), inv.vendor.phone or ""]):
        cv.text(cv.width - m, 56 + i * s * 1.35, line, s + (2 if i == 0 else 0), bold=i == 0, align="r")
    for i, line in enumerate(customer_lines(inv, st)):
        cv.text(m, 130 + i * s * 1.35, line, s)
    cv.text(m, 222, st.labels["title"], s + 6, bold=True)
    y = 240
    for label, value in meta_pairs(inv, st):
        cv.text(m, y, f"{label} {value}", s)
        y += s * 1.45
    bottom = cv.height - 50
    y = draw_table(cv, inv, st, m, cv.width - m, y + 12, bottom, continuation(inv, st))
    rows = totals_lines(inv, st)
    y = _ensure_room(cv, inv, st, y, len(rows) * s * 1.6 + 10, bottom)
    y = draw_totals(cv, st, rows, cv.width * 0.5, cv.width - m - 4, y + 10, rule_before_total=False)
    y = closing(cv, inv, st, m, y + 10, bottom, with_payment=True)
    cv.text(m, y + s * 1.6, f"{st.label('vat_id')} {inv.vendor.vat_printed}", s)
    number_pages(cv, st)


def boxed(cv: Canvas, inv: InvoiceData, st: Style) -> None:
    m, s = 46, st.size
    for i, line in enumerate(vendor_lines(inv) + vendor_ids(inv, st)):
        cv.text(cv.width - m, 50 + i * s * 1.35, line, s + (3 if i == 0 else 0), bold=i == 0, align="r")
    cv.text(m, 60, st.labels["title"], s + 10, bold=True)
    for i, line in enumerate(customer_lines(inv, st)):
        cv.text(m, 150 + i * s * 1.35, line, s)
    pairs = meta_pairs(inv, st)
    bx0, by0 = cv.width * 0.55, 138
    cv.rect(bx0, by0, cv.width - m, by0 + 10 + len(pairs) * s * 1.5, stroke=(0.3, 0.3, 0.3))
    for i, (label, value) in enumerate(pairs):
        cv.text(bx0 + 6, by0 + 4 + (i + 0.8) * s * 1.5, label, s)
        cv.text(cv.width - m - 6, by0 + 4 + (i + 0.8) * s * 1.5, value, s, bold=True, align="r")
    bottom = cv.height - footer_height(st, 4)
    y = draw_table(
        cv, inv, st, m, cv.width - m, max(240, by0 + 30 + len(pairs) * s * 1.5), bottom, continuation(inv, st)
    )
    multi = len(inv.breakdown) > 1
    rows = totals_lines(inv, st, with_breakdown=True)
    need = (len(rows) + (len(inv.breakdown) + 1 if multi else 0)) * s * 1.6 + 24
    y = _ensure_room(cv, inv, st, y, need, bottom)
    bx0, top = cv.width * 0.52, y + 8
    cv.rect(
        bx0, top, cv.width - m, top + need - 12, fill=(0.95, 0.95, 0.95), stroke=(0.2, 0.2, 0.2), width=0.9
    )
    yy = top + 4
    if multi:
        yy = breakdown_table(cv, inv, st, bx0 + 6, cv.width - m - 6, yy)
    draw_totals(cv, st, rows, bx0 + 8, cv.width - m - 8, yy, rule_before_total=True)
    closing(cv, inv, st, m, top, bottom, with_payment=False)
    _footer_columns(cv, inv, st, [vendor_lines(inv), payment_lines(inv, st), [inv.vendor.phone or ""]])
    number_pages(cv, st, y_from_bottom=14, always=True)


def erp(cv: Canvas, inv: InvoiceData, st: Style) -> None:
    m, s = 36, st.size
    cv.text(m, 40, f"{inv.vendor.name} - {inv.vendor.street} - {inv.vendor.city}", s)
    cv.text(m, 40 + s * 1.4, f"{st.label('vat_id')} {inv.vendor.vat_printed}", s)
    cv.hline(m, cv.width - m, 40 + s * 2, width=0.5)
    for i, line in enumerate(customer_lines(inv, st)):
        cv.text(m, 90 + i * s * 1.35, line, s)
    cv.text(cv.width * 0.55, 90, f"{st.labels['title'].upper()}", s + 4, bold=True)
    label_w = max(cv.measure(label, s) for label, _ in meta_pairs(inv, st)) + 10
    for i, (label, value) in enumerate(meta_pairs(inv, st)):
        cv.text(cv.width * 0.55, 106 + i * s * 1.35, label, s)
        cv.text(cv.width * 0.55 + label_w, 106 + i * s * 1.35, value, s)
    bottom = cv.height - 46
    y = draw_table(cv, inv, st, m, cv.width - m, 180, bottom, continuation(inv, st))
    multi = len(inv.breakdown) > 1
    rows = totals_lines(inv, st, with_breakdown=not multi)
    y = _ensure_room(cv, inv, st, y, (len(rows) + len(inv.breakdown) + 2) * s * 1.6, bottom)
    if multi:
        breakdown_table(cv, inv, st, m, m + 220, y + 4)
    y = draw_totals(cv, st, rows[:-1], cv.width * 0.55, cv.width - m - 4, y + 4, rule_before_total=False)
    if multi:
        tax_label = st.labels["vat"] + (":" if st.colon else "")
        y = draw_totals(
            cv,
            st,
            [(tax_label, st.amount(inv, inv.tax_amount), False)],
            cv.width * 0.55,
            cv.width - m - 4,
            y,
            rule_before_total=False,
        )
        y = max(y, y + (len(inv.breakdown) - 1) * s * 1.5)
    y = draw_totals(cv, st, rows[-1:], cv.width * 0.55, cv.width - m - 4, y)
    closing(cv, inv, st, m, y + 12, bottom, with_payment=True)
    number_pages(cv, st, always=True)


FAMILIES = {
    "classic": classic,
    "modern": modern,
    "twocol": twocol,
    "norules": norules,
    "boxed": boxed,
    "erp": erp,
}
