"""Reading back the QR code a page draws: the inline SVG's path (segno's own format:
absolute ``M``, relative ``m`` and horizontal ``h`` runs along each module row) is
turned into the module matrix, rasterised and decoded by a real QR reader (zxing-cpp)
offline — so the test proves what a phone would read, not what the code meant to draw."""

from __future__ import annotations

import re

import zxingcpp
from PIL import Image

TOKEN = re.compile(r"([MmHhVv])([^MmHhVv]*)")


def svg_matrix(svg: str) -> list[list[bool]]:
    size = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    assert size, svg[:200]
    width, height = int(size.group(1)), int(size.group(2))
    path = re.search(r'<path[^>]* d="([^"]+)"', svg)
    assert path, svg[:200]
    grid = [[False] * width for _ in range(height)]
    x = y = 0.0
    for op, args in TOKEN.findall(path.group(1)):
        nums = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", args)]
        if op == "M":
            x, y = nums
        elif op == "m":
            x, y = x + nums[0], y + nums[1]
        elif op == "h":
            (run,) = nums
            for col in range(int(x), int(x + run)):
                grid[int(y)][col] = True
            x += run
        else:
            raise AssertionError(f"unexpected path command {op}")
    return grid


def decode(grid: list[list[bool]], scale: int = 6) -> list[str]:
    height, width = len(grid), len(grid[0])
    img = Image.new("L", (width * scale, height * scale), 255)
    px = img.load()
    for row in range(height):
        for col in range(width):
            if grid[row][col]:
                for dy in range(scale):
                    for dx in range(scale):
                        px[col * scale + dx, row * scale + dy] = 0
    return [r.text for r in zxingcpp.read_barcodes(img)]


def pdf_matrix(content: bytes) -> list[list[bool]]:
    """The QR code an fpdf2 page draws as filled rectangles (``x y w h re f``, in
    points, y upwards, h negative): every rectangle of the module height is a dark
    run; a quiet zone of four modules is added around them."""
    rects = [
        tuple(float(n) for n in m.groups())
        for m in re.finditer(rb"(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re\s+f\b", content)
    ]
    heights = [round(-h, 2) for _x, _y, _w, h in rects if h < 0]
    module = min(h for h in heights if h > 0.5)  # the QR's rows; frames are taller
    runs = [(x, y, w) for x, y, w, h in rects if abs(-h - module) < 0.01]
    left = min(x for x, _y, _w in runs)
    top = max(y for _x, y, _w in runs)
    cells = {
        (round((top - y) / module), round((x - left) / module) + i)
        for x, y, w in runs
        for i in range(round(w / module))
    }
    size = max(max(r, c) for r, c in cells) + 1 + 8
    return [[(r - 4, c - 4) in cells for c in range(size)] for r in range(size)]
