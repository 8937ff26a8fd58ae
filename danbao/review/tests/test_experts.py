"""Expert links: issued by the secretary, opened without a staff login, only the assigned items,
opinions final once submitted, expired / tampered / revoked links refused with a Chinese message
and audited, documents served only for assigned items."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from danbao.audit.tests.helpers import assert_one_event, audit_mark
from danbao.core.errors import DomainError
from danbao.review import services
from danbao.review.models import Expert, ExpertLink, ExpertOpinion
from danbao.review.services.experts import LinkRefused, link_resolve


@pytest.fixture
def expert():
    return services.person_create(actor=None, model=Expert, name="冯博学", title="教授", organisation="农业大学")


@pytest.fixture
def items(secretary, meeting, waiting):
    return [services.item_add(actor=secretary, meeting=meeting, node_run=waiting(t)) for t in ("项目甲", "项目乙")]


@pytest.fixture
def issued(secretary, meeting, expert, items):
    """A 7-day link for the first item only: (link, token)."""
    return services.expert_link_create(actor=secretary, meeting=meeting, expert=expert, items=[items[0]])


def page(client, token):
    return client.get(reverse("review:expert-page", args=[token]))


class TestIssue:
    def test_only_a_hash_is_stored_and_creation_is_audited(self, secretary, meeting, expert, items):
        mark = audit_mark()
        link, token = services.expert_link_create(actor=secretary, meeting=meeting, expert=expert, items=items, days=3)
        secret = token.split(":")[0].split(".", 1)[1]
        assert secret not in link.secret_hash and len(link.secret_hash) == 64
        assert link.opinions.count() == 2 and link.expires_at - link.created_at == timedelta(days=3)
        assert_one_event("review.expert_link.created", since=mark, actor_id=secretary.pk)

    def test_refusals(self, secretary, meeting, expert, items, committee):
        def code(**kwargs):
            args = {"actor": secretary, "meeting": meeting, "expert": expert, "items": items, **kwargs}
            with pytest.raises(DomainError) as exc:
                services.expert_link_create(**args)
            return exc.value.code

        assert code(days=31) == "review.days_invalid"
        assert code(items=[]) == "review.items_required"
        assert code(actor=committee[0].user) == "review.permission_denied"
        services.person_deactivate(actor=secretary, person=expert, reason="不再合作")
        expert.refresh_from_db()
        assert code() == "review.expert_inactive"
        assert not ExpertLink.objects.exists()

    def test_issue_page_shows_the_link_once(self, client_for, secretary, meeting, expert, items, committee):
        url = reverse("review:expert-link-create", args=[meeting.pk])
        assert client_for(committee[0].user).get(url).status_code == 403
        response = client_for(secretary).post(url, {"expert": expert.pk, "items": [items[1].pk], "days": 7})
        body = response.content.decode()
        assert response.status_code == 200 and "/review/x/" in body and "无法再次显示" in body
        assert ExpertLink.objects.get().opinions.get().item == items[1]


class TestExpertPage:
    def test_valid_link_shows_only_the_assigned_items_without_login(self, client, issued, items):
        link, token = issued
        mark = audit_mark()
        response = page(client, token)
        body = response.content.decode()
        assert response.status_code == 200 and response["Referrer-Policy"] == "no-referrer"
        assert "项目甲" in body and "项目乙" not in body and "申请担保金额" in body
        assert_one_event("review.expert_link.used", since=mark, actor_username=f"expert:{link.expert_id}")
        assert ExpertLink.objects.get(pk=link.pk).use_count == 1

    def test_opinion_submitted_then_read_only(self, client, issued):
        link, token = issued
        opinion = link.opinions.get()
        url = reverse("review:expert-page", args=[token])
        prefix = f"o{opinion.pk}"
        bad = client.post(url, {"opinion": opinion.pk, f"{prefix}-recommendation": "agree", f"{prefix}-text": ""})
        assert bad.status_code == 200 and not ExpertOpinion.objects.get(pk=opinion.pk).is_submitted
        mark = audit_mark()
        good = client.post(url, {"opinion": opinion.pk, f"{prefix}-recommendation": "conditional", f"{prefix}-text": "建议追加保证人"})
        assert good.status_code == 302
        assert_one_event("review.expert_opinion.submitted", since=mark, data={"recommendation": "conditional"})
        body = page(client, token).content.decode()
        assert f'data-testid="submitted-{opinion.pk}"' in body and f"opinion-submit-{opinion.pk}" not in body
        client.post(url, {"opinion": opinion.pk, f"{prefix}-recommendation": "disagree", f"{prefix}-text": "改主意"})
        assert ExpertOpinion.objects.get(pk=opinion.pk).text == "建议追加保证人"
        with pytest.raises(DomainError) as exc:
            services.expert_opinion_submit(link=link, opinion=opinion, recommendation="agree", text="x")
        assert exc.value.code == "review.opinion_submitted"

    def test_an_opinion_of_another_link_is_404(self, client, issued, secretary, meeting, items):
        _link, token = issued
        other_expert = services.person_create(actor=None, model=Expert, name="另一专家")
        other, _t = services.expert_link_create(actor=secretary, meeting=meeting, expert=other_expert, items=[items[1]])
        foreign = other.opinions.get()
        url = reverse("review:expert-page", args=[token])
        response = client.post(url, {"opinion": foreign.pk, f"o{foreign.pk}-recommendation": "agree", f"o{foreign.pk}-text": "x"})
        assert response.status_code == 404 and not ExpertOpinion.objects.get(pk=foreign.pk).is_submitted

    def test_expired_link(self, client, issued):
        _link, token = issued
        mark = audit_mark()
        with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
            response = page(client, token)
        assert response.status_code == 403 and "此链接已过期" in response.content.decode()
        assert_one_event("review.expert_link.refused", since=mark, reason="expired", result="failure")
        assert page(client, token).status_code == 200  # before the expiry it still works

    def test_signature_older_than_thirty_days_is_expired(self, client, issued):
        _link, token = issued
        with time_machine.travel(timezone.now() + timedelta(days=40)):
            with pytest.raises(LinkRefused) as exc:
                link_resolve(token)
        assert exc.value.reason == "expired"

    def test_tampered_link(self, client, issued, secretary, meeting, items):
        link, token = issued
        value, stamp, signature = token.split(":")
        forged = f"{int(value.split('.')[0]) + 1}.{value.split('.', 1)[1]}:{stamp}:{signature}"
        mark = audit_mark()
        for bad in (forged, token[:-2] + "xx", "not-a-token"):
            response = page(client, bad)
            assert response.status_code == 403 and "此链接无效" in response.content.decode()
        assert len(mark.events("review.expert_link.refused")) == 3

    def test_revoked_link(self, client, client_for, issued, secretary, committee):
        link, token = issued
        url = reverse("review:expert-link-revoke", args=[link.pk])
        assert client_for(committee[0].user).post(url, {"reason": "x"}).status_code == 403
        client_for(secretary).post(url, {"reason": "专家与借款人存在关联"})
        assert ExpertLink.objects.get(pk=link.pk).revoked_at is not None
        client.logout()
        response = page(client, token)
        assert response.status_code == 403 and "此链接已被撤销" in response.content.decode()
        with pytest.raises(DomainError):
            services.expert_link_revoke(actor=secretary, link=link, reason="again")

    def test_rate_limit(self, client, issued, settings):
        from danbao.review.services import experts

        _link, token = issued
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "review-rate"}}
        original = experts.RATE_LIMIT
        experts.RATE_LIMIT = 2
        try:
            assert page(client, token).status_code == 200
            assert page(client, token).status_code == 200
            response = page(client, token)
            assert response.status_code == 429 and "访问过于频繁" in response.content.decode()
        finally:
            experts.RATE_LIMIT = original


class TestDocuments:
    @pytest.fixture
    def documents(self, items, owner):
        """Register the test record as a document owner and upload one PDF to each item's record."""
        from danbao.core.attachments.registry import AttachmentKind, register_owner, unregister_owner
        from danbao.core.attachments.services import attachment_add
        from tests.scopeapp.models import Record

        register_owner(Record, can_view=lambda u, r: True, can_change=lambda u, r: True, kinds=[AttachmentKind("doc", "资料")])
        uploaded = []
        for item in items:
            record = Record.objects.get(pk=item.flow_instance.object_id)
            upload = SimpleUploadedFile(f"{record.title}.pdf", b"%PDF-1.4\n% test\n", content_type="application/pdf")
            uploaded.append(attachment_add(actor=owner, owner=record, kind="doc", upload=upload))
        yield uploaded
        unregister_owner(Record)

    def test_only_documents_of_assigned_items(self, client, issued, documents):
        _link, token = issued
        body = page(client, token).content.decode()
        assert documents[0].original_name in body and documents[1].original_name not in body
        ok = client.get(reverse("review:expert-file", args=[token, documents[0].pk]))
        assert ok.status_code == 200 and b"".join(ok.streaming_content).startswith(b"%PDF")
        assert client.get(reverse("review:expert-file", args=[token, documents[1].pk])).status_code == 404
        assert client.get(reverse("review:expert-file", args=["bad-token", documents[0].pk])).status_code == 403
