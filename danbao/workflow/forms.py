"""Input shapes of the approval pages (business preconditions live in the services)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); each checked by the attachments service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class TaskActionForm(StyledForm):
    action = forms.ChoiceField(choices=TASK_ACTIONS, widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    conditions = forms.CharField(label=_("Conditions of approval"), required=False, max_length=1000)
    attachments = MultipleFileField(label=_("Attachments"), required=False)
    target = forms.CharField(label=_("Return to"), required=False, max_length=64)
    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none(), required=False)
    position = forms.ChoiceField(label=_("Position"), choices=(("after", _("After me")), ("before", _("Before me"))), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True).select_related("department").order_by("username")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("action") in ("transfer", "delegate", "add_signer") and not data.get("user"):
            self.add_error("user", _("Choose a person."))
        return data


class ReassignForm(StyledForm):
    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True).select_related("department").order_by("username")


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


NODE_KIND_CHOICES = (
    ("approval", _("Approval")),
    ("committee", _("Review committee")),
    ("condition", _("Condition (branch)")),
    ("cc", _("CC")),
    ("start", _("Start")),
    ("end", _("End")),
)
MODE_CHOICES = (
    ("single", _("Single approver")),
    ("any", _("Any one of them (或签)")),
    ("all", _("All of them (会签)")),
    ("sequential", _("One after another (依次)")),
    ("vote", _("Vote with a pass ratio (票签)")),
)
ASSIGNEE_CHOICES = (
    ("users", _("Named users (login names, comma separated)")),
    ("role", _("Role (code)")),
    ("position", _("Position (code)")),
    ("dept_role", _("Role within the applicant's department (code)")),
    ("dept_head", _("Head of the applicant's department")),
    ("superior_of_field", _("Superior of the person in a field")),
    ("user_field", _("Person in a field")),
)
ASSIGNEE_SHORT = (
    ("users", _("Users")),
    ("role", _("Role")),
    ("position", pgettext_lazy("organisation post", "Position")),
    ("dept_role", _("Role in the applicant's department")),
    ("dept_head", _("Head of the applicant's department")),
    ("superior_of_field", _("Superior of the person in field")),
    ("user_field", _("Person in field")),
)
ESCALATION_CHOICES = (
    ("", _("Only remind")),
    ("superior", _("Escalate to the superior")),
    ("approve", _("Approve automatically")),
    ("reject", _("Reject automatically")),
)
OP_CHOICES = [(op, op) for op in ("==", "!=", ">", ">=", "<", "<=", "in", "not in")]


class NodeForm(StyledForm):
    node_id = forms.SlugField(label=_("Step id"), max_length=64)
    kind = forms.ChoiceField(label=_("Step kind"), choices=NODE_KIND_CHOICES)
    name = forms.CharField(label=_("Step name"), max_length=100)
    mode = forms.ChoiceField(label=_("Approval mode"), choices=MODE_CHOICES, required=False)
    pass_ratio = forms.CharField(label=_("Pass ratio (vote)"), max_length=16, required=False, initial="2/3")
    assignee_kind = forms.ChoiceField(label=_("Assignees"), choices=ASSIGNEE_CHOICES, required=False)
    assignee_value = forms.CharField(label=_("Users, code or field"), max_length=500, required=False)
    deadline_days = forms.IntegerField(label=_("Deadline (working days)"), min_value=0, max_value=90, required=False)
    escalation = forms.ChoiceField(label=_("When overdue"), choices=ESCALATION_CHOICES, required=False)
    visible_fields = forms.CharField(label=_("Visible fields (comma separated)"), max_length=500, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind, value = data.get("assignee_kind"), (data.get("assignee_value") or "").strip()
        if data.get("kind") in ("approval", "cc"):
            if not kind:
                self.add_error("assignee_kind", _("Choose who handles this step."))
            elif kind == "users":
                names = [n.strip() for n in value.split(",") if n.strip()]
                found = dict(User.objects.filter(username__in=names, is_active=True).values_list("username", "pk"))
                unknown = [n for n in names if n not in found]
                if unknown or not names:
                    self.add_error("assignee_value", _("Unknown login names: %(names)s") % {"names": ", ".join(unknown) or "—"})
                data["assignee_parsed"] = [found[n] for n in names if n in found]
            elif kind != "dept_head" and not value:
                self.add_error("assignee_value", _("Enter the code or field name."))
            else:
                data["assignee_parsed"] = value or None
        return data

    def node(self) -> dict[str, Any]:
        d = self.cleaned_data
        node: dict[str, Any] = {"id": d["node_id"], "kind": d["kind"], "name": d["name"]}
        if d["kind"] in ("approval", "cc"):
            node["assignees"] = [{"kind": d["assignee_kind"], "value": d.get("assignee_parsed")}]
        if d["kind"] == "approval":
            node.update(mode=d["mode"] or "single", pass_ratio=d["pass_ratio"] or "2/3", escalation=d["escalation"] or "")
            node["deadline_days"] = d["deadline_days"]
            node["visible_fields"] = [f.strip() for f in (d["visible_fields"] or "").split(",") if f.strip()]
        if d["kind"] == "committee":
            node["deadline_days"] = d["deadline_days"]
        return node


class EdgeForm(StyledForm):
    source = forms.ChoiceField(label=_("From step"))
    target = forms.ChoiceField(label=_("To step"))
    field = forms.ChoiceField(label=_("Condition field"), required=False)
    op = forms.ChoiceField(label=_("Operator"), choices=OP_CHOICES, required=False)
    value = forms.CharField(label=_("Value (comma separated for in)"), max_length=200, required=False)

    def __init__(self, *args: Any, nodes: list[tuple[str, str]] = (), fields: Any = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = list(nodes)
        self.fields["target"].choices = list(nodes)
        self.fields["field"].choices = [("", _("No condition (default way)"))] + [(f, f) for f in fields]

    def edge(self) -> dict[str, Any]:
        d = self.cleaned_data
        edge: dict[str, Any] = {"source": d["source"], "target": d["target"]}
        if d.get("field"):
            value: Any = d["value"]
            if d["op"] in ("in", "not in"):
                value = [v.strip() for v in value.split(",") if v.strip()]
            edge["condition"] = {"field": d["field"], "op": d["op"] or "==", "value": value}
        return edge
