"""The dated parameters "partners_credit_line_amber" (80 %) and "partners_credit_line_red" (100 %):
the credit-line usage levels of the usage bar and the warning (idempotent; the demo step and
`parameters.ensure_parameters` create them too when a database was flushed)."""

from django.db import migrations

PARAMETERS = [
    (
        "partners_credit_line_amber",
        "银行授信额度使用预警线",
        "0.8",
        "合作协议授信额度使用率达到该值（含）时显示为黄色，并提醒协议负责人。",
    ),
    ("partners_credit_line_red", "银行授信额度使用上限线", "1", "合作协议授信额度使用率达到该值（含）时显示为红色（额度用尽）。"),
]


def create(apps, schema_editor):
    Parameter = apps.get_model("system", "Parameter")
    ParameterVersion = apps.get_model("system", "ParameterVersion")
    for code, name, value, description in PARAMETERS:
        if Parameter.objects.filter(code=code).exists():
            continue
        parameter = Parameter.objects.create(code=code, name=name, kind="percent", category="合作机构", description=description)
        ParameterVersion.objects.create(parameter=parameter, value=value, source="机构内部管理要求")


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial"), ("system", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
