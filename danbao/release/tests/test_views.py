"""Release pages: who sees what (403 / 404), happy paths of registration and task completion, the PDF."""

from __future__ import annotations

import subprocess
import tempfile
from typing import Any

import pytest
from django.urls import reverse

from danbao.core.money import amount_in_words
from danbao.ledger.models import GuaranteeState
from danbao.ledger.tests.support import TODAY
from danbao.release import services
from danbao.release.models import Release, ReleaseState, TaskKind, TaskState
from danbao.release.tests.support import scan

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        return subprocess.run(["pdftotext", "-layout", handle.name, "-"], capture_output=True, check=True, text=True).stdout  # noqa: S603,S607


def _register(setup: dict[str, Any], actor: Any) -> Release:
    return services.release_register(
        actor=actor, guarantee=setup["guarantee"], notice_date=TODAY, reference="ICBC-JB-9", scan=scan(), confirms_full_repayment=True
    )


def test_lists_and_registration_page(client_for, released_setup, owner, dept_head, outsider, nobody, archivist, finance):
    g = released_setup["guarantee"]
    for user in (owner, dept_head, archivist, finance):
        assert client_for(user).get(reverse("release:ready-list")).status_code == 200
        assert client_for(user).get(reverse("release:task-list")).status_code == 200
        assert client_for(user).get(reverse("release:release-list")).status_code == 200
    page = client_for(dept_head).get(reverse("release:ready-list"))
    assert g.project.number in page.content.decode()
    assert g.project.number not in client_for(outsider).get(reverse("release:ready-list")).content.decode()
    assert client_for(nobody).get(reverse("release:ready-list")).status_code == 403
    register_url = reverse("release:register", args=[g.pk])
    assert client_for(outsider).get(register_url).status_code == 404
    assert client_for(archivist).get(register_url).status_code == 403
    assert client_for(dept_head).get(register_url).status_code == 200
    # Missing scan: the form refuses, nothing changes.
    response = client_for(dept_head).post(
        register_url, {"notice_date": TODAY.isoformat(), "reference": "X-1", "confirms_full_repayment": "on"}
    )
    assert response.status_code == 200 and not Release.objects.exists()
    response = client_for(dept_head).post(
        register_url, {"notice_date": TODAY.isoformat(), "reference": "X-1", "confirms_full_repayment": "on", "scan": scan()}
    )
    release = Release.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("release:detail", args=[release.pk])
    g.refresh_from_db()
    assert g.state == GuaranteeState.RELEASED
    # A second visit of the form goes to the existing release.
    again = client_for(dept_head).get(register_url)
    assert again.status_code in (302, 404)


def test_detail_pdf_and_task_pages(client_for, released_setup, owner, dept_head, outsider, archivist, finance):
    release = _register(released_setup, dept_head)
    detail = reverse("release:detail", args=[release.pk])
    for user in (owner, dept_head, archivist, finance):
        assert client_for(user).get(detail).status_code == 200
    assert client_for(outsider).get(detail).status_code == 404
    pdf = client_for(owner).get(reverse("release:notice-pdf", args=[release.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content).replace(" ", "")
    assert release.number in text and amount_in_words(release.released_amount) in text
    custody = release.tasks.get(kind=TaskKind.CUSTODY)
    url = reverse("release:task-complete", args=[custody.pk])
    assert client_for(owner).get(url).status_code == 403
    assert client_for(finance).get(url).status_code == 403
    assert client_for(archivist).get(url).status_code == 200
    assert custody.subject in client_for(archivist).get(reverse("release:task-list")).content.decode()
    response = client_for(archivist).post(url, {"done_on": TODAY.isoformat(), "evidence": "签收单"})
    assert response.status_code == 302
    custody.refresh_from_db()
    assert custody.state == TaskState.DONE
    dereg = release.tasks.get(kind=TaskKind.DEREGISTER)
    url = reverse("release:task-complete", args=[dereg.pk])
    response = client_for(owner).post(url, {"done_on": TODAY.isoformat()})
    assert response.status_code == 200  # registry office required
    client_for(owner).post(url, {"done_on": TODAY.isoformat(), "registry_office": "长沙市不动产登记中心", "certificate_returned": "on"})
    letter = release.tasks.get(kind=TaskKind.LETTER)
    client_for(owner).post(reverse("release:task-complete", args=[letter.pk]), {"done_on": TODAY.isoformat()})
    release.refresh_from_db()
    assert release.state == ReleaseState.COMPLETE
    # Dossier section on the project page.
    page = client_for(owner).get(reverse("projects:project-detail", args=[release.project.pk]))
    assert page.status_code == 200 and release.number in page.content.decode()
