"""Demo step: run the nightly warning job and the classification suggestions on the demo guarantees,
confirm and check the pending suggestions (risk manager makes, general manager checks), acknowledge
the red/orange warnings. Idempotent: a second run finds nothing pending that it made."""

from __future__ import annotations

from django.utils import timezone


def run() -> str:
    from danbao.org.models import User
    from danbao.risk import classification, engine, services
    from danbao.risk.models import Classification, ClassState, Warning, WarningState

    on = timezone.localdate()
    engine.warnings_run(on)
    classification.suggestions_run(on)
    maker = User.objects.filter(is_active=True, roles__code="risk_manager").order_by("pk").first()
    checker = (
        User.objects.filter(is_active=True, roles__code="general_manager").exclude(pk=getattr(maker, "pk", None)).order_by("pk").first()
    )
    if maker is None or checker is None:
        return "risk: no risk manager / general manager"
    done = acked = 0
    for c in Classification.objects.filter(state=ClassState.SUGGESTED).order_by("pk")[:5]:
        classification.classification_propose(
            actor=maker, classification=c, risk_class=c.suggested_class, reason="按逾期天数及预警信号确认系统建议分类"
        )
        classification.classification_check(actor=checker, classification=c, approve=True, note="同意")
        done += 1
    for w in Warning.objects.filter(state=WarningState.OPEN, level__in=["red", "orange"]).order_by("pk")[:3]:
        services.warning_handle(actor=maker, warning=w, action="acknowledge")
        acked += 1
    open_count = Warning.objects.exclude(state=WarningState.CLOSED).count()
    return f"risk: {open_count} open warnings, {done} classifications confirmed and checked, {acked} warnings acknowledged"
