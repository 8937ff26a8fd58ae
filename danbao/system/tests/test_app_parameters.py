"""`manage.py ensure_parameters` creates every business app's own parameters, not only the catalogue."""

import pytest
from django.core.management import call_command

from danbao.system.models import Parameter
from danbao.system.seeds import app_parameter_seeders

pytestmark = pytest.mark.django_db


def test_ensure_parameters_creates_each_apps_catalogue_once() -> None:
    apps = {key.split(".")[0] for key, _seeder in app_parameter_seeders.items()}
    assert {"partners", "contracts", "securities", "finance", "letters", "ledger", "monitoring", "archive"} <= apps

    call_command("ensure_parameters", verbosity=0)
    codes = set(Parameter.objects.values_list("code", flat=True))
    for code in ("partners_credit_line_amber", "securities_coverage_min", "ledger_maturity_reminder_days", "letters_verify_rate_limit"):
        assert code in codes
    count = Parameter.objects.count()

    call_command("ensure_parameters", verbosity=0)
    assert Parameter.objects.count() == count
