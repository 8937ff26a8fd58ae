"""Input shapes of the approval pages (business preconditions live in the services)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danbao.core.forms import StyledForm
from danbao.org.models import User
from danbao.workflow import registry

TASK_ACTIONS = (
    ("approve", _("Approve")),
    ("reject", _("Reject")),
    ("return", _("Return")),
    ("transfer", _("Transfer")),
    ("delegate", _("Delegate")),
    ("add_signer", _("Add signer")),
)


class TaskActionForm(StyledForm):
    action = forms.ChoiceField(choices=TASK_ACTIONS, widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    target = forms.CharField(label=_("Return to"), required=False, max_length=64)
    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none(), required=False)
    position = forms.ChoiceField(label=_("Position"), choices=(("after", _("After me")), ("before", _("Before me"))), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("username")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("action") in ("transfer", "delegate", "add_signer") and not data.get("user"):
            self.add_error("user", _("Choose a person."))
        return data


INSTANCE_ACTIONS = (("resubmit", _("Submit again")), ("withdraw", _("Withdraw")), ("urge", _("Urge")), ("terminate", _("Terminate")))


class InstanceActionForm(StyledForm):
    action = forms.ChoiceField(choices=INSTANCE_ACTIONS, widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)


class DefinitionForm(StyledForm):
    code = forms.SlugField(label=_("Code"), max_length=64)
    name = forms.CharField(label=_("Name"), max_length=100)
    flow_type = forms.ChoiceField(label=_("Flow type"), choices=())
    description = forms.CharField(label=_("Description"), max_length=255, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["flow_type"].choices = registry.choices()


class GraphForm(StyledForm):
    graph = forms.CharField(
        label=_("Flow graph (nodes and edges)"),
        widget=forms.Textarea(attrs={"rows": 22, "class": "font-monospace", "spellcheck": "false"}),
        help_text=_("Nodes: start, approval, committee, condition, cc, end. Edges may carry a condition on a declared field."),
    )

    def clean_graph(self) -> dict[str, Any]:
        try:
            data = json.loads(self.cleaned_data["graph"])
        except ValueError as exc:
            raise forms.ValidationError(_("This is not valid JSON.")) from exc
        if not isinstance(data, dict) or not isinstance(data.get("nodes"), list) or not isinstance(data.get("edges"), list):
            raise forms.ValidationError(_("The graph needs a list of nodes and a list of edges."))
        return data
