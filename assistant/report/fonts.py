"""The Chinese font of the charts and of the page: Noto Sans SC, installed with the program.

A report is made on whatever machine the supervisor has, often one with no Chinese font a chart library can
find, and read on another; both must show Chinese, offline. The font comes from a Python package that ships
Noto Sans SC (SIL Open Font License) as a data file, so ``pip install`` brings it with the program. Charts are
drawn with it; the page carries, inline, only the glyphs its own text uses (a few hundred of the font's tens of
thousands: tens of kilobytes instead of eight megabytes), so it looks the same wherever it is opened.
"""

from __future__ import annotations

import base64
import io
import logging
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

log = logging.getLogger("assistant.report")

FONT_PACKAGE = "pylopdf_fonts_zh_cn"
FONT_FILE = "NotoSansSC-Regular.otf"
FAMILY = "Noto Sans SC"
# Fonts a machine may have instead, for charts when the package is missing, tried in this order.
FALLBACKS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
             "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC")
# What the page asks for after its own font: a system's Chinese sans-serif.
CSS_STACK = f'"{FAMILY}", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif'


def font_path() -> Path | None:
    """The shipped Noto Sans SC, or None when its package is not installed."""
    spec = find_spec(FONT_PACKAGE)
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / FONT_FILE
    return path if path.is_file() else None


@lru_cache(maxsize=1)
def chart_family() -> str:
    """The font family matplotlib draws Chinese with: the shipped font, else one of ``FALLBACKS`` installed."""
    from matplotlib import font_manager

    path = font_path()
    if path is not None:
        font_manager.fontManager.addfont(str(path))
        return font_manager.FontProperties(fname=str(path)).get_name()
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in FALLBACKS:
        if name in installed:
            return name
    log.warning("没有找到中文字体，图表中的汉字会显示为方框；请重新安装本程序（pip install -e .）")
    return "DejaVu Sans"


def css_font_face(text: str) -> str:
    """An ``@font-face`` rule carrying the glyphs of ``text`` as a data: URI; empty without the shipped font."""
    path = font_path()
    if path is None:
        return ""
    data = _subset(path, "".join(sorted(set(text))))
    encoded = base64.b64encode(data).decode("ascii")
    return (f'@font-face {{ font-family: "{FAMILY}"; font-weight: 400; '
            f'src: url(data:font/otf;base64,{encoded}) format("opentype"); }}')


def _subset(path: Path, text: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    # No layout tables, vertical metrics or hinting: horizontal text needs plain glyphs, and without the rest the
    # cut takes a third of the time.
    options = subset.Options(layout_features=[], hinting=False, name_IDs=[1, 2, 3, 4, 6], notdef_outline=True,
                             drop_tables=["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG"])
    font = TTFont(path, lazy=True, recalcBBoxes=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()
