import os

import pytest


@pytest.mark.django_db
def test_healthz_reports_database_cache_and_broker(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}
    assert all(check["ok"] for check in body["checks"].values())


@pytest.mark.django_db
def test_healthz_is_503_when_the_cache_is_down(client, monkeypatch) -> None:
    from danbao.core import views

    def broken() -> dict:
        raise ConnectionError("down")

    monkeypatch.setattr(views, "_check_cache", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == {"ok": False, "error": "ConnectionError", "ms": response.json()["checks"]["cache"]["ms"]}


@pytest.mark.django_db
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI runs it)")
def test_healthz_reaches_the_real_redis_broker(client, settings) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.REDIS_URL = os.environ["REDIS_URL"]
    settings.CELERY_BROKER_URL = os.environ["REDIS_URL"]
    response = client.get("/healthz")
    assert response.json()["checks"]["broker"]["mode"] == "redis"
    assert response.status_code == 200
