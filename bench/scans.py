"""Known-text pages and the scanner/phone damage that OCR has to survive.

`known_text_page` renders invoice-like text (names and addresses with accents, amounts, dates)
with PyMuPDF so the benchmarks know the exact text; `degrade` turns a clean rendering into what a
cheap scanner delivers: 150-300 dpi, up to +-2 degrees of skew, blur, noise, JPEG artefacts and,
for some pages, a 90/180/270 degree turn; `photograph` into what a phone delivers: the sheet lying
on a desk, seen at an angle (perspective), turned a few degrees, lit unevenly. All are
deterministic per seed so a benchmark run can be repeated exactly.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from typing import NamedTuple

import cv2
import numpy as np
import pymupdf
from PIL import Image, ImageFilter, TiffImagePlugin
from PIL.ExifTags import IFD, Base

from pipeline.load import FILM_DIAGONAL_MM

A4 = (595.0, 842.0)

_FIRST = ["Müller", "Søren", "José", "François", "Jürgen", "Hélène", "Anna", "Peter", "Zoë", "Iñigo",
          "Björn", "Jan", "Chloé", "Mark", "Lucía", "Maarten", "Renée", "Günther", "Ana", "Sarah"]
_COMPANY = ["Müller & Söhne GmbH", "Café Crème SARL", "Señor Niño S.L.", "Groß Bäckerei KG",
            "Hoogeveen Techniek B.V.", "Acme Supplies Ltd", "Château Forêt SAS", "Peñalver Hermanos SA",
            "Weiß Elektro GmbH", "Northwind Traders Inc", "Brouwerij de Kroon B.V.", "Garçon & Cie"]
_STREET = ["Hauptstraße", "Rue de la Paix", "Calle Mayor", "Königsallee", "Kerkstraat", "Main Street",
           "Avenue des Champs-Élysées", "Schloßweg", "Plaza de España", "Müllerstraße", "Öhringer Weg"]
_CITY = ["München", "Zürich", "Besançon", "Málaga", "Den Haag", "London", "Köln", "Genève", "Düsseldorf",
         "A Coruña", "Nürnberg", "Orléans"]
_ITEMS = ["Beratung Projektphase", "Schrauben verzinkt", "Café moulu 1 kg", "Lámpara de pie",
          "Kantoorstoel zwart", "Consulting hours", "Gebühr für Überweisung", "Crème hydratante",
          "Tornillos de acero", "Delivery charge", "Wartungsvertrag März", "Pièces détachées"]
_FONTS = ["helv", "tiro", "cour"]


@dataclass(frozen=True, slots=True)
class KnownPage:
    """A clean page image and the exact text lines printed on it, top to bottom."""

    image: Image.Image
    lines: list[str]
    dpi: int


def invoice_lines(rng: random.Random) -> list[str]:
    """About 30 invoice-like text lines in mixed European languages."""
    company = rng.choice(_COMPANY)
    lines = [
        company,
        f"{rng.choice(_STREET)} {rng.randint(1, 180)}",
        f"{rng.randint(10000, 99999)} {rng.choice(_CITY)}",
        f"Rechnung Nr. RE-{rng.randint(2019, 2025)}-{rng.randint(100, 9999):04d}",
        f"Datum: {rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(2019, 2025)}",
        f"Kunde: {rng.choice(_FIRST)} {rng.choice(_FIRST)}",
        f"{rng.choice(_STREET)} {rng.randint(1, 99)}, {rng.choice(_CITY)}",
        "Pos Beschreibung Menge Preis Betrag",
    ]
    subtotal = 0.0
    for pos in range(1, rng.randint(8, 14)):
        qty = rng.randint(1, 20)
        price = rng.randint(100, 99999) / 100
        total = round(qty * price, 2)
        subtotal += total
        lines.append(f"{pos} {rng.choice(_ITEMS)} {qty} {price:,.2f} {total:,.2f}")
    tax = round(subtotal * 0.19, 2)
    lines += [
        f"Zwischensumme {subtotal:,.2f} EUR",
        f"MwSt 19% {tax:,.2f} EUR",
        f"Gesamtbetrag {subtotal + tax:,.2f} EUR",
        f"IBAN DE{rng.randint(10, 99)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)} "
        f"{rng.randint(1000, 9999)} {rng.randint(1000, 9999)} {rng.randint(10, 99)}",
        f"Zahlbar bis {rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(2019, 2025)} "
        "ohne Abzug",
        f"Vielen Dank für Ihren Auftrag, {rng.choice(_FIRST)}!",
    ]
    return lines


def render_lines(
    lines: list[str], dpi: int, rng: random.Random, size: tuple[float, float] = A4
) -> Image.Image:
    """Print `lines` on a white page with PyMuPDF and rasterise it at `dpi`."""
    doc = pymupdf.open()
    page = doc.new_page(width=size[0], height=size[1])
    font = rng.choice(_FONTS)
    fontsize = rng.choice([9.5, 10.0, 11.0])
    y = 60.0
    for line in lines:
        page.insert_text((50, y), line, fontname=font, fontsize=fontsize)
        y += fontsize * 2.0
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csRGB)
    img = Image.open(io.BytesIO(pix.tobytes("png"))).convert("RGB")
    doc.close()
    return img


def known_text_page(seed: int, dpi: int | None = None) -> KnownPage:
    """An A4 invoice-like page with known text, at `dpi` (random 150-300 when None)."""
    rng = random.Random(seed)
    dpi = dpi or rng.choice([150, 200, 250, 300])
    lines = invoice_lines(rng)
    return KnownPage(image=render_lines(lines, dpi, rng), lines=lines, dpi=dpi)


def degrade(img: Image.Image, seed: int, turn: int | None = None, skew: float | None = None) -> Image.Image:
    """A scanned version of `img`: skew, blur, noise, JPEG artefacts, maybe a turn.

    `turn` (0/90/180/270, counter-clockwise, the way the page lies on the scanner) and `skew`
    (degrees) are drawn from the seed when None: one page in four is turned.
    """
    rng = random.Random(seed)
    if turn is None:
        turn = rng.choice([0, 0, 0, 0, 0, 0, 90, 180, 270]) if rng.random() < 0.35 else 0
    if skew is None:
        skew = rng.uniform(-2.0, 2.0)
    out = img.convert("L").rotate(skew, resample=Image.BICUBIC, expand=True, fillcolor=255)
    out = out.filter(ImageFilter.GaussianBlur(radius=rng.uniform(0.3, 1.0)))
    arr = np.asarray(out, dtype=np.float32)
    nrng = np.random.default_rng(seed)
    arr = arr * rng.uniform(0.85, 1.0) + rng.uniform(0, 25)  # grey paper, less contrast
    arr += nrng.normal(0, rng.uniform(4, 12), arr.shape)
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    if turn:
        out = out.rotate(turn, expand=True)
    return _jpeg(out, rng.randint(35, 75))


def _jpeg(img: Image.Image, quality: int) -> Image.Image:
    """`img` as it comes back from being saved as a JPEG of `quality`: its artefacts baked in."""
    buf = io.BytesIO()
    img.convert("RGB").save(buf, format="JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


# Desk colours a sheet is photographed on (RGB): dark and mid wood, grey laminate, a dark cloth, a
# light oak; and light ones, nearly as light as the paper (6-20 % darker under the same light):
# white and light grey laminate, maple, white-painted wood, a beige mat.
_DESKS = ((92, 62, 40), (140, 104, 70), (118, 118, 112), (45, 44, 50), (170, 150, 118))
_LIGHT_DESKS = ((232, 230, 224), (214, 213, 208), (226, 210, 180), (240, 236, 226), (222, 216, 200))


def photograph(img: Image.Image, seed: int, turn: int | None = None, shadow: bool = False,
               light_desk: bool = False, cropped: bool = False) -> Image.Image:
    """A phone photo of the printed page `img`: the sheet flat on a desk, seen by a pinhole camera
    tilted towards it (pitch up to 20 degrees, yaw up to 10: the far edge shorter and the sheet
    foreshortened, as a true perspective does) and turned up to 8 degrees, with a margin of desk
    around it, light falling off across it, slight defocus, sensor noise and JPEG compression.

    `turn` (0/90/180/270, counter-clockwise) is drawn from the seed when None: one photo in five is
    taken holding the phone sideways or the sheet upside down. `shadow`: the shadow of the hand or
    phone falls across part of the photo (`cast_shadow`), drawn from its own stream of the seed so
    that the photo is otherwise the same as without it. `light_desk`: the desk is one of the light
    ones (white, light grey, maple), likewise from its own stream. `cropped`: framed tightly, the
    sheet, off the camera's axis, runs out of the photo on one or two sides (`tight_frame`),
    likewise.
    """
    rng = random.Random(seed)
    if turn is None:
        turn = rng.choice([90, 180, 270]) if rng.random() < 0.2 else 0
    page = np.asarray(img.convert("RGB"), dtype=np.float32)
    h, w = page.shape[:2]
    dst, (cw, ch), (left, top, right, bottom), focal = framing(page, seed, rng, cropped)
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(src, dst)
    sheet = cv2.warpPerspective(page, matrix, (cw, ch), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.ones((h, w), np.float32), matrix, (cw, ch), flags=cv2.INTER_LINEAR)
    mask = mask[..., None]
    nrng = np.random.default_rng(seed)
    desk = np.array(rng.choice(_DESKS), dtype=np.float32) * rng.uniform(0.85, 1.1)
    if light_desk:
        drng = random.Random(f"desk {seed}")
        desk = np.array(drng.choice(_LIGHT_DESKS), dtype=np.float32) * drng.uniform(0.94, 1.03)
    desk = desk + nrng.normal(0, 6, (ch // 8 + 1, cw // 8 + 1, 1)).astype(np.float32)
    desk = cv2.resize(desk, (cw, ch), interpolation=cv2.INTER_LINEAR)
    out = sheet * mask + desk * (1 - mask)
    gx, gy = np.meshgrid(np.linspace(-1, 1, cw, dtype=np.float32), np.linspace(-1, 1, ch, dtype=np.float32))
    direction = rng.uniform(0, 2 * np.pi)
    falloff = rng.uniform(0.15, 0.35)  # the darker side this much dimmer than the lighter
    light = 1 - falloff * (0.5 + 0.5 * (gx * np.cos(direction) + gy * np.sin(direction)) / np.sqrt(2))
    out = out * light[..., None] * rng.uniform(0.85, 1.0)
    if shadow:
        out = out * cast_shadow(cw, ch, random.Random(f"shadow {seed}"))
    out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.5, 1.2))
    out += nrng.normal(0, rng.uniform(2, 6), out.shape)
    out = out[top:bottom, left:right]
    photo = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
    if turn:
        photo = photo.rotate(turn, expand=True)
    photo = _jpeg(photo, rng.randint(60, 90))
    photo.info["exif"] = camera_exif(focal, photo.width, photo.height).tobytes()
    return photo


def camera_exif(focal: float, width: int, height: int) -> Image.Exif:
    """The EXIF a phone writes with a width x height photo taken at `focal` (pixels): the focal
    length as a 35 mm equivalent (whole millimetres, over the diagonal) and the photo's size."""
    exif = Image.Exif()
    ifd = exif.get_ifd(IFD.Exif)
    ifd[Base.FocalLengthIn35mmFilm] = round(focal / np.hypot(width, height) * FILM_DIAGONAL_MM)
    ifd[Base.ExifImageWidth], ifd[Base.ExifImageHeight] = width, height
    return exif


def cast_shadow(width: int, height: int, rng: random.Random) -> np.ndarray:
    """Factors (height x width x 3) by which a shadow dims a photo: an occluder's shadow (the hand
    or the phone held over the sheet) entering from one side, its edge a wide arc, covering 10-45 %
    of the photo, 25-55 % darker, its penumbra 1-6 % of the photo's long side wide, a little bluer
    than the lit part (lit by the room, not the lamp). Shadows cross the sheet's edge and its print
    alike; the sheet's outline and the paper's brightness must be found through them."""
    side = max(width, height)
    angle = rng.uniform(0, 2 * np.pi)  # the direction the shadow comes in from
    radius = rng.uniform(1.0, 3.0) * side  # of the arc its edge follows
    share = rng.uniform(0.10, 0.45)  # of the photo's extent along that direction under the shadow
    direction = np.array([np.cos(angle), np.sin(angle)])
    reach = abs(direction[0]) * width / 2 + abs(direction[1]) * height / 2  # centre to the edge
    edge = reach - 2 * share * reach  # the arc's middle, from the centre towards the shadow's side
    cx, cy = np.array([width / 2, height / 2]) + direction * (edge + radius)
    gx, gy = np.meshgrid(np.arange(width, dtype=np.float32), np.arange(height, dtype=np.float32))
    inside = radius - np.sqrt((gx - cx) ** 2 + (gy - cy) ** 2)  # > 0 under the shadow, in pixels
    penumbra = rng.uniform(0.01, 0.06) * side
    cover = 1 / (1 + np.exp(-inside * 4 / penumbra))
    depth = rng.uniform(0.25, 0.55)
    tint = np.array([1.0 - rng.uniform(0, 0.06), 1.0, 1.0 + rng.uniform(0, 0.04)], np.float32)
    return 1 - depth * cover[..., None] * (2 - tint)  # RGB: red dimmed a little more, blue less


class Framing(NamedTuple):
    """A photo's geometry (`framing`)."""

    corners: np.ndarray  # where the page's corners (tl, tr, br, bl) fall before the photo is cropped
    size: tuple[int, int]  # the photo's (width, height) then
    box: tuple[int, int, int, int]  # the part of it kept (left, top, right, bottom)
    focal: float  # the camera's focal length, in pixels


def framing(page: np.ndarray, seed: int, rng: random.Random, cropped: bool) -> Framing:
    """A photo's geometry: where the corners of `page` (h x w x 3) fall in it before it is cropped
    (`framed_corners`, drawn from `rng`), its size then, the camera's focal length, and the part of
    it kept: all of it, or with `cropped` a `tight_frame` about a sheet lying off the camera's axis,
    both drawn from the seed's own stream. Tests replay a photo's geometry with it (with `turn=0`
    and `rng` a fresh `random.Random(seed)`)."""
    h, w = page.shape[:2]
    crop = random.Random(f"crop {seed}")
    offset = (crop.uniform(-0.12, 0.12), crop.uniform(-0.12, 0.12)) if cropped else (0.0, 0.0)
    corners, (cw, ch), focal = framed_corners(w, h, rng, offset)
    if not cropped:
        return Framing(corners, (cw, ch), (0, 0, cw, ch), focal)
    matrix = cv2.getPerspectiveTransform(np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32), corners)
    return Framing(corners, (cw, ch), tight_frame(page, matrix, (cw, ch), crop), focal)


def tight_frame(page: np.ndarray, matrix: np.ndarray, size: tuple[int, int],
                rng: random.Random) -> tuple[int, int, int, int]:
    """A tighter frame (left, top, right, bottom) about the middle of a cw x ch photo of `page`
    (mapped into it by `matrix`), so that the sheet runs out of it on one side or two (a corner
    cut off, or a whole side) but nothing printed does: across, along, or both, the frame's
    half-extent is the print's reach from the middle plus 10-70 % of the way on to the sheet's.
    A photo framed as a user frames a document; about the middle, as a closer camera frames
    it (its principal point stays the photo's middle), and the print kept whole so that the
    truth still holds."""
    cw, ch = size
    ink = np.argwhere(page.min(axis=2) < 200)
    (y0, x0), (y1, x1) = ink.min(axis=0), ink.max(axis=0) + 1
    h, w = page.shape[:2]
    sheet = cv2.perspectiveTransform(np.array([[[0, 0], [w, 0], [w, h], [0, h]]], np.float32), matrix)[0]
    print_ = cv2.perspectiveTransform(np.array([[[x0, y0], [x1, y0], [x1, y1], [x0, y1]]], np.float32),
                                      matrix)[0]
    middle = np.array([cw / 2, ch / 2])
    half = middle.copy()
    for axis in rng.choice([(0,), (1,), (0, 1)]):
        inked = np.abs(print_[:, axis] - middle[axis]).max()
        reach = min(np.abs(sheet[:, axis] - middle[axis]).max(), middle[axis])
        half[axis] = inked + rng.uniform(0.1, 0.7) * max(0.0, reach - inked)
    (left, top), (right, bottom) = np.round(middle - half).astype(int), np.round(middle + half).astype(int)
    return int(left), int(top), int(right), int(bottom)


def framed_corners(w: int, h: int, rng: random.Random,
                   offset: tuple[float, float] = (0.0, 0.0)) -> tuple[np.ndarray, tuple[int, int], float]:
    """Where a w x h page's corners (tl, tr, br, bl) fall in its photo, the photo's size (width,
    height) and the camera's focal length (pixels): a margin of desk of 7-16 % drawn from `rng`,
    then `camera_corners` (the sheet `offset` from the camera's axis); `framing` calls it."""
    margin = rng.uniform(0.07, 0.16)
    cw, ch = round(w * (1 + 2 * margin)), round(h * (1 + 2 * margin))
    corners, focal = camera_corners(w, h, cw, ch, margin, rng, offset)
    return corners, (cw, ch), focal


def camera_corners(w: int, h: int, cw: int, ch: int, margin: float, rng: random.Random,
                   offset: tuple[float, float] = (0.0, 0.0)) -> tuple[np.ndarray, float]:
    """Where a w x h sheet's corners (tl, tr, br, bl) fall in a cw x ch photo taken by a pinhole
    camera (focal length 0.9-1.4 times the photo's long side, principal point at its centre) tilted
    and turned at random, the view then scaled about the centre (a change of focal length) so the
    corner reaching furthest leaves `margin` of desk. `offset`: the sheet lies that share of its
    width and height off the camera's axis (not centred under the phone); and the focal length
    after that scaling (pixels)."""
    pitch, yaw, roll = (np.deg2rad(rng.uniform(-a, a)) for a in (20.0, 10.0, 8.0))
    rx = np.array([[1, 0, 0], [0, np.cos(pitch), -np.sin(pitch)], [0, np.sin(pitch), np.cos(pitch)]])
    ry = np.array([[np.cos(yaw), 0, np.sin(yaw)], [0, 1, 0], [-np.sin(yaw), 0, np.cos(yaw)]])
    rz = np.array([[np.cos(roll), -np.sin(roll), 0], [np.sin(roll), np.cos(roll), 0], [0, 0, 1]])
    focal = rng.uniform(0.9, 1.4) * max(cw, ch)
    sheet = np.array([[-w / 2, -h / 2, 0], [w / 2, -h / 2, 0], [w / 2, h / 2, 0], [-w / 2, h / 2, 0]])
    sheet = np.add(sheet, [offset[0] * w, offset[1] * h, 0])
    world = sheet @ (rz @ ry @ rx).T + [0, 0, focal]
    image = focal * world[:, :2] / world[:, 2:3]
    reach = min((cw / 2) / np.abs(image[:, 0]).max(), (ch / 2) / np.abs(image[:, 1]).max())
    fit = reach / (1 + margin)  # the corner that reaches furthest leaves `margin` of the half photo
    return (image * fit + [cw / 2, ch / 2]).astype(np.float32), float(focal * fit)


def to_png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


class _TiffWithExif(TiffImagePlugin.AppendingTiffWriter):
    """Pillow's writer of multi-page TIFFs, moving each page's EXIF offset (tag 34665) too: it left
    them pointing into the first page's EXIF."""

    Tags = TiffImagePlugin.AppendingTiffWriter.Tags | {IFD.Exif}


def scan_pdf(pdf: bytes, seed: int, dpi: int | None = None, turns: bool = True, photos: bool = False,
             shadows: bool = False, light_desks: bool = False, cropped: bool = False) -> bytes:
    """A PDF as a scanner would return it: every page rendered (150-300 dpi), degraded, and the
    pages saved as one multi-page TIFF (JPEG-damaged pixels, no text layer). `photos`: each page
    photographed instead (`photograph`; rendered at 200-300 dpi, a phone's resolution), `shadows`
    with a shadow across each photo, `light_desks` on a light desk, `cropped` framed so tightly that
    the sheet runs out of the photo.

    This is the hook for a scans mode of bench/accuracy.py: feed `scan_pdf(path.read_bytes(), i)`
    to `process_document` in place of the PDF and score against the same truth.
    """
    rng = random.Random(seed)
    dpi = dpi or rng.choice([200, 250, 300] if photos else [150, 200, 250, 300])
    doc = pymupdf.open(stream=pdf, filetype="pdf")
    frames = []
    for index, page in enumerate(doc):
        pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csRGB)
        clean = Image.open(io.BytesIO(pix.tobytes("png"))).convert("RGB")
        turn, frame_seed = None if turns else 0, seed * 1000 + index
        if photos:
            frames.append(photograph(clean, frame_seed, turn=turn, shadow=shadows, light_desk=light_desks,
                                     cropped=cropped))
        else:
            frames.append(degrade(clean, frame_seed, turn=turn))
    doc.close()
    buf = io.BytesIO()
    if not photos:
        frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:],
                       compression="tiff_deflate")
        return buf.getvalue()
    # a frame at a time, each with its camera's EXIF (`camera_exif`), which only Pillow's own
    # (uncompressed) TIFF writer writes
    with _TiffWithExif(buf) as tiff:
        for frame in frames:
            frame.save(tiff, format="TIFF", tiffinfo={IFD.Exif: dict(frame.getexif().get_ifd(IFD.Exif))})
            tiff.newFrame()
    return buf.getvalue()
