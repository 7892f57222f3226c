"""The Chinese fonts every document needs: fontconfig must know a CJK font, or building stops
with a clear message instead of producing a PDF of empty boxes."""

import functools
import shutil
import subprocess

from hefei_ai_zone.errors import ApplicationError

MISSING_FONTS = (
    "未安装中文字体（Noto Serif CJK SC / Noto Sans CJK SC），无法生成文件。"
    "请安装 fonts-noto-cjk 后重试。"
)


class DocumentError(ApplicationError):
    """A document cannot be built on this machine or from this input (a Chinese reason)."""


def cjk_font_families() -> list[str]:
    """The families fontconfig offers for Chinese (``fc-list :lang=zh family``), as it sees them
    under the process's environment (FONTCONFIG_FILE included)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        out = subprocess.run(  # noqa: S603 (a fixed command line)
            [fc_list, ":lang=zh", "family"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.strip() for line in out.splitlines() if line.strip()})


def require_cjk_fonts() -> None:
    """Raise DocumentError unless a CJK font is installed (never a PDF with boxes)."""
    if not cjk_font_families():
        raise DocumentError(MISSING_FONTS)


@functools.cache
def cjk_font_file(family: str = "Noto Sans CJK SC") -> str:
    """The file of the CJK font fontconfig finds for ``family`` (``fc-match``), for what draws
    text outside WeasyPrint (the charts' PNGs for Word); DocumentError when there is none."""
    fc_match = shutil.which("fc-match")
    found = ""
    if fc_match is not None:
        try:
            found = subprocess.run(  # noqa: S603 (a fixed command line)
                [fc_match, "-f", "%{file}", f"{family}:lang=zh-cn"],
                capture_output=True,
                text=True,
                check=False,
                timeout=30,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            found = ""
    if "CJK" not in found:
        raise DocumentError(MISSING_FONTS)
    return found
