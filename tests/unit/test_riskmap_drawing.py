"""The pure four-colour map drawing: colours at marker and area positions, legend, validation."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from anxun.risk.map import drawing as riskmap
from anxun.risk.map.drawing import Figure, FontFile, draw_map, draw_risk_map, shape_problems

RED = (0xE6, 0x00, 0x12)
ORANGE = (0xF3, 0x98, 0x00)
YELLOW = (0xFF, 0xF1, 0x00)
BLUE = (0x00, 0x68, 0xB7)
GREY = (0x9E, 0x9E, 0x9E)
WHITE = (255, 255, 255)
# Blue at alpha 128/255 over white: 255·127/255 + c·128/255 per channel, by hand:
# R 127 + 0 = 127, G 127 + 52.2 = 179, B 127 + 91.9 = 219.
BLUE_ON_WHITE = (127, 179, 219)
# Where areas overlap only the higher one is shaded: red over white is
# R 127 + 115.5 = 242, G 127 + 0 = 127, B 127 + 9 = 136.
RED_ON_WHITE = (242, 127, 136)
NOTO = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")

SQUARE = ((200, 150), (350, 150), (350, 250), (200, 250))


def plan(width=400, height=300, mode="RGB", colour=WHITE):
    return Image.new(mode, (width, height), colour)


def close(actual, expected, tolerance=2):
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


def red_point_blue_square():
    return [
        Figure("point", ((100, 100),), "red", "储罐区"),
        Figure("polygon", SQUARE, "blue", "仓库"),
    ]


def test_red_marker_and_blue_area_have_their_colours_at_their_positions():
    image = draw_map(plan(), red_point_blue_square())
    assert image.getpixel((100, 100)) == RED
    assert image.getpixel((103, 97)) == RED
    # The half-transparent area, away from its centred label.
    assert close(image.getpixel((215, 165)), BLUE_ON_WHITE)
    assert close(image.getpixel((335, 240)), BLUE_ON_WHITE)
    # Its outline is solid blue; the paper elsewhere stays white.
    assert image.getpixel((275, 150)) == BLUE
    assert image.getpixel((30, 250)) == WHITE
    assert image.getpixel((380, 20)) == WHITE


def test_marker_has_a_white_outline_and_its_label_to_the_right():
    image = draw_map(plan(), [Figure("point", ((100, 100),), "red", "储罐区")])
    radius = riskmap.marker_radius(riskmap.text_size(400, 300))
    assert radius == 7
    assert image.getpixel((100 + radius + 1, 100)) == WHITE
    label_area = image.crop((112, 92, 170, 108)).get_flattened_data()
    assert any(max(pixel) < 100 for pixel in label_area)
    # Nothing is written to the left of the marker.
    assert all(pixel == WHITE for pixel in image.crop((40, 92, 88, 108)).get_flattened_data())


def test_label_of_a_marker_near_the_right_edge_goes_to_its_left():
    image = draw_map(plan(), [Figure("point", ((390, 100),), "blue", "东侧配电室")])
    assert image.getpixel((390, 100)) == BLUE
    assert any(max(pixel) < 100 for pixel in image.crop((300, 92, 378, 108)).get_flattened_data())


@pytest.mark.parametrize(
    ("level", "colour"),
    [("red", RED), ("orange", ORANGE), ("yellow", YELLOW), ("blue", BLUE), (None, GREY)],
)
def test_each_level_draws_its_four_colour_marker(level, colour):
    image = draw_map(plan(), [Figure("point", ((60, 60),), level, "")])
    assert image.getpixel((60, 60)) == colour


def test_higher_risk_area_is_drawn_over_a_lower_one_whatever_the_order():
    red = Figure("polygon", ((250, 150), (390, 150), (390, 290), (250, 290)), "red", "")
    blue = Figure("polygon", SQUARE, "blue", "")
    for figures in ([red, blue], [blue, red]):
        image = draw_map(plan(), figures, legend=False)
        assert close(image.getpixel((300, 200)), RED_ON_WHITE)
        assert close(image.getpixel((220, 170)), BLUE_ON_WHITE)


def _band(image, height=300):
    return image.crop((0, height + 1, image.width, image.height))


def _count(region, colour):
    return sum(1 for pixel in region.get_flattened_data() if pixel == colour)


def test_legend_band_under_the_plan_holds_the_four_colours_flush_right():
    image = draw_map(plan(), red_point_blue_square())
    assert image.width == 400 and image.height > 300
    band = _band(image)
    swatch = riskmap.text_size(400, 300) ** 2 // 2
    for colour in (RED, ORANGE, YELLOW, BLUE):
        assert _count(band, colour) >= swatch, colour
    # Red comes first, blue last, and the row ends at the right margin (bottom-right corner).
    blue_columns = [
        x for x in range(band.width) for y in range(band.height) if band.getpixel((x, y)) == BLUE
    ]
    red_columns = [
        x for x in range(band.width) for y in range(band.height) if band.getpixel((x, y)) == RED
    ]
    assert max(red_columns) < min(blue_columns)
    assert min(blue_columns) > 200
    inked = [
        x
        for x in range(band.width)
        for y in range(2, band.height)
        if max(band.getpixel((x, y))) < 128
    ]
    assert max(inked) >= 400 - 8 - 12
    # No ungraded figure: no grey entry.
    assert _count(band, GREY) == 0


def test_legend_lists_ungraded_only_when_something_is_ungraded():
    image = draw_map(plan(), [Figure("point", ((60, 60),), None, "配电室")])
    swatch = riskmap.text_size(400, 300) ** 2 // 2
    assert _count(_band(image), GREY) >= swatch
    assert [text for _, text in riskmap.legend_entries([Figure("point", ((1, 1),), None)])] == [
        "重大风险（红）",
        "较大风险（橙）",
        "一般风险（黄）",
        "低风险（蓝）",
        "未评估（灰）",
    ]


def test_without_legend_the_map_keeps_the_plan_size():
    image = draw_map(plan(), red_point_blue_square(), legend=False)
    assert image.size == (400, 300)


def test_raised_figures_add_the_note_row_to_the_legend():
    plain = draw_map(plan(), [Figure("point", ((60, 60),), "orange", "A")])
    raised = draw_map(plan(), [Figure("point", ((60, 60),), "orange", "A", raised=True)])
    line = round(riskmap.text_size(400, 300) * 1.6)
    assert raised.height - plain.height in (line, line + 1)


def test_large_plans_are_scaled_down_with_their_figures():
    figures = [
        Figure("point", ((400, 300),), "red", ""),
        Figure("point", ((700, 500),), "blue", ""),
    ]
    image = draw_map(plan(800, 600), figures, legend=False, max_side=400)
    assert image.size == (400, 300)
    assert image.getpixel((200, 150)) == RED
    assert image.getpixel((350, 250)) == BLUE


def test_transparent_plans_are_laid_on_white():
    image = draw_map(plan(mode="RGBA", colour=(0, 0, 0, 0)), [], legend=False)
    assert image.mode == "RGB"
    assert image.getpixel((10, 10)) == WHITE


def test_exif_rotated_plans_are_drawn_upright():
    # A 300×400 photo stored sideways (orientation 6 = rotate 90° clockwise to view).
    stored = Image.new("RGB", (400, 300), WHITE)
    exif = stored.getexif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    stored.save(buffer, "JPEG", exif=exif)
    png = draw_risk_map(buffer.getvalue(), [Figure("point", ((50, 350),), "red", "")], legend=False)
    image = Image.open(io.BytesIO(png))
    assert image.size == (300, 400)
    assert image.getpixel((50, 350)) == RED


def test_draw_risk_map_returns_png_bytes_of_the_drawn_map():
    png = draw_risk_map(plan_bytes(), red_point_blue_square(), caption="宁波澄江化工有限公司")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.getpixel((100, 100)) == RED


def plan_bytes():
    buffer = io.BytesIO()
    plan().save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.skipif(not NOTO.is_file(), reason="Noto Sans CJK is not installed")
def test_chinese_labels_render_with_the_cjk_font_rather_than_boxes():
    def ink(font):
        figure = Figure("point", ((20, 100),), "red", "储罐区")
        image = draw_map(plan(), [figure], font=font, legend=False).crop((30, 88, 120, 112))
        return [pixel for pixel in image.get_flattened_data() if max(pixel) < 100]

    cjk = ink(FontFile(str(NOTO), 2))
    # Pillow's built-in font has no CJK glyphs and draws small boxes: far less ink.
    assert len(cjk) > len(ink(None))
    assert riskmap.load_font(FontFile(str(NOTO), 2), 12).getname() == (
        "Noto Sans CJK SC",
        "Regular",
    )


def test_missing_font_file_falls_back_to_the_builtin_font():
    font = riskmap.load_font(FontFile("/nonexistent/font.ttc"), 14)
    assert font.getbbox("A")[2] > 0


@pytest.mark.parametrize(
    ("shape", "points", "expected"),
    [
        ("point", [[0, 0]], []),
        ("point", [[400, 300]], []),
        ("point", [[100.5, 99.25]], []),
        ("point", [[1, 1], [2, 2]], ["标记点应恰好有 1 个点。"]),
        ("point", [], ["标记点应恰好有 1 个点。"]),
        ("point", [[1, 2, 3]], ["每个点应为 [x, y] 两个数。"]),
        ("polygon", [[0, 0], [10, 0], [0, 10]], []),
        ("polygon", [[0, 0], [10, 0]], ["多边形至少需要 3 个点。"]),
        ("polygon", [[0, 0], [10, 10], [20, 20]], ["多边形的点不能在同一直线上。"]),
        ("polygon", [[x, x % 2] for x in range(201)], ["多边形最多 200 个点。"]),
        (
            "point",
            [[400.5, 10]],
            ["第 1 个点超出平面图范围（宽 400、高 300 像素）。"],
        ),
        (
            "polygon",
            [[10, 10], [-1, 10], [10, 301], [50, 50]],
            ["第 2、3 个点超出平面图范围（宽 400、高 300 像素）。"],
        ),
    ],
)
def test_shape_problems(shape, points, expected):
    assert shape_problems(shape, points, 400, 300) == expected


def test_level_colours_and_labels():
    assert [riskmap.hex_colour(level) for level in ("red", "orange", "yellow", "blue", None)] == [
        "#E60012",
        "#F39800",
        "#FFF100",
        "#0068B7",
        "#9E9E9E",
    ]
    assert riskmap.level_label("orange") == "较大风险"
    assert riskmap.level_label(None) == "未评估"
    assert riskmap.polygon_area(SQUARE) == 150 * 100
