"""Writes of notifications: ``notify`` (the outbox), marking read, the delivery of one delivery
(claim, send, record) and the periodic pick-up, the office's resend.

Exactly once: a notice exists once per (rule, key, recipient) and a delivery once per (notice,
channel, target), both database constraints, written with INSERT … ON CONFLICT DO NOTHING
(``bulk_create(ignore_conflicts=True)``), so a double or concurrent ``notify`` writes nothing
twice. At most once per channel: a worker claims a delivery by moving it from pending to sending
under ``SELECT … FOR UPDATE SKIP LOCKED``; only the worker that made that move sends. See
docs/notifications.md for the one window left.
"""

import logging
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hefei_ai_zone import clock
from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from units.models import User
from units.permissions import is_unit_staff

from . import channels as senders
from .models import WEBHOOK_CHANNELS, Channel, Delivery, DeliveryState, Notice, Webhook
from .permissions import can_resend
from .selectors import deliveries_due
from .signals import deliveries_ready

logger = logging.getLogger(__name__)

ALL_CHANNELS: tuple[str, ...] = tuple(Channel.values)


# --- the outbox -------------------------------------------------------------------------------


def _check(*, rule: str, key: str, title: str, link: str, channels: Sequence[str]) -> None:
    problems = []
    if not rule or len(rule) > 32:
        problems.append("规则代码应为 1 到 32 个字符。")
    if not key or len(key) > 191:
        problems.append("事件标识应为 1 到 191 个字符。")
    if not title or len(title) > 200:
        problems.append("标题应为 1 到 200 个字符。")
    if len(link) > 500 or (link and not link.startswith(("/", "http://", "https://"))):
        problems.append("链接应为站内路径（以 / 开头）或 http(s) 地址。")
    unknown = [c for c in channels if c not in Channel.values]
    if unknown:
        problems.append(f"未知的通知渠道：{'、'.join(unknown)}。")
    if problems:
        raise ApplicationError("".join(problems))


def webhooks_for(recipient: User, webhooks: Sequence[Webhook]) -> list[Webhook]:
    """The group robots that speak for a recipient: their unit's for a unit's staff, the
    office's (no unit) for everyone else."""
    unit_id = recipient.unit_id if is_unit_staff(recipient) else None
    return [w for w in webhooks if w.unit_id == unit_id]


def notify(
    *,
    rule: str,
    key: str,
    recipients: Iterable[User],
    title: str,
    body: str = "",
    link: str = "",
    channels: Sequence[str] = ALL_CHANNELS,
    addresses: Iterable[str] = (),
) -> list[Notice]:
    """Write one notice per recipient and its deliveries, in the caller's transaction, each at
    most once; enqueue the pending deliveries after the commit.

    Deliveries: an email to each recipient with an address; one message per active group robot
    of the recipients' units (the office's robots for recipients outside a unit's staff), hung on
    the notice of its first recipient, so that a group hears of an event once. ``addresses``:
    people without an account (a unit's 联络员) get one email each, hung on the notice of the
    first recipient too (unique like the others; none without a recipient). Inactive accounts
    are not notified. Returns the notices (existing ones included).
    """
    _check(rule=rule, key=key, title=title, link=link, channels=channels)
    people = sorted({r.pk: r for r in recipients if r.is_active}.values(), key=lambda r: r.pk)
    if not people:
        return []
    with transaction.atomic():
        Notice.objects.bulk_create(
            [
                Notice(recipient=r, rule=rule, key=key, title=title, body=body, link=link)
                for r in people
            ],
            ignore_conflicts=True,
        )
        notices = list(
            Notice.objects.filter(rule=rule, key=key, recipient__in=people)
            .select_related("recipient")
            .order_by("recipient_id")
        )
        due = timezone.now() + timedelta(seconds=settings.NOTICE_PICKUP_GRACE)
        deliveries: list[Delivery] = []
        if Channel.EMAIL in channels:
            deliveries += [
                Delivery(
                    notice=n, channel=Channel.EMAIL, target=n.recipient.email, next_attempt_at=due
                )
                for n in notices
                if n.recipient.email
            ]
            taken = {n.recipient.email.strip().lower() for n in notices if n.recipient.email}
            extra = sorted({a.strip().lower() for a in addresses if a and a.strip()} - taken)
            deliveries += [
                Delivery(notice=notices[0], channel=Channel.EMAIL, target=a, next_attempt_at=due)
                for a in extra
            ]
        kinds = [c for c in channels if c in WEBHOOK_CHANNELS]
        if kinds:
            webhooks = list(Webhook.objects.filter(active=True, kind__in=kinds).order_by("id"))
            first_notice: dict[int, Notice] = {}
            for notice in notices:
                for webhook in webhooks_for(notice.recipient, webhooks):
                    first_notice.setdefault(webhook.pk, notice)
            deliveries += [
                Delivery(
                    notice=first_notice[webhook.pk],
                    channel=webhook.kind,
                    target=str(webhook.pk),
                    webhook=webhook,
                    next_attempt_at=due,
                )
                for webhook in webhooks
                if webhook.pk in first_notice
            ]
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        pending = list(
            Delivery.objects.filter(notice__in=notices, state=DeliveryState.PENDING)
            .order_by("id")
            .values_list("id", flat=True)
        )
        transaction.on_commit(lambda: deliveries_ready.send(sender=Delivery, delivery_ids=pending))
    return notices


# --- reading ----------------------------------------------------------------------------------


def notice_mark_read(*, user: User, notice_id: int) -> Notice:
    """Mark one of the person's notices read (again: nothing changes)."""
    with transaction.atomic():
        notice = Notice.objects.filter(pk=notice_id, recipient=user).first()
        if notice is None:
            raise ApplicationError("通知不存在。")
        if notice.read_at is None:
            notice.read_at = clock.now()
            notice.save(update_fields=["read_at"])
    return notice


def notices_mark_all_read(*, user: User) -> int:
    """Mark all of the person's unread notices read; returns how many."""
    with transaction.atomic():
        return Notice.objects.filter(recipient=user, read_at__isnull=True).update(
            read_at=clock.now()
        )


# --- delivering -------------------------------------------------------------------------------


class Outcome(StrEnum):
    SENT = "sent"
    SKIPPED = "skipped"  # not pending (sent, being sent, failed) or claimed by another worker
    RETRY = "retry"
    FAILED = "failed"


@dataclass(frozen=True)
class Attempt:
    outcome: Outcome
    retry_in: float = 0.0  # seconds, for RETRY
    reason: str = ""


def retry_delay(attempts: int) -> float:
    """Exponential backoff with full jitter, capped (NOTICE_RETRY_BACKOFF_MAX, below Redis's
    visibility timeout)."""
    ceiling = min(
        settings.NOTICE_RETRY_BACKOFF * 2 ** max(attempts - 1, 0),
        settings.NOTICE_RETRY_BACKOFF_MAX,
    )
    return random.uniform(ceiling / 2, ceiling)  # noqa: S311  (jitter, not a secret)


def delivery_claim(*, delivery_id: int) -> Delivery | None:
    """Move a pending delivery to sending and count the attempt, or None when it is not pending
    or another worker holds its row: the one step that decides who sends."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("notice__recipient", "webhook")
            .filter(pk=delivery_id, state=DeliveryState.PENDING)
            .first()
        )
        if delivery is None:
            return None
        delivery.state = DeliveryState.SENDING
        delivery.attempts += 1
        delivery.claimed_at = timezone.now()
        delivery.transmitting_at = None
        delivery.save(update_fields=["state", "attempts", "claimed_at", "transmitting_at"])
    return delivery


def delivery_mark_transmitting(*, delivery: Delivery) -> None:
    """Commit the marker right before the irreversible step (SMTP DATA, the robot's POST). From
    here on the outcome of a worker's death is unknown; before it, nothing went out. Raises
    DeliveryFailed (nothing sent) if the delivery is no longer ours."""
    now = timezone.now()
    with transaction.atomic():
        marked = Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.SENDING).update(
            transmitting_at=now
        )
    if not marked:
        raise senders.DeliveryFailed("投递已不在发送中（租约已过），本次未发出")
    delivery.transmitting_at = now


def _record(delivery: Delivery, **values: object) -> None:
    """Record the outcome of a claimed delivery (only while it is still ours: sending)."""
    Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.SENDING).update(**values)


def _send(delivery: Delivery) -> None:
    def mark() -> None:
        delivery_mark_transmitting(delivery=delivery)

    if delivery.channel == Channel.EMAIL:
        senders.send_email(delivery.notice, delivery.target, before_data=mark)
    elif delivery.webhook is None:
        raise senders.DeliveryFailed("群机器人已删除")
    else:
        senders.send_webhook(delivery.notice, delivery.webhook, before_post=mark)


def delivery_attempt(*, delivery_id: int, may_retry: bool = True) -> Attempt:
    """One attempt at a delivery: claim it, send it, record what happened. A failure is retried
    (pending again, with its reason) until NOTICE_MAX_ATTEMPTS, then failed; a send whose outcome
    is unknown is failed at once and never retried automatically (at most once)."""
    delivery = delivery_claim(delivery_id=delivery_id)
    if delivery is None:
        return Attempt(Outcome.SKIPPED)
    try:
        _send(delivery)
    except senders.DeliveryUnknown as exc:
        reason = f"结果未知，未自动重发：{exc.reason}"
        _record(delivery, state=DeliveryState.FAILED, last_error=reason)
        return Attempt(Outcome.FAILED, reason=reason)
    except senders.DeliveryFailed as exc:
        reason = f"第 {delivery.attempts} 次尝试失败：{exc.reason}"
        if may_retry and delivery.attempts < settings.NOTICE_MAX_ATTEMPTS:
            delay = retry_delay(delivery.attempts)
            pickup = delay + settings.NOTICE_PICKUP_GRACE
            _record(
                delivery,
                state=DeliveryState.PENDING,
                last_error=reason,
                next_attempt_at=timezone.now() + timedelta(seconds=pickup),
            )
            return Attempt(Outcome.RETRY, retry_in=delay, reason=reason)
        _record(delivery, state=DeliveryState.FAILED, last_error=reason)
        return Attempt(Outcome.FAILED, reason=reason)
    except BaseException as exc:  # the time limit, a bug: the row must not stay "sending"
        error = type(exc).__name__
        if delivery.transmitting_at is None:
            reason = f"发送前出错（{error}），未发出"
        else:
            reason = f"结果未知，未自动重发：发送时出错（{error}）"
        _record(delivery, state=DeliveryState.FAILED, last_error=reason)
        raise
    _record(delivery, state=DeliveryState.SENT, sent_at=clock.now(), last_error="")
    return Attempt(Outcome.SENT)


STALE_REASON = (
    "结果未知，未自动重发：发送进程在发送期间退出（可能已送达）。如确认未收到，请点击“重发”。"
)
RESUMED_REASON = "发送进程在发出之前退出，已重新排队。"


def deliveries_expire_stale(*, now: datetime | None = None) -> int:
    """Deliveries left sending longer than the lease (their worker died between its claim and
    its record). Without the transmitting marker nothing went out: pending again, due at once.
    With it (the one window): failed as unknown, never sent again automatically. Returns how
    many were failed."""
    now = now or timezone.now()
    stale = Delivery.objects.filter(
        state=DeliveryState.SENDING,
        claimed_at__lt=now - timedelta(seconds=settings.NOTICE_SENDING_LEASE),
    )
    with transaction.atomic():
        stale.filter(transmitting_at__isnull=True).update(
            state=DeliveryState.PENDING, last_error=RESUMED_REASON, next_attempt_at=now
        )
        return stale.filter(transmitting_at__isnull=False).update(
            state=DeliveryState.FAILED, last_error=STALE_REASON
        )


def deliveries_pick_up(*, now: datetime | None = None) -> list[int]:
    """What the periodic job enqueues: pending deliveries past their time (their job lost with
    Redis, or never enqueued), each put off by NOTICE_PICKUP_GRACE again so that the next run
    does not enqueue it twice while the queue is long."""
    now = now or timezone.now()
    deliveries_expire_stale(now=now)
    with transaction.atomic():
        ids = deliveries_due(now=now, limit=settings.NOTICE_PICKUP_BATCH)
        Delivery.objects.filter(pk__in=ids, state=DeliveryState.PENDING).update(
            next_attempt_at=now + timedelta(seconds=settings.NOTICE_PICKUP_GRACE)
        )
    return ids


def delivery_resend(*, user: User, delivery_id: int) -> Delivery:
    """The office sends a failed delivery again (pending, its attempts from zero), enqueued after
    the commit."""
    if not can_resend(user):
        raise NotPermittedError("只有领导小组办公室可以重发通知。")
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None:
            raise ApplicationError("投递记录不存在。")
        if delivery.state != DeliveryState.FAILED:
            raise ApplicationError(f"只能重发失败的投递；这条投递{delivery.get_state_display()}。")
        delivery.state = DeliveryState.PENDING
        delivery.attempts = 0
        delivery.claimed_at = None
        delivery.transmitting_at = None
        delivery.next_attempt_at = timezone.now() + timedelta(seconds=settings.NOTICE_PICKUP_GRACE)
        delivery.save()
        transaction.on_commit(
            lambda: deliveries_ready.send(sender=Delivery, delivery_ids=[delivery.pk])
        )
    return delivery
