"""Training records through the real service, their scoping, bad input, and the
figures against a hand count."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from institutions.enums import Role
from tests.institutions.factories import UserFactory
from training import selectors, services
from training.errors import TrainingError
from training.models import Trainee, TrainingMaterial, TrainingSession

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _record(actor, organiser, *, staff=(), named=(), hours="2.0", held_on=date(2026, 3, 10), **kw):
    return services.training_record(
        actor=actor,
        data=services.SessionData(
            organiser_id=organiser.pk,
            held_on=held_on,
            topic=kw.get("topic", "投诉处理规范"),
            hours=Decimal(hours),
            staff_ids=[u.pk for u in staff],
            named=[(n, i.pk) for n, i in named],
            materials=kw.get("materials", []),
        ),
    )


@pytest.fixture
def sessions(county):
    """A: the bank's own session (2 h, teller + handler); O: the office's session
    (3 h, A's teller, B's teller, a named person at A's outlet 2); B: bank B's own
    (1.5 h, B's teller); X: the other county's (4 h)."""
    x_staff = UserFactory(username="x_tel", role=Role.TELLER, institution=county.bank_x)
    return {
        "A": _record(county.a_manager, county.bank_a, staff=[county.a_teller, county.a1_handler]),
        "O": _record(
            county.regulator,
            county.pbc,
            staff=[county.a_teller, county.b_teller],
            named=[("孙晓梅", county.a_out2)],
            hours="3.0",
            held_on=date(2026, 4, 1),
        ),
        "B": _record(county.b_manager, county.bank_b, staff=[county.b_teller], hours="1.5"),
        "X": _record(county.other_regulator, county.other_pbc, staff=[x_staff], hours="4.0"),
    }


def test_training_figures_match_a_hand_count(county, sessions, django_assert_num_queries):
    # Bank A's subtree: session A (2 trainees × 2 h) + session O (a_teller, 孙晓梅 × 3 h)
    # = 2 sessions, 4 trainees, 4 + 6 = 10 person-hours. Bank B: O (b_teller, 3 h) and
    # B (b_teller, 1.5 h) = 2 sessions, 2 trainees, 4.5 h. Outlet A2 alone: O, 1, 3.0.
    with django_assert_num_queries(1):
        figures = selectors.training_figures(
            institutions=[county.bank_a, county.bank_b, county.a_out2, county.bank_x],
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 12, 31),
        )
    # a_out2 lies under bank_a, listed first: which_subtree gives its rows to bank_a.
    assert figures[county.bank_a.pk] == selectors.TrainingFigures(2, 4, Decimal("10.0"))
    assert figures[county.bank_b.pk] == selectors.TrainingFigures(2, 2, Decimal("4.5"))
    assert figures[county.a_out2.pk] == selectors.TrainingFigures()
    assert figures[county.bank_x.pk] == selectors.TrainingFigures(1, 1, Decimal("4.0"))
    alone = selectors.training_figures(
        institutions=[county.a_out2], starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)
    )
    assert alone[county.a_out2.pk] == selectors.TrainingFigures(1, 1, Decimal("3.0"))


def test_training_figures_respect_the_period(county, sessions):
    march = selectors.training_figures(
        institutions=[county.bank_a], starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 31)
    )
    assert march[county.bank_a.pk] == selectors.TrainingFigures(1, 2, Decimal("4.0"))
    assert (
        selectors.training_figures(
            institutions=[], starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 2)
        )
        == {}
    )


def test_manager_sees_own_sessions_and_only_own_trainees_of_the_office_session(
    county, sessions, client
):
    visible = set(selectors.training_list(county.a_manager).values_list("pk", flat=True))
    assert visible == {sessions["A"].pk, sessions["O"].pk}
    names = [t.name for t in selectors.trainees_for(county.a_manager, sessions["O"])]
    assert county.b_teller.full_name not in names or not county.b_teller.full_name
    assert {t.institution_id for t in selectors.trainees_for(county.a_manager, sessions["O"])} == {
        county.a_out1.pk,
        county.a_out2.pk,
    }
    client.force_login(county.a_manager)
    page = client.get(reverse("training:detail", args=[sessions["O"].pk]))
    assert page.status_code == 200
    assert county.b_out1.name not in page.content.decode()
    assert "孙晓梅" in page.content.decode()


@pytest.mark.parametrize(
    ("who", "hidden"), [("a_manager", "B"), ("b_manager", "A"), ("other_regulator", "O")]
)
def test_sessions_of_others_are_not_found(county, sessions, client, who, hidden):
    client.force_login(getattr(county, who))
    assert client.get(reverse("training:detail", args=[sessions[hidden].pk])).status_code == 404
    assert client.get(reverse("training:detail", args=[999999])).status_code == 404


def test_office_of_county_b_sees_nothing_of_county_a(county, sessions, client):
    other = county.other_regulator
    assert set(selectors.training_list(other).values_list("pk", flat=True)) == {sessions["X"].pk}
    client.force_login(other)
    assert client.get(reverse("training:staff", args=[county.a_teller.pk])).status_code == 404
    assert client.get(reverse("training:institution", args=[county.bank_a.pk])).status_code == 404
    page = client.get(reverse("training:list")).content.decode()
    assert "投诉处理规范" in page  # X's own topic
    assert county.bank_a.name not in page


def test_staff_history_and_institution_totals(county, sessions, client):
    client.force_login(county.a_manager)
    page = client.get(reverse("training:staff", args=[county.a_teller.pk]))
    assert page.status_code == 200
    assert [r.session_id for r in page.context["rows"]] == [sessions["O"].pk, sessions["A"].pk]
    assert page.context["total_hours"] == Decimal("5.0")
    assert client.get(reverse("training:staff", args=[county.b_teller.pk])).status_code == 404
    totals = client.get(
        reverse("training:institution", args=[county.bank_a.pk]),
        {"starts_on": "2026-01-01", "ends_on": "2026-12-31"},
    )
    assert totals.context["figures"] == selectors.TrainingFigures(2, 4, Decimal("10.0"))
    assert len(totals.context["rows"]) == 4


def test_tellers_see_no_training(county, sessions, client):
    client.force_login(county.a_teller)
    assert client.get(reverse("training:list")).status_code == 404
    assert client.get(reverse("training:detail", args=[sessions["A"].pk])).status_code == 404


def _post(client, **overrides):
    data = {
        "held_on": "2026-05-06",
        "organiser": "",
        "topic": "反洗钱与消保",
        "hours": "2.5",
        "content": "",
        "named": "",
        "named_institution": "",
    }
    data.update(overrides)
    return client.post(reverse("training:create"), data)


def test_manager_records_a_session_with_material(county, client):
    client.force_login(county.a_manager)
    upload = SimpleUploadedFile("课件.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("training:create"),
        {
            "held_on": "2026-05-06",
            "organiser": county.bank_a.pk,
            "topic": "反洗钱与消保",
            "hours": "2.5",
            "staff": [county.a_teller.pk],
            "named": "王小二\n",
            "named_institution": county.a_out1.pk,
            "materials": [upload],
        },
    )
    session = TrainingSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("training:detail", args=[session.pk])
    assert session.hours == Decimal("2.5")
    assert sorted(session.trainees.values_list("name", flat=True)) == sorted(
        [county.a_teller.full_name or county.a_teller.username, "王小二"]
    )
    material = TrainingMaterial.objects.get()
    assert material.original_name == "课件.pdf"
    assert material.content_type == "application/pdf"
    download = client.get(reverse("training:material", args=[session.pk, material.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    client.force_login(county.b_manager)
    assert (
        client.get(reverse("training:material", args=[session.pk, material.pk])).status_code == 404
    )


@pytest.mark.parametrize("hours", ["-1", "0", "41", "1000000", "abc", "NaN", "1e3", ""])
def test_bad_hours_are_a_form_error_and_nothing_is_saved(county, client, hours):
    client.force_login(county.a_manager)
    response = _post(client, organiser=county.bank_a.pk, hours=hours, staff=[county.a_teller.pk])
    assert response.status_code == 422
    assert response.context["form"].errors["hours"]
    assert not TrainingSession.objects.exists()
    assert not Trainee.objects.exists()


def test_service_refuses_bad_hours(county):
    for hours in ("-2", "40.5", "NaN", "Infinity"):
        with pytest.raises(TrainingError) as exc:
            _record(county.a_manager, county.bank_a, staff=[county.a_teller], hours=hours)
        assert exc.value.field == "hours"
    assert not TrainingSession.objects.exists()


def test_manager_cannot_name_another_banks_staff(county, client):
    client.force_login(county.a_manager)
    response = _post(client, organiser=county.bank_a.pk, staff=[county.b_teller.pk])
    assert response.status_code == 422
    assert response.context["form"].errors["staff"]
    with pytest.raises(TrainingError):
        _record(county.a_manager, county.bank_a, staff=[county.b_teller])
    with pytest.raises(TrainingError):
        _record(county.a_manager, county.bank_b, staff=[county.a_teller])
    with pytest.raises(TrainingError):
        _record(county.a_manager, county.bank_a, named=[("某人", county.b_out1)])
    assert not TrainingSession.objects.exists()


def test_a_session_needs_a_trainee_and_material_must_be_a_real_file(county, client):
    client.force_login(county.a_manager)
    response = _post(client, organiser=county.bank_a.pk)
    assert response.status_code == 422
    assert response.context["form"].errors["staff"]
    fake = SimpleUploadedFile("x.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(
        reverse("training:create"),
        {
            "held_on": "2026-05-06",
            "organiser": county.bank_a.pk,
            "topic": "t",
            "hours": "1",
            "staff": [county.a_teller.pk],
            "materials": [fake],
        },
    )
    assert response.status_code == 422
    assert response.context["form"].errors["materials"]
    assert not TrainingSession.objects.exists()
