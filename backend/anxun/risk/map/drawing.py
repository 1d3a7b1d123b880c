"""Pure drawing of the four-colour risk map (四色图): a site plan with coloured markers and areas."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont, ImageOps

# The usual 四色图 colours: 红 重大, 橙 较大, 黄 一般, 蓝 低. Targets never graded are grey.
LEVEL_COLOURS = {
    "red": (0xE6, 0x00, 0x12),
    "orange": (0xF3, 0x98, 0x00),
    "yellow": (0xFF, 0xF1, 0x00),
    "blue": (0x00, 0x68, 0xB7),
}
UNGRADED_COLOUR = (0x9E, 0x9E, 0x9E)
LEVEL_LABELS = {"red": "重大风险", "orange": "较大风险", "yellow": "一般风险", "blue": "低风险"}
COLOUR_NAMES = {"red": "红", "orange": "橙", "yellow": "黄", "blue": "蓝"}
UNGRADED_LABEL = "未评估"
LEGEND_ORDER = ("red", "orange", "yellow", "blue")
# Draw order: lower risks first, so a red area or marker is never hidden under a blue one.
DRAW_RANK = {None: 0, "blue": 1, "yellow": 2, "orange": 3, "red": 4}
# Areas are half transparent so the plan underneath stays readable.
POLYGON_ALPHA = 128
RAISED_MARK = "↑"
RAISED_NOTE = "↑ 存在未销号隐患，风险等级临时上调"
TEXT_COLOUR = (33, 33, 33)
RING_COLOUR = (64, 64, 64)
WHITE = (255, 255, 255)
MAX_POLYGON_POINTS = 200

SHAPES = ("point", "polygon")


@dataclass(frozen=True)
class Figure:
    """One thing drawn on the plan: `points` in plan pixels; level None means not graded yet."""

    shape: str
    points: tuple[tuple[float, float], ...]
    level: str | None
    label: str = ""
    raised: bool = False


@dataclass(frozen=True)
class FontFile:
    """A font file and the face index inside it (a .ttc holds several)."""

    path: str
    index: int = 0


def colour_of(level: str | None) -> tuple[int, int, int]:
    return LEVEL_COLOURS[level] if level is not None else UNGRADED_COLOUR


def hex_colour(level: str | None) -> str:
    return "#{:02X}{:02X}{:02X}".format(*colour_of(level))


def level_label(level: str | None) -> str:
    return LEVEL_LABELS[level] if level is not None else UNGRADED_LABEL


# ---- validation ---------------------------------------------------------------------------


def polygon_area(points: Sequence[Sequence[float]]) -> float:
    """The shoelace area (always ≥ 0)."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(points, [*points[1:], points[0]], strict=True):
        total += x1 * y2 - x2 * y1
    return abs(total) / 2


def shape_problems(shape: str, points: Sequence[Sequence[float]], width: int, height: int):
    """What is wrong with a shape on a width × height plan, as Chinese messages (empty: fine).

    A marker is exactly one point, an area 3 to MAX_POLYGON_POINTS points enclosing some area;
    every point lies on the plan (edges included)."""
    problems = []
    if any(len(point) != 2 for point in points):
        return ["每个点应为 [x, y] 两个数。"]
    if shape == "point" and len(points) != 1:
        problems.append("标记点应恰好有 1 个点。")
    if shape == "polygon":
        if len(points) < 3:
            problems.append("多边形至少需要 3 个点。")
        elif len(points) > MAX_POLYGON_POINTS:
            problems.append(f"多边形最多 {MAX_POLYGON_POINTS} 个点。")
        elif polygon_area(points) == 0:
            problems.append("多边形的点不能在同一直线上。")
    outside = [
        n for n, (x, y) in enumerate(points, start=1) if not (0 <= x <= width and 0 <= y <= height)
    ]
    if outside:
        numbers = "、".join(str(n) for n in outside)
        problems.append(f"第 {numbers} 个点超出平面图范围（宽 {width}、高 {height} 像素）。")
    return problems


# ---- drawing ------------------------------------------------------------------------------


def text_size(width: int, height: int) -> int:
    """Label size in pixels, growing with the plan so labels stay legible when printed."""
    return max(12, round(min(width, height) / 40))


def marker_radius(size: int) -> int:
    return max(7, round(size * 0.6))


def load_font(font: FontFile | None, size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    """The CJK font at `size`, or Pillow's built-in font when none is installed."""
    if font is not None:
        try:
            return ImageFont.truetype(font.path, size, index=font.index)
        except OSError:
            pass
    return ImageFont.load_default(size=size)


def flatten(image: Image.Image) -> Image.Image:
    """Upright RGB: EXIF rotation applied (plan coordinates use the upright image), transparency
    on white, 16-bit greyscale scaled down."""
    upright = ImageOps.exif_transpose(image)
    if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, WHITE)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if upright.mode.startswith("I"):
        return upright.point(lambda v: v / 256).convert("L").convert("RGB")
    return upright.convert("RGB")


def _scaled(figure: Figure, factor: float) -> Figure:
    if factor == 1:
        return figure
    points = tuple((x * factor, y * factor) for x, y in figure.points)
    return Figure(figure.shape, points, figure.level, figure.label, figure.raised)


def _centroid(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """The area centroid of a simple polygon (the vertex mean if it has no area)."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(points, [*points[1:], points[0]], strict=True):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if area == 0:
        return (
            sum(x for x, _ in points) / len(points),
            sum(y for _, y in points) / len(points),
        )
    return cx / (3 * area), cy / (3 * area)


def _label_text(figure: Figure) -> str:
    return f"{figure.label}{RAISED_MARK}" if figure.raised else figure.label


def _draw_label(draw, font, size: int, figure: Figure, bounds: tuple[int, int]) -> None:
    text = _label_text(figure)
    if not text:
        return
    halo = {"stroke_width": max(2, size // 8), "stroke_fill": WHITE, "fill": TEXT_COLOUR}
    if figure.shape == "polygon":
        draw.text(_centroid(figure.points), text, font=font, anchor="mm", **halo)
        return
    x, y = figure.points[0]
    gap = marker_radius(size) + max(4, size // 3)
    text_width = draw.textlength(text, font=font)
    if x + gap + text_width <= bounds[0]:
        draw.text((x + gap, y), text, font=font, anchor="lm", **halo)
    else:
        draw.text((x - gap, y), text, font=font, anchor="rm", **halo)


def _draw_marker(draw, size: int, figure: Figure) -> None:
    """A solid dot with a white outline (and a thin dark ring so it shows on white paper)."""
    x, y = figure.points[0]
    radius = marker_radius(size)
    for extra, colour in ((3, RING_COLOUR), (2, WHITE), (0, colour_of(figure.level))):
        r = radius + extra
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)


def draw_map(
    base: Image.Image,
    figures: Sequence[Figure],
    *,
    font: FontFile | None = None,
    legend: bool = True,
    caption: str = "",
    max_side: int | None = None,
) -> Image.Image:
    """The plan with every figure drawn (areas half transparent, markers solid, labels on top)
    and, when `legend`, a band below it holding `caption` and the colour legend (bottom right).

    Plans larger than `max_side` are scaled down first, with the figures scaled alike."""
    plan = flatten(base)
    factor = 1.0
    if max_side is not None and max(plan.size) > max_side:
        factor = max_side / max(plan.size)
        plan = plan.resize(
            (max(1, round(plan.width * factor)), max(1, round(plan.height * factor))),
            Image.Resampling.LANCZOS,
        )
    ordered = sorted((_scaled(f, factor) for f in figures), key=lambda f: DRAW_RANK[f.level])
    size = text_size(*plan.size)
    typeface = load_font(font, size)

    overlay = Image.new("RGBA", plan.size, (0, 0, 0, 0))
    shade = ImageDraw.Draw(overlay)
    for figure in ordered:
        if figure.shape == "polygon":
            shade.polygon(figure.points, fill=(*colour_of(figure.level), POLYGON_ALPHA))
    canvas = Image.alpha_composite(plan.convert("RGBA"), overlay).convert("RGB")
    draw = ImageDraw.Draw(canvas)
    line_width = max(2, size // 6)
    for figure in ordered:
        if figure.shape == "polygon":
            ring = [*figure.points, figure.points[0]]
            draw.line(ring, fill=colour_of(figure.level), width=line_width, joint="curve")
    for figure in ordered:
        if figure.shape == "point":
            _draw_marker(draw, size, figure)
    for figure in ordered:
        _draw_label(draw, typeface, size, figure, canvas.size)
    if legend:
        canvas = _with_legend(canvas, typeface, size, figures, caption)
    return canvas


def legend_entries(figures: Sequence[Figure]) -> list[tuple[str | None, str]]:
    """(level, text) rows of the legend: the four levels always, 未评估 only when drawn."""
    entries: list[tuple[str | None, str]] = [
        (level, f"{LEVEL_LABELS[level]}（{COLOUR_NAMES[level]}）") for level in LEGEND_ORDER
    ]
    if any(figure.level is None for figure in figures):
        entries.append((None, f"{UNGRADED_LABEL}（灰）"))
    return entries


def _with_legend(canvas: Image.Image, font, size: int, figures, caption: str) -> Image.Image:
    """Add a white band under the plan: caption on the left, legend rows flush right."""
    pad, gap = max(8, size // 2), max(4, size // 3)
    line_height = math.ceil(size * 1.6)
    measure = ImageDraw.Draw(canvas)
    items = [("title", None, "图例：")]
    items += [("swatch", level, text) for level, text in legend_entries(figures)]
    if any(figure.raised for figure in figures):
        items.append(("note", None, RAISED_NOTE))

    def width_of(item) -> float:
        kind, _, text = item
        swatch = size + gap if kind == "swatch" else 0
        return swatch + measure.textlength(text, font=font) + size

    usable = canvas.width - 2 * pad
    rows: list[list] = [[]]
    for item in items:
        if rows[-1] and sum(map(width_of, rows[-1])) + width_of(item) > usable:
            rows.append([])
        rows[-1].append(item)
    caption_rows = 1 if caption else 0
    band = pad * 2 + line_height * (len(rows) + caption_rows)
    framed = Image.new("RGB", (canvas.width, canvas.height + band), WHITE)
    framed.paste(canvas, (0, 0))
    draw = ImageDraw.Draw(framed)
    draw.line((0, canvas.height, canvas.width, canvas.height), fill=RING_COLOUR, width=1)
    top = canvas.height + pad
    if caption:
        draw.text((pad, top + line_height / 2), caption, font=font, anchor="lm", fill=TEXT_COLOUR)
        top += line_height
    for row in rows:
        x = canvas.width - pad - sum(map(width_of, row)) + size
        middle = top + line_height / 2
        for kind, level, text in row:
            if kind == "swatch":
                half = size / 2
                box = (x, middle - half, x + size, middle + half)
                draw.rectangle(box, fill=colour_of(level), outline=RING_COLOUR)
                x += size + gap
            draw.text((x, middle), text, font=font, anchor="lm", fill=TEXT_COLOUR)
            x += measure.textlength(text, font=font) + size
        top += line_height
    return framed


def encode_png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=False)
    return buffer.getvalue()


def draw_risk_map(base_image: bytes, figures: Sequence[Figure], **options) -> bytes:
    """PNG bytes of the map drawn on the encoded plan image `base_image` (see draw_map)."""
    with Image.open(io.BytesIO(base_image)) as base:
        base.load()
        return encode_png(draw_map(base, figures, **options))
