"""The nightly job's cost does not grow with the number of guarantees in queries: a fixed number of
statements per chunk of 2,000 (the 200,000-guarantee benchmark of issue 8 relies on it).

The extra guarantees are copies of the one made through the services (new project rows with their
own numbers); only the counting uses them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danbao.ledger.models import Guarantee
from danbao.ledger.tests.support import TODAY
from danbao.monitoring import services
from danbao.monitoring.models import InspectionTask, MonitoringPlan
from danbao.projects.models import Project

pytestmark = pytest.mark.django_db


def _copies(guarantee: Guarantee, count: int) -> None:
    for index in range(count):
        project = Project.objects.get(pk=guarantee.project_id)
        project.pk = None
        project.id = None
        project.number = f"{project.number}-C{index:03d}"
        project.save()
        copy = Guarantee.objects.get(pk=guarantee.pk)
        copy.pk = None
        copy.id = None
        copy.project = project
        copy.save()


def _nightly_queries() -> int:
    with CaptureQueriesContext(connection) as ctx:
        services.plans_create_missing(TODAY)
        services.tasks_generate(TODAY)
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_the_portfolio(guarantee: Any) -> None:
    one = _nightly_queries()
    assert MonitoringPlan.objects.count() == 1
    _copies(guarantee, 40)
    many = _nightly_queries()
    assert MonitoringPlan.objects.count() == 41
    assert InspectionTask.objects.filter(kind="first").count() == 41
    assert many <= one + 2, (one, many)
    assert _nightly_queries() <= 6  # the next night: nothing to do, a handful of statements
