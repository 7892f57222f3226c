# The working-day calendar (tasks.workdays): the known years and the days their arrangement names.

import hefei_ai_zone.clock
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tasks', '0011_one_open_period_and_percent_drop_reason'),
    ]

    operations = [
        migrations.CreateModel(
            name='CalendarDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(unique=True, verbose_name='日期')),
                ('is_workday', models.BooleanField(help_text='勾选：调休上班；不勾选：放假。', verbose_name='上班')),
                ('name', models.CharField(blank=True, help_text='如：国庆节、春节。', max_length=40, verbose_name='节日')),
                ('source', models.CharField(choices=[('chinese_calendar', 'chinese-calendar 软件包'), ('office', '办公室录入')], default='office', max_length=16, verbose_name='来源')),
                ('updated_at', hefei_ai_zone.clock.ClockDateTimeField(auto_now=True, verbose_name='更新时间')),
            ],
            options={
                'verbose_name': '放假调休日',
                'verbose_name_plural': '放假调休日',
                'ordering': ['date'],
            },
        ),
        migrations.CreateModel(
            name='WorkdayYear',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(unique=True, verbose_name='年份')),
                ('source', models.CharField(choices=[('chinese_calendar', 'chinese-calendar 软件包'), ('office', '办公室录入')], default='office', max_length=16, verbose_name='来源')),
                ('note', models.CharField(blank=True, help_text='如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）。', max_length=200, verbose_name='依据')),
                ('updated_at', hefei_ai_zone.clock.ClockDateTimeField(auto_now=True, verbose_name='更新时间')),
            ],
            options={
                'verbose_name': '工作日安排（年度）',
                'verbose_name_plural': '工作日安排（年度）',
                'ordering': ['-year'],
                'constraints': [models.CheckConstraint(condition=models.Q(('year__gte', 2000), ('year__lte', 2100)), name='workday_year_range')],
            },
        ),
    ]
