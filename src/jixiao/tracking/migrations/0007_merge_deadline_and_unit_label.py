"""Joins the two tracking migrations written in parallel (period deadlines, unit label at filing)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0005_period_deadline"),
        ("tracking", "0006_unit_label_at_filing"),
    ]
    operations = []
