"""Database triggers that refuse UPDATE and DELETE on the audit log (see audit/triggers.py)."""

from django.db import migrations


def create(apps, schema_editor):
    from sanzhang.audit.triggers import create_triggers

    create_triggers(schema_editor.connection)


def drop(apps, schema_editor):
    from sanzhang.audit.triggers import drop_triggers

    drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_record_time_is_hashed")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
