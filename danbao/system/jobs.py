"""`tracked_job`: wrap a Celery task body so every run leaves a JobRun row (the run log).

    @shared_task(name="danbao.x.tasks.nightly")
    @tracked_job
    def nightly() -> str:
        ...            # idempotent work, in its own transactions
        return "42 rows checked"    # becomes the run's summary

The JobRun row is written outside the body's transactions, so a failing body still leaves its
"failure" row. A run left "running" by a worker that died is closed as failed when the same job
starts again, so a restarted job never shows two runs in progress.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar, overload

from django.utils import timezone

from danbao.system.models import JobRun

logger = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])
STALE_AFTER = timedelta(hours=6)
INTERRUPTED = "Interrupted: the worker stopped before the job finished."


def _error_text(exc: BaseException) -> str:
    """Class and message only: tracebacks go to the log, never to the page."""
    return f"{type(exc).__name__}: {exc}"[:1000]


def _wrap(fn: Callable[..., Any], name: str) -> Callable[..., Any]:
    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        now = timezone.now()
        for stale in JobRun.objects.filter(task_name=name, status=JobRun.Status.RUNNING, started_at__lt=now - STALE_AFTER):
            stale.status, stale.finished_at, stale.error = JobRun.Status.FAILURE, now, INTERRUPTED
            stale.save(update_fields=["status", "finished_at", "error"])
        run = JobRun.objects.create(task_name=name, started_at=now, status=JobRun.Status.RUNNING)
        try:
            result = fn(*args, **kwargs)
        except Exception as exc:
            logger.exception("job %s failed (run %s)", name, run.pk)
            run.status, run.finished_at, run.error = JobRun.Status.FAILURE, timezone.now(), _error_text(exc)
            run.save(update_fields=["status", "finished_at", "error"])
            raise
        run.status, run.finished_at, run.summary = JobRun.Status.SUCCESS, timezone.now(), str(result if result is not None else "")[:4000]
        run.save(update_fields=["status", "finished_at", "summary"])
        return result

    return wrapper


@overload
def tracked_job(fn: F) -> F: ...
@overload
def tracked_job(*, name: str) -> Callable[[F], F]: ...
def tracked_job(fn: Any = None, *, name: str = "") -> Any:
    """Decorator; the run is logged under `name`, by default the function's dotted path (= the
    Celery task name when the task is not given another)."""
    if fn is not None:
        return _wrap(fn, name or f"{fn.__module__}.{fn.__name__}")
    return lambda f: _wrap(f, name or f"{f.__module__}.{f.__name__}")
