"""Input shapes of the review pages (business rules live in the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.core.forms import StyledForm
from danbao.org.models import User
from danbao.review.models import Attendance, CommitteeMember, Expert, ExpertOpinion, VoteChoice
from danbao.review.permissions import MEETING_MANAGE


def _user_label(user: User) -> str:
    return f"{user.real_name or user.username}（{user.username}）"


class PersonForm(StyledForm):
    name = forms.CharField(label=pgettext_lazy("review", "Name"), max_length=50)
    user = forms.ModelChoiceField(
        label=_("User account"), queryset=User.objects.none(), required=False, help_text=_("Only for people who sign in to the system.")
    )
    industry = forms.CharField(label=_("Industry / field"), max_length=100, required=False)
    title = forms.CharField(label=_("Professional title"), max_length=100, required=False)
    organisation = forms.CharField(label=pgettext_lazy("review", "Organisation"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, expert: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("username")
        self.fields["user"].label_from_instance = _user_label
        self.fields["user"].widget.attrs["data-searchable"] = "1"
        if expert:
            self.fields["specialty"] = forms.CharField(label=_("Specialty"), max_length=200, required=False)


def person_initial(person: CommitteeMember | Expert) -> dict[str, Any]:
    fields = ["name", "user", "industry", "title", "organisation", "phone", "email", "note"]
    if isinstance(person, Expert):
        fields.append("specialty")
    return {f: getattr(person, f) for f in fields}


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class MeetingForm(StyledForm):
    title = forms.CharField(label=pgettext_lazy("review", "Title"), max_length=200)
    scheduled_at = forms.DateTimeField(
        label=_("Date and time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_link = forms.URLField(label=_("Online meeting link"), required=False, assume_scheme="https")
    chair = forms.ModelChoiceField(label=_("Chair"), queryset=CommitteeMember.objects.none())
    members = forms.ModelMultipleChoiceField(
        label=_("Members invited"), queryset=CommitteeMember.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    secretary = forms.ModelChoiceField(label=_("Secretary"), queryset=User.objects.none(), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        active = CommitteeMember.objects.filter(is_active=True).order_by("name")
        self.fields["chair"].queryset = active
        self.fields["members"].queryset = active
        secretaries = [u.pk for u in User.objects.filter(is_active=True).prefetch_related("roles") if u.can(MEETING_MANAGE)]
        self.fields["secretary"].queryset = User.objects.filter(pk__in=secretaries).order_by("username")
        self.fields["secretary"].label_from_instance = _user_label
        if editing:
            del self.fields["members"]
            del self.fields["secretary"]


class InviteForm(StyledForm):
    members = forms.ModelMultipleChoiceField(
        label=_("Members invited"), queryset=CommitteeMember.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, exclude: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = CommitteeMember.objects.filter(is_active=True).exclude(pk__in=exclude or []).order_by("name")


class AttendanceForm(StyledForm):
    status = forms.ChoiceField(
        label=_("Attendance"),
        choices=[(s.value, s.label) for s in (Attendance.Status.PRESENT, Attendance.Status.ABSENT, Attendance.Status.LEAVE)],
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class RecusalForm(StyledForm):
    member = forms.ModelChoiceField(label=_("Member"), queryset=CommitteeMember.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args: Any, meeting: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if meeting is not None:
            self.fields["member"].queryset = CommitteeMember.objects.filter(attendances__meeting=meeting).order_by("name")


class VoteForm(StyledForm):
    choice = forms.ChoiceField(label=_("Vote"), choices=VoteChoice.choices, widget=forms.RadioSelect)
    opinion = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 4}))
    conditions = forms.CharField(
        label=_("Conditions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you agree with conditions."),
    )


class ExpertLinkForm(StyledForm):
    expert = forms.ModelChoiceField(label=_("Expert"), queryset=Expert.objects.none())
    items = forms.ModelMultipleChoiceField(label=_("Agenda items"), queryset=None, widget=forms.CheckboxSelectMultiple)  # type: ignore[arg-type]
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=30, initial=7)

    def __init__(self, *args: Any, meeting: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = Expert.objects.filter(is_active=True).order_by("name")
        self.fields["items"].queryset = meeting.items.filter(status="pending").order_by("order")
        self.fields["items"].label_from_instance = lambda item: f"{item.order}. {item.title}"


class OpinionForm(StyledForm):
    recommendation = forms.ChoiceField(label=_("Recommendation"), choices=ExpertOpinion.Recommendation.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 5}))
