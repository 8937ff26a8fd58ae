"""Dictionaries: services, cached choices, demo seed, and the dictionary pages."""

import pytest
from django.urls import reverse

from danbao.core.errors import DomainError
from danbao.system.models import DictItem, DictType
from danbao.system.selectors import dict_choices, dict_label
from danbao.system.services import dictionaries as services
from danbao.system.tests.conftest import events

pytestmark = pytest.mark.django_db


@pytest.fixture
def scale(sysadmin):
    dict_type = services.dict_type_create(actor=sysadmin, code="enterprise_scale", name="企业规模")
    for code, label in [("L", "大型"), ("M", "中型"), ("S", "小型")]:
        services.dict_item_create(actor=sysadmin, dict_type=dict_type, code=code, label=label)
    return dict_type


def test_choices_follow_sort_order_and_skip_inactive_items(sysadmin, scale) -> None:
    assert dict_choices("enterprise_scale") == [("L", "大型"), ("M", "中型"), ("S", "小型")]
    item = scale.items.get(code="M")
    services.dict_item_set_active(actor=sysadmin, item=item, active=False)
    assert dict_choices("enterprise_scale") == [("L", "大型"), ("S", "小型")]  # cache invalidated
    assert dict_label("enterprise_scale", "M") == "中型"  # stored records still show their label
    services.dict_item_move(actor=sysadmin, item=scale.items.get(code="S"), direction="up")
    services.dict_item_set_active(actor=sysadmin, item=item, active=True)
    assert [c for c, _ in dict_choices("enterprise_scale")] == ["L", "S", "M"]
    assert dict_choices("no_such_dictionary") == []


def test_two_level_items(sysadmin) -> None:
    dict_type = services.dict_type_create(actor=sysadmin, code="cg", name="反担保方式")
    mortgage = services.dict_item_create(actor=sysadmin, dict_type=dict_type, code="02", label="抵押")
    services.dict_item_create(actor=sysadmin, dict_type=dict_type, code="0201", label="房产抵押", parent=mortgage)
    assert dict_choices("cg") == [("02", "抵押")]
    assert dict_choices("cg", parent="02") == [("0201", "房产抵押")]
    child = dict_type.items.get(code="0201")
    with pytest.raises(DomainError) as exc:
        services.dict_item_create(actor=sysadmin, dict_type=dict_type, code="020101", label="三级", parent=child)
    assert exc.value.code == "system.dict_parent_invalid"


def test_refusals(sysadmin, owner, scale) -> None:
    with pytest.raises(DomainError) as exc:
        services.dict_type_create(actor=sysadmin, code="enterprise_scale", name="重复")
    assert exc.value.code == "system.dict_code_exists"
    with pytest.raises(DomainError) as exc:
        services.dict_item_create(actor=sysadmin, dict_type=scale, code="L", label="重复")
    assert exc.value.code == "system.dict_item_code_exists"
    with pytest.raises(DomainError) as exc:
        services.dict_item_create(actor=owner, dict_type=scale, code="XS", label="微型")
    assert exc.value.code == "system.permission_denied"


def test_changes_are_audited_with_before_and_after(sysadmin, scale) -> None:
    item = scale.items.get(code="L")
    services.dict_item_update(actor=sysadmin, item=item, label="大型企业", sort_order=5)
    event = events("system.dict_changed")[-1]
    assert event.data["before"]["label"] == "大型" and event.data["after"]["label"] == "大型企业"
    assert item.history.count() == 2


def test_demo_seed_is_idempotent() -> None:
    from danbao.system.seeds import ensure_dictionaries

    assert ensure_dictionaries() > 0
    assert ensure_dictionaries() == 0
    assert [label for _c, label in dict_choices("risk_class")] == ["正常", "关注", "次级", "可疑", "损失"]
    assert {"id_type", "guarantee_method", "counter_guarantee_method", "warning_level"} <= set(
        DictType.objects.values_list("code", flat=True)
    )


@pytest.mark.parametrize(("who", "status"), [("sysadmin", 200), ("owner", 403), ("auditadmin", 403)])
def test_dictionary_pages_permission(request, client_for, scale, who, status) -> None:
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("system:dict-list")).status_code == status
    assert client.get(reverse("system:dict-detail", args=[scale.pk])).status_code == status


def test_missing_dictionary_is_404(client_for, sysadmin) -> None:
    assert client_for(sysadmin).get(reverse("system:dict-detail", args=[9999])).status_code == 404


def test_add_item_and_deactivate_through_the_pages(client_for, sysadmin, scale) -> None:
    client = client_for(sysadmin)
    response = client.post(reverse("system:dict-detail", args=[scale.pk]), {"code": "XS", "label": "微型"}, follow=True)
    assert "微型" in response.content.decode()
    item = DictItem.objects.get(dict_type=scale, code="XS")
    assert item.sort_order == 40
    response = client.post(reverse("system:dict-item-toggle", args=[scale.pk, item.pk]), follow=True)
    item.refresh_from_db()
    assert not item.is_active
    assert "已停用" in response.content.decode()
    response = client.post(reverse("system:dict-detail", args=[scale.pk]), {"code": "XS", "label": "again"})
    assert "已有代码为 XS 的字典项" in response.content.decode()
    list_page = client.get(reverse("system:dict-list"), {"q": "企业"})
    assert "enterprise_scale" in list_page.content.decode()


def test_edit_dictionary_keeps_its_code(client_for, sysadmin, scale) -> None:
    response = client_for(sysadmin).post(
        reverse("system:dict-edit", args=[scale.pk]), {"name": "企业规模（工信部）", "description": "划型标准"}
    )
    assert response.status_code == 302
    scale.refresh_from_db()
    assert (scale.code, scale.name) == ("enterprise_scale", "企业规模（工信部）")
    assert events("system.dict_changed")[-1].data["before"]["name"] == "企业规模"


def test_new_dictionary_page(client_for, sysadmin) -> None:
    response = client_for(sysadmin).post(reverse("system:dict-add"), {"code": "loan_purpose", "name": "贷款用途"}, follow=True)
    assert "数据字典“贷款用途”已创建" in response.content.decode()
    assert DictType.objects.filter(code="loan_purpose").exists()


def test_list_counts_are_not_inflated_by_a_search_and_cost_fixed_queries(
    client_for, sysadmin, scale, django_assert_max_num_queries
) -> None:
    from danbao.system.seeds import ensure_dictionaries

    ensure_dictionaries()
    client = client_for(sysadmin)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("system:dict-list"), {"q": "型"})
    rows = {row["object"].code: row["object"] for row in response.context["list"].rows}
    assert rows["enterprise_scale"].active_count == 4  # L, M, S from the fixture plus XS from the seed
