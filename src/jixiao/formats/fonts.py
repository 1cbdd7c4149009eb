"""The Chinese font of every PDF: an installed TrueType font, else reportlab's built-in CID font.

A published document should carry its glyphs, so an installed TrueType font is embedded
when there is one. reportlab embeds TrueType outlines only (not the CFF outlines of Noto
CJK), so we look for the TrueType fonts Debian ships, ``fonts-wqy-microhei`` first, in the
font folders (``FONT_DIRS``, or the folders of ``JIXIAO_FONT_DIRS`` separated by ``os.pathsep``).
``JIXIAO_CJK_FONT`` (path, optionally ``path#index`` for a .ttc collection) overrides the search.

On a fresh machine without any of them, PDFs still work: they fall back to ``STSong-Light``,
a CID font every PDF reader knows (Adobe's Asian font packs; pdfplumber/pdfminer read its
text), which needs no file and is not embedded. The fallback is logged once per process.
"""

from __future__ import annotations

import logging
import os
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)

FONT_NAME = "JixiaoCJK"
FALLBACK_FONT = "STSong-Light"
# Preferred first. Debian: fonts-wqy-microhei, fonts-wqy-zenhei, fonts-droid-fallback, fonts-arphic-uming;
# macOS: STHeiti; Windows: SimSun.
FONT_FILES = (
    "wqy-microhei.ttc", "wqy-zenhei.ttc", "DroidSansFallbackFull.ttf", "uming.ttc", "STHeiti Light.ttc", "simsun.ttc",
)
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "/System/Library/Fonts",
             "C:/Windows/Fonts")


class FontMissing(RuntimeError):
    """``JIXIAO_CJK_FONT`` names a file that does not exist; the message says which."""


def font_dirs() -> tuple[str, ...]:
    configured = os.environ.get("JIXIAO_FONT_DIRS")
    return tuple(d for d in configured.split(os.pathsep) if d) if configured is not None else FONT_DIRS


@cache
def _search(dirs: tuple[str, ...]) -> Path | None:
    found: dict[str, Path] = {}
    for folder in dirs:
        for root, _subdirs, files in os.walk(Path(folder).expanduser()):
            for name in files:
                found.setdefault(name, Path(root) / name)
    return next((found[name] for name in FONT_FILES if name in found), None)


def find_cjk_font() -> tuple[Path, int] | None:
    """The TrueType font to embed (path, index in a collection), or None when none is installed."""
    override = os.environ.get("JIXIAO_CJK_FONT")
    if override:
        path, _, index = override.partition("#")
        if not Path(path).is_file():
            raise FontMissing(f"JIXIAO_CJK_FONT 指向的字体文件不存在：{path}")
        return Path(path), int(index or 0)
    found = _search(font_dirs())
    return (found, 0) if found else None


@cache
def _register(font: tuple[Path, int] | None) -> str:
    if font is None:
        log.warning(
            "没有找到可嵌入 PDF 的中文 TrueType 字体，PDF 改用不嵌入的内置字体 %s；"
            "要嵌入字体请安装 fonts-wqy-microhei，或用 JIXIAO_CJK_FONT 指定 .ttf/.ttc 文件", FALLBACK_FONT,
        )
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
        return FALLBACK_FONT
    path, index = font
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=index))
    return FONT_NAME


def cjk_font() -> str:
    """The name of the registered Chinese font (registered with reportlab on first use)."""
    return _register(find_cjk_font())
