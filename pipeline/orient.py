"""Page orientation: which way the text lines run, and the small skew of a scan.

Why projection profiles: text lines are dense bands of ink separated by blank leading, so the
histogram of ink projected onto the axis across the lines is far more concentrated than the one
along them, and most concentrated at exactly the skew angle. Projecting the ink *coordinates*
(instead of rotating the image for each candidate angle) makes a 60-angle search on a downscaled
page cost a few milliseconds.

The profile cannot tell upright from upside down (both are the same bands), so this module only
decides the text axis (0 or 90 degrees) and the skew; `pipeline.ocr` settles 0 against 180 with
the recogniser's confidence, which does know which way letters face.

Conventions: `skew` is the angle in degrees the content is turned counter-clockwise as seen on
screen; correcting turns it back clockwise. Quarter turns are clockwise degrees applied to the image
to make it upright, which is what `Page.orientation` reports.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

_WORK_SIDE = 1000  # longest side of the downscaled copy the estimates run on
_MAX_SKEW = 4.0  # degrees searched either way
_STEP = 0.25
_MIN_INK_POINTS = 50
_SHARPER = 4.0  # times the other way's sharpness: the lines run this way, whatever the gaps say


@dataclass(frozen=True, slots=True)
class Layout:
    """What the profiles say about a page: the quarter turn that makes lines horizontal, and skew."""

    turn: int  # 0 or 90 (clockwise degrees to apply before the skew correction)
    skew: float  # degrees, counter-clockwise, of the content after `turn`
    score: float  # concentration of the best profile; 0 for a blank page


def ink_points(grey: np.ndarray, work_side: int = _WORK_SIDE) -> np.ndarray:
    """(y, x) coordinates of dark pixels of a downscaled, Otsu-binarised copy of `grey`."""
    h, w = grey.shape[:2]
    scale = min(1.0, work_side / max(h, w))
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    small = cv2.resize(grey, size, interpolation=cv2.INTER_AREA)
    _, binary = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if binary.mean() > 127:  # white text on dark paper, or a blank page: Otsu picked the wrong side
        binary = 255 - binary
    binary[_desk(binary)] = 0
    ys, xs = np.nonzero(binary)
    return np.stack([ys, xs], axis=1).astype(np.float32)


_SOLID = 0.02  # share of the copy's long side: dark regions at least this thick are no print


def _desk(binary: np.ndarray) -> np.ndarray:
    """Where `binary`'s dark (255) pixels are solid regions `_SOLID` thick or more reaching the
    image's edge: the desk beside a photographed sheet whose outline was not found (it runs out of
    the photo on three sides), not print. Why: such a strip down the side of the page puts ink in
    every row, so the rows' profile had no gaps and the page was taken to lie sideways (mustang's
    invoice on cropped seed 71, read as gibberish)."""
    side = max(3, round(_SOLID * max(binary.shape)))
    solid = cv2.morphologyEx(binary, cv2.MORPH_OPEN, np.ones((side, side), np.uint8))
    count, labels = cv2.connectedComponents(solid)
    if count <= 1:
        return np.zeros(binary.shape, dtype=bool)
    edge = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    desk = np.isin(labels, edge[edge > 0]).astype(np.uint8)
    return cv2.dilate(desk, np.ones((5, 5), np.uint8)) > 0


def _profile(coords: np.ndarray) -> np.ndarray:
    return np.bincount((coords - coords.min()).astype(np.int64)).astype(np.float64)


def sharpness(coords: np.ndarray) -> float:
    """Sum of squared steps of the profile: largest when line edges fall in single bins (no skew)."""
    steps = np.diff(_profile(coords))
    return float(np.dot(steps, steps)) / float(len(coords)) ** 2


def gap_share(coords: np.ndarray) -> float:
    """Share of (almost) empty bins: the leading between text lines, absent across the lines."""
    hist = _profile(coords)
    busy = np.percentile(hist[hist > 0], 75)
    return float((hist < 0.1 * busy).mean())


def _rows(points: np.ndarray, angle: float) -> np.ndarray:
    a = np.deg2rad(angle)
    return points[:, 0] * np.cos(a) + points[:, 1] * np.sin(a)


def _to_turned(points: np.ndarray) -> np.ndarray:
    """(y, x) points as they lie after a clockwise quarter turn (up to a shift)."""
    return np.stack([points[:, 1], -points[:, 0]], axis=1)


def estimate_layout(grey: np.ndarray) -> Layout:
    """The quarter turn (0/90) that makes text lines horizontal, and the remaining skew.

    The turn whose profile (at its sharpest angle) has the larger share of empty bins, the leading
    between lines; but where one way's profile is `_SHARPER` times the sharper, that way: a page of
    ruled boxes packed edge to edge (akretion's) has rows with few gaps and columns with wide
    margins, and a photo of it with its desk left out (`_desk`) was turned a quarter (cropped seed
    83), while its rows' profile was 7 times the sharper. On 512 pages (scans, photos, each also
    turned a quarter) the right way was always at least 3 times the sharper."""
    points = ink_points(grey)
    if len(points) < _MIN_INK_POINTS:
        return Layout(turn=0, skew=0.0, score=0.0)
    if len(points) > 200_000:  # a subsample keeps the shape of the profile and the cost flat
        points = points[np.random.default_rng(0).choice(len(points), 200_000, replace=False)]
    angles = np.arange(-_MAX_SKEW, _MAX_SKEW + 1e-9, _STEP)
    ways = (points, _to_turned(points))  # as they lie, and turned a quarter
    seen = []  # per way: the profile's gap share and sharpness at its sharpest angle, the angle
    for pts in ways:
        sharp = [sharpness(_rows(pts, a)) for a in angles]
        angle = float(angles[int(np.argmax(sharp))])
        seen.append((gap_share(_rows(pts, angle)), max(sharp), angle))
    (gaps0, sharp0, _), (gaps90, sharp90, _) = seen
    if sharp0 >= _SHARPER * sharp90 or sharp90 >= _SHARPER * sharp0:  # one way is far the sharper
        turn = 0 if sharp0 > sharp90 else 90
    else:
        turn = 90 if gaps90 > gaps0 else 0
    gaps, _, angle = seen[turn // 90]
    pts = ways[turn // 90]
    fine = np.arange(angle - _STEP, angle + _STEP + 1e-9, _STEP / 5)
    skew = float(fine[int(np.argmax([sharpness(_rows(pts, a)) for a in fine]))])
    return Layout(turn=turn, skew=round(skew, 2), score=round(gaps, 4))


def quarter_turn(img: np.ndarray, turn: int) -> np.ndarray:
    """`img` turned clockwise by `turn` degrees (a multiple of 90)."""
    turn %= 360
    if turn == 90:
        return cv2.rotate(img, cv2.ROTATE_90_CLOCKWISE)
    if turn == 180:
        return cv2.rotate(img, cv2.ROTATE_180)
    if turn == 270:
        return cv2.rotate(img, cv2.ROTATE_90_COUNTERCLOCKWISE)
    return img


def deskew(img: np.ndarray, skew: float, fill: int = 255) -> np.ndarray:
    """Turn the content back by `skew` degrees; the canvas grows so no corner is cut off."""
    if abs(skew) < 0.05:
        return img
    h, w = img.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), -skew, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w, new_h = round(h * sin + w * cos), round(h * cos + w * sin)
    matrix[0, 2] += new_w / 2 - w / 2
    matrix[1, 2] += new_h / 2 - h / 2
    border = (fill,) * (img.shape[2] if img.ndim == 3 else 1)
    return cv2.warpAffine(
        img, matrix, (new_w, new_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
        borderValue=border,
    )


def paper_colour(grey: np.ndarray) -> int:
    """The background grey level, used to fill the corners a deskew uncovers."""
    return int(np.percentile(grey[:: max(1, grey.shape[0] // 200), :: max(1, grey.shape[1] // 200)], 90))
