"""The evidence tree an e-invoice yields, and the `EmbeddedInvoice` that carries it.

The tree has exactly the shape of `pipeline.schemas.invoice.InvoiceContent` (nested dicts, lists of
dicts, `Evidence` leaves), so `pipeline.result` turns it into `content` and `fields` like any
visual extraction. XML values are what the sender's system declared: confidence 1.0, no page, no box.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, get_origin
from xml.etree.ElementTree import Element

from pydantic import BaseModel

from pipeline.einvoice.codes import REGISTRATION_BY_SCHEME
from pipeline.einvoice.profiles import Profile
from pipeline.einvoice.xmlnav import find_all
from pipeline.model import Evidence, LoadedDocument
from pipeline.result import FieldTree, build_contract
from pipeline.schemas.invoice import InvoiceContent, Registration

XML_CONFIDENCE = 1.0


def xml_evidence(value: Any, raw: str | None = None) -> Evidence:
    """A leaf read from XML: exact, so confidence 1.0 when present, 0.0 when the XML lacks it."""
    if value is None:
        return Evidence(value=None, raw=None, confidence=0.0)
    return Evidence(value=value, raw=raw if raw is not None else str(value), confidence=XML_CONFIDENCE)


def text_evidence(raw: str | None, value: Any = ...) -> Evidence:
    """`xml_evidence` of an element's text: the text itself, or `value` read from it (a code
    mapped to a kind, say) with the text kept as raw. Both XML readers build most leaves this way."""
    return xml_evidence(raw if value is ... else value, raw)


def legal_registrations(party: Element | None, path: str) -> list[FieldTree]:
    """The party's legal registrations at `path` (CII SpecifiedLegalOrganization/ID, UBL
    PartyLegalEntity/CompanyID): the same schemeID codes in both syntaxes, so one reading."""
    regs: list[FieldTree] = []
    for node in find_all(party, path):
        if node.text and node.text.strip():
            scheme = node.get("schemeID")
            kind = REGISTRATION_BY_SCHEME.get(scheme or "", "company number")
            value = text_evidence(node.text.strip())
            regs.append(item_tree(Registration, {"type": text_evidence(scheme, kind), "value": value}))
    return regs


def set_tax_flags(tree: FieldTree, categories: list[str | None], payable: Evidence) -> None:
    """`is_reverse_charge` from the VAT category codes ("AE" = reverse charge in both CII and UBL)
    and `is_paid` from the amount still payable, as both syntaxes state them."""
    if categories:
        reverse = "AE" in categories
        tree["is_reverse_charge"] = xml_evidence(reverse, ",".join(filter(None, categories)))
    if payable.value is not None and tree["total"].value:
        tree["is_paid"] = xml_evidence(payable.value == 0, payable.raw)


def empty_tree(model: type[BaseModel] = InvoiceContent) -> FieldTree:
    """Every field of `model`, null: nested models become dicts, lists stay empty."""
    tree: FieldTree = {}
    for name, info in model.model_fields.items():
        ann = info.annotation
        if get_origin(ann) is list:
            tree[name] = []
        elif isinstance(ann, type) and issubclass(ann, BaseModel):
            tree[name] = empty_tree(ann)
        elif name == "items_truncated":
            tree[name] = Evidence(value=False, raw=None, confidence=1.0)
        else:
            tree[name] = xml_evidence(None)
    return tree


def item_tree(model: type[BaseModel], values: dict[str, Evidence]) -> FieldTree:
    """One list entry (line item, tax rate ...) with every field of `model` present."""
    tree = empty_tree(model)
    tree.update(values)
    return tree


@dataclass(slots=True)
class EmbeddedInvoice:
    """An invoice read from CII or UBL XML: the evidence tree, what profile it follows, where from."""

    tree: FieldTree
    profile: Profile
    filename: str | None
    xml: bytes

    def metadata(self) -> dict[str, Any]:
        """What the lead puts into the result's `metadata`: the source and the profile found."""
        return {"source": "embedded_xml", "einvoice": {**self.profile.to_json(), "filename": self.filename}}

    def to_result(self, filename: str | None = None, started: float | None = None) -> dict[str, Any]:
        """The output contract for a bare XML upload: no pages, no boxes, every value exact."""
        doc = LoadedDocument(mime_type="application/xml", pages=[])
        kind = self.tree.get("document_kind")
        doc_type = "credit_note" if kind is not None and kind.value == "credit_note" else "invoice"
        return build_contract(
            doc,
            filename,
            doc_type,
            1.0,
            self.tree,
            [],
            processing_time=time.perf_counter() - started if started else 0.0,
            metadata={"detected_document_type": doc_type, **self.metadata()},
        )
