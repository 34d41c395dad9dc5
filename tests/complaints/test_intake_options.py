"""Options per role at intake: the office records its hotlines; a bank's staff can
neither claim a complaint came through the office's dispatch nor through its hotline;
handlers are named with their institution."""

from django.urls import reverse

from complaints.forms import DispatchForm, IntakeForm


def values(form, name):
    return [v for v, _label in form.fields[name].choices]


def test_teller_sources_exclude_the_offices_own(county, intake):
    sources = values(IntakeForm(user=county.a_teller), "intake_source")
    assert sources == ["phone", "book", "walk_in", "letter", "online", "media", "government"]


def test_office_records_its_hotlines_first(county, intake):
    form = IntakeForm(user=county.regulator)
    assert values(form, "intake_source")[:3] == ["hotline_12363", "hotline_12378", "phone"]
    assert "regulator" not in values(form, "intake_source")
    assert form.fields["intake_source"].initial == "hotline_12363"


def test_dispatch_handlers_carry_their_institution(client, county, intake):
    assert dict(
        DispatchForm(user=county.regulator, prefix="d").fields["dispatch_handler"].choices
    ) == {"": "—"}  # nobody until an institution is chosen
    form = DispatchForm(
        {"d-dispatch_institution": county.a_out1.pk}, user=county.regulator, prefix="d"
    )
    labels = dict(form.fields["dispatch_handler"].choices)
    assert labels == {
        "": "—",
        county.a1_handler.pk: f"{county.a1_handler.get_full_name()}（甲银行一号网点·投诉处理人员）",
    }
    client.force_login(county.regulator)
    html = client.get(
        reverse("complaints:handler_options"), {"institution": county.a_out1.pk}
    ).content.decode()
    assert f"{county.a1_handler.get_full_name()}（甲银行一号网点·投诉处理人员）" in html
