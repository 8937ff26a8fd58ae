"""Rules reads: the catalogue (reference data for holders of `rules.rule.view`), a rule's resolved
parameters and history, and stored evaluations (scoped by the customer they concern)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from danbao.customers.selectors import customer_list_for
from danbao.org.scope import scope_for
from danbao.rules import registry
from danbao.rules.models import Evaluation, Rule, RuleParameter
from danbao.rules.services import ParamMissing, resolve_params


def rule_list_for(user: Any) -> QuerySet[Rule]:
    return Rule.objects.all()


def rule_get_for(user: Any, pk: Any) -> Rule:
    try:
        return Rule.objects.select_related("updated_by").get(pk=int(pk))
    except (Rule.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc


def rule_parameters(rule: Rule, on: date | None = None) -> list[dict[str, Any]]:
    """Each declared parameter with the value in force on `on` and where it comes from."""
    on = on or timezone.localdate()
    spec = registry.get(rule.code)
    if spec is None:
        return []
    own = list(rule.parameters.all())
    rows = []
    for param in spec.params:
        try:
            resolved = resolve_params(rule, registry.RuleSpec(**{**spec.__dict__, "params": (param,)}), on, own)[0]
            value, source, ref = resolved.value, resolved.source, resolved.ref
        except ParamMissing:
            value, source, ref = None, "missing", ""
        rows.append(
            {
                "key": param.key,
                "label": param.label,
                "kind": param.kind,
                "system": param.system or "",
                "value": value,
                "source": source,
                "ref": ref,
            }
        )
    return rows


def rule_parameter_rows(rule: Rule) -> list[RuleParameter]:
    return list(rule.parameters.select_related("created_by").order_by("key", "valid_from"))


def rule_history(rule: Rule, limit: int = 50) -> list[dict[str, Any]]:
    """Versions of the rule row, newest first, with the fields that changed."""
    records = list(rule.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    out = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        fields: list[str] = []
        if previous is not None and record.history_type == "~":
            fields = [str(Rule._meta.get_field(c.field).verbose_name) for c in record.diff_against(previous).changes]
        out.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "type": record.history_type,
                "version": record.version,
                "reason": record.change_reason,
                "fields": fields,
            }
        )
    return out


def evaluation_list_for(user: Any) -> QuerySet[Evaluation]:
    """Stored evaluations the user may read: all for an all-data scope; otherwise only those about
    customers in the user's scope (evaluations without a customer are readable by rule viewers)."""
    queryset = Evaluation.objects.select_related("created_by", "content_type")
    if scope_for(user).all:
        return queryset
    visible = list(customer_list_for(user).values_list("pk", flat=True))
    return queryset.filter(models.Q(inputs__customer=None) | models.Q(inputs__customer__id__in=visible))


def evaluation_get_for(user: Any, pk: Any) -> Evaluation:
    try:
        return evaluation_list_for(user).get(pk=int(pk))
    except (Evaluation.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc


def evaluations_of(subject: models.Model) -> QuerySet[Evaluation]:
    """Stored evaluations of one business object, newest first (for the subject's own pages)."""
    ct = ContentType.objects.get_for_model(subject)
    return Evaluation.objects.filter(content_type=ct, object_id=subject.pk).order_by("-created_at", "-id")
