"""A bounded load run on loopback: 50 simulated users for LOAD_SECONDS (default 45)
against the live server, mostly reads, some registrations and transitions. No server
errors, and every complaint created is stored with its timeline."""

import os
import random
import re
import threading
import time

import pytest
import requests
from django.db import connection

from complaints.models import Complaint, TimelineEntry

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]
USERS = 50
SECONDS = float(os.environ.get("LOAD_SECONDS", "45"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _session(base, username):
    s = requests.Session()
    token = CSRF.search(s.get(f"{base}/login/", timeout=30).text).group(1)
    r = s.post(
        f"{base}/login/",
        data={"username": username, "password": "Demo@2026", "csrfmiddlewaretoken": token},
        timeout=30,
    )
    assert r.url.rstrip("/") == base, r.url
    return s


@pytest.mark.django_db(transaction=True)
def test_fifty_users_no_errors_nothing_lost(live_server, settings):
    from django.core.management import call_command

    settings.AXES_ENABLED = False  # 50 logins from one address in a second is the test
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    base = live_server.url
    errors, created, requests_done = [], [], [0]
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS
    from institutions.models import Institution

    outlet = Institution.objects.get(code="RCB-QH-0101").pk
    category = (
        __import__("complaints.models", fromlist=["HandlingCategory"])
        .HandlingCategory.objects.get(name="服务态度")
        .pk
    )

    def user(i):
        rnd = random.Random(i)
        name = ["pbc_supervisor", "rcb_manager", "rcb_teller", "abc_manager"][i % 4]
        try:
            s = _session(base, name)
        except Exception as e:
            with lock:
                errors.append(f"login {name}: {e}")
            return
        while time.monotonic() < deadline:
            roll = rnd.random()
            try:
                if name == "rcb_teller" and roll < 0.15:
                    page = s.get(f"{base}/complaints/new/", timeout=30).text
                    token = CSRF.search(page).group(1)
                    r = s.post(
                        f"{base}/complaints/new/",
                        timeout=30,
                        data={
                            "csrfmiddlewaretoken": token,
                            "intake_source": "phone",
                            "kind": "complaint",
                            "complainant_name": f"负载{i}",
                            "complainant_phone": f"139{i:04d}{rnd.randint(0, 9999):04d}",
                            "answer_preference": "phone",
                            "description": "负载测试",
                            "demand": "无",
                            "complained_institution": outlet,
                            "category": category,
                            "confirm_duplicate": "on",
                        },
                    )
                    m = re.search(r"/complaints/(\d+)/$", r.url)
                    if m:
                        with lock:
                            created.append(int(m.group(1)))
                elif name == "rcb_manager" and roll < 0.1 and created:
                    pk = rnd.choice(created)
                    page = s.get(f"{base}/complaints/{pk}/", timeout=30).text
                    token = CSRF.search(page).group(1)
                    version = re.search(r'name="version" value="(\d+)"', page)
                    r = s.post(
                        f"{base}/complaints/{pk}/act/supervise/",
                        timeout=30,
                        data={
                            "csrfmiddlewaretoken": token,
                            "note": "请尽快处理",
                            "version": version.group(1) if version else "1",
                        },
                    )
                else:
                    path = rnd.choice(
                        ["/", "/complaints/", "/complaints/?overdue=on", "/notifications/"]
                    )
                    r = s.get(f"{base}{path}", timeout=30)
                if r.status_code >= 500:
                    with lock:
                        errors.append(f"{r.status_code} {r.url}")
                with lock:
                    requests_done[0] += 1
            except Exception as e:
                with lock:
                    errors.append(repr(e))

    threads = [threading.Thread(target=user, args=(i,)) for i in range(USERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(SECONDS + 120)
    assert errors == []
    assert requests_done[0] > USERS
    assert created, "no registrations happened"
    stored = Complaint.objects.filter(pk__in=created)
    assert stored.count() == len(set(created))
    with_register_row = TimelineEntry.objects.filter(
        complaint__in=stored, action="register"
    ).count()
    assert with_register_row == len(set(created))
    print(f"load: {requests_done[0]} requests, {len(created)} registrations, 0 errors")
