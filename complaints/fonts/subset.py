"""Rebuild wqy-microhei-gb2312.ttf, the font of the PDF 《客户投诉处理单》
(complaints.pdf): WenQuanYi Micro Hei (Apache-2.0, Debian's fonts-wqy-microhei)
cut down with fontTools to printable ASCII, Latin-1, the whole of GB2312 (6,763
hanzi, punctuation, full-width forms) and a few characters GB2312 lacks. It ships in
the repository so a PDF is made offline on a host without any CJK font.

    python complaints/fonts/subset.py /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
"""

import contextlib
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

OUT = Path(__file__).with_name("wqy-microhei-gb2312.ttf")
EXTRA = "·—–…‘’“”•€￥＿　"


def charset() -> set[int]:
    chars = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100)) | {ord(c) for c in EXTRA}
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):  # unassigned code points
                chars.add(ord(bytes([hi, lo]).decode("gb2312")))
    return chars


def main(source: str) -> None:
    font = TTCollection(source).fonts[0]  # WenQuanYi Micro Hei (not the Mono face)
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=charset())
    subsetter.subset(font)
    font.save(OUT)
    print(OUT, OUT.stat().st_size)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
