"""Generated data for the benchmarks: users across the demo departments, audit events, messages."""

from __future__ import annotations

import random
from datetime import timedelta


def generate(*, users: int, events: int, messages: int) -> str:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from danbao.audit.models import AuditChainHead, AuditEvent
    from danbao.audit.services import compute_hash
    from danbao.core import demo
    from danbao.org.models import Department, User

    demo.run_all()  # the demo institution: departments, accounts, parameters, 300 customers …
    rng = random.Random(42)  # noqa: S311 - reproducible fake data
    departments = list(Department.objects.all())
    existing = User.objects.filter(username__startswith="bench").count()
    with transaction.atomic():
        batch = [
            User(
                username=f"bench{i:05d}",
                real_name=f"用户{i}",
                department=rng.choice(departments),
                mobile=f"139{i:08d}",
                email=f"bench{i}@example.cn",
                password=make_password(None),  # unusable: benchmark accounts never sign in
            )
            for i in range(existing, users)
        ]
        User.objects.bulk_create(batch, batch_size=1000)
    have = AuditEvent.objects.count()
    if have < events:
        with transaction.atomic():
            head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
            prev = head.last_hash
            now = timezone.now()
            rows = []
            kinds = ["auth.login", "auth.login_failed", "auth.logout", "data.export", "org.user_updated", "access.denied"]
            for i in range(have, events):
                event = AuditEvent(
                    created_at=now - timedelta(seconds=(events - i) * 30),
                    event_type=rng.choice(kinds),
                    actor_username=f"bench{rng.randrange(max(users, 1)):05d}",
                    ip_address=f"10.0.0.{rng.randrange(1, 250)}",
                    result=rng.choice(["success", "success", "failure"]),
                    prev_hash=prev,
                    data={"n": i},
                )
                event.hash = compute_hash(event)
                prev = event.hash
                rows.append(event)
                if len(rows) == 5000:
                    AuditEvent.objects.bulk_create(rows)
                    rows = []
            AuditEvent.objects.bulk_create(rows)
            AuditChainHead.objects.filter(pk=head.pk).update(last_hash=prev, count=events)
    sent = 0
    try:
        from danbao.notifications.services import message_send
    except ImportError:
        message_send = None
    if message_send is not None:
        manager = User.objects.get(username="manager")
        sysadmin = User.objects.get(username="sysadmin")
        have_messages = manager.messages.count()
        for i in range(have_messages, messages):
            message_send(actor=sysadmin, title=f"通知 {i}", body="基准测试消息", users=[manager])
            sent += 1
    return f"{User.objects.count()} users, {AuditEvent.objects.count()} audit events, {sent} new messages"
