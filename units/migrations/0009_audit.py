"""The audit log (issue 11): the append-only AuditEntry with its triggers; 三员分立 (the auditor
role, the check constraints on User, existing superusers made role admin first); a unit's
permission for self-approval."""

from typing import Any

import django.db.models.deletion
import hefei_ai_zone.clock
import units.models
from django.conf import settings
from django.db import migrations, models

REFUSE_MESSAGE = "审计日志只能追加，不能修改或删除。"
POSTGRES_TRIGGER = f"""
CREATE FUNCTION units_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{REFUSE_MESSAGE}';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER units_auditentry_append_only BEFORE UPDATE OR DELETE ON units_auditentry
    FOR EACH ROW EXECUTE FUNCTION units_auditentry_append_only();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS units_auditentry_append_only ON units_auditentry;
DROP FUNCTION IF EXISTS units_auditentry_append_only();
"""
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER units_auditentry_no_{event.lower()} BEFORE {event} ON units_auditentry
    BEGIN SELECT RAISE(ABORT, '{REFUSE_MESSAGE}'); END"""
    for event in ("UPDATE", "DELETE")
]


def triggers_create(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_TRIGGER)
    elif vendor == "sqlite":
        for sql in SQLITE_TRIGGERS:
            schema_editor.execute(sql)


def triggers_drop(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)
    elif vendor == "sqlite":
        for event in ("update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS units_auditentry_no_{event}")


def superusers_are_administrators(apps: Any, schema_editor: Any) -> None:
    """Before the constraints: a superuser becomes role admin (an office account made superuser
    by hand loses the superuser flag instead: the office is not the administrator)."""
    User = apps.get_model("units", "User")
    User.objects.filter(is_superuser=True, role="office").update(is_superuser=False)
    User.objects.filter(is_superuser=True).exclude(role="admin").update(role="admin")


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('units', '0008_security'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(db_index=True, default=hefei_ai_zone.clock.real_now, verbose_name='时间')),
                ('kind', models.CharField(choices=[('login', '登录'), ('logout', '退出'), ('login_failed', '登录失败'), ('lockout', '账号锁定'), ('unlock', '解除锁定'), ('password_change', '修改密码'), ('password_reset', '重置密码'), ('create', '新增'), ('update', '修改'), ('delete', '删除'), ('export', '导出'), ('document_build', '生成文件'), ('download', '下载'), ('urge', '催办'), ('order', '督办单')], max_length=20, verbose_name='事件')),
                ('username', models.CharField(blank=True, max_length=150, verbose_name='用户名')),
                ('role', models.CharField(blank=True, max_length=32, verbose_name='角色')),
                ('unit_pk', models.IntegerField(blank=True, null=True, verbose_name='单位编号')),
                ('unit_name', models.CharField(blank=True, max_length=64, verbose_name='单位')),
                ('ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='IP 地址')),
                ('user_agent', models.CharField(blank=True, max_length=255, verbose_name='浏览器')),
                ('object_type', models.CharField(blank=True, max_length=64, verbose_name='对象类型')),
                ('object_id', models.CharField(blank=True, max_length=64, verbose_name='对象编号')),
                ('object_repr', models.CharField(blank=True, max_length=200, verbose_name='对象')),
                ('changes', models.JSONField(blank=True, default=dict, verbose_name='变更')),
                ('detail', models.TextField(blank=True, verbose_name='说明')),
                ('prev_hash', models.CharField(max_length=64, verbose_name='上一条摘要')),
                ('hash', models.CharField(max_length=64, verbose_name='摘要')),
            ],
            options={
                'verbose_name': '审计日志',
                'verbose_name_plural': '审计日志',
                'ordering': ['-id'],
            },
        ),
        migrations.AlterModelManagers(
            name='user',
            managers=[
                ('objects', units.models.AccountManager()),
            ],
        ),
        migrations.AddField(
            model_name='unit',
            name='self_approval_allowed',
            field=models.BooleanField(default=False, help_text='单位只有一名审核人时，由领导小组办公室决定是否允许撰写报告的人审核自己的报告。', verbose_name='允许本人审核本人报告'),
        ),
        migrations.AlterField(
            model_name='user',
            name='role',
            field=models.CharField(choices=[('reporter', '填报员'), ('approver', '审核人'), ('office', '督查员'), ('leader', '领导'), ('admin', '系统管理员'), ('auditor', '安全审计员')], default='reporter', max_length=16, verbose_name='角色'),
        ),
        migrations.RunPython(superusers_are_administrators, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('is_staff', False), ('is_superuser', False), ('role', 'auditor')), models.Q(('role', 'auditor'), _negated=True), _connector='OR'), name='user_auditor_not_staff', violation_error_message='安全审计员不能同时是系统管理员或后台管理人员。'),
        ),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(('is_superuser', True), ('role', 'office'), _negated=True), name='user_office_not_superuser', violation_error_message='督查员不能同时是系统管理员（超级用户）。'),
        ),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(('is_superuser', False), ('role', 'admin'), _connector='OR'), name='user_superuser_is_admin', violation_error_message='超级用户的角色只能是系统管理员。'),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='actor',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['username', '-id'], name='audit_username'),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['unit_pk', '-id'], name='audit_unit'),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['kind', '-id'], name='audit_kind'),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['actor', '-id'], name='audit_actor'),
        ),
        migrations.RunPython(triggers_create, triggers_drop),
    ]
