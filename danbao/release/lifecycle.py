"""Lifecycle tables (data) of the release and its tasks; `move_*` is the only way a state changes."""

from __future__ import annotations

from typing import Any

from danbao.release import errors
from danbao.release.models import Release, ReleaseState, ReleaseTask, ReleaseTransition, TaskState, TaskTransition

RELEASE_TABLE: tuple[tuple[str, str], ...] = ((ReleaseState.REGISTERED, ReleaseState.COMPLETE),)
TASK_TABLE: tuple[tuple[str, str], ...] = ((TaskState.OPEN, TaskState.DONE),)


def move_release(release: Release, target: str, *, actor: Any, reason: str = "") -> ReleaseTransition:
    if (release.state, target) not in RELEASE_TABLE:
        raise errors.TRANSITION.error()
    source, release.state = release.state, target
    release.save(update_fields=["state", "completed_at"])
    return ReleaseTransition.objects.create(release=release, source=source, target=target, reason=reason[:500], actor=actor)


def move_task(task: ReleaseTask, target: str, *, actor: Any, reason: str = "") -> TaskTransition:
    if (task.state, target) not in TASK_TABLE:
        raise errors.TRANSITION.error()
    source, task.state = task.state, target
    task.save()
    return TaskTransition.objects.create(task=task, source=source, target=target, reason=reason[:500], actor=actor)
