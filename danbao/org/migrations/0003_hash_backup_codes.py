"""Backup codes were stored as issued; store their keyed hash instead (org.services.otp.backup_code_digest)."""

from django.db import migrations


def hash_existing_codes(apps, schema_editor):
    from danbao.org.services.otp import backup_code_digest

    StaticToken = apps.get_model("otp_static", "StaticToken")
    for token in StaticToken.objects.all().iterator():
        if len(token.token) < 16:  # issued codes are 8 characters; digests are 16
            token.token = backup_code_digest(token.token)
            token.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0002_totpdevice"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(hash_existing_codes, migrations.RunPython.noop)]
