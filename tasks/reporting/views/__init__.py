"""The browser pages of progress reporting, by what they are for: 我的任务 and a unit's record
(``my_tasks``), the report form and page (``reports``), the review queues (``queues``), the
reporting periods (``periods``); what they share in ``common``."""
