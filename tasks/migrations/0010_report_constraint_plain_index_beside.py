# The unique constraint (period, assignment, unit) of ProgressReport becomes plain, so that SQLite
# (the embedded default) creates it too: SQLite creates no unique constraint with included columns
# (models.W039), so a report could be stored twice there. The included columns the dashboard reads
# move to a covering index beside it (PostgreSQL keeps its index-only scans; SQLite keeps the key
# columns only). The index is built first, and no row changes; a database that already holds a
# report twice (SQLite only) is refused with the list of them before anything else changes.

from django.conf import settings
from django.core.management.base import CommandError
from django.db import migrations, models
from django.db.models import Count, Min


def refuse_duplicates(apps, schema_editor):
    ProgressReport = apps.get_model("tasks", "ProgressReport")
    twice = list(
        ProgressReport.objects.using(schema_editor.connection.alias)
        .values("period_id", "assignment_id", "unit_id")
        .annotate(n=Count("id"), first=Min("id"))
        .filter(n__gt=1)
        .order_by("first")[:20]
    )
    if twice:
        listed = "；".join(
            f"周期 {r['period_id']}、分工 {r['assignment_id']}、单位 {r['unit_id']}：{r['n']} 份"
            for r in twice
        )
        raise CommandError(
            "数据库中已有重复的进展报告（同一周期、同一分工、同一单位不止一份），"
            f"不能加上唯一约束，未作任何改动：{listed}。"
            "请先在管理后台删除多余的报告，再运行 python manage.py migrate。"
        )


class Migration(migrations.Migration):

    dependencies = [
        ("tasks", "0009_stamps_from_the_clock"),
        ("units", "0003_office_role_label"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(refuse_duplicates, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="progressreport",
            index=models.Index(
                fields=["period", "assignment", "unit"],
                include=("state", "status", "submitted_at", "id"),
                name="report_period_counts",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="progressreport",
            name="report_once_per_period",
        ),
        migrations.AddConstraint(
            model_name="progressreport",
            constraint=models.UniqueConstraint(
                fields=("period", "assignment", "unit"), name="report_once_per_period"
            ),
        ),
    ]
