"""Draws a stand-in scan for each ALTO page of this issue: every word at its box
(mm10 units at a quarter scale), so the boxes news-search draws can be checked by
eye. Run from this folder: python3 make_scans.py (needs Pillow)."""
import xml.etree.ElementTree as ET
from PIL import Image, ImageDraw, ImageFont

SCALE = 0.25
for n in (1, 2):
    root = ET.parse(f"text/{n:04}.xml").getroot()
    ns = {"a": root.tag.split("}")[0].strip("{")}
    page = root.find(".//a:Page", ns)
    w, h = int(float(page.get("WIDTH")) * SCALE), int(float(page.get("HEIGHT")) * SCALE)
    img = Image.new("L", (w, h), 236)
    draw = ImageDraw.Draw(img)
    for s in root.iter(f"{{{ns['a']}}}String"):
        x, y = float(s.get("HPOS")) * SCALE, float(s.get("VPOS")) * SCALE
        bw, bh = float(s.get("WIDTH")) * SCALE, float(s.get("HEIGHT")) * SCALE
        font = ImageFont.load_default(size=max(8, int(bh * 0.9)))
        draw.text((x, y), s.get("CONTENT"), fill=30, font=font)
    img.save(f"images/{n:04}.png", optimize=True)
