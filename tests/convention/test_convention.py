"""The county convention: publishing, signing, scoping, the appraisal's selector
against a hand count and the public directory."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from convention import selectors, services
from convention.errors import ConventionError
from convention.models import ConventionSignature, ConventionVersion
from institutions.errors import PermissionRefused


def _publish(actor, label="2026年版", effective_on=date(2026, 1, 1)):
    return services.convention_publish(
        actor=actor, label=label, text="第一条 依法合规经营。", effective_on=effective_on
    )


def _sign(actor, inst, version, signed_on=date(2026, 1, 15)):
    return services.convention_sign(
        actor=actor,
        data=services.SignatureData(
            institution_id=inst.pk,
            version_id=version.pk,
            signed_on=signed_on,
            signer_name="钱卫东",
            signer_title="行长",
        ),
    )


def test_only_the_office_publishes(county):
    with pytest.raises(PermissionRefused):
        _publish(county.a_manager)
    v = _publish(county.regulator)
    assert v.office_id == county.pbc.pk
    with pytest.raises(ConventionError) as exc:
        _publish(county.regulator)
    assert exc.value.code == "duplicate_label"


def test_signed_by_matches_a_hand_count(county, django_assert_num_queries):
    v1 = _publish(county.regulator, "2025年版", date(2025, 1, 1))
    v2 = _publish(county.regulator, "2026年版", date(2026, 1, 1))
    x1 = _publish(county.other_regulator, "邻县版", date(2025, 6, 1))
    _sign(county.regulator, county.bank_a, v1, date(2025, 2, 1))
    _sign(county.regulator, county.a_out1, v2, date(2026, 1, 20))
    _sign(county.regulator, county.bank_b, v1, date(2025, 2, 1))
    _sign(county.other_regulator, county.bank_x, x1, date(2025, 7, 1))
    banks = [county.bank_a, county.bank_b, county.bank_x, county.b_out1]
    # On 2025-12-31 v1 is in force: A and B signed it, X signed its own office's.
    with django_assert_num_queries(1):
        assert selectors.signed_by(institutions=banks, as_of=date(2025, 12, 31)) == {
            county.bank_a.pk: True,
            county.bank_b.pk: True,
            county.bank_x.pk: True,
            county.b_out1.pk: False,  # bank_b signed, not the outlet's subtree
        }
    # On 2026-01-10 v2 is in force and nobody has signed it yet.
    assert selectors.signed_by(institutions=banks, as_of=date(2026, 1, 10)) == {
        county.bank_a.pk: False,
        county.bank_b.pk: False,
        county.bank_x.pk: True,
        county.b_out1.pk: False,
    }
    # On 2026-02-01 outlet A1 has signed v2, which counts for bank A's subtree.
    later = selectors.signed_by(institutions=banks, as_of=date(2026, 2, 1))
    assert later[county.bank_a.pk] is True
    assert later[county.bank_b.pk] is False
    ConventionVersion.objects.filter(pk=v2.pk).update(active=False)
    assert selectors.signed_by(institutions=[county.bank_b], as_of=date(2026, 2, 1)) == {
        county.bank_b.pk: True
    }
    assert selectors.signed_by(institutions=[], as_of=date(2026, 2, 1)) == {}


def test_signing_rules(county):
    v = _publish(county.regulator)
    x = _publish(county.other_regulator, "邻县版")
    with pytest.raises(ConventionError):  # another county's institution
        _sign(county.regulator, county.bank_x, x)
    with pytest.raises(ConventionError):  # a version of another office
        _sign(county.other_regulator, county.bank_x, v)
    with pytest.raises(ConventionError):  # a manager for another bank
        _sign(county.a_manager, county.bank_b, v)
    with pytest.raises(ConventionError):  # in the future
        _sign(county.regulator, county.bank_a, v, timezone.localdate() + timedelta(days=1))
    with pytest.raises(ConventionError):  # the office itself
        _sign(county.regulator, county.pbc, v)
    _sign(county.a_manager, county.bank_a, v)
    with pytest.raises(ConventionError) as exc:
        _sign(county.regulator, county.bank_a, v)
    assert exc.value.code == "already_signed"
    assert ConventionSignature.objects.count() == 1


def test_office_sees_unsigned_banks_of_its_jurisdiction(county, client):
    v = _publish(county.regulator)
    _sign(county.regulator, county.bank_a, v)
    client.force_login(county.regulator)
    page = client.get(reverse("convention:index"))
    rows = {r.institution.pk: r.signature for r in page.context["rows"]}
    assert set(rows) == {county.bank_a.pk, county.bank_b.pk}
    assert rows[county.bank_b.pk] is None
    unsigned = client.get(reverse("convention:index"), {"show": "unsigned"})
    assert [r.institution.pk for r in unsigned.context["rows"]] == [county.bank_b.pk]
    assert county.bank_x.name not in unsigned.content.decode()


def test_institution_sees_text_and_own_signature_only(county, client):
    v = _publish(county.regulator)
    _sign(county.regulator, county.bank_a, v)
    _sign(county.regulator, county.bank_b, v)
    client.force_login(county.a_manager)
    page = client.get(reverse("convention:index"))
    assert page.context["current"] == v
    assert [s.institution_id for s in page.context["signatures"]] == [county.bank_a.pk]
    detail = client.get(reverse("convention:version", args=[v.pk]))
    assert "第一条 依法合规经营。" in detail.content.decode()
    assert county.bank_b.name not in detail.content.decode()


def test_other_county_and_tellers_see_nothing(county, client):
    v = _publish(county.regulator)
    _sign(county.regulator, county.bank_a, v)
    client.force_login(county.other_regulator)
    assert client.get(reverse("convention:version", args=[v.pk])).status_code == 404
    page = client.get(reverse("convention:index"))
    assert page.context["current"] is None
    assert county.bank_a.name not in page.content.decode()
    client.force_login(county.a_teller)
    assert client.get(reverse("convention:index")).status_code == 404
    assert client.get(reverse("convention:version", args=[v.pk])).status_code == 404
    client.force_login(county.a_manager)
    assert client.get(reverse("convention:publish")).status_code == 404


def test_sign_form_refuses_bad_input(county, client):
    v = _publish(county.regulator)
    client.force_login(county.a_manager)
    response = client.post(
        reverse("convention:sign"),
        {
            "institution": county.bank_b.pk,
            "version": v.pk,
            "signed_on": "2026-01-15",
            "signer_name": "x",
            "signer_title": "y",
        },
    )
    assert response.status_code == 422
    assert response.context["form"].errors["institution"]
    response = client.post(
        reverse("convention:sign"),
        {"institution": county.bank_a.pk, "version": v.pk, "signed_on": "不是日期"},
    )
    assert response.status_code == 422
    assert not ConventionSignature.objects.exists()


def test_directory_shows_signatories(county, client, settings):
    v = _publish(county.regulator)
    _sign(county.regulator, county.bank_a, v)
    page = client.get(reverse("portal:institution", args=[county.a_out1.pk]))
    assert page.status_code == 200
    assert "已签署《公约》（2026年版，2026-01-15）" in page.content.decode()
    other = client.get(reverse("portal:institution", args=[county.bank_b.pk]))
    assert "已签署《公约》" not in other.content.decode()
    directory = client.get(reverse("portal:directory"))
    assert directory.content.decode().count("已签署《公约》（2026年版，2026-01-15）") == 1


def test_admin_lists_only_the_offices_own(county, client):
    from training import services as training_services

    v = _publish(county.regulator)
    x = _publish(county.other_regulator, "邻县版")
    _sign(county.regulator, county.bank_a, v)
    training_services.training_record(
        actor=county.a_manager,
        data=training_services.SessionData(
            organiser_id=county.bank_a.pk,
            held_on=date(2026, 3, 1),
            topic="柜面规范",
            hours=2,
            staff_ids=[county.a_teller.pk],
        ),
    )
    client.force_login(county.other_regulator)
    page = client.get(reverse("admin:convention_conventionversion_changelist"))
    assert list(page.context["cl"].result_list) == [x]
    page = client.get(reverse("admin:convention_conventionsignature_changelist"))
    assert list(page.context["cl"].result_list) == []
    page = client.get(reverse("admin:training_trainingsession_changelist"))
    assert list(page.context["cl"].result_list) == []
    client.force_login(county.regulator)
    page = client.get(reverse("admin:training_trainingsession_changelist"))
    assert [s.topic for s in page.context["cl"].result_list] == ["柜面规范"]
