"""Poppler's tools (pdftotext, pdffonts, pdfimages, pdfinfo) as the tests call them."""

import shutil
import subprocess


def run(tool: str, *args: str) -> str:
    path = shutil.which(tool)
    assert path, f"{tool} is not installed (poppler-utils)"
    return subprocess.run(
        [path, *args], capture_output=True, text=True, check=True, timeout=120
    ).stdout
