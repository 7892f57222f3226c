"""联络员: kept by the office (page and admin), validated with Chinese messages, read for many
units in one query."""

import pytest
from django.urls import reverse

from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from tests.permission_matrix import client_as
from tests.units.factories import make_user
from units.contacts.models import Contact
from units.contacts.selectors import contacts_of
from units.contacts.services import contact_create, contact_delete, contact_update
from units.models import Role, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return make_user("c_office", Role.OFFICE, "市科技局")


def kjj() -> Unit:
    return Unit.objects.get(name="市科技局")


def test_office_adds_changes_and_deletes_a_contact(office) -> None:
    c = contact_create(
        actor=office,
        unit=kjj(),
        name=" 王芳 ",
        mobile="13912345678",
        office_phone="0551-63538888 转 801",
        email="wangfang@hefei.gov.cn",
    )
    assert c.name == "王芳" and c.unit == kjj()
    contact_update(actor=office, contact=c, note="科室负责人")
    assert Contact.objects.get().note == "科室负责人"
    contact_delete(actor=office, contact=c)
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"mobile": "1391234567"}, "手机号码应为以 1 开头的 11 位数字"),
        ({"mobile": "23912345678"}, "手机号码应为以 1 开头的 11 位数字"),
        ({"mobile": "1391234567a"}, "手机号码应为以 1 开头的 11 位数字"),
        ({"email": "wang@"}, "请输入有效的电子邮箱地址"),
        ({"office_phone": "call me"}, "办公电话只能包含数字"),
        ({"name": ""}, "不能为空"),
    ],
)
def test_bad_contact_details_are_refused_in_chinese(office, values, message) -> None:
    base = {"name": "王芳", "mobile": "13912345678"}
    with pytest.raises(ApplicationError, match=message):
        contact_create(actor=office, unit=kjj(), **{**base, **values})
    assert not Contact.objects.exists()


def test_only_the_office_keeps_contacts(office) -> None:
    for role, unit in (
        (Role.REPORTER, "市科技局"),
        (Role.APPROVER, "市科技局"),
        (Role.LEADER, None),
    ):
        who = make_user(f"c_{role}", role, unit)
        with pytest.raises(NotPermittedError, match="只有领导小组办公室可以维护联络员"):
            contact_create(actor=who, unit=kjj(), name="王芳", mobile="13912345678")


def test_contacts_of_many_units_is_one_query(office, django_assert_num_queries) -> None:
    units = list(Unit.objects.organisations()[:5])
    for i, u in enumerate(units):
        contact_create(actor=office, unit=u, name=f"联络员{i}", mobile=f"1391234567{i}", order=2)
        contact_create(actor=office, unit=u, name=f"第一{i}", mobile=f"1381234567{i}", order=1)
    with django_assert_num_queries(1):
        found = contacts_of([u.pk for u in units] + [units[0].pk])
    assert [c.name for c in found[units[0].pk]] == ["第一0", "联络员0"]
    assert len(found) == 5


@pytest.mark.parametrize(
    ("who", "status"), [(None, 302), ("reporter", 403), ("leader", 403), ("office", 200)]
)
def test_contacts_page_permissions(office, who, status) -> None:
    account = {
        None: None,
        "reporter": make_user("c_rep", Role.REPORTER, "市科技局"),
        "leader": make_user("c_leader", Role.LEADER, None),
        "office": office,
    }[who]
    client = client_as(account, page=True)
    url = reverse("contacts:unit-contacts", args=[kjj().pk])
    assert client.get(url).status_code == status
    response = client.post(url, {"name": "王芳", "mobile": "13912345678"})
    assert response.status_code == (302 if who == "office" else status)
    assert Contact.objects.count() == (1 if who == "office" else 0)


def test_contacts_page_shows_the_error_next_to_the_field(office) -> None:
    client = client_as(office, page=True)
    url = reverse("contacts:unit-contacts", args=[kjj().pk])
    response = client.post(url, {"name": "王芳", "mobile": "123", "email": "x", "order": 0})
    html = response.content.decode()
    assert response.status_code == 400
    assert "手机号码应为以 1 开头的 11 位数字" in html and "请输入有效的电子邮箱地址" in html
    c = contact_create(actor=office, unit=kjj(), name="王芳", mobile="13912345678")
    edit = reverse("contacts:contact-edit", args=[kjj().pk, c.pk])
    assert (
        client.post(edit, {"name": "王芳", "mobile": "13800000000", "order": 1}).status_code == 302
    )
    assert Contact.objects.get().mobile == "13800000000"
    assert client.post(edit, {"delete": "1"}).status_code == 302
    assert not Contact.objects.exists()


def test_the_admin_lists_contacts_in_chinese(admin_client) -> None:
    response = admin_client.get("/admin/units/contact/add/")
    html = response.content.decode()
    assert response.status_code == 200 and "联络员" in html and "办公电话" in html
