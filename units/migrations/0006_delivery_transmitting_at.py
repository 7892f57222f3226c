from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0005_contacts"),
    ]

    operations = [
        migrations.AddField(
            model_name="delivery",
            name="transmitting_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="开始传输"),
        ),
    ]
