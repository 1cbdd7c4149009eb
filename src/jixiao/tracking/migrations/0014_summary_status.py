# The finance bureau's 待办 count sums the summaries waiting for it on every page: an index on their status
# (issue 15; EXPLAIN in docs/PERFORMANCE.md).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_separation_of_duties'),
        ('tracking', '0013_summary_sources'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='unitperiodsummary',
            index=models.Index(fields=['status'], name='summary_status'),
        ),
    ]
