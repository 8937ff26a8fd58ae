"""Reads of the audit log and of field history: only for holders of audit.log.view (三员分立)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from danbao.audit.models import AuditEvent

VIEW = "audit.log.view"
LOGIN_PREFIX = "auth."


def _require(user: Any) -> None:
    # The views check the same code; the selector refuses too so no other caller can bypass it.
    if not user.can(VIEW):
        raise PermissionDenied


def event_list_for(user: Any) -> QuerySet[AuditEvent]:
    """Every security event (the audit administrator sees the whole log; nothing is scoped away)."""
    _require(user)
    return AuditEvent.objects.all()


def login_event_list_for(user: Any) -> QuerySet[AuditEvent]:
    """Sign-in, sign-out, lockout and second-factor events."""
    return event_list_for(user).filter(event_type__startswith=LOGIN_PREFIX)


def event_get_for(user: Any, event_id: int) -> AuditEvent:
    """One event, 404 when absent."""
    try:
        return event_list_for(user).get(pk=event_id)
    except AuditEvent.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class HistoryModel:
    """A business model whose field-level changes django-simple-history records."""

    key: str  # "app_label.model_name"
    label: str
    model: type[Model]

    @property
    def history(self) -> Any:
        return getattr(self.model, self.model._meta.simple_history_manager_attribute)  # type: ignore[attr-defined]


def history_models() -> list[HistoryModel]:
    """Discovered, not listed: every installed model registered with simple-history."""
    # In INSTALLED_APPS order (floor by floor: organisation first), models in definition order.
    return [
        HistoryModel(f"{m._meta.app_label}.{m._meta.model_name}", f"{m._meta.app_config.verbose_name} · {m._meta.verbose_name}", m)
        for m in apps.get_models()
        if hasattr(m._meta, "simple_history_manager_attribute")
    ]


def history_model_get(key: str) -> HistoryModel:
    for item in history_models():
        if item.key == key:
            return item
    raise Http404


def history_list_for(user: Any, item: HistoryModel) -> QuerySet[Any]:
    """Historical records of one model, newest first, with the user who made each change."""
    _require(user)
    return item.history.all().select_related("history_user")


def history_get_for(user: Any, item: HistoryModel, history_id: int) -> Any:
    """One historical record, 404 when absent."""
    try:
        return history_list_for(user, item).get(history_id=history_id)
    except item.history.model.DoesNotExist:
        raise Http404 from None


def history_object_label(record: Any) -> str:
    """str() of the version, built from its own columns only.

    simple-history's `record.instance` reloads excluded fields (e.g. the password hash) from the live
    row, one query per row; this builds an unsaved instance from the stored columns instead.
    """
    model = record.instance_type
    values = {f.attname: getattr(record, f.attname) for f in model._meta.concrete_fields if hasattr(record, f.attname)}
    try:
        return str(model(**values))
    except Exception:  # noqa: BLE001  # a __str__ that needs excluded data: fall back to the id
        return f"{model._meta.verbose_name} #{getattr(record, model._meta.pk.attname)}"


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


def _shown(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, list):
        return ", ".join(str(v.get(next(iter(v)), v)) if isinstance(v, dict) else str(v) for v in value) if value else ""
    return str(value)


def history_changes(record: Any) -> tuple[Any, list[FieldChange]]:
    """The previous version and old → new per changed field (all fields for a creation)."""
    previous = record.prev_record
    fields = {f.name: f for f in record.instance_type._meta.get_fields()}
    if previous is None:
        tracked = [f for f in record.tracked_fields if f.editable]
        changes = [
            FieldChange(f.name, str(getattr(f, "verbose_name", f.name)), "", _shown(getattr(record, f.attname, None))) for f in tracked
        ]
        return None, [c for c in changes if c.new]
    delta = record.diff_against(previous)
    result = []
    for change in delta.changes:
        field = fields.get(change.field)
        label = str(getattr(field, "verbose_name", change.field)) if field is not None else change.field
        result.append(FieldChange(change.field, label, _shown(change.old), _shown(change.new)))
    return previous, result
