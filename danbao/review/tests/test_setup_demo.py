"""Parameters, numbering rule, demo step and the workbench provider."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from danbao.core import demo, menu, workbench
from danbao.review import services
from danbao.review.models import CommitteeMember, Expert
from danbao.review.rules import Rules
from danbao.review.setup import QUORUM_MIN, ensure_setup, rules_on
from danbao.review.tests.support import convene, vote_all
from danbao.system.models import NumberingRule, Parameter


def test_setup_is_idempotent_and_rules_are_read_on_the_meeting_date(db, sysadmin):
    from danbao.system.services.parameters import parameter_set

    assert ensure_setup() == 5 and ensure_setup() == 0
    assert NumberingRule.objects.get(code="review_meeting").prefix == "PSH"
    assert rules_on(date.today()) == Rules()
    parameter_set(actor=sysadmin, parameter=Parameter.objects.get(code=QUORUM_MIN), value="7", valid_from=date.today() + timedelta(days=10))
    assert rules_on(date.today()).quorum_min == 5
    assert rules_on(date.today() + timedelta(days=10)).quorum_min == 7


def test_rules_on_creates_missing_parameters(db):
    from django.core.cache import cache

    cache.clear()  # parameter values are cached; earlier tests' rows were rolled back
    assert not Parameter.objects.filter(code=QUORUM_MIN).exists()
    assert rules_on(timezone.localdate()).quorum_min == 5
    assert Parameter.objects.filter(code=QUORUM_MIN).exists()


def test_demo_step_registered_and_idempotent(db):
    from danbao.org.demo import seed as seed_org

    assert demo.steps.get("review").order == 60
    seed_org()
    step = demo.steps.get("review")
    step.run()
    counts = (CommitteeMember.objects.count(), Expert.objects.count())
    assert counts == (5, 4)
    assert CommitteeMember.objects.filter(user__username="committee1").exists()
    assert Expert.objects.get(name="冯博学").user.username == "expert1"
    step.run()
    assert (CommitteeMember.objects.count(), Expert.objects.count()) == counts


def test_default_grants_and_menu(org):
    roles = org.roles
    assert "review.meeting.manage" in roles["general_manager"].permissions
    assert "review.meeting.manage" in roles["risk_manager"].permissions
    assert "review.meeting.view" in roles["committee_member"].permissions
    assert not any(code.startswith("review.") for r in ("sysadmin", "secadmin", "auditadmin") for code in roles[r].permissions)
    assert {"review.meetings", "review.mine", "review.members", "review.experts"} <= {item.key for item in menu.items}


def test_workbench_lists_items_to_vote(secretary, committee, meeting, waiting):
    [item] = convene(secretary, meeting, [waiting()], committee)
    member = committee[1].user
    todos = [t for t in workbench.todos_for(member) if t.kind == "评审会投票"]
    assert len(todos) == 1 and meeting.number in todos[0].title and todos[0].url.endswith(f"/items/{item.pk}/vote/")
    vote_all(item, {committee[1]: "agree"})
    assert not [t for t in workbench.todos_for(member) if t.kind == "评审会投票"]
    assert not [t for t in workbench.todos_for(secretary) if t.kind == "评审会投票"]
    services.meeting_close(actor=secretary, meeting=meeting)
    assert not [t for t in workbench.todos_for(committee[2].user) if t.kind == "评审会投票"]


def test_meeting_list_query_budget(client_for, secretary, committee, django_assert_max_num_queries):
    from danbao.review.services import meeting_create

    for n in range(5):
        meeting_create(actor=secretary, title=f"第{n}次", scheduled_at=timezone.now(), chair=committee[n], place="会议室")
    client = client_for(secretary)
    client.get("/review/meetings/")  # warm caches (menu, roles)
    with django_assert_max_num_queries(25):
        response = client.get("/review/meetings/")
    assert response.status_code == 200 and response.content.decode().count("PSH") >= 5
