"""Provisioning accounts (add_user, add_users) and the first-login password change."""

import codecs
import csv
import io
import re
import stat
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from units.models import Role, User
from units.services import password_generate

pytestmark = pytest.mark.django_db

STRONG = "Sturdy-Lantern-2023"
HEADER = "username,unit,role,email,name,password\n"
KJJ_REPORTER = ["--unit", "市科技局", "--role", "reporter"]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def one_time_password(output: str) -> str:
    match = re.search(r"一次性密码：(\S+)", output)
    assert match, output
    return match.group(1)


# --- add_user ---------------------------------------------------------------------------------


def test_add_user_creates_the_account_and_shows_its_one_time_password_once() -> None:
    output = run(
        "add_user", "zhangsan", "--unit", "市科技局", "--role", "reporter", "--name", "张三",
        "--email", "zhangsan@kjj.hefei.gov.cn",
    )  # fmt: skip
    password = one_time_password(output)
    user = User.objects.get(username="zhangsan")
    assert user.unit is not None
    assert (user.unit.name, user.role, user.first_name, user.email) == (
        "市科技局",
        Role.REPORTER,
        "张三",
        "zhangsan@kjj.hefei.gov.cn",
    )
    assert user.must_change_password and user.is_active and not user.is_staff
    assert user.check_password(password)
    assert output.count(password) == 1
    assert "首次登录后须修改密码" in output


def test_add_user_with_a_strong_password_uses_it_and_asks_for_no_change() -> None:
    output = run(
        "add_user", "lisi", "--unit", "市经信局", "--role", "approver", "--password=" + STRONG
    )
    user = User.objects.get(username="lisi")
    assert user.check_password(STRONG) and not user.must_change_password
    assert "一次性密码" not in output and STRONG not in output


def test_add_user_accepts_the_chinese_role_name_and_an_admin_gets_the_admin_site() -> None:
    run("add_user", "wangwu", "--role", "系统管理员")
    user = User.objects.get(username="wangwu")
    assert user.role == Role.ADMIN and user.is_staff and user.is_superuser and user.unit is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "市科枝局", "--role", "reporter"], "单位“市科枝局”不存在"),
        (["--unit", "市科技局", "--role", "boss"], "角色“boss”无效"),
        (["--role", "reporter"], "填报员必须指定所属单位"),
        (["--role", "approver"], "审核人必须指定所属单位"),
        (["--unit", "各县（市）区政府", "--role", "reporter"], "是单位集合，不能作为所属单位"),
        ([*KJJ_REPORTER, "--password", "12345678"], "这个密码太常见了"),
        ([*KJJ_REPORTER, "--password", "Ab3"], "密码太短，至少需要 8 个"),
        ([*KJJ_REPORTER, "--password", "zhaoliu1"], "密码跟 用户名 太相似"),
        ([*KJJ_REPORTER, "--email", "kjj@"], "邮箱“kjj@”格式不正确"),
    ],
)
def test_add_user_refuses_bad_input_in_chinese_and_creates_nothing(
    args: list[str], message: str
) -> None:
    before = User.objects.count()
    with pytest.raises(CommandError, match=message) as excinfo:
        run("add_user", "zhaoliu", *args)
    assert str(excinfo.value).startswith("未创建账号：")
    assert User.objects.count() == before


def test_add_user_refuses_a_username_that_is_taken_in_any_case() -> None:
    run("add_user", "kjj_tianbao", "--unit", "市科技局", "--role", "reporter")
    for name in ("kjj_tianbao", "KJJ_Tianbao"):
        with pytest.raises(CommandError, match="已被使用"):
            run("add_user", name, "--unit", "市科技局", "--role", "approver")
    assert User.objects.filter(username__iexact="kjj_tianbao").count() == 1


def test_add_user_reports_every_problem_at_once() -> None:
    with pytest.raises(CommandError) as excinfo:
        run("add_user", "x", "--unit", "无此单位", "--role", "boss", "--password", "123")
    message = str(excinfo.value)
    assert "单位“无此单位”不存在" in message and "角色“boss”无效" in message
    assert "密码不够安全" in message


def test_one_time_passwords_are_strong_and_all_different() -> None:
    passwords = {password_generate() for _ in range(200)}
    assert len(passwords) == 200
    for p in passwords:
        assert re.fullmatch(r"[A-Za-z2-9]{4}-[A-Za-z2-9]{4}-[A-Za-z2-9]{4}", p)
        assert not set(p) & set("0Oo1lI")
        assert any(c.isdigit() for c in p) and any(c.isupper() for c in p)


# --- add_users ----------------------------------------------------------------------------------


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "users.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def printed_passwords(output: str) -> dict[str, str]:
    """username → one-time password, from the table add_users prints."""
    rows = {}
    for line in output.splitlines():
        cells = line.split()
        if cells and re.fullmatch(r"\w{4}-\w{4}-\w{4}", cells[-1]):
            rows[cells[0]] = cells[-1]
    return rows


def test_add_users_creates_every_account_and_prints_their_one_time_passwords(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        HEADER + "kjj_a,市科技局,reporter,a@kjj.cn,甲,\n"
        "jxj_b,市经信局,审核人,,乙某某,\n"
        "ld_c,,leader,,丙,\n"
        f"sfj_d,市司法局,reporter,,丁,{STRONG}\n",
    )
    output = run("add_users", str(path))
    passwords = printed_passwords(output)
    assert set(passwords) == {"kjj_a", "jxj_b", "ld_c"}
    for username, password in passwords.items():
        user = User.objects.get(username=username)
        assert user.check_password(password) and user.must_change_password
    given = User.objects.get(username="sfj_d")
    assert given.check_password(STRONG) and not given.must_change_password
    assert STRONG not in output and "使用文件中的密码" in output
    assert User.objects.get(username="jxj_b").role == Role.APPROVER
    assert "已创建 4 个账号" in output


def test_add_users_creates_nothing_and_names_every_bad_line_if_any_line_is_wrong(
    tmp_path: Path,
) -> None:
    run("add_user", "taken", "--role", "leader")
    before = User.objects.count()
    path = write(
        tmp_path,
        HEADER + "ok_1,市科技局,reporter,,,\n"  # line 2: fine
        "bad_unit,市科枝局,reporter,,,\n"  # line 3
        "\n"  # line 4: blank, skipped
        "ok_1,市经信局,reporter,,,\n"  # line 5: same username as line 2
        "weak,市科技局,reporter,,,123\n"  # line 6
        "taken,市科技局,reporter,,,\n"  # line 7: exists already
        "grp,开发区管委会,approver,x@y,,\n"  # line 8: a group, a bad email
        "extra,市科技局,reporter,,,,多出来\n"  # line 9
        "norole,市科技局,,,,\n"  # line 10
        ",,,,,\n",  # line 11: empty row, skipped
    )
    with pytest.raises(CommandError) as excinfo:
        run("add_users", str(path))
    message = str(excinfo.value)
    assert message.startswith("有 7 行有误，没有创建任何账号。")
    lines = dict(re.findall(r"第 (\d+) 行：(.+)", message))
    assert sorted(map(int, lines)) == [3, 5, 6, 7, 8, 9, 10]
    assert "单位“市科枝局”不存在" in lines["3"]
    assert "与第 2 行重复" in lines["5"]
    assert "密码不够安全" in lines["6"]
    assert "已被使用" in lines["7"]
    assert "单位集合" in lines["8"] and "邮箱“x@y”格式不正确" in lines["8"]
    assert "多出 1 列" in lines["9"]
    assert "角色“”无效" in lines["10"]
    assert User.objects.count() == before


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", codecs.BOM_UTF8), ("utf-8", b""), ("gbk", b""), ("gb18030", b"")],
    ids=["utf-8 with BOM (Excel's CSV UTF-8)", "utf-8", "gbk (Chinese Excel's CSV)", "gb18030"],
)
def test_add_users_reads_the_files_excel_writes(
    tmp_path: Path, encoding: str, prefix: bytes
) -> None:
    text = "用户名,单位,角色,邮箱,姓名\r\nbhq_zhang,包河区政府,填报员,,张晓燕\r\n"
    path = tmp_path / "users.csv"
    path.write_bytes(prefix + text.encode(encoding))
    output = run("add_users", str(path))
    user = User.objects.get(username="bhq_zhang")
    assert user.unit is not None
    assert (user.unit.name, user.first_name, user.role) == ("包河区政府", "张晓燕", Role.REPORTER)
    assert user.check_password(printed_passwords(output)["bhq_zhang"])


def test_add_users_explains_a_file_it_cannot_read(tmp_path: Path) -> None:
    utf16 = tmp_path / "unicode.txt"
    utf16.write_bytes(codecs.BOM_UTF16_LE + HEADER.encode("utf-16-le"))
    with pytest.raises(CommandError, match="UTF-16"):
        run("add_users", str(utf16))
    with pytest.raises(CommandError, match="无法识别的列：“邮件”"):
        run("add_users", str(write(tmp_path, "username,unit,role,邮件\nx,市科技局,reporter,\n")))
    with pytest.raises(CommandError, match="缺少列：role"):
        run("add_users", str(write(tmp_path, "username,unit\nx,市科技局\n")))
    with pytest.raises(CommandError, match="只有表头"):
        run("add_users", str(write(tmp_path, HEADER)))
    with pytest.raises(CommandError, match="无法读取文件"):
        run("add_users", str(tmp_path / "missing.csv"))
    assert not User.objects.filter(username="x").exists()


def test_add_users_output_writes_the_passwords_to_a_private_file_instead_of_the_screen(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, HEADER + "kjj_e,市科技局,reporter,,戊,\njyj_f,市教育局,approver,,,\n")
    target = tmp_path / "passwords.csv"
    output = run("add_users", str(path), "--output", str(target))
    data = target.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    rows = list(csv_rows(data))
    assert rows[0] == ["username", "name", "unit", "role", "password"]
    written = {r[0]: r for r in rows[1:]}
    assert written["kjj_e"][1:4] == ["戊", "市科技局", "填报员"]
    for username, row in written.items():
        assert User.objects.get(username=username).check_password(row[4])
        assert row[4] not in output
    assert "已创建 2 个账号" in output and str(target) in output


def test_add_users_never_overwrites_an_earlier_password_file(tmp_path: Path) -> None:
    target = tmp_path / "passwords.csv"
    target.write_text("earlier passwords", encoding="utf-8")
    path = write(tmp_path, HEADER + "kjj_g,市科技局,reporter,,,\n")
    with pytest.raises(CommandError, match="已存在"):
        run("add_users", str(path), "--output", str(target))
    assert target.read_text(encoding="utf-8") == "earlier passwords"
    assert not User.objects.filter(username="kjj_g").exists()


def test_add_users_leaves_no_password_file_when_it_creates_nothing(tmp_path: Path) -> None:
    target = tmp_path / "passwords.csv"
    path = write(tmp_path, HEADER + "kjj_h,无此单位,reporter,,,\n")
    with pytest.raises(CommandError, match="第 2 行"):
        run("add_users", str(path), "--output", str(target))
    assert not target.exists()


# --- first login with a one-time password -------------------------------------------------------


@pytest.fixture
def newcomer() -> tuple[User, str]:
    output = run("add_user", "newcomer", "--unit", "市教育局", "--role", "reporter")
    return User.objects.get(username="newcomer"), one_time_password(output)


def log_in(username: str, password: str) -> tuple[Client, str]:
    client = Client()
    response = client.post(
        reverse("login"), {"username": username, "password": password}, follow=True
    )
    return client, response.redirect_chain[-1][0]


def test_first_login_with_a_one_time_password_leads_to_the_password_change_page(
    newcomer: tuple[User, str],
) -> None:
    client, landed = log_in(*(newcomer[0].username, newcomer[1]))
    assert landed.startswith(reverse("password_change") + "?next=")
    page = client.get(landed).content.decode()
    assert "修改密码" in page and "一次性初始密码" in page and 'name="next"' in page


@pytest.mark.parametrize("path", ["/plan/", "/units/", "/demos/1/", "/admin/"])
def test_pages_wait_until_the_one_time_password_is_changed(
    newcomer: tuple[User, str], path: str
) -> None:
    client, _ = log_in(newcomer[0].username, newcomer[1])
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change") + f"?next={path.replace('/', '%2F')}"


def test_the_api_answers_403_in_chinese_until_the_password_is_changed(
    newcomer: tuple[User, str],
) -> None:
    client, _ = log_in(newcomer[0].username, newcomer[1])
    response = client.get("/api/tasks/")
    assert response.status_code == 403
    assert response.json() == {
        "message": "请先修改初始密码。",
        "extra": {"password_change_url": reverse("password_change")},
    }


def test_htmx_requests_are_sent_to_the_change_page_as_a_whole_page(
    newcomer: tuple[User, str],
) -> None:
    client, _ = log_in(newcomer[0].username, newcomer[1])
    response = client.get("/plan/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("password_change"))


def test_static_files_and_logout_stay_reachable_before_the_change(
    newcomer: tuple[User, str],
) -> None:
    client, _ = log_in(newcomer[0].username, newcomer[1])
    assert client.get("/static/css/app.css").status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get("/plan/")["Location"].startswith(reverse("login"))


def test_changing_the_one_time_password_clears_the_flag_and_opens_the_platform(
    newcomer: tuple[User, str],
) -> None:
    user, one_time = newcomer
    client, _ = log_in(user.username, one_time)
    change = reverse("password_change")

    same = client.post(
        change, {"old_password": one_time, "new_password1": one_time, "new_password2": one_time}
    )
    assert "新密码不能与当前密码相同" in same.content.decode()
    weak = client.post(
        change, {"old_password": one_time, "new_password1": "abc", "new_password2": "abc"}
    )
    assert "密码太短，至少需要 8 个字符" in weak.content.decode()
    wrong = client.post(
        change, {"old_password": "nope", "new_password1": STRONG, "new_password2": STRONG}
    )
    assert wrong.status_code == 200
    user.refresh_from_db()
    assert user.must_change_password

    new = {"new_password1": STRONG, "new_password2": STRONG}
    response = client.post(change, {"old_password": one_time, **new, "next": "/units/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done") + "?next=%2Funits%2F"
    done = client.get(response["Location"]).content.decode()
    assert "密码已修改" in done and 'href="/units/"' in done
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password(STRONG)
    # Still logged in in this session; pages and the API answer.
    assert client.get("/units/").status_code == 200
    assert client.get("/api/tasks/").status_code == 200
    # The one-time password is gone; the new one works.
    assert not Client().login(username=user.username, password=one_time)
    assert Client().login(username=user.username, password=STRONG)


def test_the_done_page_ignores_a_next_address_outside_the_site(
    newcomer: tuple[User, str],
) -> None:
    client, _ = log_in(newcomer[0].username, newcomer[1])
    response = client.post(
        reverse("password_change"),
        {
            "old_password": newcomer[1],
            "new_password1": STRONG,
            "new_password2": STRONG,
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    assert "evil.example" not in client.get(response["Location"]).content.decode()


def test_people_without_the_flag_use_the_platform_and_may_change_their_password() -> None:
    run("add_user", "veteran", "--role", "leader", "--password", STRONG)
    client, landed = log_in("veteran", STRONG)
    assert landed == reverse("dashboard:dashboard")  # the leader lands on 总览
    page = client.get(reverse("password_change")).content.decode()
    assert "修改密码" in page and "一次性初始密码" not in page
