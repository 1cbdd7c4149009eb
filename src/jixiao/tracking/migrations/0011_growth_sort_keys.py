# Sort keys stored on each report (issue 15): the project's name, the budget in 万元, the worst finding's
# rank, so that the lists' and the dashboard's orders can be index scans (0012 adds the indexes).

from django.db import migrations, models


def fill_sort_keys(apps, schema_editor):
    """The keys of the forms already stored (mapping.py sets them on every write from now on)."""
    from jixiao.tracking.sortkeys import sort_keys_fill

    sort_keys_fill(apps.get_model("tracking", "TrackingReport"))


class Migration(migrations.Migration):

    dependencies = [
        ('tracking', '0010_indicator_plan_derivation'),
    ]

    operations = [
        migrations.AddField(
            model_name='trackingreport',
            name='budget_wanyuan',
            field=models.DecimalField(blank=True, decimal_places=10, max_digits=30, null=True, verbose_name='跟踪期预算数（万元）'),
        ),
        migrations.AddField(
            model_name='trackingreport',
            name='project_name',
            field=models.CharField(blank=True, default='', max_length=300, verbose_name='项目名称'),
        ),
        migrations.AddField(
            model_name='trackingreport',
            name='worst',
            field=models.PositiveSmallIntegerField(default=0),
        ),
        # Backwards the columns are dropped, so there is nothing to undo.
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop),
    ]
