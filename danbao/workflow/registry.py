"""Flow types: a domain app registers its business object and what approval does to it.

    registry.register(FlowType(
        code="project.approval", label=_("Project approval"), model="projects.Project",
        fields={"amount": "decimal", "industry": "str", "manager_a": "user"},
        values=lambda p: {"amount": p.amount, ...},
        excluded_users=lambda p: {p.manager_a_id, p.manager_b_id},
        on_approved=..., on_rejected=..., on_returned=..., on_resubmitted=..., describe=lambda p: p.name))

Executors run INSIDE the transaction of the final action: the business change and the approval
land together or not at all. The engine never writes a domain table; executors never write engine
tables. Field type "user" holds a user id (for the superior_of_field / user_field assignee rules).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Model
from django.utils.functional import Promise

from danbao.core.registry import Registry

Executor = Callable[..., None]  # executor(obj, *, instance, actor) -> None


def _nothing(obj: Any) -> set[int]:
    return set()


@dataclass(frozen=True)
class FlowType:
    code: str
    label: str | Promise
    model: str  # "app_label.ModelName"
    fields: Mapping[str, str] = field(default_factory=dict)  # declared condition fields: name -> type
    values: Callable[[Any], Mapping[str, Any]] = lambda obj: {}
    field_labels: Mapping[str, str | Promise] = field(default_factory=dict)
    excluded_users: Callable[[Any], set[int]] = _nothing
    on_approved: Executor | None = None
    on_rejected: Executor | None = None
    on_returned: Executor | None = None
    on_resubmitted: Executor | None = None  # the submitter sent a returned item through again
    on_withdrawn: Executor | None = None
    on_terminated: Executor | None = None
    describe: Callable[[Any], str] = str
    department_of: Callable[[Any], Any] = lambda obj: getattr(obj, "department", None)
    url_of: Callable[[Any], str] = lambda obj: ""

    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)

    @property
    def condition_fields(self) -> dict[str, str]:
        """Fields usable in conditions (user fields are only for assignee rules)."""
        return {name: kind if kind != "user" else "int" for name, kind in self.fields.items()}


flow_types: Registry[FlowType] = Registry("workflow flow types")


def register(flow_type: FlowType, *, replace: bool = False) -> FlowType:
    return flow_types.register(flow_type.code, flow_type, replace=replace)


def unregister(code: str) -> None:
    """Tests only: drop a flow type registered for one test."""
    flow_types._entries.pop(code, None)


def get(code: str) -> FlowType:
    from danbao.workflow import errors

    if code not in flow_types:
        raise errors.FLOW_TYPE_UNKNOWN.error(flow_type=code)
    return flow_types.get(code)


def choices() -> list[tuple[str, str]]:
    return [(t.code, str(t.label)) for t in flow_types]
