"""Screening: normalisation, exact code and name matches on save of customers and related parties,
list import with bad rows, re-screening idempotency, hit handling, workbench to-do, pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from danbao.audit.tests.helpers import assert_one_event, audit_mark
from danbao.core import workbench
from danbao.core.errors import DomainError
from danbao.customers import hooks, tasks
from danbao.customers.models import ScreeningHit, WatchList, WatchListEntry
from danbao.customers.services_extras import relations, screening
from danbao.customers.tests.extras_support import customer, ric, uscc
from danbao.system.models import JobRun

pytestmark = pytest.mark.django_db


def test_normalise_name():
    assert screening.normalise_name("ＡＢＣ（北京） 有限公司") == screening.normalise_name("abc(北京)有限公司")
    assert screening.normalise_name(" 张 三 ") == "张三"


def _csv(text: str) -> bytes:
    return text.encode("utf-8-sig")


def test_import_with_bad_rows_writes_nothing_unless_good_rows_accepted(risk_manager):
    data = _csv(
        f"被执行人姓名/名称,证件号码,失信情形,案号\n张三,{ric(1)},有履行能力而拒不履行,(2024)湘01执1号\n,{ric(2)},x,y\n李四,123,x,y\n"
    )
    preview = screening.preview_import("list.csv", data)
    assert len(preview.rows) == 1 and len(preview.errors) == 2
    assert preview.errors == ["第 3 行：名称为空", "第 4 行：证件号码 123 无效"]
    with pytest.raises(DomainError) as exc:
        screening.watchlist_import(
            actor=risk_manager, source="court_dishonest", list_name="失信被执行人名单", filename="list.csv", data=data
        )
    assert exc.value.code == "customers.import_invalid"
    assert not WatchList.objects.exists()
    mark = audit_mark()
    wl, count = screening.watchlist_import(
        actor=risk_manager, source="court_dishonest", list_name="失信被执行人名单", filename="list.csv", data=data, accept_good_rows=True
    )
    assert count == 1 and wl.entries.get().name == "张三"
    assert_one_event("customers.watchlist_imported", since=mark, actor_id=risk_manager.pk, data={"rows": 1, "rejected_rows": 2})


def test_import_needs_permission(owner):
    with pytest.raises(DomainError) as exc:
        screening.watchlist_import(actor=owner, source="other", list_name="x", filename="x.csv", data=_csv("名称\n张三\n"))
    assert exc.value.code == "customers.permission_denied"


def test_list_update_rescreens_everyone_and_rescreen_is_idempotent(owner, risk_manager, django_capture_on_commit_callbacks):
    code = uscc(901)
    c = customer(owner, "长沙黑名单有限公司", code=code)
    other = customer(owner, "无关公司")
    relations.relation_add(actor=owner, customer=other, values={"kind": "director", "party_type": "person", "party_name": "王 五"})
    data = _csv(f"名称,证件号码\n另一个名字,{code}\n王五,\n")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        screening.watchlist_import(actor=risk_manager, source="other", list_name="测试名单", filename="l.csv", data=data)
    assert len(callbacks) == 1  # the re-screening job, after the list is committed
    hits = {h.subject_name: h for h in ScreeningHit.objects.all()}
    assert hits["长沙黑名单有限公司"].match_type == "exact_code" and hits["长沙黑名单有限公司"].customer == c
    assert hits["王 五"].match_type == "name" and hits["王 五"].related_party is not None
    assert JobRun.objects.filter(task_name="danbao.customers.tasks.rescreen_all", status="success").exists()
    tasks.rescreen_all()
    tasks.rescreen_all()
    assert ScreeningHit.objects.count() == 2


def test_customer_saved_hook_screens_against_the_internal_blacklist(owner, risk_manager):
    screening.internal_entry_add(actor=risk_manager, name="赵六", reason="恶意逃废债")
    person = customer(owner, "赵六", kind="natural_person")
    hooks.run_after_saved(person, owner)
    hit = ScreeningHit.objects.get(customer=person)
    assert hit.match_type == "name" and hit.entry.watch_list.source == "internal"
    hooks.run_after_saved(person, owner)
    assert ScreeningHit.objects.filter(customer=person).count() == 1


def test_inactive_entries_do_not_match(owner, risk_manager):
    entry = screening.internal_entry_add(actor=risk_manager, name="钱七", reason="骗保")
    screening.internal_entry_deactivate(actor=risk_manager, entry=entry, reason="误录")
    person = customer(owner, "钱七", kind="natural_person")
    assert screening.screen_customer(person) == 0


def test_hit_handling_needs_reason_and_is_audited_once(owner, risk_manager):
    screening.internal_entry_add(actor=risk_manager, name="孙八", reason="欺诈")
    person = customer(owner, "孙八", kind="natural_person")
    screening.screen_customer(person)
    hit = ScreeningHit.objects.get()
    with pytest.raises(DomainError) as exc:
        screening.hit_handle(actor=risk_manager, hit=hit, decision="dismissed", reason=" ")
    assert exc.value.code == "customers.hit_reason"
    with pytest.raises(DomainError) as exc:
        screening.hit_handle(actor=owner, hit=hit, decision="dismissed", reason="同名")
    assert exc.value.code == "customers.permission_denied"
    mark = audit_mark()
    handled = screening.hit_handle(actor=risk_manager, hit=hit, decision="dismissed", reason="同名不同人，身份证号不符")
    assert handled.status == "dismissed" and handled.handled_by == risk_manager
    assert_one_event("customers.screening_hit_handled", since=mark, actor_id=risk_manager.pk, data={"decision": "dismissed"})
    with pytest.raises(DomainError) as exc:
        screening.hit_handle(actor=risk_manager, hit=handled, decision="confirmed", reason="x")
    assert exc.value.code == "customers.hit_handled"


def test_open_hits_are_workbench_todos(owner, risk_manager, nobody):
    screening.internal_entry_add(actor=risk_manager, name="周九", reason="欺诈")
    person = customer(owner, "周九", kind="natural_person")
    screening.screen_customer(person)
    titles = [t.title for t in workbench.todos_for(risk_manager)]
    assert any("周九" in t for t in titles)
    assert not [t for t in workbench.todos_for(nobody) if "周九" in t.title]


def test_hit_pages(client_for, owner, risk_manager, outsider, nobody):
    screening.internal_entry_add(actor=risk_manager, name="吴十", reason="欺诈")
    person = customer(owner, "吴十", kind="natural_person")
    screening.screen_customer(person)
    hit = ScreeningHit.objects.get()
    url = reverse("customers:hit-handle", args=[person.pk, hit.pk])
    assert client_for(nobody).get(url).status_code == 403
    assert client_for(risk_manager).get(reverse("customers:hit-list")).status_code == 200
    response = client_for(risk_manager).post(url, {"decision": "confirmed", "reason": "身份证号一致"})
    assert response.status_code == 302
    hit.refresh_from_db()
    assert hit.status == "confirmed"


def test_hit_page_scope(client_for, owner, outsider, dept_head, risk_manager):
    screening.internal_entry_add(actor=risk_manager, name="郑十一", reason="欺诈")
    other = customer(outsider, "郑十一", kind="natural_person")
    screening.screen_customer(other)
    hit = ScreeningHit.objects.get()
    assert client_for(dept_head).get(reverse("customers:hit-handle", args=[other.pk, hit.pk])).status_code == 404


def test_watchlist_pages(client_for, risk_manager, owner):
    assert client_for(owner).get(reverse("customers:watchlist-list")).status_code == 403
    client = client_for(risk_manager)
    assert client.get(reverse("customers:watchlist-list")).status_code == 200
    bad = SimpleUploadedFile("l.csv", _csv("名称,证件号码\n,12\n张三,999\n"))
    response = client.post(reverse("customers:watchlist-import"), {"source": "other", "list_name": "名单", "file": bad})
    html = response.content.decode()
    assert response.status_code == 200 and "import-preview" in html
    assert "第 2 行：名称为空；证件号码 12 无效" in html and "第 3 行：证件号码 999 无效" in html
    assert "文件有 2 处错误，未保存任何数据。" in html
    assert not WatchListEntry.objects.exists()
    response = client.post(reverse("customers:blacklist-add"), {"name": "某某", "reason": "恶意拖欠"})
    assert response.status_code == 302
    assert WatchListEntry.objects.get().watch_list.source == "internal"


def test_demo_step_is_idempotent(owner):
    from danbao.customers import demo_extras
    from danbao.customers.models import FinancialStatement, RelatedParty
    from danbao.customers.selectors_extras import customer_group_members

    enterprises = [customer(owner, f"演示企业{i:02d}") for i in range(35)]
    first = demo_extras.seed()
    counts = (FinancialStatement.objects.count(), RelatedParty.objects.count(), ScreeningHit.objects.count())
    assert counts[0] == 35 * 3 and counts[2] >= 3
    assert len(customer_group_members(enterprises[0])) == 4
    demo_extras.seed()
    assert (FinancialStatement.objects.count(), RelatedParty.objects.count(), ScreeningHit.objects.count()) == counts
    assert "105 statements" in first


def test_customer_created_through_the_profile_service_is_screened(owner, risk_manager):
    from danbao.customers.tests.customers_support import make_customer

    screening.internal_entry_add(actor=risk_manager, name="冯十二", reason="欺诈")
    person = make_customer(owner, kind="natural_person", actor=owner, name="冯十二")
    assert ScreeningHit.objects.get(customer=person).entry.name == "冯十二"


def test_360_screening_tab_lists_open_hits_in_chinese(client_for, owner, risk_manager):
    screening.internal_entry_add(actor=risk_manager, name="陈十三", reason="恶意逃废债")
    person = customer(owner, "陈十三", kind="natural_person")
    screening.screen_customer(person)
    html = client_for(risk_manager).get(reverse("customers:customer-detail", args=[person.pk])).content.decode()
    assert 'data-testid="hit-table"' in html and "恶意逃废债" in html
    assert "待处理" in html and "1 条待处理命中" in html
