# Deadlines and open/closed on tracking periods (报送截止日期), and who returned a form.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def returned_by_from_the_audit_trail(apps, schema_editor):
    """Forms returned before this migration: the returner is the actor of their last return."""
    report_model = apps.get_model("tracking", "TrackingReport")
    event_model = apps.get_model("audit", "AuditEvent")
    for report in report_model.objects.filter(returned_at__isnull=False, returned_by__isnull=True).only("pk"):
        event = (
            event_model.objects.filter(report_id=report.pk, action="return", actor__isnull=False)
            .order_by("-at", "-pk")
            .first()
        )
        if event is not None:
            report_model.objects.filter(pk=report.pk).update(returned_by_id=event.actor_id)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
        ('tracking', '0003_indexes_for_scale'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='trackingperiod',
            name='deadline',
            field=models.DateField(blank=True, null=True, verbose_name='报送截止日期'),
        ),
        migrations.AddField(
            model_name='trackingperiod',
            name='is_open',
            field=models.BooleanField(default=True, verbose_name='接受填报'),
        ),
        migrations.AddField(
            model_name='trackingreport',
            name='returned_by',
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+',
                to=settings.AUTH_USER_MODEL, verbose_name='退回人',
            ),
        ),
        migrations.RunPython(returned_by_from_the_audit_trail, migrations.RunPython.noop),
    ]
