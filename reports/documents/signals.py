"""The one hook between requesting a build and queueing it: sent after the commit that wrote the
build, with its id. ``reports.jobs`` enqueues the ``build_document`` job; the services know
nothing of Celery (and import nothing of the jobs that call them)."""

from django.dispatch import Signal

builds_ready = Signal()  # kwargs: build_ids (list[int])
