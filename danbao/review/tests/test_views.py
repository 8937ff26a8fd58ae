"""Review pages: who sees each page (secretary, invited member, member not invited → 404, system
administrator and users without the codes → 403), the happy paths, and the minutes PDF text."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from danbao.audit.tests.helpers import assert_one_event, audit_mark
from danbao.review import services
from danbao.review.models import AgendaItem, CommitteeMember, Expert, Meeting
from danbao.review.tests.support import convene, vote_all


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout  # noqa: S603,S607


@pytest.fixture
def outsider_member(org):
    """A committee member (role and registry entry) who is not invited to `meeting`."""
    from danbao.org.tests.factories import UserFactory

    user = UserFactory(username="c9", real_name="局外委员", department=org.dept_b, roles=[org.roles["committee_member"]])
    services.person_create(actor=None, model=CommitteeMember, name="局外委员", user=user)
    return user


@pytest.fixture
def session(secretary, committee, meeting, waiting):
    """A meeting in session with one item; everybody present."""
    [item] = convene(secretary, meeting, [waiting("项目甲")], committee)
    return item


class TestRegistryPages:
    @pytest.mark.parametrize("name", ["review:member-list", "review:expert-list", "review:member-create", "review:expert-create"])
    def test_who_may_open(self, client_for, secretary, committee, sysadmin, nobody, owner, name):
        assert client_for(secretary).get(reverse(name)).status_code == 200
        for user in (committee[0].user, sysadmin, nobody, owner):
            assert client_for(user).get(reverse(name)).status_code == 403

    def test_list_filters_and_htmx_partial(self, client_for, secretary, committee):
        client = client_for(secretary)
        response = client.get(reverse("review:member-list"), {"q": "高委员"})
        assert "高委员" in response.content.decode() and "梁委员" not in response.content.decode()
        partial = client.get(reverse("review:member-list"), {"active": "1"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="list-region")
        assert partial.status_code == 200 and "<html" not in partial.content.decode()

    def test_create_edit_deactivate_expert(self, client_for, secretary):
        client = client_for(secretary)
        response = client.post(
            reverse("review:expert-create"), {"name": "钱专家", "title": "教授", "specialty": "畜牧", "email": "q@example.cn"}
        )
        assert response.status_code == 302
        expert = Expert.objects.get(name="钱专家")
        assert expert.specialty == "畜牧"
        client.post(reverse("review:expert-edit", args=[expert.pk]), {"name": "钱专家", "organisation": "农业大学"})
        assert Expert.objects.get(pk=expert.pk).organisation == "农业大学"
        client.post(reverse("review:expert-deactivate", args=[expert.pk]), {"reason": "不再合作"})
        assert not Expert.objects.get(pk=expert.pk).is_active
        page = client.get(reverse("review:expert-edit", args=[expert.pk])).content.decode()
        assert "不再合作" in page and "重新启用" in page

    def test_bad_input_shows_the_message_and_saves_nothing(self, client_for, secretary, colleague):
        client = client_for(secretary)
        services.person_create(actor=secretary, model=CommitteeMember, name="甲", user=colleague)
        response = client.post(reverse("review:member-create"), {"name": "乙", "user": colleague.pk})
        assert response.status_code == 200 and "该用户账号已关联到 甲" in response.content.decode()
        assert CommitteeMember.objects.count() == 1

    def test_a_member_page_for_a_missing_row_is_404(self, client_for, secretary):
        assert client_for(secretary).get(reverse("review:member-edit", args=[999])).status_code == 404


class TestMeetingPages:
    def test_list_and_create(self, client_for, secretary, committee, sysadmin):
        client = client_for(secretary)
        assert client.get(reverse("review:meeting-list")).status_code == 200
        assert client_for(committee[0].user).get(reverse("review:meeting-list")).status_code == 403
        assert client_for(sysadmin).get(reverse("review:meeting-create")).status_code == 403
        when = timezone.localtime(timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
        data = {
            "title": "第五次评审会",
            "scheduled_at": when,
            "place": "二楼",
            "chair": committee[0].pk,
            "members": [m.pk for m in committee],
        }
        client = client_for(secretary)  # the test client is shared: sign the secretary in again
        response = client.post(reverse("review:meeting-create"), data)
        meeting = Meeting.objects.get(title="第五次评审会")
        assert response.status_code == 302 and meeting.attendances.count() == 6 and meeting.secretary == secretary
        bad = client.post(reverse("review:meeting-create"), {**data, "place": ""})
        assert "请填写会议地点或线上会议链接" in bad.content.decode() and Meeting.objects.count() == 1

    def test_detail_access(self, client_for, secretary, committee, meeting, outsider_member, sysadmin, owner):
        url = reverse("review:meeting-detail", args=[meeting.pk])
        assert client_for(secretary).get(url).status_code == 200
        assert client_for(committee[3].user).get(url).status_code == 200
        assert client_for(outsider_member).get(url).status_code == 404
        assert client_for(sysadmin).get(url).status_code == 403
        assert client_for(owner).get(url).status_code == 403

    def test_my_meetings(self, client_for, session, committee, outsider_member, sysadmin):
        page = client_for(committee[2].user).get(reverse("review:my-meetings")).content.decode()
        assert session.meeting.number in page and f'data-testid="to-vote-{session.pk}"' in page
        other = client_for(outsider_member).get(reverse("review:my-meetings")).content.decode()
        assert session.meeting.number not in other
        assert client_for(sysadmin).get(reverse("review:my-meetings")).status_code == 403

    def test_agenda_attendance_convene_and_close(self, client_for, secretary, committee, meeting, waiting):
        client = client_for(secretary)
        run = waiting("项目乙")
        page = client.get(reverse("review:item-add", args=[meeting.pk])).content.decode()
        assert "项目乙" in page
        client.post(reverse("review:item-add", args=[meeting.pk]), {"node_run": run.pk})
        assert meeting.items.get().title.endswith("项目乙，申请担保金额 500 万元")
        client.post(reverse("review:meeting-convene", args=[meeting.pk]))
        assert Meeting.objects.get(pk=meeting.pk).status == "convened"
        client.post(reverse("review:meeting-attendance", args=[meeting.pk, committee[1].pk]), {"status": "present"})
        assert meeting.attendances.get(member=committee[1]).status == "present"
        client.post(reverse("review:meeting-close", args=[meeting.pk]))
        assert Meeting.objects.get(pk=meeting.pk).status == "closed"
        assert client_for(committee[0].user).post(reverse("review:meeting-close", args=[meeting.pk])).status_code == 403

    def test_edit_uninvite_and_remove_item(self, client_for, secretary, committee, meeting, waiting, sysadmin):
        edit = reverse("review:meeting-edit", args=[meeting.pk])
        assert client_for(committee[0].user).get(edit).status_code == 403
        assert client_for(sysadmin).get(edit).status_code == 403
        client = client_for(secretary)
        assert client.get(edit).status_code == 200
        when = timezone.localtime(meeting.scheduled_at).strftime("%Y-%m-%dT%H:%M")
        client.post(edit, {"title": "改期后的评审会", "scheduled_at": when, "place": "五楼", "chair": committee[1].pk})
        meeting.refresh_from_db()
        assert (meeting.title, meeting.place, meeting.chair) == ("改期后的评审会", "五楼", committee[1])
        client.post(reverse("review:meeting-uninvite", args=[meeting.pk, committee[5].pk]))
        assert not meeting.attendances.filter(member=committee[5]).exists()
        item = services.item_add(actor=secretary, meeting=meeting, node_run=waiting())
        remove = reverse("review:item-remove", args=[item.pk])
        assert client.get(remove).status_code == 200
        assert client.post(remove, {"reason": ""}).status_code == 200
        assert AgendaItem.objects.get(pk=item.pk).status == "pending"
        client.post(remove, {"reason": "材料不全"})
        assert AgendaItem.objects.get(pk=item.pk).status == "removed"

    def test_cancel_without_reason_shows_message(self, client_for, secretary, meeting):
        response = client_for(secretary).post(reverse("review:meeting-cancel", args=[meeting.pk]), {"reason": ""}, follow=True)
        assert "请填写原因" in response.content.decode() and Meeting.objects.get(pk=meeting.pk).status == "draft"


class TestVotingAndDeciding:
    def test_vote_page_access(self, client_for, session, committee, secretary, outsider_member, sysadmin):
        url = reverse("review:vote", args=[session.pk])
        assert client_for(committee[1].user).get(url).status_code == 200
        assert client_for(outsider_member).get(url).status_code == 404
        assert client_for(secretary).get(url).status_code == 404  # the secretary is not a member
        assert client_for(sysadmin).get(url).status_code == 403

    def test_vote_then_decide_with_audit(self, client_for, session, committee, secretary):
        mark = audit_mark()
        client = client_for(committee[1].user)
        bad = client.post(reverse("review:vote", args=[session.pk]), {"choice": "conditional", "opinion": "可以"})
        assert "有条件同意须填写具体条件" in bad.content.decode()
        client.post(reverse("review:vote", args=[session.pk]), {"choice": "conditional", "opinion": "可以", "conditions": "追加保证人"})
        assert_one_event("review.vote.cast", since=mark, actor_id=committee[1].user.pk)
        vote_all(session, {m: "agree" for m in committee if m != committee[1]})
        assert client.post(reverse("review:item-decide", args=[session.pk])).status_code == 403
        response = client_for(secretary).post(reverse("review:item-decide", args=[session.pk]), follow=True)
        assert "通过" in response.content.decode()
        assert AgendaItem.objects.get(pk=session.pk).status == "passed"
        assert_one_event("review.item.decided", since=mark, actor_id=secretary.pk)
        again = client_for(secretary).post(reverse("review:item-decide", args=[session.pk]), follow=True)
        assert "该议题已表决" in again.content.decode()

    def test_decide_refused_with_missing_votes_message(self, client_for, session, committee, secretary):
        vote_all(session, {committee[0]: "agree"})
        response = client_for(secretary).post(reverse("review:item-decide", args=[session.pk]), follow=True)
        assert "还有 5 位出席委员未投票" in response.content.decode()

    def test_member_self_recusal(self, client_for, session, committee):
        client = client_for(committee[4].user)
        client.post(reverse("review:item-recuse", args=[session.pk]), {"reason": "借款人为其同学"})
        assert session.recusals.get().member == committee[4]
        page = client.get(reverse("review:vote", args=[session.pk])).content.decode()
        assert "您已回避该议题" in page

    def test_minutes_pdf(self, client_for, session, committee, secretary, outsider_member, tmp_path):
        votes = dict.fromkeys(committee[:4], "agree") | {committee[4]: "disagree", committee[5]: "conditional"}
        vote_all(session, votes)
        services.item_decide(actor=secretary, item=session)
        url = reverse("review:meeting-minutes", args=[session.meeting.pk])
        assert client_for(outsider_member).get(url).status_code == 404
        response = client_for(committee[0].user).get(url)
        assert response["Content-Type"] == "application/pdf"
        if shutil.which("pdftotext") is None:
            pytest.skip("pdftotext (poppler-utils) is not installed")
        text = pdf_text(response.content, tmp_path)
        assert session.meeting.number in text
        assert f"{committee[4].name}的意见：风险可控" in text
        assert "表决结果：通过" in text and "追加实际控制人连带责任保证" in text

    def test_expert_report_pdf(self, client_for, session, secretary, committee, tmp_path):
        expert = services.person_create(actor=None, model=Expert, name="冯专家", organisation="农业大学")
        link, _token = services.expert_link_create(actor=secretary, meeting=session.meeting, expert=expert, items=[session])
        opinion = link.opinions.get()
        services.expert_opinion_submit(link=link, opinion=opinion, recommendation="agree", text="产业前景良好，建议通过")
        url = reverse("review:item-expert-report", args=[session.pk])
        assert client_for(committee[0].user).get(url).status_code == 403
        response = client_for(secretary).get(url)
        if shutil.which("pdftotext") is None:
            pytest.skip("pdftotext (poppler-utils) is not installed")
        text = pdf_text(response.content, tmp_path)
        assert "冯专家" in text and "产业前景良好" in text and "建议通过" in text
