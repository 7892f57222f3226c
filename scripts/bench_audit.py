#!/usr/bin/env python
"""The audit log's cost on the bench PostgreSQL: 2,000 entries written each in its own
transaction (as requests write them) and 2,000 in one (as an import does), then audit_verify's
walk of the whole chain. The entries stay (the log is append-only: nothing deletes them).

    scripts/with-services.sh .venv/bin/python scripts/bench_audit.py   # alone
    make bench                                                         # a step of it
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hefei_ai_zone.settings.local")
os.environ.setdefault("DEBUG", "False")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

ENTRIES = int(os.environ.get("BENCH_AUDIT_ENTRIES", "2000"))


def main() -> None:
    from units.audit import services
    from units.audit.models import AuditEntry, AuditKind
    from units.audit.selectors import chain_verify

    print()
    print("The audit log (scripts/bench_audit.py)")
    changes = {"percent": [40, 55], "narrative": ["已完成模型框架设计。", "进展" * 200]}
    start = time.perf_counter()
    for i in range(ENTRIES):
        with transaction.atomic():
            services.record(AuditKind.UPDATE, changes=changes, detail=f"压测 {i}")
    each = time.perf_counter() - start
    print(f"{ENTRIES} entries, one transaction each            {each:7.2f} s")
    start = time.perf_counter()
    with transaction.atomic():
        for i in range(ENTRIES):
            services.record(AuditKind.UPDATE, changes=changes, detail=f"压测 {i}")
    one = time.perf_counter() - start
    print(f"{ENTRIES} entries in one transaction               {one:7.2f} s")
    start = time.perf_counter()
    report = chain_verify()
    walk = time.perf_counter() - start
    total = AuditEntry.objects.count()
    state = "intact" if report.broken is None else f"broken at {report.broken.entry_id}"
    print(f"audit_verify of {total} entries                 {walk:7.2f} s  {state}")


if __name__ == "__main__":
    call_command("migrate", verbosity=0)
    main()
