"""The channels: email through Django's email backend, WeCom and DingTalk group robots over HTTP.

Each sender either returns (the other side accepted the message) or raises:

- ``DeliveryFailed``: the message certainly did not go out (no connection, the server or robot
  answered an error); the delivery may be tried again.
- ``DeliveryUnknown``: the message was handed over and no answer came back (the connection broke
  or timed out after the request or the mail's data was sent); it may have gone out, so it is
  never tried again automatically (at most once; see docs/notifications.md).

Each sender takes a callback that commits the delivery's ``transmitting_at`` marker right before
the irreversible step (SMTP DATA, the robot's POST), so that a worker killed before it leaves a
delivery that is safely sent again.
"""

import base64
import contextlib
import hashlib
import hmac
import json
import smtplib
import time
from collections.abc import Callable
from http.client import HTTPConnection, HTTPException, HTTPSConnection
from typing import Any
from urllib.parse import quote_plus, urljoin, urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address

from .models import Notice, Webhook, WebhookKind


class DeliveryFailed(Exception):  # noqa: N818  (a reason, not a programming error)
    """The message did not go out; ``reason`` says why, in Chinese."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DeliveryUnknown(DeliveryFailed):
    """The message was handed over but no answer came: it may have gone out."""


def absolute_link(link: str) -> str:
    """The notice's link as a full URL (SITE_URL + path) for mail and group robots."""
    if not link:
        return settings.SITE_URL.rstrip("/") + "/"
    return urljoin(settings.SITE_URL.rstrip("/") + "/", link)


# --- email ------------------------------------------------------------------------------------


def email_message(notice: Notice, address: str) -> EmailMessage:
    name = notice.recipient.display_name
    lines = [f"{name}，您好：", "", notice.title]
    if notice.body:
        lines += ["", notice.body]
    lines += [
        "",
        f"查看详情：{absolute_link(notice.link)}",
        "",
        "—— 合肥人工智能试验区督查平台（系统自动发送，请勿直接回复）",
    ]
    return EmailMessage(
        subject=f"【督查平台】{notice.title}",
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
    )


def send_email(notice: Notice, address: str, *, before_data: Callable[[], None]) -> None:
    """Send the notice's mail. ``before_data`` is called (and must commit its marker) right before
    the one irreversible step: for SMTP, after MAIL FROM and RCPT TO were accepted and before
    DATA; for other backends (the console, locmem), before ``send_messages``. Until then a
    failure is ``DeliveryFailed`` (nothing went out); from DATA on, a broken connection is
    ``DeliveryUnknown``."""
    message = email_message(notice, address)
    connection = get_connection(fail_silently=False, timeout=settings.NOTICE_SEND_TIMEOUT)
    try:
        connection.open()  # connect, EHLO, STARTTLS and login as EMAIL_URL configures them
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryFailed(f"无法连接发信服务器：{exc}") from exc
    try:
        if isinstance(connection, SMTPBackend) and connection.connection is not None:
            _smtp_transaction(connection.connection, message, before_data)
            return
        before_data()
        try:
            connection.send_messages([message])
        except (
            smtplib.SMTPResponseException,
            smtplib.SMTPRecipientsRefused,
            smtplib.SMTPSenderRefused,
        ) as exc:
            raise DeliveryFailed(f"发信服务器拒收：{exc}") from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryUnknown(f"邮件已交给发信服务器，但连接中断，未收到确认：{exc}") from exc
    finally:
        # The message went out (or the error above says why not); QUIT does not matter.
        with contextlib.suppress(OSError, smtplib.SMTPException):
            connection.close()


def _smtp_transaction(
    smtp: smtplib.SMTP, message: EmailMessage, before_data: Callable[[], None]
) -> None:
    """MAIL FROM, RCPT TO, then ``before_data`` (the committed marker), then DATA: the mail is
    handed over only once the marker is in the database."""
    encoding = message.encoding or settings.DEFAULT_CHARSET
    sender = sanitize_address(message.from_email, encoding)
    recipients = [sanitize_address(a, encoding) for a in message.recipients()]
    mime: Any = message.message()  # Django's SafeMIME* take linesep (the stubs do not say)
    content: bytes = mime.as_bytes(linesep="\r\n")
    try:
        smtp.ehlo_or_helo_if_needed()
        options = [f"size={len(content)}"] if smtp.does_esmtp and smtp.has_extn("size") else []
        code, answer = smtp.mail(sender, options)
        if code != 250:
            raise DeliveryFailed(f"发信服务器拒绝发件人：{code} {answer.decode(errors='replace')}")
        for recipient in recipients:
            code, answer = smtp.rcpt(recipient)
            if code not in (250, 251):
                raise DeliveryFailed(
                    f"发信服务器拒绝收件人：{code} {answer.decode(errors='replace')}"
                )
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryFailed(f"发信服务器在传输邮件前断开：{exc}") from exc
    before_data()
    try:
        smtp.data(content)
    except smtplib.SMTPDataError as exc:  # the server answered DATA with an error: refused
        raise DeliveryFailed(f"发信服务器拒收：{exc}") from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryUnknown(f"邮件已交给发信服务器，但连接中断，未收到确认：{exc}") from exc


# --- group robots -----------------------------------------------------------------------------


def markdown_text(notice: Notice) -> str:
    parts = [f"**{notice.title}**"]
    if notice.body:
        parts.append(notice.body)
    parts.append(f"[查看详情]({absolute_link(notice.link)})")
    return "\n\n".join(parts)


def wecom_payload(notice: Notice) -> dict[str, Any]:
    """企业微信群机器人: markdown message (content ≤ 4096 bytes)."""
    content = markdown_text(notice)
    while len(content.encode("utf-8")) > 4096:
        content = content[: len(content) - 64]
    return {"msgtype": "markdown", "markdown": {"content": content}}


def dingtalk_payload(notice: Notice) -> dict[str, Any]:
    """钉钉自定义机器人: markdown message with its title (shown in the chat list)."""
    markdown = {"title": notice.title, "text": markdown_text(notice)}
    return {"msgtype": "markdown", "markdown": markdown}


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's signed mode: HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, base64,
    then URL-encoded (the ``sign`` parameter)."""
    string_to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode("utf-8"), string_to_sign, hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest))


def dingtalk_url(webhook: Webhook, *, timestamp_ms: int | None = None) -> str:
    if not webhook.secret:
        return webhook.url
    timestamp_ms = timestamp_ms if timestamp_ms is not None else int(time.time() * 1000)
    separator = "&" if "?" in webhook.url else "?"
    sign = dingtalk_sign(webhook.secret, timestamp_ms)
    return f"{webhook.url}{separator}timestamp={timestamp_ms}&sign={sign}"


def post_json(
    url: str, payload: dict[str, Any], *, before_post: Callable[[], None]
) -> dict[str, Any]:
    """POST the payload; the robot's JSON answer when it says errcode 0, else DeliveryFailed.
    ``before_post`` is called (and commits its marker) once connected, right before the
    request."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DeliveryFailed(f"Webhook 地址无效：{url}")
    connection_class = HTTPSConnection if parts.scheme == "https" else HTTPConnection
    connection = connection_class(parts.hostname, parts.port, timeout=settings.NOTICE_SEND_TIMEOUT)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    try:
        try:
            connection.connect()
        except OSError as exc:
            raise DeliveryFailed(f"无法连接群机器人：{exc}") from exc
        before_post()
        try:
            connection.request(
                "POST", path, body=body, headers={"Content-Type": "application/json; charset=utf-8"}
            )
        except (OSError, HTTPException) as exc:
            raise DeliveryFailed(f"请求未能发出：{exc}") from exc
        try:
            response = connection.getresponse()
            data = response.read()
        except (OSError, HTTPException) as exc:
            raise DeliveryUnknown(f"请求已发出，但未收到群机器人的答复：{exc}") from exc
    finally:
        connection.close()
    if response.status != 200:
        raise DeliveryFailed(f"群机器人答复 HTTP {response.status}")
    try:
        answer = json.loads(data)
    except ValueError as exc:
        raise DeliveryFailed("群机器人的答复不是 JSON") from exc
    if not isinstance(answer, dict) or answer.get("errcode") != 0:
        errcode = answer.get("errcode") if isinstance(answer, dict) else None
        errmsg = answer.get("errmsg", "") if isinstance(answer, dict) else ""
        raise DeliveryFailed(f"群机器人拒绝：errcode {errcode}，{errmsg}")
    return answer


def send_webhook(notice: Notice, webhook: Webhook, *, before_post: Callable[[], None]) -> None:
    if not webhook.active:
        raise DeliveryFailed(f"群机器人“{webhook.name}”已停用")
    if webhook.kind == WebhookKind.WECOM:
        post_json(webhook.url, wecom_payload(notice), before_post=before_post)
    else:
        post_json(dingtalk_url(webhook), dingtalk_payload(notice), before_post=before_post)
