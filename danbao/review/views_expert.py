"""Expert links: the secretary issues and revokes them; the expert opens one without a staff login,
reads ONLY the assigned items' material (the flow type's description and the business object's
documents) and submits an opinion per item, which is then read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from danbao.core.access import require_permission
from danbao.core.attachments.models import Attachment
from danbao.core.attachments.registry import owner_entry
from danbao.core.errors import DomainError
from danbao.review import selectors, services
from danbao.review.forms import ExpertLinkForm, OpinionForm, ReasonForm
from danbao.review.models import ExpertLink, ExpertOpinion
from danbao.review.permissions import EXPERT_MANAGE, MEETING_MANAGE
from danbao.review.services.experts import LinkRefused

REFUSALS = {
    "tampered": ("此链接无效", "链接地址不完整或已被修改。请使用评审秘书发送给您的完整链接。"),
    "expired": ("此链接已过期", "链接已超过有效期。如仍需出具意见，请联系评审秘书重新发送链接。"),
    "revoked": ("此链接已被撤销", "评审秘书已撤销此链接。如有疑问，请联系评审秘书。"),
    "rate_limited": ("访问过于频繁", "此链接在一小时内的访问次数过多，请稍后再试。"),
}


@require_permission(MEETING_MANAGE)
def link_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for(request.user, pk, request)
    if not request.user.can(EXPERT_MANAGE):  # type: ignore[union-attr]
        raise PermissionDenied
    form = ExpertLinkForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            link, token = services.expert_link_create(
                actor=request.user, meeting=meeting, expert=data["expert"], items=list(data["items"]), days=data["days"]
            )
        except DomainError as exc:
            field = exc.data.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            url = request.build_absolute_uri(reverse("review:expert-page", args=[token]))
            # Shown once: the database keeps only a hash of the link's secret.
            return render(request, "review/expert_link_created.html", {"meeting": meeting, "link": link, "url": url})
    return render(request, "review/expert_link_form.html", {"meeting": meeting, "form": form})


@require_POST
@require_permission(EXPERT_MANAGE)
def link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    link = _link_for(request, pk)
    form = ReasonForm(request.POST)
    try:
        services.expert_link_revoke(actor=request.user, link=link, reason=request.POST.get("reason", "") if form.is_valid() else "")
        messages.success(request, _("The link of %(name)s is revoked.") % {"name": link.expert.name})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("review:meeting-detail", args=[link.meeting_id]) + "#experts")


def _link_for(request: HttpRequest, pk: int) -> ExpertLink:
    meetings = selectors.meeting_list_for(request.user).values("pk")
    from danbao.org.scope import get_in_scope

    return get_in_scope(ExpertLink.objects.select_related("expert").filter(meeting__in=meetings), request.user, request, pk=pk)


# ----------------------------------------------------------------------------------------------
# the expert's side (no staff login)


def signed_link_only(view: Any) -> Any:
    """The expert's pages need no staff login: the signed, expiring, revocable token in the address is
    the gate (checked by `link_resolve`, every use audited). Declared as requiring no permission code
    so the permission matrix sees a deliberate gate, like `login_only`."""
    view.required_permissions = ()
    view.gate = "signed_link"
    return view


def _refused(request: HttpRequest, refusal: LinkRefused) -> HttpResponse:
    title, text = REFUSALS.get(refusal.reason, REFUSALS["tampered"])
    status = 429 if refusal.reason == "rate_limited" else 403
    return render(request, "review/expert_refused.html", {"title": title, "text": text}, status=status)


def _documents(obj: Any) -> list[Attachment]:
    """Current documents of the business object, when its model keeps documents in core.attachments."""
    if obj is None or owner_entry(obj) is None:
        return []
    owner_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return list(Attachment.objects.filter(owner_type=owner_type, owner_id=str(obj.pk), voided_at__isnull=True).order_by("kind", "-version"))


def _material(opinion: ExpertOpinion) -> dict[str, Any]:
    from danbao.review.services.meetings import _business_object

    _flow_type, obj = _business_object(opinion.item.flow_instance)
    return {"opinion": opinion, "item": opinion.item, "documents": _documents(obj), "form": OpinionForm(prefix=f"o{opinion.pk}")}


@signed_link_only
@never_cache
def expert_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = services.link_resolve(token, request=request, purpose="submit" if request.method == "POST" else "open")
    except LinkRefused as refusal:
        return _refused(request, refusal)
    opinions = selectors.link_opinions(link)
    entries = [_material(o) for o in opinions]
    if request.method == "POST":
        chosen = next((e for e in entries if str(e["opinion"].pk) == request.POST.get("opinion")), None)
        if chosen is None:
            raise Http404
        form = OpinionForm(request.POST, prefix=f"o{chosen['opinion'].pk}")
        chosen["form"] = form
        if form.is_valid():
            try:
                services.expert_opinion_submit(link=link, opinion=chosen["opinion"], request=request, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Thank you. Your opinion on %(title)s has been submitted.") % {"title": chosen["item"].title})
                return redirect(request.path)
    response = render(request, "review/expert_page.html", {"link": link, "entries": entries, "token": token})
    response["Referrer-Policy"] = "no-referrer"  # the token is in the address: never pass it on
    return response


@signed_link_only
@never_cache
def expert_file(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    """A document of an assigned item's business object, through the link (hash checked, audited)."""
    from danbao.core.attachments.views import _serve

    try:
        link = services.link_resolve(token, request=request, purpose="document")
    except LinkRefused as refusal:
        return _refused(request, refusal)
    allowed = {a.pk: a for o in selectors.link_opinions(link) for a in _material(o)["documents"]}
    attachment = allowed.get(int(pk))
    if attachment is None:
        raise Http404
    return _serve(request, attachment, inline=False)
