"""A photographed sheet: find the paper's four corners on the desk, flatten it to a rectangle,
and even out the light across it.

Why: a phone photo shows the sheet at an angle, so its text lines are neither parallel nor level
(the far edge is shorter), and a desk around it. Orientation and skew (`pipeline.orient`) turn the
whole image by one angle, which levels one line of such a photo but not the others, and the table
and line rules then see rows that drift across each other. Mapping the paper's outline back to a
rectangle makes the photo a scan.

How, on a copy about 800 pixels long: first from the sheet's four straight edges (`_edge_outline`):
a paper's edge is a step in brightness that runs straight the whole length of the sheet, with the
brighter side towards the sheet, however little darker the desk is (a white or light grey desk,
6-20 % darker than paper, which no split by brightness can tell from it). Edges are found in log
brightness (Canny, with thresholds low enough for a 5 % step), straight lines through them
(Hough), and each side of the sheet is the outermost long line whose brighter side faces the
middle and whose desk side is flat (a shadow's edge across the desk ramps), moved onto the edge
(where the step summed along it is largest: the outermost of the lines near an edge is tilted
across it); the four lines' corners are kept only where the step runs along at least 80 % of every
side and the desk beside each side is bare (next to no steps between neighbouring pixels: no
print, which a scanned page's margins have, or the rows below a line of print where the sheet runs
out of the photo). A band printed to the sheet's edge and darker than the desk (a coloured footer
on a light desk) turns the step the other way: its outer edge is then taken where the first
outline fails; a band as bright as the desk (blue on grey) has its outer edge found in colour,
where the distance from the desk's colour falls to the desk's (`_colour_band`). A sheet framed
so tightly that it runs out of the photo on one side or two has those sides drawn beyond the
frame from the others (`_cut_outline`): flattened with the sides the frame cuts it at, its rows
came out tilted. Where that fails too (a desk with clutter), the
paper is the large bright region: with the shading taken out first (`unshaded`: a hand's shadow makes
paper as dark as a desk), Otsu's threshold splits paper from desk, a closing fills the print, and
the largest outer contour's convex hull is simplified to a quadrilateral. Brightness
leaves out a dark band printed along the sheet's edge (a coloured footer), so the outline is taken
again from colour: everything further from the desk's colour than the desk varies; that outline
is used where it holds the bright one (where the outline came from edges, only where it is
wider: a mask's outline is the less exact).
An outline is used only where it is clearly a
sheet lying inside the photo: four corners, a convex shape whose angles are no more than 30
degrees off square, covering 20-95 % of the image (the part within it), found by brightness not
touching three or four image edges (then the paper fills the frame, as on a flatbed scan, and
there is nothing to flatten; found by edges a scan has already been told apart by its paper
border and the print beside its "sides"), and the contour filling its quadrilateral (a sheet,
not a blob). Otherwise the image is left as it is:
the page then goes through orientation and skew as before.

Light: a photo's paper is brighter where the lamp or window is (a quarter darker on the far side
is common), and the binarisations after this (orientation's profiles, the ink that words are
fitted to) use one threshold for the whole page, which then takes the dim side's paper for ink.
A shadow across the sheet does the same. `even_light` divides the flattened sheet by the light
that fell on it, found in the gradient domain as `unshaded` finds it.
"""

from __future__ import annotations

import cv2
import numpy as np

Line = tuple[float, float]  # (rho, theta), as cv2.HoughLines gives them

_WORK_SIDE = 800  # longest side of the copy the outline is found on
_MIN_AREA, _MAX_AREA = 0.20, 0.95  # share of the image the sheet may cover
_MIN_FILL = 0.93  # share of its quadrilateral the paper's contour must fill
_MAX_ANGLE_OFF = 30.0  # degrees a corner may be off square
_BORDER = 0.04  # share of the image's long side along its edges where the desk is sampled
_MIN_COLOUR_STEP = 20.0  # Lab units (8-bit) between a sheet's colour and its desk's, at least
_SAME_CORNER = 8.0  # pixels of the copy (1 %): two outlines' corners this close are the same corner
_EDGE = 0.01  # a corner this close to the image's edge (share of the side) touches it


def page_corners(img: np.ndarray, focal: float | None = None) -> np.ndarray | None:
    """The sheet's corners in `img` (RGB or grey; float32 (4, 2) x, y: top-left, top-right,
    bottom-right, bottom-left as seen), or None where the image shows no sheet lying inside it.
    `focal`: the camera's focal length in pixels of `img`, where the photo says (its EXIF:
    `pipeline.load`); a sheet that runs out of the photo is drawn with it (`_beyond_frame`)."""
    small = _small_copy(img, _WORK_SIDE)
    corners = _edge_outline(small, focal and focal * max(small.shape[:2]) / max(img.shape[:2]))
    edged = corners is not None
    if edged:
        smooth = cv2.GaussianBlur(small, (5, 5), 0)
        paper = np.zeros(small.shape[:2], np.uint8)
        cv2.fillConvexPoly(paper, np.round(corners).astype(np.int32), 255)
    else:  # the large bright region, with the shading taken out (module docstring)
        smooth = cv2.GaussianBlur(unshaded(small), (5, 5), 0)
        grey = cv2.cvtColor(smooth, cv2.COLOR_RGB2GRAY) if smooth.ndim == 3 else smooth
        _, paper = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        corners = _outline(paper)
        if corners is None:
            return None
    wider = _outline(_not_desk(smooth, paper))  # a dark band printed along the sheet's edge
    # Where the two are the same sheet, the one from straight edges is the more exact (a mask's
    # outline is a pixel or two off along each side); the one from colour is taken where it is wider.
    if wider is not None and _holds(wider, corners) and not (edged and _holds(corners, wider)):
        corners = wider
    (h, w), (sh, sw) = img.shape[:2], small.shape[:2]
    return corners * np.array([w / sw, h / sh], dtype=np.float32)


_DARKER_DESK = 0.05  # log brightness: the desk is at least 5 % darker than the paper (scans: under 3 %)
_CANNY = (0.005, 0.01)  # Canny's thresholds, log brightness a pixel (a 5 % step, blurred as here: 0.01)
_LINES = 400  # the strongest straight lines looked at (rows of print and rules make many)
_LINE = 0.2  # share of the copy's shorter side a straight line's edge pixels must add up to
_STEP_SEEN = 0.02  # log brightness the paper's side of an edge is brighter by, 3 pixels either side
_LINE_SUPPORT = 0.4  # share of a side's extent (its line within the image) the step runs along
_BAND_TURN = 3.0  # degrees a band's outer edge may turn from its inner one
_BAND = 0.02  # share of the copy's long side a band is wide at least (a line of print, a rule: less)
_SIDE_SUPPORT = 0.8  # share of each side of the sheet, corner to corner, the step runs along
_BARE_DESK = 0.005  # share of the desk's pixels beside a side that may be steps (`_STEP`)
_RAMP = 0.5  # share of a step by which the desk may still change beyond it (a shadow's edge: more)
_RAMP_OUT = 10  # pixels out from an edge to which the desk's change is looked at
_DESK_STRIP = (4, 40)  # pixels outside a side between which the desk beside it is looked at


def _edge_outline(small: np.ndarray, focal: float | None = None) -> np.ndarray | None:
    """The sheet's corners from its four straight edges (module docstring; or from two or three,
    the others beyond the photo's frame: `_cut_outline`, with the camera's `focal` length in pixels
    of `small` where known), or None where such edges with bare desk outside them are not found."""
    grey = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY) if small.ndim == 3 else small
    raw = _log_brightness(grey)
    if not _darker_border(raw):
        return None
    logs = cv2.GaussianBlur(raw, (0, 0), 2.0)
    scale = 4000.0  # Canny takes integer derivatives
    dx = (cv2.Sobel(logs, cv2.CV_32F, 1, 0, ksize=3) * (scale / 8)).astype(np.int16)
    dy = (cv2.Sobel(logs, cv2.CV_32F, 0, 1, ksize=3) * (scale / 8)).astype(np.int16)
    edges = cv2.Canny(dx, dy, _CANNY[0] * scale, _CANNY[1] * scale, L2gradient=True)
    h, w = grey.shape
    lines = cv2.HoughLines(edges, 1, np.pi / 360, round(_LINE * min(h, w)))
    if lines is None:
        return None
    rho, theta = lines[:_LINES, 0, 0], lines[:_LINES, 0, 1]
    steps, nearest, across = _steps_along(logs, rho, theta, sharp=True)
    level = np.abs(np.sin(theta)) > np.abs(np.cos(theta))  # nearer horizontal: a top or bottom side
    needed = _LINE_SUPPORT * np.where(level, w, h) / 2  # sample points: every 2 pixels
    supported = (np.count_nonzero(steps > _STEP_SEEN, axis=1) >= needed) & ~_along_frame(rho, theta, w, h)
    banded = np.count_nonzero(steps < -_STEP_SEEN, axis=1) >= needed  # darker inside
    side = np.where(level, np.where(nearest[:, 1] < h / 2, 0, 1), np.where(nearest[:, 0] < w / 2, 2, 3))
    distance = np.abs(across)
    outermost: dict[int, int] = {}  # top, bottom, left, right: the supported line furthest out
    for index in np.flatnonzero(supported):
        best = outermost.get(side[index])
        if best is None or distance[index] > distance[best]:
            outermost[side[index]] = index
    if len(outermost) < 2:
        return None
    steps_seen = cv2.magnitude(*_differences(cv2.GaussianBlur(raw, (0, 0), 1.0))) >= _STEP
    lines = {k: _refined(logs, rho[i], theta[i], nearest[i]) for k, i in outermost.items()}
    # A dark band printed to the sheet's edge (a coloured footer, darker than a light desk): the
    # line found is the band's inner edge, and the band left outside holds print. Its outer edge
    # is a line darker inside, parallel and further out.
    widened = dict(outermost)
    for index in np.flatnonzero(banded):
        if side[index] not in outermost:
            continue
        best = widened[side[index]]
        turn = abs(theta[index] - theta[outermost[side[index]]])
        parallel = min(turn, np.pi - turn) <= np.radians(_BAND_TURN)
        wide = distance[index] - distance[outermost[side[index]]] >= _BAND * max(h, w)
        if parallel and wide and distance[index] > distance[best]:
            widened[side[index]] = index
    bands = {k: _refined(logs, rho[i], theta[i], nearest[i], darker=True)
             for k, i in widened.items() if i != outermost[k]}
    tries = [(lines, False, ())] + ([({**lines, **bands}, True, ())] if bands else [])
    for tried, band, _ in tries:
        quad = _quadrilateral_of(tried, w, h) if len(tried) == 4 else None
        if quad is not None and _on_bare_desk(quad, logs, steps_seen, banded=band):
            return quad
    # A band as bright as the desk, told from it only by colour (a blue footer on a grey desk)
    unlike = _from_desk(small, cv2.GaussianBlur(raw, (0, 0), 1.0))
    coloured = {} if unlike is None else {
        k: band for k, i in outermost.items() if k not in bands
        and (band := _colour_band(unlike, rho[i], theta[i], nearest[i])) is not None}
    if coloured:
        tried = {**lines, **bands, **coloured}
        quad = _quadrilateral_of(tried, w, h) if len(tried) == 4 else None
        if quad is not None and _on_bare_desk(quad, logs, steps_seen, banded=True, unlike=unlike):
            return quad
        tries.append((tried, True, tuple(coloured)))
    # a side with no line along which the paper's step runs: the outermost straight line of print
    # on its side (aligned to its edges), where it runs out of the photo with no better cue to its
    # direction (`_beyond_frame`)
    faint: dict[int, int] = {}
    for index in np.flatnonzero(~_along_frame(rho, theta, w, h)):
        k = side[index]
        if k not in outermost and (k not in faint or distance[index] > distance[faint[k]]):
            faint[k] = index
    faint_lines = {k: _aligned(edges, rho[i], theta[i], nearest[i]) for k, i in faint.items()}
    for tried, band, by_colour in tries:  # a sheet that runs out of the photo
        quad = _cut_outline(tried, logs, steps_seen, banded=band, focal=focal,
                            unlike=unlike if by_colour else None, coloured=by_colour, faint=faint_lines)
        if quad is not None:
            return quad
    return None


_COLOUR_SEEN = 0.5  # a band's step in colour: half the bar for the desk's own spread (`_from_desk`)
_BAND_REACH = 0.25  # share of the copy's shorter side a band reaches out beyond its inner edge, at most
_SPREAD = 3.6  # times the median distance of the desk from its colour: twice its 95th percentile, for noise
_BAND_TURNS = np.radians(np.arange(-_BAND_TURN, _BAND_TURN + 0.01, 0.5))


def _from_desk(small: np.ndarray, logs: np.ndarray) -> np.ndarray | None:
    """How far each pixel of `small` (RGB) is in colour from the desk (the image's border where
    darker than the paper, as `_darker_border` tells them), over the bar for the desk's own spread:
    `_SPREAD` times its median distance, `_MIN_COLOUR_STEP` at least; None for a grey image or
    where no desk is seen. The median, not `_not_desk`'s percentile: a sheet running out of the
    photo puts its print in the border too. `logs`: its log brightness, blurred."""
    if small.ndim != 3:
        return None
    desk = _border(logs.shape) & (logs < _middle_paper(logs) - _DARKER_DESK)
    if not desk.any():
        return None
    distance = _desk_distance(small, desk)
    bar = max(_MIN_COLOUR_STEP, _SPREAD * float(np.median(distance[desk])))
    return cv2.GaussianBlur(distance / bar, (0, 0), 2.0)  # as the log brightness is, for edges


def _colour_band(unlike: np.ndarray, rho: float, theta: float, nearest: np.ndarray) -> Line | None:
    """The outer edge of a band printed along a sheet's side whose inner edge is the line (rho,
    theta), through `nearest` (its point nearest the middle), where the band differs from the desk
    in colour but not in brightness (`unlike`: distance from the desk's colour, `_from_desk`), or None.
    Why: such a band makes no step in brightness, so the outline stopped at its inner edge, and
    the band, holding print, failed it as desk (a blue footer on a grey desk: 1.2 % off by the
    colour mask's outline instead, cut by the frame). The line within `_BAND_TURN` degrees of it
    and `_BAND` to `_BAND_REACH` further out along which `unlike` falls to the desk's by
    `_COLOUR_SEEN` or more for `_LINE_SUPPORT` of its extent, the largest such step summed, then
    moved onto the edge (`_refined`)."""
    h, w = unlike.shape
    normal = np.array([np.cos(theta), np.sin(theta)])
    outward = normal * np.sign(np.dot(nearest - [w / 2, h / 2], normal))
    rhos, thetas, through, _, _ = _candidates(theta, nearest, outward, _BAND_TURNS,
                                              np.arange(_BAND * max(h, w), _BAND_REACH * min(h, w), 2.0))
    steps, _, _ = _steps_along(unlike, rhos.ravel(), thetas.ravel())
    level = abs(np.sin(theta)) > abs(np.cos(theta))
    supported = np.count_nonzero(steps > _COLOUR_SEEN, axis=1) >= _LINE_SUPPORT * (w if level else h) / 2
    if not supported.any():
        return None
    best = int(np.argmax(np.where(supported, np.clip(steps, 0, None).sum(axis=1), -1.0)))
    rho, theta = float(rhos.ravel()[best]), float(thetas.ravel()[best])
    return _refined(unlike, rho, theta, through.reshape(-1, 2)[best])


def _along_frame(rho: np.ndarray, theta: np.ndarray, w: int, h: int) -> np.ndarray:
    """Which lines (rho, theta) run within `_RAMP_OUT` pixels of an edge of the w x h image all
    the way along it. Why: a sheet's side there cannot be told from the desk beyond it, which is
    not seen, and a dark desk's grain along the frame made such a line, the outermost, taken for
    the side of a sheet cut by the frame (where the frame stands in for that side)."""
    cos, sin = np.cos(theta), np.sin(theta)
    level = np.abs(sin) > np.abs(cos)
    safe = np.where(np.abs(sin) > 1e-6, sin, 1e-6), np.where(np.abs(cos) > 1e-6, cos, 1e-6)
    start = np.where(level, rho / safe[0], rho / safe[1])  # y at x = 0, or x at y = 0
    end = np.where(level, (rho - w * cos) / safe[0], (rho - h * sin) / safe[1])  # at x = w, or y = h
    far = np.where(level, h, w) - _RAMP_OUT
    return ((start <= _RAMP_OUT) & (end <= _RAMP_OUT)) | ((start >= far) & (end >= far))


def _steps_along(logs: np.ndarray, rho: np.ndarray, theta: np.ndarray,
                 sharp: bool = False) -> tuple[np.ndarray, ...]:
    """For each line (rho, theta) across `logs` (blurred): the step (`_step`, brighter towards the
    image's middle > 0; `sharp`: only where the desk beside it is flat) every 2 pixels along it,
    0 outside the image; the line's point nearest the middle; the middle's signed distance from
    the line."""
    h, w = logs.shape
    normal = np.stack([np.cos(theta), np.sin(theta)], axis=-1)
    along = np.stack([-normal[..., 1], normal[..., 0]], axis=-1)
    to_middle = np.array([w / 2, h / 2]) - normal * rho[..., None]  # from each line's foot
    across = np.einsum("...j,...j->...", to_middle, normal)
    nearest = normal * rho[..., None] + along * np.einsum("...j,...j->...", to_middle, along)[..., None]
    inward = normal * np.where(across >= 0, 1.0, -1.0)[..., None]
    reach = np.hypot(h, w) / 2 + 2
    offsets = np.arange(-reach, reach, 2.0)[:, None]
    points = nearest[..., None, :] + offsets * along[..., None, :]
    inside = np.all((points >= _FRAME_PAD) & (points < [w - _FRAME_PAD, h - _FRAME_PAD]), axis=-1)
    return np.where(inside, _step(logs, points, inward[..., None, :], sharp), 0.0), nearest, across


_TURNS = np.radians(np.arange(-1.5, 1.6, 0.25))  # a Hough line is 0.5 degrees coarse, or joins two edges
_SHIFTS = np.arange(-8.0, 9.0, 2.0)  # pixels across it, at its point nearest the middle
_FINER = (np.radians([-0.125, 0.0, 0.125]), np.array([-1.0, 0.0, 1.0]))  # about the best of those


def _refined(logs: np.ndarray, rho: float, theta: float, nearest: np.ndarray,
             darker: bool = False) -> Line:
    """The line (rho, theta) turned about `nearest` (its point nearest the middle) by up to 1.5
    degrees and moved by up to 8 pixels to where the paper's sharp step (`darker`: a band's, the other way),
    summed along it, is largest: the edge itself. Why: every Hough line within a few pixels of an
    edge has the step along most of it, and the outermost of them is the one tilted out across
    it (0.5 % off at a corner on a light desk, where the edge is faint); a shadow along part of an
    edge gives a line that joins the lit part to the shadow's edge beside it (a degree off). The
    sum, not a count of points where the step is seen: a count is the same anywhere within 3
    pixels of the edge. Coarse (0.25 degree, 2 pixels), then finer about the best."""
    normal = np.array([np.cos(theta), np.sin(theta)])
    turn, shift = 0.0, 0.0
    for turn_steps, shift_steps in ((_TURNS, _SHIFTS), _FINER):
        rhos, thetas, _, turns, shifts = _candidates(theta, nearest, normal, turn + turn_steps,
                                                     shift + shift_steps)
        steps, _, _ = _steps_along(logs, rhos, thetas, sharp=True)
        seen = np.clip(-steps if darker else steps, 0, None).sum(axis=-1)
        best = np.unravel_index(np.argmax(seen), seen.shape)
        turn, shift = turns[best], shifts[best]
    return float(rhos[best]), float(thetas[best])


_ALIGN_TURNS = np.radians(np.arange(-0.5, 0.51, 0.05))  # a Hough line's half-degree bin, finer
_ALIGN_SHIFTS = np.arange(-2.0, 2.1, 0.5)  # pixels across it


def _aligned(edges: np.ndarray, rho: float, theta: float, nearest: np.ndarray) -> Line:
    """The line (rho, theta), turned about `nearest` by up to half a degree and moved by up to 2
    pixels, to where the most of `edges` (Canny's) lie along it. Why: Hough's lines come in half-degree
    steps, and a row of print taken for a side beyond the frame 1 degree off drew it 1.5 % off."""
    h, w = edges.shape
    normal = np.array([np.cos(theta), np.sin(theta)])
    rhos, thetas, through, _, _ = _candidates(theta, nearest, normal, _ALIGN_TURNS, _ALIGN_SHIFTS)
    along = np.stack([-np.sin(thetas), np.cos(thetas)], axis=-1)
    offsets = np.arange(-np.hypot(h, w) / 2, np.hypot(h, w) / 2)[:, None]
    points = through[..., None, :] + offsets * along[..., None, :]
    x, y = np.round(points[..., 0]).astype(int), np.round(points[..., 1]).astype(int)
    inside = (x >= 0) & (x < w) & (y >= 0) & (y < h)
    hits = np.where(inside, edges[np.clip(y, 0, h - 1), np.clip(x, 0, w - 1)] > 0, False).sum(axis=-1)
    best = np.unravel_index(np.argmax(hits), hits.shape)
    return float(rhos[best]), float(thetas[best])


def _candidates(theta: float, point: np.ndarray, across: np.ndarray, turns: np.ndarray,
                shifts: np.ndarray) -> tuple[np.ndarray, ...]:
    """Lines (rho, theta arrays, turns x shifts) at `theta` plus each of `turns`, each through
    `point` moved by each of `shifts` along `across` (a unit vector); with the points they pass
    through and the turns and shifts, on the same grid. What `_refined`, `_colour_band` and
    `_aligned` search among."""
    turns, shifts = np.meshgrid(turns, shifts, indexing="ij")
    through = point + shifts[..., None] * across
    thetas = theta + turns
    rhos = through[..., 0] * np.cos(thetas) + through[..., 1] * np.sin(thetas)
    return rhos, thetas, through, turns, shifts


def _quadrilateral_of(lines: dict[int, Line], w: int, h: int) -> np.ndarray | None:
    """The corners where the top (0), bottom (1), left (2) and right (3) `lines` (rho, theta)
    cross, where they make a sheet lying inside the w x h image (the module's checks; corners may
    lie beyond the frame, the part within it counted)."""
    corners = [_crossing(lines[a], lines[b]) for a, b in ((0, 2), (0, 3), (1, 3), (1, 2))]
    if any(c is None for c in corners):
        return None
    quad = np.array(corners, dtype=np.float32)
    frame = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    area = cv2.intersectConvexConvex(quad, frame)[0] / (h * w)  # of the sheet within the photo
    if not _MIN_AREA <= area <= _MAX_AREA or not _square_enough(quad):
        return None
    return quad


def _darker_border(logs: np.ndarray) -> bool:
    """The image's border (where a desk would be) is darker than the paper in its middle (the
    brightest tenth of the middle quarter) by `_DARKER_DESK` at least. A quick test that spares a
    scan, whose border is paper, the search for edges (about half the time of finding none)."""
    return bool(_middle_paper(logs) - np.median(logs[_border(logs.shape)]) >= _DARKER_DESK)


def _middle_paper(logs: np.ndarray) -> float:
    """The paper's log brightness: the brightest tenth of the image's middle quarter."""
    h, w = logs.shape
    return float(np.percentile(logs[h // 4 : 3 * h // 4, w // 4 : 3 * w // 4], 90))


def _border(shape: tuple[int, ...]) -> np.ndarray:
    """True along the image's edges, `_BORDER` of its long side deep: where a desk is seen."""
    border = np.zeros(shape[:2], dtype=bool)
    edge = max(2, round(_BORDER * max(shape[:2])))
    border[:edge], border[-edge:], border[:, :edge], border[:, -edge:] = True, True, True, True
    return border


def _step(logs: np.ndarray, points: np.ndarray, inward: np.ndarray, sharp: bool = False) -> np.ndarray:
    """How much brighter (log) `logs` is 3 pixels `inward` of each point (x, y along the last axis)
    than 3 pixels outward. `sharp`: 0 where the brightness outside still changes from 3 to 10
    pixels out by `_RAMP` of that step or more. Why: a sheet's edge is sharp, the edge of a shadow
    across the desk ramps over its penumbra (8 pixels of this copy and more), and a long shadow's
    edge is nearly straight: it was taken for the sheet's side. Where the sides are chosen and
    placed, not where they are checked (`_on_bare_desk`): a shadow's penumbra running along part
    of a sheet's edge ramps the desk beside that part too."""
    h, w = logs.shape

    def at(p: np.ndarray) -> np.ndarray:
        return logs[np.clip(p[..., 1], 0, h - 1).astype(int), np.clip(p[..., 0], 0, w - 1).astype(int)]

    outside = at(points - 3 * inward)
    step = at(points + 3 * inward) - outside
    if not sharp:
        return step
    ramp = outside - at(points - _RAMP_OUT * inward)
    return np.where(np.abs(ramp) < _RAMP * np.abs(step), step, 0.0)


def _crossing(a: Line, b: Line) -> np.ndarray | None:
    """Where the lines (rho, theta) `a` and `b` cross; None for (nearly) parallel ones."""
    m = np.array([[np.cos(a[1]), np.sin(a[1])], [np.cos(b[1]), np.sin(b[1])]])
    if abs(np.linalg.det(m)) < 0.1:
        return None
    return np.linalg.solve(m, [a[0], b[0]])


def _on_bare_desk(quad: np.ndarray, logs: np.ndarray, steps: np.ndarray, banded: bool,
                  beyond: tuple[int, ...] = (), unlike: np.ndarray | None = None) -> bool:
    """The paper's step (`logs`: blurred) runs along most of each side of `quad`, brighter inside
    (or, `banded`, darker along a band), and the desk just outside each side holds few `steps`
    (between neighbouring pixels of a copy blurred by 1 px: a dark desk's grain is no step): a
    sheet on a desk, not a scanned page's column of text or a box on it, nor a sheet cut by the
    photo's frame taken up to a line of its print (outside which is paper with print). Steps, not
    Canny's edges: a shadow's edge across the desk is an edge but ramps. Side by side, not the
    whole desk: a few lines of print below one side are few pixels of a large desk. A side is
    looked at where it is within the photo, and must be, for `_SEEN_SIDE` of its length at least,
    but the sides `beyond` the frame (0 top, 1 bottom, 2 left, 3 right: `_cut_outline`)."""
    h, w = logs.shape
    middle = quad.mean(axis=0)
    strip = np.zeros(steps.shape, np.uint8)
    for i in range(4):
        if _SIDES[i] in beyond:
            continue
        a, b = _within(quad[i], quad[(i + 1) % 4], w, h)
        if np.linalg.norm(b - a) < _SEEN_SIDE * np.linalg.norm(quad[(i + 1) % 4] - quad[i]):
            return False
        points = a + np.linspace(0.05, 0.95, 60)[:, None] * (b - a)
        along = (b - a) / (np.linalg.norm(b - a) + 1e-9)
        inward = np.array([-along[1], along[0]])
        if np.dot(middle - a, inward) < 0:
            inward = -inward
        step = _step(logs, points, inward)
        stepped = (np.abs(step) if banded else step) > _STEP_SEEN
        if banded and unlike is not None:  # or a band's step in colour (`_colour_band`)
            stepped |= _step(unlike, points, inward) > _COLOUR_SEEN
        if np.mean(stepped) < _SIDE_SUPPORT:
            return False
        near, far = _DESK_STRIP
        strip[:] = 0
        cv2.fillConvexPoly(strip, np.round([a - near * inward, b - near * inward, b - far * inward,
                                            a - far * inward]).astype(np.int32), 1)
        seen = np.count_nonzero(strip)
        if seen < near * np.linalg.norm(b - a):  # beyond the frame: no desk seen beside it
            return False
        if np.count_nonzero(steps & (strip > 0)) > _BARE_DESK * seen:
            return False
    return True


_SIDES = (0, 3, 1, 2)  # the sides of a quadrilateral (tl-tr, tr-br, br-bl, bl-tl) as top, right, bottom, left
_SEEN_SIDE = 0.3  # share of a sheet's side that must lie within the photo, but a side beyond it
_FRAME_PAD = 4.0  # pixels inside the photo's edges where a side is looked at (`_step` looks 3 out)


def _within(a: np.ndarray, b: np.ndarray, w: int, h: int) -> tuple[np.ndarray, np.ndarray]:
    """The part of the segment a-b within the w x h image, `_FRAME_PAD` inside its edges
    (Liang-Barsky clipping); a point (a == b) where none is."""
    d = b - a
    start, end = 0.0, 1.0
    for p, q in ((-d[0], a[0] - _FRAME_PAD), (d[0], w - _FRAME_PAD - a[0]),
                 (-d[1], a[1] - _FRAME_PAD), (d[1], h - _FRAME_PAD - a[1])):
        if abs(p) < 1e-9:
            if q < 0:
                return a, a
        elif p < 0:
            start = max(start, q / p)
        else:
            end = min(end, q / p)
    if start >= end:
        return a, a
    return a + start * d, a + end * d


def _cut_outline(lines: dict[int, Line], logs: np.ndarray, steps: np.ndarray, banded: bool = False,
                 focal: float | None = None, unlike: np.ndarray | None = None,
                 coloured: tuple[int, ...] = (), faint: dict[int, Line] | None = None) -> np.ndarray | None:
    """The outline of a sheet that runs out of the photo on one side or two (framed tightly), from
    its sides within it (`lines`: those found, of which those beyond the frame, if found, are lines
    of its print), or None. The sides beyond are not looked for: they run out of the photo, or
    their part within it is too short to be found as a line; each is drawn through the point
    where the sheet's lines parallel to it meet (`_beyond_frame`). Why: a user frames a document
    tightly, and a sheet cut by the frame was read as it lay (foreshortened, its rows drifting)
    or as a sheet whose side is the frame (the far rows tilted). `banded`: a side within is a
    band's outer edge (`_on_bare_desk`). `focal`: the camera's, in pixels, where known.
    `coloured`: the sides within that are a band's outer edge seen in colour only, in `unlike`
    (`_colour_band`). `faint`: the outermost line of print on a side with no line found."""
    h, w = logs.shape
    for beyond in _BEYOND:
        if any(j not in lines for j in range(4) if j not in beyond):
            continue
        drawn = _beyond_frame({j: line for j, line in lines.items() if j not in beyond}, beyond,
                              {k: lines[k] for k in beyond if k in lines}, logs, focal,
                              coloured, unlike, faint)
        if drawn is None:
            continue
        quad = _quadrilateral_of({**lines, **drawn}, w, h)
        if quad is not None and _on_bare_desk(quad, logs, steps, banded=banded, beyond=beyond, unlike=unlike):
            return quad
    return None


# the sides tried beyond the frame: one, then two opposite, then two adjacent
_BEYOND = ((0,), (1,), (2,), (3,), (0, 1), (2, 3), (0, 2), (0, 3), (1, 2), (1, 3))
_OPPOSITE = {0: 1, 1: 0, 2: 3, 3: 2}
_OUTWARD = {0: (0.0, -1.0), 1: (0.0, 1.0), 2: (-1.0, 0.0), 3: (1.0, 0.0)}  # towards each side


def _homogeneous(line: Line) -> np.ndarray:
    rho, theta = line
    return np.array([np.cos(theta), np.sin(theta), -rho])


def _beyond_frame(within: dict[int, Line], beyond: tuple[int, ...], hints: dict[int, Line],
                  logs: np.ndarray, focal: float | None = None, coloured: tuple[int, ...] = (),
                  unlike: np.ndarray | None = None, faint: dict[int, Line] | None = None,
                  ) -> dict[int, Line] | None:
    """The sides `beyond` the frame (0 top, 1 bottom, 2 left, 3 right) of a sheet whose other
    sides are `within`, as (rho, theta), or None where the sheet does not run out of the photo.

    Direction: a side beyond passes through the vanishing point of its direction (where the sheet's
    lines parallel to it meet), which lies on its opposite side, where that is within. It is where
    a line of print parallel to it (`hints`: the line found on its side, which failed as the
    sheet's edge) crosses that side; else where, for a camera centred on the photo with a focal
    length of `focal` pixels (the photo's EXIF), or where unknown a typical phone's (the photo's
    long side, as `_aspect` takes where the corners leave it open), the direction is at right
    angles to the other pair's (`omega`: the image of the absolute conic), or where that cannot be
    told (`_meeting`), where the outermost straight line of print on its side (`faint`: of the
    sides where no line with the paper's step was found) crosses that side. Two opposite sides
    beyond share one direction: where lines parallel to them found on both their sides meet (for
    a top and a bottom, also their outermost rows of print; a column's edge is no such line: left
    and right sides drawn so were 3.6-6.6 % off on photos of a synthetic sheet where right angles
    gave 1.2-3.6 %; a sheet seen nearly square on puts the line at right angles nearly along them,
    and a small error in the pair's vanishing point moved their meeting far: 2 % off), else the one found
    and the line at right angles to their pair's, else at right angles to their pair's; two
    adjacent sides beyond, without a hint, are taken with the top or bottom one through where the
    outermost line of print on its side (`faint`) meets its opposite side, or where there is none
    parallel to that side, and the other at right angles to it, or where that cannot be told
    through its own line of print (taken parallel, the bottom put the side beside it where two
    nearly parallel lines cross: AzureInterior on cropped seed 73, 9.8 % off).
    Place: each side beyond passes through the furthest of the points the paper reaches towards
    it, so that none of the paper in the photo is cut off: where the paper's edge along the sides
    beside it ends (`_edge_end`), and the frame's corner between two sides beyond; the paper must
    reach the frame there (else the sheet ends within the photo, its side missed: no outline).
    `coloured`: the sides within whose edge is a step in colour, in `unlike` (`_colour_band`)."""
    h, w = logs.shape
    focal, middle = focal or float(max(w, h)), np.array([w / 2, h / 2, 1.0])
    inv = np.linalg.inv(np.array([[focal, 0, w / 2], [0, focal, h / 2], [0, 0, 1]]))
    omega = inv.T @ inv
    edges = {j: _homogeneous(line) for j, line in within.items()}
    printed = {k: _homogeneous(line) for k, line in (faint or {}).items()  # near its opposite's direction
               if _OPPOSITE[k] not in edges or _turn(_homogeneous(line), edges[_OPPOSITE[k]]) <= _PRINT_TURN}
    vanishing = {k: np.cross(edges[_OPPOSITE[k]], _homogeneous(hints[k]))
                 for k in beyond if k in hints and _OPPOSITE[k] in edges}
    if len(beyond) == 2 and _OPPOSITE[beyond[0]] == beyond[1]:  # at right angles to the pair within
        pair = [edges[j] for j in range(4) if j not in beyond]
        across = omega @ np.cross(*pair)
        rows = printed if 0 in beyond else {}  # top and bottom: along rows of print, straighter than columns
        if len(rows) == 2 and _turn(*rows.values()) > _PRINT_TURN:
            rows = {}
        parallel = [_homogeneous(hints[k]) if k in hints else rows[k]
                    for k in beyond if k in hints or k in rows]
        if len(parallel) == 2:  # lines parallel to both: where they meet, whatever the camera
            shared = np.cross(*parallel)
        elif parallel:
            shared = _meeting(parallel[0], across)
        else:
            shared = np.array([across[1], -across[0], 0.0])
        vanishing = {k: shared for k in beyond}
    else:
        for k in beyond:
            if k in vanishing:
                continue
            beside = [j for j in range(4) if j not in (k, _OPPOSITE[k])]
            other = next((j for j in beyond if j != k), None)
            if other is None:  # one side beyond: the pair beside it gives the other direction
                vanishing[k] = _meeting(edges[_OPPOSITE[k]], omega @ np.cross(*[edges[j] for j in beside]),
                                        printed.get(k))
            elif other in vanishing:
                vanishing[k] = _meeting(edges[_OPPOSITE[k]], omega @ vanishing[other], printed.get(k))
            else:  # two adjacent, neither hinted: the top or bottom one (listed first in `_BEYOND`)
                # through its line of print, else parallel to its opposite side; the other at right angles
                opposite = edges[_OPPOSITE[k]]
                vanishing[k] = (np.cross(opposite, printed[k]) if k in printed
                                else np.array([opposite[1], -opposite[0], 0.0]))
                vanishing[other] = _meeting(edges[_OPPOSITE[other]], omega @ vanishing[k], printed.get(other))
    drawn: dict[int, Line] = {}
    for k in beyond:
        towards = np.array(_OUTWARD[k])
        reached, framed = [], False
        for j in within:
            if j in (k, _OPPOSITE[k]):
                continue
            if j in coloured and unlike is not None:  # a band's outer edge, a step in colour
                end = _edge_end(edges[j], edges.get(_OPPOSITE[k]), towards, unlike, _COLOUR_SEEN)
            else:
                end = _edge_end(edges[j], edges.get(_OPPOSITE[k]), towards, logs)
            if end is None:
                return None
            reached.append(end[0])
            framed |= end[1]
        for j in beyond:
            if j not in (k, _OPPOSITE[k]):  # the frame's corner between two sides beyond
                corner = np.array([w if 3 in (j, k) else 0.0, h if 1 in (j, k) else 0.0])
                if not _paper_at(corner, within, logs):
                    return None
                reached.append(corner)
                framed = True
        if not framed:
            return None
        side = _through_furthest(vanishing[k], reached, middle)
        if side is None:
            return None
        drawn[k] = side
    return drawn


_CROSSING = np.radians(0.5)  # lines crossing at a smaller angle meet nowhere that can be told
_PRINT_TURN = 10.0  # degrees a line of print may turn from the side it stands in for (`_beyond_frame`)


def _turn(a: np.ndarray, b: np.ndarray) -> float:
    """The angle in degrees (0-90) between the homogeneous lines `a` and `b`."""
    cross = abs(a[0] * b[1] - a[1] * b[0]) / (np.hypot(a[0], a[1]) * np.hypot(b[0], b[1]))
    return float(np.degrees(np.arcsin(min(1.0, cross))))


def _meeting(line: np.ndarray, across: np.ndarray, instead: np.ndarray | None = None) -> np.ndarray:
    """Where `line` (homogeneous: a side, or a line of print parallel to one) meets `across` (the
    line of directions at right angles to the other pair's), the vanishing point of the sides
    beyond parallel to `line`; or, where the two cross at under `_CROSSING`, where `line` meets
    `instead` (a line of print on the side beyond) where given, else the point at infinity along
    `line` (those sides drawn parallel to it in the photo). Why: lines that nearly coincide in
    direction meet anywhere along them for a small error in either (a tenth of a degree in a side,
    or a focal length a third off, turned a side beyond by 10 degrees: 8 % off); and a sheet seen
    from well above one of its sides has its two other sides 5 degrees apart in the photo, so that
    drawing one parallel to the other was 2.6-3.7 % off where print near it told its direction
    (akretion on cropped seed 73: 3.7 %, its whole header lost)."""
    if _turn(line, across) < np.degrees(_CROSSING):
        return np.array([line[1], -line[0], 0.0]) if instead is None else np.cross(line, instead)
    return np.cross(line, across)


_PATCH = 12  # pixels: the square at a frame's corner looked at for paper


def _paper_at(corner: np.ndarray, within: dict[int, Line], logs: np.ndarray) -> bool:
    """The photo's `corner` shows paper, not desk: its brightness (log, median of a small square
    there) is nearer the paper's just inside the sides `within` than the desk's just outside them.
    Why: two adjacent sides beyond the frame meet beyond its corner only where the paper runs on
    to it; a sheet whose side within the photo was missed leaves desk there."""
    h, w = logs.shape
    x = int(np.clip(corner[0] - _PATCH / 2, _FRAME_PAD, w - _FRAME_PAD - _PATCH))
    y = int(np.clip(corner[1] - _PATCH / 2, _FRAME_PAD, h - _FRAME_PAD - _PATCH))
    inside, outside = [], []
    for line in within.values():
        edge = _homogeneous(line)
        a, b = _chord(edge, _foot(edge, w, h)[0], w, h)
        points = a + np.linspace(0.1, 0.9, 40)[:, None] * (b - a)
        inward = edge[:2] if edge[:2] @ [w / 2, h / 2] + edge[2] > 0 else -edge[:2]
        for side, sign in ((inside, 1), (outside, -1)):
            p = np.clip(points + sign * 8 * inward, 0, [w - 1, h - 1]).astype(int)
            side.extend(logs[p[:, 1], p[:, 0]])
    here = float(np.median(logs[y : y + _PATCH, x : x + _PATCH]))
    return here >= (float(np.median(inside)) + float(np.median(outside))) / 2


def _through_furthest(vanishing: np.ndarray, points: list[np.ndarray], middle: np.ndarray) -> Line | None:
    """The line through `vanishing` (homogeneous) and one of `points` that leaves all the others
    on the side of `middle` (homogeneous), as (rho, theta)."""
    for through in points:
        line = np.cross(vanishing, np.append(through, 1.0))
        norm = float(np.hypot(line[0], line[1]))
        if norm < 1e-9:
            continue
        line = line / norm if line @ middle >= 0 else -line / norm  # > 0 towards the middle
        if all(line @ np.append(p, 1.0) >= -0.5 for p in points):
            return float(-line[2]), float(np.arctan2(line[1], line[0]))
    return None


_RUN_ON = 20  # samples (2 pixels apart) over which a side must be seen where the paper's edge goes on
_EDGE_SHARE = 0.25  # share of a side's typical step that a sample of it must show to be on the edge


def _foot(line: np.ndarray, w: int, h: int) -> tuple[np.ndarray, np.ndarray]:
    """The point of the homogeneous `line` nearest the middle of a w x h image, and its direction
    (a unit vector)."""
    line = line / np.hypot(line[0], line[1])
    centre = np.array([w / 2, h / 2])
    return centre - (line[:2] @ centre + line[2]) * line[:2], np.array([line[1], -line[0]])


def _chord(line: np.ndarray, through: np.ndarray, w: int, h: int) -> tuple[np.ndarray, np.ndarray]:
    """The part of the homogeneous `line` (passing through the point `through`) within the w x h
    image (`_within`)."""
    along = _foot(line, w, h)[1]
    reach = 4 * max(h, w) + float(np.linalg.norm(through))
    return _within(through - reach * along, through + reach * along, w, h)


def _edge_end(line: np.ndarray, opposite: np.ndarray | None, towards: np.ndarray,
              logs: np.ndarray, seen_at: float = _STEP_SEEN) -> tuple[np.ndarray, bool] | None:
    """Where the paper's edge along `line` (homogeneous), going `towards` a side beyond the frame
    from its crossing with the `opposite` side (else from its point nearest the middle), is last
    seen (the step along `_SIDE_SUPPORT` of `_RUN_ON` samples), and whether that is at the
    photo's frame; None where it is not seen from there on."""
    h, w = logs.shape
    start, along = _foot(line, w, h)
    if np.dot(along, towards) < 0:
        along = -along
    centre = np.array([w / 2, h / 2])
    if opposite is not None:
        corner = np.cross(line, opposite)
        if abs(corner[2]) < 1e-9:
            return None
        start = corner[:2] / corner[2]
    low, last = sorted(float(np.dot(end - start, along)) for end in _chord(line, start, w, h))
    first = max(0.0, low)
    if last - first < 2 * _RUN_ON:
        return None
    points = start + np.arange(first, last, 2.0)[:, None] * along
    inward = np.array([along[1], -along[0]])
    if np.dot(centre - start, inward) < 0:
        inward = -inward
    step = _step(logs, points, inward)
    edge = step[step > seen_at]  # the paper's edge's own step, most of the way: the desk's
    # grain beyond a corner steps by a few hundredths of a dark desk's edge, and ran it on
    seen = step > max(seen_at, _EDGE_SHARE * float(np.median(edge)) if edge.size else 0.0)
    runs = np.convolve(seen, np.ones(_RUN_ON), mode="valid") >= _SIDE_SUPPORT * _RUN_ON
    if not runs.any():
        return None
    window = int(np.flatnonzero(runs)[-1])
    end = window + int(np.flatnonzero(seen[window : window + _RUN_ON])[-1])
    return points[end], window == len(runs) - 1


def _small_copy(img: np.ndarray, side: int) -> np.ndarray:
    """`img` shrunk (never enlarged) to about `side` pixels along its longer side, both sides even
    (`cv2.dct`, which `_integrated` solves with, takes only even sizes)."""
    h, w = img.shape[:2]
    scale = min(1.0, side / max(h, w))
    size = (max(2, round(w * scale / 2) * 2), max(2, round(h * scale / 2) * 2))
    return cv2.resize(img, size, interpolation=cv2.INTER_AREA)


def _lit(img: np.ndarray, gain: np.ndarray) -> np.ndarray:
    """`img` (RGB or grey) with each pixel multiplied by `gain` (one channel, its size), saturating
    at 255."""
    if img.ndim == 3:
        gain = cv2.merge([gain] * img.shape[2])
    return cv2.multiply(img, gain, dtype=cv2.CV_8U)


_FLANKS = 7  # pixels: the width around a step over which its blurred flanks reach (on a sheet)
_CARRY = 6.0  # pixels (sigma): how far around a step the light's change is taken from
_STEP = 0.15  # change of log brightness between neighbouring pixels that is an edge, not shading


def unshaded(img: np.ndarray) -> np.ndarray:
    """`img` (RGB or grey, even sides) with its shading taken out: the light falling off across
    the photo and the shadows of a hand or phone across sheet and desk alike.

    Why: the sheet is told from the desk by brightness, and a shadow makes paper as dark as the
    desk (the outline then follows the shadow's edge, and the sheet is cut where it falls). How
    (the gradient-domain way of Finlayson, Hordley and Drew, "Removing shadows from images",
    2002): in log brightness, light and shadow multiply, so they add a field to the image; a
    sheet's edge, a printed band and print are steps between neighbouring pixels, while light
    changes slowly and a shadow's edge ramps over its penumbra (1 % of the photo and more: 8 and
    more pixels here, so under `_STEP` a pixel). Steps under `_STEP` are dropped and the image is
    rebuilt from the rest (a Poisson equation, solved with the cosine transform); the ratio of the
    two is the light, divided out of every channel. Its level is set so that the median pixel keeps
    its brightness."""
    grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY) if img.ndim == 3 else img
    light = _light_field(grey)
    return _lit(img, np.exp(np.median(light) - light))


def _light_field(grey: np.ndarray, carried: bool = False) -> np.ndarray:
    """The log of the light that fell on each pixel of `grey` (even sides), up to a constant: the
    image's log brightness changes that are no step (edges, print), integrated (`unshaded`).

    `carried`: the light's change across a step is taken from the pixels around it (weights
    falling off over `_CARRY` pixels), so that a shadow's ramp goes on through a line of print;
    for evening the light on a sheet. Otherwise it is taken as none: every step is the image's, in
    full, so what is left of the image is flat between its edges (the desk's grain and noise
    too), which is what the outline is found on."""
    logs = _log_brightness(grey)
    dx, dy = _differences(logs)
    steps = (cv2.magnitude(dx, dy) >= _STEP).astype(np.uint8)
    if not carried:  # a step's blurred flanks are part of it
        edges = cv2.dilate(steps, np.ones((3, 3), np.uint8)) > 0
        dx[~edges], dy[~edges] = 0.0, 0.0
        return logs - _integrated(dx, dy)
    shading = (cv2.dilate(steps, np.ones((_FLANKS, _FLANKS), np.uint8)) == 0).astype(np.float32)
    weight = np.maximum(cv2.GaussianBlur(shading, (0, 0), _CARRY), 1e-3)
    dx = cv2.GaussianBlur(dx * shading, (0, 0), _CARRY) / weight
    dy = cv2.GaussianBlur(dy * shading, (0, 0), _CARRY) / weight
    dx[:, -1], dy[-1] = 0.0, 0.0
    return _integrated(dx, dy)


def _log_brightness(grey: np.ndarray) -> np.ndarray:
    """The log of grey + 8 (float32): light multiplies, so in logs it adds; + 8: the noise of dark
    pixels is no step."""
    return np.log(grey.astype(np.float32) + 8.0)


def _differences(logs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Forward differences of `logs` across (x) and down (y), zero on the last column and row."""
    dx, dy = np.zeros_like(logs), np.zeros_like(logs)
    dx[:, :-1] = np.diff(logs, axis=1)
    dy[:-1] = np.diff(logs, axis=0)
    return dx, dy


def _integrated(dx: np.ndarray, dy: np.ndarray) -> np.ndarray:
    """The image (zero mean) whose forward differences are closest to `dx`, `dy` in least squares:
    Poisson's equation with the image's edges as mirrors, solved by the cosine transform."""
    divergence = dx + dy
    divergence[:, 1:] -= dx[:, :-1]
    divergence[1:] -= dy[:-1]
    h, w = dx.shape
    spectrum = cv2.dct(divergence.astype(np.float64))
    laplace = (2 * np.cos(np.pi * np.arange(h) / h) - 2)[:, None] + (2 * np.cos(np.pi * np.arange(w) / w) - 2)
    laplace[0, 0] = 1.0
    spectrum /= laplace
    spectrum[0, 0] = 0.0
    return cv2.idct(spectrum).astype(np.float32)


def _not_desk(small: np.ndarray, paper: np.ndarray) -> np.ndarray:
    """Where `small` differs in colour from the desk (what lies along the image's border outside
    the bright `paper`) by more than the desk differs from itself: the whole sheet, with a dark band
    printed along its edge (a coloured footer) that brightness alone leaves out as desk. The desk's
    own spread (its grain, the light falling off across it) sets the bar, not a split of the
    histogram, so a band half as far from the desk as the paper is still sheet."""
    desk = (cv2.erode(255 - paper, np.ones((9, 9), np.uint8)) > 0) & _border(paper.shape)
    if not desk.any():
        return paper
    distance = _desk_distance(small, desk)
    bar = max(_MIN_COLOUR_STEP, 2.0 * float(np.percentile(distance[desk], 95)))
    return np.where(distance > bar, 255, 0).astype(np.uint8)


def _desk_distance(small: np.ndarray, desk: np.ndarray) -> np.ndarray:
    """Each pixel's distance in colour (Lab, 8-bit; grey: brightness) from the median of the
    `desk`'s pixels."""
    colours = cv2.cvtColor(small, cv2.COLOR_RGB2LAB) if small.ndim == 3 else small[..., None]
    colours = colours.astype(np.float32)
    return np.linalg.norm(colours - np.median(colours[desk], axis=0), axis=-1)


def _holds(outer: np.ndarray, inner: np.ndarray) -> bool:
    """`outer` contains `inner`'s corners (within `_SAME_CORNER`) and is at most half as large
    again: the same sheet, taken whole. (An outline from straight edges is a few pixels off where
    a band cut one side short: its other sides are extrapolated from a line's angle.)"""
    contour = outer.reshape(4, 1, 2)
    inside = all(cv2.pointPolygonTest(contour, (float(x), float(y)), True) >= -_SAME_CORNER for x, y in inner)
    return inside and cv2.contourArea(contour) <= 1.5 * cv2.contourArea(inner.reshape(4, 1, 2))


def _outline(mask: np.ndarray) -> np.ndarray | None:
    """The corners (`_ordered`) of the largest region of `mask` (255: sheet), print filled in by a
    closing, where it is a sheet lying inside the image (the module's checks); else None."""
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (15, 15)))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    contour = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(contour)
    sh, sw = mask.shape
    if not _MIN_AREA <= area / (sh * sw) <= _MAX_AREA:
        return None
    quad = _quadrilateral(cv2.convexHull(contour))
    if quad is None or area < _MIN_FILL * cv2.contourArea(quad):
        return None
    corners = _ordered(quad.reshape(4, 2).astype(np.float32))
    if not _square_enough(corners) or _touches_frame(corners, sw, sh):
        return None
    return corners


def _quadrilateral(hull: np.ndarray) -> np.ndarray | None:
    """The hull simplified to four corners, at the smallest tolerance that gives four."""
    perimeter = cv2.arcLength(hull, True)
    for share in (0.01, 0.02, 0.03, 0.04, 0.05):
        approx = cv2.approxPolyDP(hull, share * perimeter, True)
        if len(approx) == 4:
            return approx
        if len(approx) < 4:
            return None
    return None


def _ordered(pts: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left (by x + y and y - x)."""
    total, diff = pts.sum(axis=1), pts[:, 1] - pts[:, 0]
    picks = (np.argmin(total), np.argmin(diff), np.argmax(total), np.argmax(diff))
    return np.array([pts[i] for i in picks], dtype=np.float32)


def _square_enough(corners: np.ndarray) -> bool:
    if len({tuple(p) for p in corners.tolist()}) < 4:
        return False
    for i in range(4):
        a, b, c = corners[i - 1], corners[i], corners[(i + 1) % 4]
        u, v = a - b, c - b
        cos = float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v) + 1e-9))
        if abs(np.degrees(np.arccos(np.clip(cos, -1, 1))) - 90) > _MAX_ANGLE_OFF:
            return False
    return cv2.isContourConvex(corners.reshape(4, 1, 2))


def _touches_frame(corners: np.ndarray, width: int, height: int) -> bool:
    """True when the outline runs along three or four of the image's edges."""
    x, y = corners[:, 0], corners[:, 1]
    near = (x.min() <= _EDGE * width, x.max() >= (1 - _EDGE) * width,
            y.min() <= _EDGE * height, y.max() >= (1 - _EDGE) * height)
    return sum(near) >= 3


_FOCAL = (0.5, 3.0)  # focal lengths of phone cameras, in a 4:3 photo's long side (1x: 35 mm equivalent;
# a main camera, 24-28 mm: 0.7-0.8x; a 2-3x camera: 1.5-2.3x)
_TRIM = 0.01  # share of the flattened sheet's shorter side cut off each edge: the desk's last pixels


def flatten(img: np.ndarray, corners: np.ndarray, focal: float | None = None) -> np.ndarray:
    """The sheet within `corners` (`page_corners`) mapped onto an upright rectangle: as wide as the
    outline's longer horizontal side (no print shrunk), as high as the sheet's own shape asks
    (`_aspect`, with the camera's `focal` length where known), so that letters keep their
    proportions. A strip of 1 % is cut off each edge: the outline is found on a small copy, so its
    edge may hold a few pixels of desk, which orientation takes for vertical lines of ink (a page
    with few lines was turned a quarter), while print keeps further from a sheet's edge (2 mm on
    A4). The part of a sheet beyond the photo's frame is paper-coloured: its pixels, repeated from
    the frame's edge, drew the desk there across it as a band, which orientation took for a line of
    print (a page photographed sideways was left so)."""
    tl, tr, br, bl = corners
    width = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))
    sides = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
    aspect = _aspect(corners, img.shape[1] / 2, img.shape[0] / 2, focal) or width / sides
    width, height = round(width), round(width / aspect)
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    trim = round(_TRIM * min(width, height))
    target -= trim
    matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    size = (width - 2 * trim, height - 2 * trim)
    flat = cv2.warpPerspective(img, matrix, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    h, w = img.shape[:2]
    if np.any(corners < 0) or np.any(corners > [w, h]):  # the sheet runs out of the photo
        seen = cv2.warpPerspective(np.ones((h, w), np.uint8), matrix, size, flags=cv2.INTER_NEAREST)
        flat[seen == 0] = _paper(flat[seen > 0])
    return flat


def _paper(pixels: np.ndarray) -> np.ndarray:
    """The paper's colour among `pixels` (n, or n x 3): the brightest tenth's, as
    `pipeline.orient.paper_colour` takes it."""
    return np.percentile(pixels[:: max(1, len(pixels) // 40000)], 90, axis=0).astype(pixels.dtype)


def _aspect(corners: np.ndarray, u0: float, v0: float, focal: float | None = None) -> float | None:
    """Width over height of the rectangle that a pinhole camera with its principal point at (u0,
    v0) saw as `corners`, or None where the corners give no plausible rectangle.

    Why: a tilted camera foreshortens the sheet along the tilt, so the outline's sides give the
    wrong shape (an A4 sheet seen 20 degrees off comes out 10-15 % squat). The rectangle's shape
    and the camera's focal length follow from the four corners alone (Zhang and He, "Whiteboard
    scanning and image enhancement", 2007, section 3). Where one pair of sides is (nearly) parallel
    the focal length is not determined by them, and a corner found a pixel off sends it anywhere:
    a focal length outside what phones use (`_FOCAL`, times the photo's long side) is replaced by
    `focal` (pixels: the photo's EXIF), else a typical phone's (1x), which is all the shape then
    depends on.
    """
    m1, m2, m4, m3 = (np.array([x, y, 1.0]) for x, y in corners)  # tl, tr, br, bl as the paper's m1..m4
    k2 = np.dot(np.cross(m1, m4), m3) / np.dot(np.cross(m2, m4), m3)
    k3 = np.dot(np.cross(m1, m4), m2) / np.dot(np.cross(m3, m4), m2)
    n2, n3 = k2 * m2 - m1, k3 * m3 - m1
    long_side = 2 * max(u0, v0)
    focal = focal or long_side
    if abs(n2[2] * n3[2]) > 1e-12:
        f2 = -((n2[0] - n2[2] * u0) * (n3[0] - n3[2] * u0) + (n2[1] - n2[2] * v0) * (n3[1] - n3[2] * v0)) / (
            n2[2] * n3[2])
        if f2 > 0 and _FOCAL[0] <= np.sqrt(f2) / long_side <= _FOCAL[1]:
            focal = float(np.sqrt(f2))
    inv = np.linalg.inv(np.array([[focal, 0, u0], [0, focal, v0], [0, 0, 1]]))
    a, b = inv @ n2, inv @ n3
    aspect = float(np.sqrt(np.dot(a, a) / np.dot(b, b)))
    return aspect if 0.2 < aspect < 5 else None


_LIGHT_SIDE = 800  # long side of the copy the light is found on (a shadow's penumbra: 8 pixels and more)
_PRINT = 15  # pixels of that copy: print narrower than this is closed away before the light is found
_MAX_GAIN = 4.0  # light is raised at most this much (the far side of a shadowed photo: 1 / 0.3)


def even_light(img: np.ndarray) -> np.ndarray:
    """`img` (a flattened sheet, RGB or grey) with the paper brought to one brightness: each pixel
    divided by the light (`_light_field`) that fell on it, the brightest paper kept as it is.

    Why: a photo's paper is brighter where the lamp or window is (a quarter darker on the far side
    is common) and a hand or phone casts a shadow across it, while the binarisations after this
    (orientation's profiles, the ink that words are fitted to) use one threshold for the whole
    page, which then takes the dim paper for ink. The light is found on a copy with its print
    closed away (a grey closing: letters and rules go, the paper between them stays): on an 800
    pixel copy small grey print is no step, and without the closing it was taken for shade and
    lifted (bench photo seed 59, horstoeko's fine print). The closing leaves a shadow's ramp as
    stairs at the lines of print, so the light's change is carried across steps from around them
    (`_light_field(carried=True)`). A sheet's shaded boxes and dark bands (a coloured footer with
    white print) have sharp edges, which the field keeps as the sheet's own, so they stay as
    printed; a tint less than about a quarter darker than the paper is lifted with the light (its
    print only gains contrast). Light is only ever raised (at most `_MAX_GAIN` times), so no print
    is darkened.
    """
    grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY) if img.ndim == 3 else img
    small = _small_copy(grey, _LIGHT_SIDE)  # the light is smooth: a small copy samples it
    closing = cv2.getStructuringElement(cv2.MORPH_RECT, (_PRINT, _PRINT))
    light = _light_field(cv2.morphologyEx(small, cv2.MORPH_CLOSE, closing), carried=True)
    gain = np.clip(np.exp(np.percentile(light, 99) - light), 1.0, _MAX_GAIN).astype(np.float32)
    return _lit(img, cv2.resize(gain, (img.shape[1], img.shape[0]), interpolation=cv2.INTER_LINEAR))
