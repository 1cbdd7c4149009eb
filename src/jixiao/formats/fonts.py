"""A Chinese TrueType font to embed in PDFs.

reportlab's built-in CID font STSong-Light is not embedded, so a reader without it sees
boxes; a published document must carry its glyphs. reportlab embeds TrueType outlines
only (not the CFF outlines of Noto CJK), so we look for the TrueType fonts Debian ships:
``fonts-wqy-microhei`` first. ``JIXIAO_CJK_FONT`` (path, optionally ``path#index`` for a
.ttc collection) overrides the search.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_NAME = "JixiaoCJK"
CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # Debian: fonts-wqy-microhei
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",  # Debian: fonts-wqy-zenhei
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",  # Debian: fonts-droid-fallback
    "/usr/share/fonts/truetype/arphic/uming.ttc",  # Debian: fonts-arphic-uming
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",  # Fedora
    "/System/Library/Fonts/STHeiti Light.ttc",  # macOS
    "C:/Windows/Fonts/simsun.ttc",
)


class FontMissing(RuntimeError):
    """No Chinese TrueType font on this machine; the message says what to install."""


def find_cjk_font() -> tuple[Path, int]:
    override = os.environ.get("JIXIAO_CJK_FONT")
    if override:
        path, _, index = override.partition("#")
        if not Path(path).is_file():
            raise FontMissing(f"JIXIAO_CJK_FONT 指向的字体文件不存在：{path}")
        return Path(path), int(index or 0)
    for candidate in CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate), 0
    raise FontMissing(
        "找不到可嵌入 PDF 的中文 TrueType 字体：请安装 fonts-wqy-microhei（apt-get install fonts-wqy-microhei），"
        "或用环境变量 JIXIAO_CJK_FONT 指定 .ttf/.ttc 文件"
    )


@cache
def cjk_font() -> str:
    """Register the font with reportlab once and return its name."""
    path, index = find_cjk_font()
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=index))
    return FONT_NAME
