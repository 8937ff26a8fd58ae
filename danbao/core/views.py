"""Kernel pages: the workbench (工作台), the health check and the error handlers."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from danbao.core import workbench
from danbao.core.access import login_only
from danbao.core.menu import menu_for
from danbao.core.middleware import current_request_id


@login_only
def workbench_view(request: HttpRequest) -> HttpResponse:
    """My to-dos, my panels and shortcuts to every page I may open."""
    user = request.user
    shortcuts = [item for group in menu_for(user) if group.group.key != "workbench" for item in group.items][:8]
    context = {
        "todos": workbench.todos_for(user),
        "widgets": workbench.widgets_for(user),
        "shortcuts": shortcuts,
    }
    return render(request, "core/workbench.html", context)


def _check_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "vendor": connection.vendor}


def _check_cache() -> dict[str, Any]:
    key = "healthz:probe"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("cache read-back failed")
    return {"ok": True, "backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}


def _check_broker() -> dict[str, Any]:
    if settings.CELERY_TASK_ALWAYS_EAGER and not settings.REDIS_URL:
        return {"ok": True, "mode": "eager"}
    from kombu import Connection

    with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1)
    return {"ok": True, "mode": "redis"}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database, cache and broker state as JSON; 503 when one of them is down."""
    checks: dict[str, Any] = {}
    for name, probe in (("database", _check_database), ("cache", _check_cache), ("broker", _check_broker)):
        started = time.monotonic()
        try:
            checks[name] = probe()
        except Exception as exc:  # noqa: BLE001 - any failure means "down"
            checks[name] = {"ok": False, "error": exc.__class__.__name__}
        checks[name]["ms"] = round((time.monotonic() - started) * 1000, 1)
    healthy = all(c["ok"] for c in checks.values())
    return JsonResponse({"status": "ok" if healthy else "down", "checks": checks}, status=200 if healthy else 503)


def server_error(request: HttpRequest) -> HttpResponse:
    """500 page with the error id only: no traceback, SQL or settings (SECURITY C.41)."""
    from django.template import loader

    template = loader.get_template("500.html")
    return HttpResponse(template.render({"request_id": current_request_id()}), status=500)
