"""The office enters a year from the State Council's notice as published: pasted as it stands,
it gives the same working days as the maintained package; a notice that cannot be read is
refused with a Chinese message naming the holiday, and nothing is written."""

from datetime import date, timedelta

import chinese_calendar
import pytest

from tasks.workdays.models import CalendarDay, WorkdaySource, WorkdayYear
from tasks.workdays.notice import NoticeError, notice_days
from tasks.workdays.selectors import is_workday
from tasks.workdays.services import year_enter
from tests.units.factories import make_user
from units.models import Role

NOTICES = {
    2023: """国务院办公厅关于2023年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
    经国务院批准，现将2023年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。
二、春节：1月21日至27日放假调休，共7天。1月28日（星期六）、1月29日（星期日）上班。
三、清明节：4月5日放假，共1天。
四、劳动节：4月29日至5月3日放假调休，共5天。4月23日（星期日）、5月6日（星期六）上班。
五、端午节：6月22日至24日放假调休，共3天。6月25日（星期日）上班。
六、中秋节、国庆节：9月29日至10月6日放假调休，共8天。10月7日（星期六）、10月8日（星期日）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫、疫情防控等工作。""",
    2024: """一、元旦：1月1日放假，与周末连休。
二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息。
三、清明节：4月4日至6日放假调休，共3天。4月7日（星期日）上班。
四、劳动节：5月1日至5日放假调休，共5天。4月28日（星期日）、5月11日（星期六）上班。
五、端午节：6月10日放假，与周末连休。
六、中秋节：9月15日至17日放假调休，共3天。9月14日（星期六）上班。
七、国庆节：10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班。""",
    2025: """一、元旦：1月1日（周三）放假1天，不调休。
二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
三、清明节：4月4日（周五）至6日（周日）放假，共3天。
四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。""",
}


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_a_notice_as_published_gives_the_packages_working_days(year: int) -> None:
    named = {d.date: d.is_workday for d in notice_days(NOTICES[year], year)}
    first = date(year, 1, 1)
    for day in (first + timedelta(days=i) for i in range(365)):
        ours = named.get(day, day.weekday() < 5)
        assert ours == chinese_calendar.is_workday(day), day


def test_a_holiday_beginning_in_december_of_the_year_before_is_read() -> None:
    days = notice_days(NOTICES[2023], 2023)
    assert days[0].date == date(2022, 12, 31) and days[0].name == "元旦"
    mid_autumn = [d for d in days if d.name == "中秋节、国庆节"]
    assert [d.date for d in mid_autumn if d.is_workday] == [date(2023, 10, 7), date(2023, 10, 8)]
    assert len([d for d in mid_autumn if not d.is_workday]) == 8


def test_dates_may_be_written_as_iso_dates() -> None:
    days = notice_days("国庆节：2027-10-01至2027-10-07放假；2027-09-26上班", 2027)
    assert [d.date for d in days if d.is_workday] == [date(2027, 9, 26)]
    assert len(days) == 8 and {d.name for d in days} == {"国庆节"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "请粘贴放假安排"),
        ("随便写点什么", "请粘贴放假安排"),
        ("春节：2月30日放假。", "“春节”：“2月30日”不是有效的日期"),
        ("春节：2月5日至11日放假。2月10日（周三）上班。", "“春节”：2027-02-10 已在“春节”中出现"),
        ("清明节：4月5日放假。4月7日（周三）上班。", "2027-04-07 是星期三，本来就上班"),
        ("端午节：6月9日上班。", "“端午节”：没有找到放假日期"),
        ("国庆节：10月7日至1日放假。", "不是一段合理的假期"),
        ("元旦：2025年1月1日放假。", "2025-01-01 不在2027年的安排之内"),
    ],
)
def test_a_notice_that_cannot_be_read_is_refused(text: str, message: str) -> None:
    with pytest.raises(NoticeError) as excinfo:
        notice_days(text, 2027)
    everything = excinfo.value.message + " ".join(
        excinfo.value.extra.get("fields", {}).get("text", [])
    )
    assert message in everything


@pytest.mark.django_db
def test_entering_a_year_replaces_it_only_when_asked() -> None:
    office = make_user("wd_office", Role.OFFICE, None)
    with pytest.raises(Exception, match="2024年的工作日安排已有（来源：chinese-calendar 软件包）"):
        year_enter(actor=office, year=2024, text=NOTICES[2024])
    result = year_enter(actor=office, year=2024, text=NOTICES[2024], replace=True)
    assert result.summary() == "已录入2024年的工作日安排：放假 28 天，调休上班 8 天。"
    assert WorkdayYear.objects.get(year=2024).source == WorkdaySource.OFFICE
    assert set(CalendarDay.objects.filter(date__year=2024).values_list("source", flat=True)) == {
        WorkdaySource.OFFICE
    }
    assert not is_workday(date(2024, 1, 1)) and is_workday(date(2024, 10, 12))
    with pytest.raises(NoticeError):
        year_enter(actor=office, year=2024, text="春节：2月30日放假。", replace=True)
    assert CalendarDay.objects.filter(date__year=2024).count() == 36  # unchanged
