"""Which e-invoice standard and profile an XML follows.

The guideline URN (CII `GuidelineSpecifiedDocumentContextParameter/ID`, UBL `CustomizationID`)
names the profile; the generic EN 16931 URN is shared by Factur-X and ZUGFeRD 2.x, so the name of
the file embedded in the PDF breaks the tie (factur-x.xml, zugferd-invoice.xml, xrechnung.xml).
"""

from __future__ import annotations

from dataclasses import dataclass

# URN fragment -> level name; checked in order, first hit wins.
_LEVELS: list[tuple[str, str]] = [
    ("xrechnung", "xrechnung"),
    ("peppol.eu:2017:poacc:billing", "peppol-bis-3"),
    (":extended", "extended"),
    (":comfort", "comfort"),
    (":basicwl", "basic-wl"),
    (":basic", "basic"),
    (":minimum", "minimum"),
    ("urn:cen.eu:en16931:2017", "en16931"),
]


@dataclass(frozen=True, slots=True)
class Profile:
    """What the XML is: syntax (cii, ubl), standard (Factur-X, ZUGFeRD 2.x ...), level and raw URN."""

    syntax: str
    standard: str
    level: str | None
    guideline_id: str | None

    def to_json(self) -> dict[str, str | None]:
        return {
            "syntax": self.syntax,
            "standard": self.standard,
            "level": self.level,
            "guideline_id": self.guideline_id,
        }


def level_of(urn: str | None) -> str | None:
    if not urn:
        return None
    low = urn.lower()
    for fragment, level in _LEVELS:
        if fragment in low:
            return level
    return None


def detect_profile(syntax: str, urn: str | None, filename: str | None = None) -> Profile:
    """The profile of an XML in `syntax` ("cii", "zugferd1", "ubl") with guideline `urn`."""
    low = (urn or "").lower()
    name = (filename or "").lower()
    level = level_of(urn)
    if syntax == "zugferd1":
        standard = "ZUGFeRD 1.0"
    elif "xrechnung" in low or name == "xrechnung.xml":
        standard = "XRechnung"
    elif syntax == "ubl":
        standard = "PEPPOL BIS 3" if level == "peppol-bis-3" else "UBL 2.1"
    elif "zugferd.de:2p0" in low or name == "zugferd-invoice.xml":
        standard = "ZUGFeRD 2.0"
    elif "factur-x.eu" in low or name == "factur-x.xml":
        standard = "Factur-X / ZUGFeRD 2.1+"
    else:
        standard = "CII (EN 16931)" if level else "CII"
    return Profile(syntax="cii" if syntax == "zugferd1" else syntax, standard=standard, level=level,
                   guideline_id=urn)
