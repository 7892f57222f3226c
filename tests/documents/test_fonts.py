"""Without a CJK font on the machine, building stops with a clear Chinese message and produces
no file: never a PDF of empty boxes. A process whose fontconfig knows no font at all
(FONTCONFIG_FILE pointing at an empty configuration) runs the build, as a worker would."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from reports.documents.fonts import MISSING_FONTS
from reports.documents.models import BuildState, DocumentBuild
from reports.documents.services import build_request
from tests.notifications.processes import ROOT

from .conftest import make_order, tool

EMPTY_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{fonts}</dir><cachedir>{cache}</cachedir></fontconfig>
"""


def without_fonts(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "fonts").mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(EMPTY_FONTCONFIG.format(fonts=tmp_path / "fonts", cache=tmp_path / "cache"))
    database_url = (
        os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]
    )
    return {
        **os.environ,
        "FONTCONFIG_FILE": str(conf),
        "DJANGO_SETTINGS_MODULE": "hefei_ai_zone.settings.local",
        "DATABASE_URL": database_url,
        "DATA_DIR": str(tmp_path / "data"),
        "SUPERVISION_TODAY": "",
    }


def test_fontconfig_sees_no_font_in_that_process(tmp_path) -> None:
    env = without_fonts(tmp_path)
    out = subprocess.run([tool("fc-list")], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.django_db(transaction=True)
def test_a_build_without_cjk_fonts_fails_with_the_clear_message(
    committed_data, people, tmp_path
) -> None:
    order = make_order(people)
    build = build_request(
        user=people["office"], kind="supervision_order", params={"order": str(order.pk)}, fmt="pdf"
    )
    script = (
        f"from reports.documents.services import build_run;print(build_run(build_id={build.pk}))"
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=without_fonts(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.strip().splitlines()[-1] == "failed", done.stdout + done.stderr
    build.refresh_from_db()
    assert build.state == BuildState.FAILED
    assert build.error == MISSING_FONTS
    assert "未安装中文字体" in build.error and "fonts-noto-cjk" in build.error
    assert not build.file
    assert not list((tmp_path / "data").glob("media/documents/**/*.pdf"))
    assert DocumentBuild.objects.count() == 1
