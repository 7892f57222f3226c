"""The feed as iCalendar (RFC 5545) text, with the icalendar library: all-day events (DATE
values, so no VTIMEZONE is needed), stable UIDs, DTSTAMP from the one clock."""

from datetime import timedelta
from urllib.parse import urljoin

from django.conf import settings
from icalendar import Calendar, Event

from hefei_ai_zone import clock

from .selectors import FeedEvent

PRODID = "-//合肥人工智能试验区督查平台//日历订阅//ZH"
UID_DOMAIN = "ducha.hefei-ai-zone"


def feed_calendar(events: list[FeedEvent], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    stamp = clock.now()
    site = settings.SITE_URL.rstrip("/") + "/"
    for item in events:
        event = Event()
        event.add("uid", f"{item.uid}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + timedelta(days=1))
        event.add("summary", item.summary)
        event.add("transp", "TRANSPARENT")  # a deadline, not a busy day
        if item.link:
            url = urljoin(site, item.link.lstrip("/"))
            event.add("url", url)
            event.add("description", f"{item.description}\n{url}".strip())
        elif item.description:
            event.add("description", item.description)
        calendar.add_component(event)
    return calendar.to_ical()
