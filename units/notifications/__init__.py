"""Notifications (通知): an outbox of notices and their deliveries by email and group robots.

The caller (a reporting event, a reminder rule's sweep) gives a rule code, the event's key as a
string, the recipients, a title, a body and a link; ``services.notify`` writes the notices and
their deliveries in the caller's transaction, each at most once (database constraints), and
enqueues one Celery job per delivery after the commit (``units.jobs.deliver``). This slice knows
nothing of tasks/: notices carry a generic key and the link the caller gives. See
docs/notifications.md.
"""
