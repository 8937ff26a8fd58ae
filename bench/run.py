"""Benchmarks of the platform pages at realistic scale (run on demand: `make bench`; tests never time things).

Builds a throw-away database (SQLite file under var/bench/, or the PostgreSQL database named by
BENCH_DATABASE_URL), generates an institution with BENCH_USERS users (default 2,000), BENCH_EVENTS audit
events (default 100,000) and BENCH_MESSAGES messages per demo user (default 200), then requests each list
page BENCH_REPEAT times (default 20) through Django's test client and prints median / p95 time and the
number of SQL queries per page.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danbao.settings_test")
os.environ.setdefault("DATABASE_URL", os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench' / 'bench.sqlite3'}"))

USERS = int(os.environ.get("BENCH_USERS", 2000))
EVENTS = int(os.environ.get("BENCH_EVENTS", 100_000))
MESSAGES = int(os.environ.get("BENCH_MESSAGES", 200))
REPEAT = int(os.environ.get("BENCH_REPEAT", 20))


def main() -> int:
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    import warnings

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import NoReverseMatch, reverse

    warnings.filterwarnings("ignore", message="No directory at")
    setup_test_environment()
    call_command("migrate", verbosity=0)
    from bench.generate import generate

    started = time.monotonic()
    summary = generate(users=USERS, events=EVENTS, messages=MESSAGES)
    print(f"data: {summary} ({time.monotonic() - started:.1f} s) on {connection.vendor}")

    from danbao.org.models import User

    pages = [
        ("manager", "core:workbench", {}),
        ("manager", "notifications:inbox", {}),
        ("sysadmin", "org:user-list", {}),
        ("sysadmin", "org:user-list", {"q": "用户1", "sort": "-real_name"}),
        ("sysadmin", "org:user-list", {"page": "50"}),
        ("sysadmin", "org:department-list", {}),
        ("auditadmin", "audit:event-list", {}),
        ("auditadmin", "audit:event-list", {"page": "200"}),
        ("auditadmin", "audit:login-list", {}),
        ("manager", "customers:customer-list", {}),
        ("risk", "customers:customer-list", {}),
        ("risk", "customers:customer-list", {"q": "hn", "sort": "-name"}),
        ("manager", "workflow:todo", {}),
    ]
    print(f"{'user and page':<45} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for username, url_name, params in pages:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            print(f"{url_name:<45} (not available)")
            continue
        client = Client()
        client.force_login(User.objects.get(username=username))
        timings = []
        queries = 0
        for _ in range(REPEAT):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get(url, params)
                timings.append((time.perf_counter() - t0) * 1000)
            queries = len(ctx.captured_queries)
            if response.status_code != 200:
                print(f"{url_name}: HTTP {response.status_code}")
                break
        label = f"{username} {url_name} {params}" if params else f"{username} {url_name}"
        p95 = sorted(timings)[max(0, int(len(timings) * 0.95) - 1)]
        print(f"{label:<45} {statistics.median(timings):>10.1f} {p95:>8.1f} {queries:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
