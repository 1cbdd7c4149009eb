# Indexes in each list order of the current forms and the dashboard's two per-period orders (issue 15; EXPLAIN
# before and after in docs/PERFORMANCE.md), and the public index's per-unit probe of the published forms.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_separation_of_duties'),
        ('tracking', '0011_growth_sort_keys'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='trackingreport',
            name='report_light_errors',
        ),
        migrations.AddIndex(
            model_name='trackingreport',
            index=models.Index(condition=models.Q(('is_latest', True)), fields=['project_name', 'id'], name='report_current_project'),
        ),
        migrations.AddIndex(
            model_name='trackingreport',
            index=models.Index(condition=models.Q(('is_latest', True)), fields=['total_rate', 'project_name', 'id'], name='report_current_rate'),
        ),
        migrations.AddIndex(
            model_name='trackingreport',
            index=models.Index(condition=models.Q(('is_latest', True)), fields=['-total_rate', 'project_name', 'id'], name='report_current_rate_desc'),
        ),
        migrations.AddIndex(
            model_name='trackingreport',
            index=models.Index(condition=models.Q(('is_latest', True)), fields=['-light_rank', '-error_count', 'project_name', 'id'], name='report_current_light'),
        ),
        migrations.AddIndex(
            model_name='trackingreport',
            index=models.Index(condition=models.Q(('is_latest', True)), fields=['-error_count', '-warning_count', 'project_name', 'id'], name='report_current_findings'),
        ),
        migrations.AddIndex(
            model_name='trackingreport',
            index=models.Index(condition=models.Q(('is_latest', True)), fields=['-budget_wanyuan', 'project_name', 'id'], name='report_current_budget'),
        ),
        migrations.AddIndex(
            model_name='trackingreport',
            index=models.Index(condition=models.Q(('is_latest', True), ('budget_wanyuan__isnull', False)), fields=['period', '-budget_wanyuan', 'project_name', 'id'], name='report_period_chart'),
        ),
        migrations.AddIndex(
            model_name='trackingreport',
            index=models.Index(condition=models.Q(('is_latest', True), ('worst__gt', 0)), fields=['period', '-worst', '-light_rank', 'project_name', 'id'], name='report_period_worst'),
        ),
        migrations.AddIndex(
            model_name='trackingreport',
            index=models.Index(condition=models.Q(('public_current', True), ('status', 'published')), fields=['unit'], name='report_unit_published'),
        ),
    ]
