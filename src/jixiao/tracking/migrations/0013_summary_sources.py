# The roll-up's totals per funding source kept in the summaries (issue 15): 年初预算数, 跟踪期预算数 and 执行数 in
# 万元 per source, instead of a GROUP BY over the department's budget lines on every roll-up.

from django.db import migrations, models


def fill_sources(apps, schema_editor):
    """The summaries recomputed with their per-source figures (summaries_refresh keeps them from now on)."""
    from jixiao.tracking.summaries import summaries_rebuild

    summaries_rebuild(apps.get_model("tracking", "TrackingReport"), apps.get_model("tracking", "UnitPeriodSummary"),
                      apps.get_model("tracking", "BudgetLine"))


class Migration(migrations.Migration):

    dependencies = [
        ('tracking', '0012_growth_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='unitperiodsummary',
            name='appropriation_budget',
            field=models.DecimalField(decimal_places=10, default=0, max_digits=30),
        ),
        migrations.AddField(
            model_name='unitperiodsummary',
            name='appropriation_initial',
            field=models.DecimalField(decimal_places=10, default=0, max_digits=30),
        ),
        migrations.AddField(
            model_name='unitperiodsummary',
            name='appropriation_spent',
            field=models.DecimalField(decimal_places=10, default=0, max_digits=30),
        ),
        migrations.AddField(
            model_name='unitperiodsummary',
            name='carryover_budget',
            field=models.DecimalField(decimal_places=10, default=0, max_digits=30),
        ),
        migrations.AddField(
            model_name='unitperiodsummary',
            name='carryover_initial',
            field=models.DecimalField(decimal_places=10, default=0, max_digits=30),
        ),
        migrations.AddField(
            model_name='unitperiodsummary',
            name='carryover_spent',
            field=models.DecimalField(decimal_places=10, default=0, max_digits=30),
        ),
        migrations.AddField(
            model_name='unitperiodsummary',
            name='other_budget',
            field=models.DecimalField(decimal_places=10, default=0, max_digits=30),
        ),
        migrations.AddField(
            model_name='unitperiodsummary',
            name='other_initial',
            field=models.DecimalField(decimal_places=10, default=0, max_digits=30),
        ),
        migrations.AddField(
            model_name='unitperiodsummary',
            name='other_spent',
            field=models.DecimalField(decimal_places=10, default=0, max_digits=30),
        ),
        migrations.AddField(
            model_name='unitperiodsummary',
            name='total_budget',
            field=models.DecimalField(decimal_places=10, default=0, max_digits=30),
        ),
        migrations.AddField(
            model_name='unitperiodsummary',
            name='total_initial',
            field=models.DecimalField(decimal_places=10, default=0, max_digits=30),
        ),
        migrations.AddField(
            model_name='unitperiodsummary',
            name='total_spent',
            field=models.DecimalField(decimal_places=10, default=0, max_digits=30),
        ),
        # Backwards the columns are dropped, so there is nothing to undo.
        migrations.RunPython(fill_sources, migrations.RunPython.noop),
    ]
