"""One-off: draw the app icons (安巡 on the brand blue) with Pillow; the PNGs are committed."""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BRAND = (11, 79, 138)
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
HERE = Path(__file__).parent


def icon(size: int, *, maskable: bool) -> Image.Image:
    scale = 4  # draw large, then downsample for smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, big, big), fill=BRAND)
        text_box = big * 0.62  # keep the text inside the 80 % safe zone
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=BRAND)
        text_box = big * 0.78
    font = ImageFont.truetype(FONT, int(text_box / 2), index=2)  # index 2: Simplified Chinese
    draw.text((big / 2, big * 0.47), "安巡", font=font, fill="white", anchor="mm")
    bar_w, bar_h = text_box * 0.7, big * 0.035
    top = big * 0.70
    draw.rounded_rectangle(
        ((big - bar_w) / 2, top, (big + bar_w) / 2, top + bar_h), radius=bar_h / 2, fill=(255, 196, 0)
    )
    return image.resize((size, size), Image.LANCZOS)


for name, size, maskable in (
    ("icon-192.png", 192, False),
    ("icon-512.png", 512, False),
    ("maskable-512.png", 512, True),
    ("apple-touch-180.png", 180, True),
):
    out = icon(size, maskable=maskable)
    if name.startswith("apple"):
        out = out.convert("RGB")
    out.save(HERE / name, optimize=True)
    print(name, (HERE / name).stat().st_size)
