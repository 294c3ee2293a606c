"""Building blocks every layout family shares: the line-item table (with page breaks, repeated
header and carried-forward lines), the totals block and the footer.

The table is the part that breaks extractors, so it gets the most variation: five rule styles,
wrapped descriptions, and tables that run over pages.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from bench.synth.canvas import GREY, Canvas
from bench.synth.content import InvoiceData, Item
from bench.synth.locales import format_quantity
from bench.synth.style import Style

NUMERIC = {"qty", "price", "disc", "vat", "amount", "pos"}
HEADER_KEYS = {
    "pos": "pos",
    "code": "code",
    "desc": "desc",
    "qty": "qty",
    "unit": "unit",
    "price": "price",
    "disc": "disc",
    "vat": "vat",
    "amount": "amount",
}
PageHeader = Callable[[Canvas], float]


def cell_text(inv: InvoiceData, st: Style, item: Item, key: str) -> str:
    if key == "pos":
        return str(item.position)
    if key == "code":
        return item.code
    if key == "desc":
        return item.description
    if key == "qty":
        return format_quantity(item.quantity, st.num)
    if key == "unit":
        return item.unit
    if key == "price":
        return st.amount(inv, item.unit_price, table=True)
    if key == "disc":
        return st.rate(item.discount)
    if key == "vat":
        return st.rate(item.tax_rate)
    return st.amount(inv, item.total, table=True)


def column_edges(
    cv: Canvas, inv: InvoiceData, st: Style, x0: float, x1: float
) -> list[tuple[str, float, float]]:
    """(key, left, right) per column: numeric columns as wide as their widest cell, the rest to desc."""
    widths: dict[str, float] = {}
    for key in st.cols:
        if key == "desc":
            continue
        texts = [st.labels[HEADER_KEYS[key]]] + [cell_text(inv, st, i, key) for i in inv.items]
        widths[key] = max(cv.measure(t, st.size, bold=True) for t in texts) + 10
    desc_w = max(x1 - x0 - sum(widths.values()), 120)
    edges, x = [], x0
    for key in st.cols:
        w = desc_w if key == "desc" else widths[key]
        edges.append((key, x, x + w))
        x += w
    return edges


def _header(cv: Canvas, st: Style, edges: list[tuple[str, float, float]], y: float) -> float:
    lh = st.size * 1.9
    x0, x1 = edges[0][1], edges[-1][2]
    if st.rules == "header_fill":
        cv.rect(x0, y, x1, y + lh, fill=(0.85, 0.85, 0.85), stroke=None)
    if st.rules == "grid":
        cv.rect(x0, y, x1, y + lh)
    for key, left, right in edges:
        text = st.labels[HEADER_KEYS[key]]
        if key in NUMERIC:
            cv.text(right - 4, y + lh * 0.68, text, st.size, bold=True, align="r")
        else:
            cv.text(left + 4, y + lh * 0.68, text, st.size, bold=True)
    if st.rules in ("header_line", "zebra"):
        cv.hline(x0, x1, y + lh, width=0.8)
    if st.layout == "erp":
        cv.hline(x0, x1, y, width=0.8)
    return y + lh + 2


def _special_row(
    cv: Canvas,
    inv: InvoiceData,
    st: Style,
    edges: list[tuple[str, float, float]],
    y: float,
    label: str,
    value: Decimal,
) -> float:
    """A carried-forward / brought-forward line: label in the description column, sum under amount."""
    lh = st.size * 1.6
    desc = next((e for e in edges if e[0] == "desc"), edges[0])
    cv.text(desc[1] + 4, y + lh * 0.75, label, st.size, bold=True)
    cv.text(edges[-1][2] - 4, y + lh * 0.75, st.amount(inv, value, table=True), st.size, bold=True, align="r")
    if st.rules == "grid":
        cv.rect(edges[0][1], y, edges[-1][2], y + lh)
    return y + lh + 2


def draw_table(
    cv: Canvas,
    inv: InvoiceData,
    st: Style,
    x0: float,
    x1: float,
    y: float,
    bottom: float,
    page_header: PageHeader,
) -> float:
    """Draw all items from `y`; continue on new pages (with `page_header`) below `bottom`."""
    edges = column_edges(cv, inv, st, x0, x1)
    desc_edge = next(e for e in edges if e[0] == "desc")
    lh = st.size * 1.3
    pad = st.size * 0.45
    y = _header(cv, st, edges, y)
    running = Decimal(0)
    for n, item in enumerate(inv.items):
        desc_lines = cv.wrap(item.description, st.size, desc_edge[2] - desc_edge[1] - 8)
        h = len(desc_lines) * lh + 2 * pad
        reserve = st.size * 2.2 if st.carry else 0
        if y + h + reserve > bottom:
            if st.carry:
                _special_row(cv, inv, st, edges, y + 2, st.labels["carried"], running)
            cv.new_page()
            y = _header(cv, st, edges, page_header(cv))
            if st.carry:
                y = _special_row(cv, inv, st, edges, y, st.labels["brought"], running)
        if st.rules == "zebra" and n % 2 == 1:
            cv.rect(x0, y, x1, y + h, fill=(0.93, 0.93, 0.93), stroke=None)
        base = y + pad + st.size * 0.95
        for key, left, right in edges:
            if key == "desc":
                for k, line in enumerate(desc_lines):
                    cv.text(left + 4, base + k * lh, line, st.size)
            elif key in NUMERIC:
                cv.text(right - 4, base, cell_text(inv, st, item, key), st.size, align="r")
            else:
                cv.text(left + 4, base, cell_text(inv, st, item, key), st.size)
        if st.rules == "grid":
            cv.rect(x0, y, x1, y + h)
            for _, left, _ in edges[1:]:
                cv.vline(left, y, y + h)
        elif st.rules == "header_line" and st.layout == "modern":
            cv.hline(x0, x1, y + h, width=0.3, color=(0.75, 0.75, 0.75))
        y += h
        running += item.total
    if st.rules in ("header_line", "header_fill", "zebra"):
        cv.hline(x0, x1, y + 1, width=0.8)
    return y + 4


def totals_lines(inv: InvoiceData, st: Style, with_breakdown: bool = True) -> list[tuple[str, str, bool]]:
    """(label, value, bold) rows: net, one tax row per rate, gross."""
    rows = [(st.label("subtotal"), st.amount(inv, inv.subtotal), False)]
    if with_breakdown:
        for rate, net, tax in inv.breakdown:
            label = f"{st.labels['vat']} {st.rate(rate)}"
            if len(inv.breakdown) > 1:
                label += f" ({st.number(net)})"
            rows.append((label + (":" if st.colon else ""), st.amount(inv, tax), False))
    rows.append((st.label("total"), st.amount(inv, inv.total), True))
    return rows


def draw_totals(
    cv: Canvas,
    st: Style,
    rows: list[tuple[str, str, bool]],
    label_x: float,
    value_x: float,
    y: float,
    rule_before_total: bool = True,
) -> float:
    lh = st.size * 1.6
    for label, value, bold in rows:
        if bold and rule_before_total:
            cv.hline(label_x, value_x, y + 2, width=0.7)
            y += 4
        size = st.size + (1 if bold else 0)
        cv.text(label_x, y + lh * 0.8, label, size, bold=bold)
        cv.text(value_x, y + lh * 0.8, value, size, bold=bold, align="r")
        y += lh
    return y


def breakdown_table(cv: Canvas, inv: InvoiceData, st: Style, x0: float, x1: float, y: float) -> float:
    """A small Rate | Net | Tax table, one row per rate (printed when there are several rates)."""
    lh = st.size * 1.5
    cols = [st.labels["rate"], st.labels["net"], st.labels["vat"]]
    xs = [x0 + (x1 - x0) * f for f in (0.3, 0.65, 1.0)]
    for text, x in zip(cols, xs, strict=True):
        cv.text(x - 2, y + lh * 0.8, text, st.size - 0.5, bold=True, align="r")
    y += lh
    for rate, net, tax in inv.breakdown:
        for text, x in zip([st.rate(rate), st.number(net), st.number(tax)], xs, strict=True):
            cv.text(x - 2, y + lh * 0.8, text, st.size - 0.5, align="r")
        y += lh
    return y + 2


def payment_lines(inv: InvoiceData, st: Style) -> list[str]:
    """Bank lines: IBAN/BIC where the country uses them, account and routing numbers elsewhere."""
    sep = ": " if st.colon or st.layout != "erp" else " "
    lines = [f"{st.labels['bank']}{sep}{inv.bank_name}"]
    if inv.iban:
        from bench.synth.ids import format_iban

        lines.append(f"IBAN{sep}{format_iban(inv.iban, st.iban_grouped)}")
        lines.append(f"BIC{sep}{inv.bic}")
    else:
        lines.append(f"{st.labels['account']}{sep}{inv.account_number}")
        if inv.routing_number:
            lines.append(f"{st.labels['routing']}{sep}{inv.routing_number}")
    return lines


def terms_line(inv: InvoiceData, st: Style) -> str | None:
    if inv.terms_days is None:
        return None
    return st.labels["terms"].format(n=inv.terms_days)


def number_pages(cv: Canvas, st: Style, y_from_bottom: float = 22, always: bool = False) -> None:
    """'Page i of n' at the bottom right of every page (only when there are several, unless `always`)."""
    n = cv.doc.page_count
    if n == 1 and not always:
        return
    for i in range(n):
        cv.goto(i)
        cv.text(
            cv.width - 40,
            cv.height - y_from_bottom,
            f"{st.labels['page']} {i + 1} {st.labels['of']} {n}",
            st.size - 1,
            color=GREY,
            align="r",
        )
