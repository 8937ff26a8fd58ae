"""Demo step and production bootstrap commands: idempotent, and they leave administrators' changes alone."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from danbao.core import demo
from danbao.system.models import DictItem, NumberingRule, Parameter, ParameterVersion
from danbao.system.selectors import param_value
from danbao.system.services import parameters
from danbao.system.services.jobs import DEFAULT_JOBS

pytestmark = pytest.mark.django_db


def test_demo_step_is_registered_and_idempotent() -> None:
    step = demo.steps.get("system")
    first = step.run()
    assert "parameters" in first
    counts = (
        DictItem.objects.count(),
        Parameter.objects.count(),
        ParameterVersion.objects.count(),
        NumberingRule.objects.count(),
        PeriodicTask.objects.count(),
    )
    assert step.run() == "0 dictionary rows, 0 parameters, 0 numbering rules, 0 jobs created"
    assert counts == (
        DictItem.objects.count(),
        Parameter.objects.count(),
        ParameterVersion.objects.count(),
        NumberingRule.objects.count(),
        PeriodicTask.objects.count(),
    )


def test_bootstrap_commands_keep_changed_values(sysadmin) -> None:
    out = StringIO()
    call_command("ensure_parameters", stdout=out)
    assert "parameters created: " in out.getvalue()
    grace = Parameter.objects.get(code="compensation_grace_days")
    parameters.parameter_set(actor=sysadmin, parameter=grace, value="60", valid_from=date(2030, 1, 1), today=date(2026, 11, 29))
    call_command("ensure_parameters", stdout=StringIO())
    assert param_value("compensation_grace_days", on=date(2030, 6, 1)) == 60
    out = StringIO()
    call_command("ensure_jobs", stdout=out)
    call_command("ensure_jobs", stdout=out)
    assert out.getvalue().splitlines() == [f"periodic jobs created: {len(DEFAULT_JOBS)}", "periodic jobs created: 0"]
