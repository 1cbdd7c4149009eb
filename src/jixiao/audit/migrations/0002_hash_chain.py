"""The audit trail's hash chain: sequence, previous hash and hash on every event, existing ones chained in
the order they were written (by primary key)."""

from django.db import migrations, models


def chain_existing(apps, schema_editor):
    from jixiao.audit.chain import GENESIS, event_hash

    AuditEvent = apps.get_model("audit", "AuditEvent")
    previous = GENESIS
    batch = []
    for sequence, event in enumerate(AuditEvent.objects.order_by("pk").iterator(chunk_size=2000), start=1):
        event.sequence, event.previous_hash = sequence, previous
        event.hash = previous = event_hash(event)
        batch.append(event)
        if len(batch) >= 2000:
            AuditEvent.objects.bulk_update(batch, ["sequence", "previous_hash", "hash"])
            batch = []
    AuditEvent.objects.bulk_update(batch, ["sequence", "previous_hash", "hash"])


class Migration(migrations.Migration):

    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="auditevent", name="sequence",
            field=models.BigIntegerField(blank=True, editable=False, null=True, unique=True, verbose_name="序号"),
        ),
        migrations.AddField(
            model_name="auditevent", name="previous_hash",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent", name="hash",
            field=models.CharField(blank=True, default="", editable=False, max_length=64, verbose_name="哈希"),
        ),
        migrations.AlterField(
            model_name="auditevent", name="action",
            field=models.CharField(choices=[
                ("create", "新建"), ("edit", "修改"), ("import", "导入"), ("submit", "送审"), ("withdraw", "撤回"),
                ("return", "退回"), ("approve", "审核通过"), ("publish", "公开"), ("correct", "更正（新版本）"),
                ("login", "登录"), ("logout", "退出"), ("login_failed", "登录失败"), ("recheck", "重新检查"),
                ("purge", "清理过期审计记录"),
            ], db_index=True, max_length=20, verbose_name="操作"),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
    ]
