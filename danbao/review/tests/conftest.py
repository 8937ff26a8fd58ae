"""Review test fixtures: a test-only flow type on tests.scopeapp.Record whose flow waits at a committee
node, a committee of six members with accounts, a secretary (risk manager: review codes by default)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from danbao.review.tests.support import EXCLUDED, EXECUTED, FLOW_TYPE, publish_committee_flow


@pytest.fixture(autouse=True)
def review_flow_type() -> Any:
    from danbao.workflow import registry

    registry.register(FLOW_TYPE, replace=True)
    EXECUTED.clear()
    EXCLUDED.clear()
    yield FLOW_TYPE
    registry.unregister(FLOW_TYPE.code)


@pytest.fixture
def secretary(risk_manager: Any) -> Any:
    return risk_manager


@pytest.fixture
def committee(org: Any) -> list[Any]:
    """Six active committee members, each with a user account holding the committee_member role."""
    from danbao.org.tests.factories import UserFactory
    from danbao.review.models import CommitteeMember
    from danbao.review.services import person_create

    names = ["高委员", "梁委员", "宋委员", "唐委员", "韩委员", "林委员"]
    people = []
    for index, name in enumerate(names, start=1):
        user = UserFactory(username=f"c{index}", real_name=name, department=org.risk_dept, roles=[org.roles["committee_member"]])
        people.append(person_create(actor=None, model=CommitteeMember, name=name, user=user, title="高级经济师", organisation="本公司"))
    return people


@pytest.fixture
def waiting(org: Any, owner: Any) -> Any:
    """waiting("title") -> the committee NodeRun of a new approval that reached the committee step."""
    from danbao.workflow.models import NodeRun
    from danbao.workflow.services import instance_start
    from tests.scopeapp.models import Record

    publish_committee_flow()

    def make(title: str = "项目甲") -> Any:
        record = Record.objects.create(title=title, department=org.dept_a, owner=owner)
        instance = instance_start(actor=owner, flow_type=FLOW_TYPE.code, obj=record)
        return NodeRun.objects.get(instance=instance, kind="committee", status="active")

    return make


@pytest.fixture
def meeting(secretary: Any, committee: list[Any]) -> Any:
    """A draft meeting tomorrow with all six members invited; the first member chairs."""
    from danbao.review.services import meeting_create

    return meeting_create(
        actor=secretary,
        title="2026年第1次评审会",
        scheduled_at=timezone.now() + timedelta(days=1),
        chair=committee[0],
        members=committee,
        place="三楼会议室",
    )
