# Forms are ordered by their stored copy of the project's name (0011), not through a join to the projects.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('tracking', '0014_summary_status'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='trackingreport',
            options={'ordering': ['project_name'], 'verbose_name': '绩效跟踪表'},
        ),
    ]
