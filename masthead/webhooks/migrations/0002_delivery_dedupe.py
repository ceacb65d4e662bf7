"""Delivery.dedupe: one delivery per webhook and article change, however many listeners
read the change. The deliveries already written get their message id, unique already."""

from django.db import migrations, models
from django.db.models import F


def existing_keep_their_id(apps, schema_editor):
    Delivery = apps.get_model("webhooks", "Delivery")
    Delivery.objects.update(dedupe=F("message_id"))


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="delivery",
            name="dedupe",
            field=models.CharField(default="", max_length=128),
            preserve_default=False,
        ),
        migrations.RunPython(existing_keep_their_id, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="delivery",
            constraint=models.UniqueConstraint(fields=("webhook", "dedupe"), name="delivery_once"),
        ),
    ]
