"""Two-factor authentication and single sign-on (issue 11): the platform's subject of a person
who logs in through the unified identity platform. (The authenticators are django-otp's tables.)"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0009_audit"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="sso_subject",
            field=models.CharField(
                blank=True,
                help_text="经统一身份认证平台登录的用户在平台上的标识（sub）；本地账号为空。",
                max_length=255,
                null=True,
                unique=True,
                verbose_name="统一身份认证标识",
            ),
        ),
    ]
