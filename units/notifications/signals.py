"""The one hook between writing deliveries and queueing them: sent after the commit that wrote
them, with their ids. ``units.jobs`` enqueues one ``deliver`` job each; the services know nothing
of Celery (and import nothing of the jobs that call them)."""

from django.dispatch import Signal

deliveries_ready = Signal()  # kwargs: delivery_ids (list[int])
