# Aggregates kept on write (issue 15): one row per unit, period, status and light.

import django.db.models.deletion
from django.db import migrations, models


def fill_summaries(apps, schema_editor):
    """The summaries of the forms already stored (jixiao.tracking.summaries keeps them from now on)."""
    from jixiao.tracking.summaries import summaries_rebuild

    summaries_rebuild(apps.get_model("tracking", "TrackingReport"), apps.get_model("tracking", "UnitPeriodSummary"),
                      line_model=None)  # no per-source columns yet (0013 adds and fills them)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_login_failures'),
        ('tracking', '0007_mof_likelihood_remarks'),
    ]

    operations = [
        migrations.CreateModel(
            name='UnitPeriodSummary',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(max_length=30)),
                ('light', models.CharField(blank=True, default='', max_length=10)),
                ('count', models.PositiveIntegerField(default=0)),
                ('budget_wanyuan', models.DecimalField(decimal_places=10, default=0, max_digits=30)),
                ('spent_wanyuan', models.DecimalField(decimal_places=10, default=0, max_digits=30)),
                ('errors', models.PositiveIntegerField(default=0)),
                ('warnings', models.PositiveIntegerField(default=0)),
                ('period', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tracking.trackingperiod')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.organisation')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('unit', 'period', 'status', 'light'), name='summary_unique_group')],
            },
        ),
        migrations.RunPython(fill_summaries, migrations.RunPython.noop),
    ]
