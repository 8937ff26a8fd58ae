"""The dated system parameter "customer_group_ownership_threshold" (idempotent; no audit event: a
deployment step, like the schema).

50 %: regulation.md §2 gives no related-party definition of its own. The 条例 (art. 16, 17) speaks of
a guaranteed party's related parties and of 控股股东/实际控制人, and the Company Law counts a
shareholder of 50 % or more as 控股股东. Control below 50 % is caught by the 实际控制人 relation, which
always links; the institution may lower the threshold (e.g. to 25 %) as a new dated version."""

from django.db import migrations

CODE = "customer_group_ownership_threshold"


def create(apps, schema_editor):
    Parameter = apps.get_model("system", "Parameter")
    ParameterVersion = apps.get_model("system", "ParameterVersion")
    if Parameter.objects.filter(code=CODE).exists():
        return
    parameter = Parameter.objects.create(
        code=CODE,
        name="关联集团认定：持股比例下限",
        kind="percent",
        category="客户管理",
        description="股东持股比例达到该值即与被投资企业归入同一关联集团；实际控制人、配偶及家庭成员、关联企业关系始终归入。"
        "默认 50%（《公司法》控股股东标准），机构可按内部制度调低（如 25%）。",
    )
    ParameterVersion.objects.create(
        parameter=parameter, value="0.5", source="《公司法》控股股东定义；《融资担保公司监督管理条例》第十六、十七条"
    )


class Migration(migrations.Migration):
    dependencies = [("customers", "0002_customer_data"), ("system", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
