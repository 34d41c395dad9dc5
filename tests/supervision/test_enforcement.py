"""诉转案: opened from a complaint by the office, linked both ways, counted per
institution and period for the appraisal."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from supervision import selectors, services
from supervision.models import EnforcementCase

from ..complaints.helpers import complaint_in_state, register
from .conftest import local
from .factories import EnforcementCaseFactory


def _open(county, complaint, **kw):
    return services.enforcement_open(
        actor=county.regulator,
        complaint_id=complaint.pk,
        kind=kw.get("kind", "special"),
        summary=kw.get("summary", "贷款搭售理财，开展专项检查"),
    )


def test_opening_numbers_the_case_and_targets_the_complained_institution(county, intake):
    c = register(county, intake())
    first = _open(county, c)
    second = _open(county, c, kind="enforcement")
    year = timezone.localdate().year
    assert (first.case_no, second.case_no) == (f"PBC-ZF-{year}-001", f"PBC-ZF-{year}-002")
    assert (first.institution, first.office, first.opened_by, first.status) == (
        county.a_out1,
        county.pbc,
        county.regulator,
        "open",
    )


def test_only_the_office_opens_and_sees_enforcement_cases(county, intake):
    c = register(county, intake())
    for user in (county.a_manager, county.a_teller):
        with pytest.raises(PermissionDenied):
            services.enforcement_open(actor=user, complaint_id=c.pk, kind="special", summary="检查")
    with pytest.raises(Http404):
        services.enforcement_open(
            actor=county.other_regulator, complaint_id=c.pk, kind="special", summary="检查"
        )
    case = _open(county, c)
    assert list(selectors.enforcement_cases(county.regulator)) == [case]
    for user in (county.a_manager, county.a_teller, county.other_regulator):
        assert list(selectors.enforcement_cases(user)) == []


def test_input_is_validated(county, intake):
    c = register(county, intake())
    with pytest.raises(ValidationError) as exc:
        services.enforcement_open(
            actor=county.regulator, complaint_id=c.pk, kind="audit", summary=" "
        )
    assert set(exc.value.message_dict) == {"kind", "summary"}
    assert not EnforcementCase.objects.exists()


def test_close(county, intake):
    case = _open(county, register(county, intake()))
    with pytest.raises(ValidationError):
        services.enforcement_close(actor=county.regulator, case_id=case.pk, result="")
    closed = services.enforcement_close(
        actor=county.regulator, case_id=case.pk, result="责令整改，罚款 2 万元"
    )
    assert (closed.status, closed.closed_by, closed.result) == (
        "closed",
        county.regulator,
        "责令整改，罚款 2 万元",
    )
    assert closed.closed_at is not None
    with pytest.raises(ValidationError):
        services.enforcement_close(actor=county.regulator, case_id=case.pk, result="再次")


def test_linked_both_ways(client, county, intake):
    c = complaint_in_state(county, intake(), "in_progress")
    client.force_login(county.regulator)
    detail = reverse("complaints:detail", args=[c.pk])
    body = client.get(detail).content.decode()
    assert reverse("supervision:enforcement_create", args=[c.pk]) in body
    response = client.post(
        reverse("supervision:enforcement_create", args=[c.pk]),
        {"kind": "enforcement", "summary": "违规收费"},
    )
    case = EnforcementCase.objects.get()
    assert response.url == reverse("supervision:enforcement_detail", args=[case.pk])
    body = client.get(detail).content.decode()
    assert case.case_no in body
    page = client.get(response.url).content.decode()
    assert detail in page
    # The bank's manager sees the complaint but not the office's working file.
    client.force_login(county.a_manager)
    body = client.get(detail).content.decode()
    assert case.case_no not in body
    assert client.get(response.url).status_code == 404
    assert client.get(reverse("supervision:enforcement_list")).status_code == 404


def test_counts_per_institution_and_period(county, make):
    jan = local(2026, 1, 15, 10)
    office = county.pbc
    for inst, when in (
        (county.a_out1, jan),
        (county.a_out2, jan + timedelta(days=30)),
        (county.bank_b, jan),
        (county.a_out1, jan + timedelta(days=120)),  # May: outside Q1
    ):
        EnforcementCaseFactory(
            complaint=make(inst), office=office, opened_by=county.regulator, opened_at=when
        )
    EnforcementCaseFactory(complaint=make(county.bank_x), opened_at=jan)
    counts = selectors.enforcement_counts(
        county.regulator, start=date(2026, 1, 1), end=date(2026, 3, 31)
    )
    assert [(c.institution.code, c.count, c.own_level) for c in counts] == [
        ("PBC", 0, True),
        ("BANK-A", 2, False),
        ("BANK-B", 1, False),
    ]
    by_outlet = selectors.enforcement_counts(
        county.regulator, start=date(2026, 1, 1), end=date(2026, 3, 31), root=county.bank_a
    )
    assert [(c.institution.code, c.count) for c in by_outlet] == [
        ("BANK-A", 0),
        ("A-OUT1", 1),
        ("A-OUT2", 1),
    ]
