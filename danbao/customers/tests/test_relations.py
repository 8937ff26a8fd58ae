"""Related parties: add/edit/end with checks and audit, group computed from the relations with the
ownership threshold parameter, the graph data, page permissions and scope."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from danbao.audit.tests.helpers import assert_one_event, audit_mark
from danbao.core.errors import DomainError
from danbao.customers import selectors_extras as sel
from danbao.customers.models import RelatedParty
from danbao.customers.services_extras import relations as services
from danbao.customers.tests.extras_support import customer, ric, uscc

pytestmark = pytest.mark.django_db


def test_add_named_person_checks_code_and_audits(owner):
    c = customer(owner)
    mark = audit_mark()
    party = services.relation_add(
        actor=owner, customer=c, values={"kind": "actual_controller", "party_type": "person", "party_name": "王大", "party_id_code": ric(3)}
    )
    assert party.party_id_code == ric(3) and party.is_active
    assert_one_event("customers.relation_added", since=mark, actor_id=owner.pk, object_id=str(party.pk))
    assert party.masked_code != party.party_id_code and party.masked_code.endswith(ric(3)[-4:])


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"kind": "director", "party_type": "person", "party_name": ""}, "customers.relation_party_missing"),
        (
            {"kind": "director", "party_type": "person", "party_name": "王大", "party_id_code": "110105198001010000"},
            "customers.relation_bad_code",
        ),
        ({"kind": "shareholder", "party_type": "company", "party_name": "某公司"}, "customers.relation_share"),
        (
            {"kind": "shareholder", "party_type": "company", "party_name": "某公司", "share_percent": Decimal("120")},
            "customers.relation_share",
        ),
    ],
)
def test_add_refusals(owner, values, code):
    with pytest.raises(DomainError) as exc:
        services.relation_add(actor=owner, customer=customer(owner), values=values)
    assert exc.value.code == code
    assert not RelatedParty.objects.exists()


def test_customer_cannot_relate_to_itself(owner):
    c = customer(owner)
    with pytest.raises(DomainError) as exc:
        services.relation_add(actor=owner, customer=c, values={"kind": "affiliate", "party_customer": c})
    assert exc.value.code == "customers.relation_self"


def test_permission_needed(owner, nobody):
    with pytest.raises(DomainError) as exc:
        services.relation_add(actor=nobody, customer=customer(owner), values={"kind": "director", "party_name": "王大"})
    assert exc.value.code == "customers.permission_denied"


def test_edit_and_end_are_audited_and_ended_cannot_change(owner):
    c = customer(owner)
    party = services.relation_add(actor=owner, customer=c, values={"kind": "director", "party_type": "person", "party_name": "王大"})
    mark = audit_mark()
    services.relation_update(actor=owner, party=party, values={"kind": "director", "party_type": "person", "party_name": "王大伟"})
    assert_one_event("customers.relation_changed", since=mark, object_id=str(party.pk))
    services.relation_end(actor=owner, party=party, reason="离任")
    assert_one_event("customers.relation_ended", since=mark, object_id=str(party.pk), data={"reason": "离任"})
    with pytest.raises(DomainError) as exc:
        services.relation_end(actor=owner, party=party)
    assert exc.value.code == "customers.relation_ended"


def test_group_follows_control_and_ownership_above_threshold(owner):
    a, b, d, e = (customer(owner, name) for name in ("甲公司", "乙公司", "丁公司", "戊公司"))
    boss = {"party_type": "person", "party_name": "张老板", "party_id_code": ric(5)}
    services.relation_add(actor=owner, customer=a, values={"kind": "actual_controller", **boss})
    services.relation_add(actor=owner, customer=b, values={"kind": "actual_controller", **boss})
    services.relation_add(actor=owner, customer=d, values={"kind": "shareholder", "party_customer": a, "share_percent": Decimal("60")})
    services.relation_add(actor=owner, customer=e, values={"kind": "shareholder", "party_customer": a, "share_percent": Decimal("30")})
    assert sel.ownership_threshold() == Decimal("0.5")
    assert [x.name for x in sel.customer_group_members(a)] == ["甲公司", "乙公司", "丁公司"]
    assert [x.name for x in sel.customer_group_members(e)] == ["戊公司"]
    graph = sel.group_graph(a, owner)
    labels = {link["label"] for link in graph["links"]}
    assert "股东 60%" in labels or any("60" in label for label in labels)
    assert {n["name"] for n in graph["nodes"]} >= {"甲公司", "乙公司", "丁公司", "张老板"}


def test_ended_relation_leaves_the_group(owner):
    a, b = customer(owner, "甲公司"), customer(owner, "乙公司")
    party = services.relation_add(actor=owner, customer=a, values={"kind": "affiliate", "party_customer": b})
    assert len(sel.customer_group_members(a)) == 2
    services.relation_end(actor=owner, party=party)
    assert len(sel.customer_group_members(a)) == 1


def test_relation_pages(client_for, owner, outsider, nobody):
    c = customer(owner)
    url = reverse("customers:relation-create", args=[c.pk])
    assert client_for(nobody).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
    client = client_for(owner)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "shareholder",
            "party_type": "company",
            "party_name": "湖南某投资有限公司",
            "party_id_code": uscc(77),
            "share_percent": "35",
        },
    )
    assert response.status_code == 302
    party = RelatedParty.objects.get(customer=c)
    assert party.share_percent == Decimal("35")
    response = client.post(reverse("customers:relation-end", args=[c.pk, party.pk]), {"ended_on": "2025-01-01", "reason": "股权转让"})
    assert response.status_code == 302
    party.refresh_from_db()
    assert not party.is_active
    other = customer(outsider, "外部门公司")
    other_party = services.relation_add(actor=outsider, customer=other, values={"kind": "director", "party_name": "某人"})
    assert client.get(reverse("customers:relation-edit", args=[c.pk, other_party.pk])).status_code == 404


def test_360_page_has_graph_data_island(client_for, owner):
    a, b = customer(owner, "甲公司"), customer(owner, "乙公司")
    services.relation_add(actor=owner, customer=a, values={"kind": "affiliate", "party_customer": b})
    html = client_for(owner).get(reverse("customers:customer-detail", args=[a.pk])).content.decode()
    assert '<script id="customer-graph-data" type="application/json">' in html
    assert 'data-testid="group-members"' in html and "乙公司" in html


def test_threshold_is_a_dated_parameter(owner, sysadmin):
    from django.utils import timezone

    from danbao.system.models import Parameter
    from danbao.system.services.parameters import parameter_set

    a, e = customer(owner, "甲公司"), customer(owner, "戊公司")
    services.relation_add(actor=owner, customer=e, values={"kind": "shareholder", "party_customer": a, "share_percent": Decimal("30")})
    assert len(sel.customer_group_members(a)) == 1
    parameter = Parameter.objects.get(code="customer_group_ownership_threshold")
    parameter_set(actor=sysadmin, parameter=parameter, value="25", valid_from=timezone.localdate())
    assert sel.ownership_threshold() == Decimal("0.25")
    assert [x.name for x in sel.customer_group_members(a)] == ["甲公司", "戊公司"]
