"""Payslip fields: employer, employee and their identifiers, pay period, earnings, deductions and the
gross / net / tax / social-security figures.

Earnings and deductions are sections: a heading ("Earnings", "Bezüge", "Gains", "Devengos",
"Inkomsten" / "Deductions", "Abzüge", "Retenues", "Deducciones", "Inhoudingen") and under it lines
of text ending in an amount, down to a total line or the next heading. A heading shares its line
with the other when the slip prints both sections side by side; each section then keeps to its own
column. Deductions are returned positive whatever sign is printed (schema convention).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from pipeline.extract.common import (
    amount_fields,
    compile_labels,
    date_parser,
    date_range_parser,
    ev,
    first_iban,
    fold,
    id_parser,
    issuer_party,
    labelled,
    name_parser,
    window_party,
)
from pipeline.extract.context import Candidate, DocContext, build_context, words_span
from pipeline.model import Evidence, LoadedDocument
from pipeline.normalize.amounts import find_amounts

_NOT_NUMBER = r"(?!\s*(?:-|\.)?\s*(?:no\b|nr\b|number|nummer|id\b|#|n[°º]|code|num))"
EMPLOYEE = compile_labels(
    [
        (r"^(?:employee(?:\s*name)?|name|staff\s*member)\b" + _NOT_NUMBER, 1.0),
        (r"^(?:mitarbeiter(?:in)?|arbeitnehmer(?:in)?|besch[äa]ftigte[rs]?|name)\b" + _NOT_NUMBER, 1.0),
        (r"^(?:salari[ée]e?|employ[ée]e?|nom)\b" + _NOT_NUMBER, 1.0),
        (r"^(?:trabajador(?:a)?|empleado(?:a)?|nombre)\b" + _NOT_NUMBER, 1.0),
        (r"^(?:werknemer|medewerker|naam)\b" + _NOT_NUMBER, 1.0),
    ]
)
EMPLOYEE_NUMBER = compile_labels(
    [
        (r"\b(?:employee|staff|payroll|personnel)\s*(?:number|no\.?|id|#)", 1.0),
        (
            r"\bpersonal\s*-?\s*(?:nummer|nr\.?)|\bpers\.?\s*-?\s*nr\.?|\bmitarbeiter\s*-?\s*(?:nummer|nr\.?)",
            1.0,
        ),
        (r"\bmatricule\b|\bn[°º]\s*(?:de\s*)?salari[ée]\b", 1.0),
        (r"\bn[°º]\s*(?:de\s*)?(?:empleado|trabajador)\b|\bc[óo]digo\s*(?:de\s*)?empleado\b", 1.0),
        (r"\bpersoneels\s*-?\s*(?:nummer|nr\.?)\b|\bwerknemersnummer\b", 1.0),
    ]
)
EMPLOYEE_TAX_ID = compile_labels(
    [
        (r"\b(?:tax\s*(?:id|code|number|no\.?)|tin|tax\s*file\s*number|pps\s*no\.?)\b", 1.0),
        (r"\bsteuer\s*-?\s*(?:id|identifikationsnummer|nummer|nr\.?)\b|\bidnr\b", 1.0),
        (r"\bnum[ée]ro\s*fiscal\b|\bn[°º]\s*fiscal\b", 1.0),
        (r"^(?:nif|dni|nie)\b", 1.0),
        (r"^(?:bsn|fiscaal\s*nummer)\b", 1.0),
    ]
)
SSN = compile_labels(
    [
        (
            r"\b(?:national\s*insurance|ni)\s*(?:number|no\.?)|\bsocial\s*security\s*(?:number|no\.?)|\bssn\b",
            1.0,
        ),
        (
            r"\bsv\s*-?\s*(?:nummer|nr\.?)|\bsozialversicherungs\s*-?\s*(?:nummer|nr\.?)|\brv\s*-?\s*nummer",
            1.0,
        ),
        (r"\bn[°º]\s*(?:de\s*)?s[ée]curit[ée]\s*sociale\b|\bn[°º]\s*ss\b|\bnir\b", 1.0),
        (r"\bn[°º]\s*(?:de\s*)?(?:afiliaci[óo]n|seguridad\s*social)\b|\bnaf\b|\bnuss\b", 1.0),
        (r"\bsofi\s*-?\s*nummer\b", 1.0),
    ]
)
PERIOD = compile_labels(
    [
        (r"\b(?:pay|payroll|salary)?\s*period\b|\bpay\s*date\s*range\b", 1.0),
        (r"\b(?:abrechnungs\s*-?\s*)?(?:zeitraum|monat)\b", 1.0),
        (r"\bp[ée]riode(?:\s*de\s*paie)?\b|\bdu\b", 0.9),
        (r"\bperiodo(?:\s*de\s*liquidaci[óo]n)?\b", 1.0),
        (r"\b(?:loon\s*-?\s*)?periode\b", 1.0),
    ]
)
PAYMENT_DATE = compile_labels(
    [
        (r"\b(?:payment|pay)\s*date\b|\bpaid\s*on\b|\bdate\s*paid\b", 1.0),
        (r"\bauszahlungs\s*-?\s*datum\b|\bzahltag\b|\bzahlungsdatum\b|\bausgezahlt\s*am\b", 1.0),
        (r"\bdate\s*de\s*(?:paiement|versement)\b|\bpay[ée]\s*le\b", 1.0),
        (r"\bfecha\s*de\s*(?:pago|abono)\b", 1.0),
        (r"\bbetaal\s*-?\s*datum\b|\buitbetaal\s*-?\s*datum\b", 1.0),
    ]
)
EARNINGS = re.compile(
    r"(?i)^\s*(?:earnings|payments|gross\s*pay\s*items|pay\s*elements|bez[üu]ge|verdienst|entgelt\s*bestandteile|"
    r"[ée]l[ée]ments\s*de\s*(?:salaire|r[ée]mun[ée]ration)|gains|r[ée]mun[ée]ration|devengos|percepciones|"
    r"inkomsten|verdiensten|uitbetalingen)\b"
)
DEDUCTIONS = re.compile(
    r"(?i)^\s*(?:deductions|abz[üu]ge|gesetzliche\s*abz[üu]ge|retenues|cotisations(?:\s*et\s*retenues)?|"
    r"deducciones|retenciones|inhoudingen)\b"
)
GROSS = compile_labels(
    [
        (r"\b(?:total\s*)?gross\s*(?:pay|salary|earnings|wages|total)?\b|\btotal\s*earnings\b", 1.0),
        (
            r"\b(?:gesamt\s*-?\s*)?brutto(?:\s*-?\s*(?:entgelt|gehalt|lohn|bez[üu]ge))?\b|\bbruttoentgelt\b",
            1.0,
        ),
        (r"\b(?:salaire|total)\s*brut\b|\bbrut\s*total\b", 1.0),
        (r"\btotal\s*devengado\b|\bsalario\s*bruto\b|\bbruto\b", 1.0),
        (r"\bbruto\s*-?\s*(?:loon|salaris)\b|\btotaal\s*bruto\b|\bbrutoloon\b", 1.0),
    ]
)
NET = compile_labels(
    [
        (r"\bnet\s*(?:pay|salary|wages|amount)\b|\btake\s*-?\s*home\s*pay\b|\bamount\s*paid\b", 1.0),
        (
            r"\bauszahlungs\s*-?\s*betrag\b|\bnetto\s*-?\s*(?:entgelt|gehalt|lohn|verdienst|bez[üu]ge)\b|\bnetto\b",
            1.0,
        ),
        (r"\bnet\s*[àa]\s*payer\b|\bsalaire\s*net\b|\bnet\s*pay[ée]\b", 1.0),
        (r"\bl[íi]quido\s*(?:total\s*)?a\s*percibir\b|\bsalario\s*neto\b|\bneto\s*a\s*pagar\b", 1.0),
        (r"\bnetto\s*-?\s*(?:loon|salaris|uit\s*te\s*betalen)\b|\bnettoloon\b|\buit\s*te\s*betalen\b", 1.0),
    ]
)
TOTAL_DEDUCTIONS = re.compile(
    r"(?i)\b(?:total\s*deductions|summe\s*(?:der\s*)?abz[üu]ge|gesamt\s*abz[üu]ge|total\s*(?:des\s*)?retenues|"
    r"total\s*(?:des\s*)?cotisations|total\s*a\s*deducir|total\s*deducciones|totaal\s*inhoudingen)\b"
)
INCOME_TAX = re.compile(
    r"(?i)\b(?:income\s*tax|paye(?:\s*tax)?|federal\s*(?:income\s*)?tax|withholding\s*tax|lohnsteuer|"
    r"einkommensteuer|imp[ôo]t\s*sur\s*le\s*revenu|pr[ée]l[èe]vement\s*[àa]\s*la\s*source|irpf|"
    r"retenci[óo]n\s*irpf|loonheffing|loonbelasting)\b"
)
SOCIAL = re.compile(
    r"(?i)(?:national\s*insurance|social\s*security|pension|medicare|fica|renten|kranken|pflege|"
    r"arbeitslosen|sozialversicherung|s[ée]curit[ée]\s*sociale|retraite|ch[ôo]mage|csg|crds|mutuelle|"
    r"contingencias|desempleo|formaci[óo]n\s*profesional|seguridad\s*social|pensioen|premie\s*w|zvw|wia|"
    r"werknemersverzekering)"
)
_SECTION_END = re.compile(
    r"(?i)^\s*(?:total|summe|gesamt|totaal|net|netto|brut|bruto|brutto|gross|l[íi]quido|auszahlung)"
)


def extract_payslip(doc: LoadedDocument, items: Any) -> dict[str, Any]:
    """The evidence tree of a payslip, shaped like `PayslipContent`."""
    ctx = build_context(doc, items)
    order = date_parser(ctx.date_order)
    employee_name = labelled(ctx, EMPLOYEE, name_parser, below=True)
    window = window_party(ctx)
    employer = issuer_party(ctx, window.words + (employee_name.words if employee_name else []))
    earnings = _section(ctx, EARNINGS, (DEDUCTIONS,))
    deductions = _section(ctx, DEDUCTIONS, (EARNINGS,))
    for d in deductions:
        if d["amount"].value is not None:
            d["amount"].value = abs(d["amount"].value)
    figures = amount_fields(ctx, {"gross": GROSS, "net": NET})
    gross = _strongest(figures["gross"])
    net = _strongest(figures["net"])
    period = labelled(ctx, PERIOD, date_range_parser(ctx.date_order))
    name_ev = ev(employee_name, 0.8) if employee_name else window.name
    return {
        "employer": {"name": employer.name, "address": employer.address, "tax_id": employer.tax_id},
        "employee": {
            "name": name_ev,
            "employee_number": ev(labelled(ctx, EMPLOYEE_NUMBER, id_parser)),
            "tax_id": ev(labelled(ctx, EMPLOYEE_TAX_ID, _spaced_id_parser)),
            "social_security_number": ev(labelled(ctx, SSN, _spaced_id_parser)),
            "iban": first_iban(ctx, 0.85),
        },
        "period_from": Evidence.from_words(period.value[0], period.words, 0.8) if period else Evidence(None),
        "period_to": Evidence.from_words(period.value[1], period.words, 0.8) if period else Evidence(None),
        "payment_date": ev(labelled(ctx, PAYMENT_DATE, order)),
        "currency": Evidence(ctx.currency, raw=ctx.currency, confidence=ctx.currency_confidence),
        "language": Evidence(ctx.language, confidence=ctx.language_confidence),
        "earnings": earnings,
        "deductions": deductions,
        "gross_salary": ev(gross, 0.85),
        "net_salary": ev(net, 0.85),
        "tax_amount": _sum_of(deductions, INCOME_TAX),
        "social_security_amount": _sum_of(deductions, SOCIAL),
        "notes": Evidence(None),
    }


def _strongest(cands: list[Candidate]) -> Candidate | None:
    """The strongest labelled figure; the lowest on the page among equals (summary lines come last)."""
    return max(cands, key=lambda c: (round(c.score, 6), c.page, c.y), default=None)


def _spaced_id_parser(text: str) -> tuple[str, int, int] | None:
    """An identifier that may be printed in groups ("12 345678 A123", "AB 12 34 56 C"), as printed."""
    m = re.match(r"\s*([A-Z0-9][A-Z0-9./\-]*(?: [A-Z0-9./\-]+){0,4})", text)
    if not m or sum(c.isdigit() for c in m.group(1)) < 4:
        return id_parser(text)
    return m.group(1).strip(), m.start(1), m.end(1)


def _section(ctx: DocContext, heading: re.Pattern[str], others: tuple[re.Pattern[str], ...]) -> list[dict]:
    """Lines "description ... amount" under a section heading, within the heading's column."""
    out: list[dict[str, Evidence]] = []
    hint = ctx.decimal_hint
    for page, lines in enumerate(ctx.lines):
        for li, line in enumerate(lines):
            seg = next((s for s in line.segments if heading.match(s.text)), None)
            if seg is None:
                continue
            x_right = min(
                (s.x0 for s in line.segments if s.x0 > seg.x1 and any(o.match(s.text) for o in others)),
                default=ctx.page_width(page) + 1,
            )
            for below in lines[li + 1 :]:
                words = [w for w in below.words if seg.x0 - 5 <= w.x0 < x_right - 1]
                if not words:
                    continue
                text = " ".join(w.text for w in words)
                if (
                    _SECTION_END.match(text)
                    or TOTAL_DEDUCTIONS.search(text)
                    or _is_figure(text)
                    or any(o.match(text) for o in (*others, heading))
                ):
                    break
                found = find_amounts(text, hint)
                if not found:
                    continue
                value, s, e = found[-1]
                desc = text[: found[0][1]].strip(" .:")
                if not re.search(r"[A-Za-zÀ-ÿ]{2}", desc):
                    continue
                desc_words = words_span(words, 0, len(desc))
                out.append(
                    {
                        "description": Evidence.from_words(desc, desc_words, 0.8, raw=desc),
                        "amount": Evidence.from_words(value, words_span(words, s, e), 0.85, raw=text[s:e]),
                    }
                )
            break
    return out


def _is_figure(text: str) -> bool:
    """A gross or net line closes a section (it is a result, not a component)."""
    return any(p.search(text) for labels in (GROSS, NET) for p, _ in labels)


def _sum_of(rows: list[dict[str, Evidence]], pattern: re.Pattern[str]) -> Evidence:
    """The total of the deduction lines whose description matches `pattern` (income tax, social
    security), with the evidence of the first; null when none does."""
    hits = [
        r
        for r in rows
        if r["description"].value
        and (pattern.search(fold(r["description"].value)) or pattern.search(r["description"].value))
    ]
    if not hits:
        return Evidence(None)
    total = sum((Decimal(str(r["amount"].value)) for r in hits if r["amount"].value is not None), Decimal(0))
    first = hits[0]["amount"]
    conf = first.confidence if len(hits) == 1 else 0.7
    return Evidence(
        total,
        raw=None if len(hits) > 1 else first.raw,
        confidence=conf,
        page=first.page if len(hits) == 1 else None,
        bbox=first.bbox if len(hits) == 1 else None,
    )
