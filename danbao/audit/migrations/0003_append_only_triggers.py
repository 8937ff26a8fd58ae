"""Refuse UPDATE and DELETE on the audit event table at the database (SECURITY C.36)."""

from django.db import migrations


def install(apps, schema_editor):
    from danbao.audit import triggers

    triggers.install(schema_editor.connection)


def drop(apps, schema_editor):
    from danbao.audit import triggers

    triggers.drop(schema_editor.connection)


def create_chain_head(apps, schema_editor):
    # The head row is the writers' lock; creating it here avoids a race on the very first event.
    head_model = apps.get_model("audit", "AuditChainHead")
    head_model.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_prev_hash_unique")]

    operations = [
        migrations.RunPython(create_chain_head, migrations.RunPython.noop),
        migrations.RunPython(install, drop),
    ]
