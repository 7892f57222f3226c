"""Password rules (issue 11): when each password was set, and the hashes of earlier ones.

Accounts already there start their rotation clock now (a null date would never expire).
"""

from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def start_the_clock(apps: Any, schema_editor: Any) -> None:
    apps.get_model("units", "User").objects.filter(password_changed_at__isnull=True).update(
        password_changed_at=timezone.now()
    )


class Migration(migrations.Migration):

    dependencies = [
        ('units', '0007_office_admin_access'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='password_changed_at',
            field=models.DateTimeField(blank=True, help_text='超过 PASSWORD_MAX_AGE_DAYS 天未修改时，登录后须先修改密码。', null=True, verbose_name='密码修改时间'),
        ),
        migrations.CreateModel(
            name='PasswordHistory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('password', models.CharField(max_length=128, verbose_name='密码摘要')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='设置时间')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='password_history', to=settings.AUTH_USER_MODEL, verbose_name='用户')),
            ],
            options={
                'verbose_name': '历史密码',
                'verbose_name_plural': '历史密码',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['user', '-created_at'], name='units_passw_user_id_4c9fe3_idx')],
            },
        ),
        migrations.RunPython(start_the_clock, migrations.RunPython.noop),
    ]
