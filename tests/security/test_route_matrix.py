"""The route matrix: every URL pattern, every method, as bank A's staff against bank
B's objects, as the regulator, and anonymously. The test enumerates the URLconf, so a
new route without an entry here fails the suite.

Rules checked for each route:
* anonymous: never 200 with content; HTML routes send to the login page, API routes
  answer 401/403 JSON;
* bank A's complaint manager against an object of bank B: 404 for every method (405
  where the method does not exist on the route); lists never show B's markers;
* the county regulator reading B's objects: no error, and the object routes it may
  read answer 200.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api.views.complaints import TRANSITION_VIEWS
from tests.complaints.helpers import register

MARKERS = ["乙银行内部案例", "乙银行宣传活动记录", "乙银行专项检查", "乙银行调解事项"]


def _walk(patterns, ns=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, ns + (f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern) and p.name:
            yield ns + p.name


def all_route_names() -> set[str]:
    return {n for n in _walk(get_resolver().url_patterns) if not n.startswith("admin:")}


@dataclass
class Route:
    kind: str  # public | self | list | object | api-list | api-object | api-public
    args: str | None = None  # which B object provides the URL kwargs
    regulator_reads: bool = False
    office_only: bool = False  # signed-in pages of the supervising office alone


# One API route per staff action of the workflow's table (api.views.complaints builds
# them from it): each is checked like any other object route below.
TRANSITIONS = list(TRANSITION_VIEWS)

MATRIX: dict[str, Route] = {
    "set_language": Route("public"),
    "login": Route("public"),
    "logout": Route("self"),
    "password_change": Route("self"),
    "password_change_done": Route("self"),
    "home": Route("list"),
    "complaints:list": Route("list"),
    "complaints:create": Route("self"),
    "complaints:handler_options": Route("list"),
    "complaints:staff_options": Route("list"),
    "complaints:detail": Route("object", "complaint", regulator_reads=True),
    "complaints:print": Route("object", "complaint", regulator_reads=True),
    "complaints:print_pdf": Route("object", "complaint", regulator_reads=True),
    "complaints:reveal": Route("object", "complaint"),
    "complaints:attachment": Route("object", "attachment", regulator_reads=True),
    "complaints:act": Route("object", "complaint_act"),
    "complaints:answer_templates": Route("list"),
    "complaints:answer_template_new": Route("self"),
    "complaints:answer_template_edit": Route("object", "answer_template", regulator_reads=True),
    "complaints:earlier": Route("list"),
    "complaints:bulk": Route("list"),
    "complaints:export": Route("list"),
    "complaints:export_status": Route("object", "export"),
    "complaints:export_download": Route("object", "export"),
    "notifications:list": Route("list"),
    "notifications:read": Route("self"),
    "notifications:open": Route("object", "notification"),
    "notifications:bell": Route("self"),
    "supervision:board": Route("list"),
    "supervision:cases": Route("list"),
    "supervision:major": Route("list"),
    "supervision:urges": Route("list"),
    "supervision:statistics": Route("list"),
    "supervision:library": Route("list"),
    "supervision:case_create": Route("object", "complaint_pk"),
    "supervision:case_detail": Route("object", "case", regulator_reads=True),
    "supervision:case_update": Route("object", "case"),
    "supervision:case_circulate": Route("object", "case"),
    "supervision:case_read": Route("object", "case"),
    "supervision:enforcement_list": Route("list"),
    "supervision:enforcement_create": Route("object", "complaint_pk"),
    "supervision:enforcement_detail": Route("object", "enforcement", regulator_reads=True),
    "supervision:enforcement_close": Route("object", "enforcement"),
    "mediation:list": Route("list"),
    "mediation:open_direct": Route("list", office_only=True),
    "mediation:open_from_complaint": Route("object", "complaint_pk"),
    "mediation:detail": Route("object", "mediation", regulator_reads=True),
    "mediation:act": Route("object", "mediation_act"),
    "mediation:print_application": Route("object", "mediation", regulator_reads=True),
    "mediation:print_session": Route("object", "mediation_session", regulator_reads=True),
    "mediation:print_agreement": Route("object", "mediation", regulator_reads=True),
    "publicity:campaign_list": Route("list"),
    "publicity:campaign_create": Route("self"),
    "publicity:campaign_detail": Route("object", "campaign", regulator_reads=True),
    "publicity:campaign_update": Route("object", "campaign"),
    "publicity:campaign_summary": Route("object", "campaign", regulator_reads=True),
    "publicity:campaign_summary_xlsx": Route("object", "campaign"),
    "publicity:activity_create": Route("object", "campaign_pk"),
    "publicity:activity_list": Route("list"),
    "publicity:activity_detail": Route("object", "activity", regulator_reads=True),
    "publicity:activity_update": Route("object", "activity"),
    "publicity:activity_delete": Route("object", "activity"),
    "publicity:photo": Route("object", "photo", regulator_reads=True),
    "publicity:photo_delete": Route("object", "photo"),
    "evaluation:home": Route("list"),
    "evaluation:sheet": Route("object", "sheet"),
    "evaluation:self_assessment": Route("object", "period"),
    "evaluation:notice": Route("object", "period"),
    "evaluation:evidence": Route("object", "evidence"),
    "reports:index": Route("self"),
    "reports:pack": Route("object", "pack"),
    "reports:download": Route("object", "pack"),
    "reports:import": Route("self"),
    "reports:import_confirm": Route("object", "history_import"),
    "reports:import_job": Route("object", "history_import"),
    "reports:import_cancel": Route("object", "history_import"),
    "reports:import_errors": Route("object", "history_import"),
    "reports:import_template": Route("self"),
    "reports:returns": Route("self"),
    "reports:return_codes": Route("list"),
    "reports:hotline": Route("list", office_only=True),
    # The office's toolbox: measures and rectification, training, the convention.
    "supervision:measure_list": Route("list"),
    "supervision:measure_new": Route("list", office_only=True),
    "supervision:measure_detail": Route("object", "measure", regulator_reads=True),
    "supervision:measure_file": Route("object", "measure_file", regulator_reads=True),
    "supervision:rectification_list": Route("list"),
    "supervision:rectification_new": Route("self"),
    "supervision:rectification_detail": Route("object", "rectification", regulator_reads=True),
    "supervision:rectification_step": Route("object", "rectification_step"),
    "supervision:rectification_file": Route("object", "rectification_file", regulator_reads=True),
    "training:list": Route("list"),
    "training:create": Route("self"),
    "training:detail": Route("object", "training", regulator_reads=True),
    "training:material": Route("object", "training_material", regulator_reads=True),
    "training:staff": Route("object", "training_staff", regulator_reads=True),
    "training:institution": Route("object", "institution", regulator_reads=True),
    "convention:index": Route("list"),
    "convention:publish": Route("list", office_only=True),
    "convention:sign": Route("self"),
    "convention:version": Route("list", "convention_version"),
    "portal:directory": Route("public"),
    "portal:institution": Route("public", "institution"),
    "portal:poster": Route("public", "institution"),
    "portal:poster_pdf": Route("public", "institution"),
    "portal:directory_incomplete": Route("list", office_only=True),
    "api:schema": Route("api-public"),
    "api:docs": Route("api-public"),
    "api:token": Route("api-public"),
    "api:not-found": Route("api-public"),
    "api:complaint-list": Route("api-list"),
    "api:complaint-detail": Route("api-object", "complaint", regulator_reads=True),
    "api:complaint-timeline": Route("api-object", "complaint", regulator_reads=True),
    "api:complaint-transitions": Route("api-object", "complaint", regulator_reads=True),
    "api:complaint-reveal": Route("api-object", "complaint"),
    "api:complaint-attachments": Route("api-object", "complaint", regulator_reads=True),
    "api:complaint-attachment-download": Route("api-object", "attachment", regulator_reads=True),
    "api:complaint-answer-templates": Route("api-object", "complaint", regulator_reads=True),
    "api:institution-list": Route("api-list"),
    "api:institution-detail": Route("api-object", "institution", regulator_reads=True),
    "api:institution-handlers": Route("api-object", "institution", regulator_reads=True),
    "api:category-list": Route("api-list"),
    "api:taxonomy-code-list": Route("api-list"),
    "api:notification-list": Route("api-list"),
    "api:notification-read": Route("api-list"),
    **{f"api:complaint-transition-{t}": Route("api-object", "complaint") for t in TRANSITIONS},
    # The consumer's side (portal.submission): public, no login, on the open internet.
    "portal:complain": Route("public"),
    "portal:track": Route("public"),
    "portal:track_case": Route("public"),
    "portal:track_add": Route("public"),
    "portal:track_verdict": Route("public"),
    "portal:track_letter": Route("public"),
    "portal:track_end": Route("public"),
    "captcha-image": Route("public", "captcha"),
    "captcha-image-2x": Route("public", "captcha"),
    "captcha-audio": Route("public", "captcha"),
    "captcha-refresh": Route("public"),
}

#: The only routes anonymous visitors reach besides the login page and the language
#: switch: the public portal. Everything else sends them to the login page.
PUBLIC_PREFIXES = ("/portal/",)


def test_every_route_is_in_the_matrix():
    names = all_route_names()
    assert names - set(MATRIX) == set(), "routes without a matrix entry"
    assert set(MATRIX) - names == set(), "matrix entries for routes that no longer exist"


@pytest.fixture
def bank_b(county, intake, tmp_path, settings):
    """Objects that belong to bank B (or its subtree)."""
    from notifications.services import notify
    from reports.models import ReportPack
    from tests.complaints.factories import ComplaintFactory
    from tests.publicity.factories import ActivityFactory, ActivityPhotoFactory, CampaignFactory
    from tests.supervision.factories import EnforcementCaseFactory, TypicalCaseFactory

    settings.MEDIA_ROOT = tmp_path
    complaint = register(
        county, intake(complained_institution=county.b_out1), actor=county.b_teller
    )
    answered = ComplaintFactory(
        status="answered", complained_institution=county.bank_b, first_responder=county.b_manager
    )
    campaign = CampaignFactory(organiser=county.bank_b, participants=[county.b_out1])
    activity = ActivityFactory(
        campaign=campaign, institution=county.b_out1, title="乙银行宣传活动记录"
    )
    photo = ActivityPhotoFactory(activity=activity)
    case = TypicalCaseFactory(
        complaint=answered,
        owner=county.bank_b,
        published=False,
        title="乙银行内部案例",
        created_by=county.b_manager,
    )
    enforcement = EnforcementCaseFactory(
        complaint=answered, office=county.pbc, summary="乙银行专项检查", opened_by=county.regulator
    )
    pack = ReportPack.objects.create(
        year=2026, quarter=3, root=county.bank_b, requested_by=county.b_manager
    )
    from reports.models import HistoryImport

    history_import = HistoryImport.objects.create(
        requested_by=county.b_manager, filename="乙银行历史.csv", status="ready"
    )
    notify(recipients=[county.b_manager], kind="info", title="乙银行内部通知", dedupe_key="b")
    from complaints.exports import export_request
    from complaints.selectors import ComplaintFilters
    from notifications.models import Notification

    export = export_request(owner=county.b_manager, query="", filters=ComplaintFilters(), sort="")
    from captcha.models import CaptchaStore
    from django.core.files.uploadedfile import SimpleUploadedFile

    from complaints.services import attachments_store

    (attachment,) = attachments_store(
        complaint=complaint,
        files=[SimpleUploadedFile("e.pdf", b"%PDF-1.4\n%%EOF\n")],
        source="consumer",
        uploaded_by=None,
    )
    from complaints.models import AnswerTemplate

    answer_template = AnswerTemplate.objects.create(
        institution=county.bank_b, title="乙银行答复模板", text="乙银行内部答复"
    )
    mediation, session = _mediation_objects(county, answered)
    objs = {
        "mediation": {"pk": mediation.pk},
        "mediation_act": {"pk": mediation.pk, "action": "fail"},
        "mediation_session": {"pk": mediation.pk, "session_pk": session.pk},
        "answer_template": {"pk": answer_template.pk},
        "attachment": {"pk": complaint.pk, "attachment_pk": attachment.pk},
        "captcha": {"key": CaptchaStore.generate_key()},
        "export": {"pk": export.pk},
        "complaint": {"pk": complaint.pk},
        "complaint_act": {"pk": complaint.pk, "action": "assign"},
        "complaint_pk": {"complaint_pk": answered.pk},
        "notification": {"pk": Notification.objects.get(recipient=county.b_manager).pk},
        "case": {"pk": case.pk},
        "enforcement": {"pk": enforcement.pk},
        "campaign": {"pk": campaign.pk},
        "campaign_pk": {"campaign_pk": campaign.pk},
        "activity": {"pk": activity.pk},
        "photo": {"pk": photo.pk},
        "pack": {"pk": pack.pk},
        "history_import": {"pk": history_import.pk},
        "institution": {"pk": county.b_out1.pk},
    }
    objs.update(_evaluation_objects(county))
    objs.update(_toolbox_objects(county))
    return objs


def _toolbox_objects(county):
    """Bank B's measure and rectification item (each with a document), a training
    session of bank B with its material, and the office's convention version."""
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from convention import services as convention_services
    from supervision.measures import services as measure_services
    from supervision.measures.workflow import rectification_act
    from tests.complaints.helpers import jpeg_upload
    from training import services as training_services

    measure = measure_services.measure_record(
        actor=county.regulator,
        data=measure_services.MeasureData(
            institution_id=county.bank_b.pk,
            kind="rectify_order",
            taken_on=timezone.localdate(),
            basis="乙银行专项检查依据",
            content="乙银行专项检查发现的问题",
            requirement="乙银行专项检查整改要求",
            working_days=10,
            files=[jpeg_upload()],
        ),
    )
    item = measure.items.get()
    rectification_act(
        actor=county.b_manager,
        item_id=item.pk,
        action="answer",
        response="乙银行专项检查整改答复",
        files=[jpeg_upload()],
    )
    item.refresh_from_db()
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    session = training_services.training_record(
        actor=county.b_manager,
        data=training_services.SessionData(
            organiser_id=county.bank_b.pk,
            held_on=date(2026, 3, 10),
            topic="乙银行宣传活动记录培训",
            hours=__import__("decimal").Decimal("2.0"),
            staff_ids=[county.b_teller.pk],
            named=[],
            materials=[SimpleUploadedFile("签到表.pdf", pdf, content_type="application/pdf")],
        ),
    )
    version = convention_services.convention_publish(
        actor=county.regulator,
        label="2026年版",
        text="第一条 依法合规经营。",
        effective_on=date(2026, 1, 1),
    )
    return {
        "measure": {"pk": measure.pk},
        "measure_file": {"pk": measure.pk, "doc_pk": measure.documents.get().pk},
        "rectification": {"pk": item.pk},
        "rectification_step": {"pk": item.pk, "action": "accept"},
        "rectification_file": {"pk": item.pk, "doc_pk": item.documents.get().pk},
        "training": {"pk": session.pk},
        "training_material": {"pk": session.pk, "material_pk": session.materials.get().pk},
        "training_staff": {"user_pk": county.b_teller.pk},
        "convention_version": {"pk": version.pk},
    }


def _mediation_objects(county, complaint):
    """Bank B's mediation, with a session and an agreement so every print page has
    something to show."""
    from datetime import timedelta

    from django.utils import timezone

    from mediation.models import MediationAgreement, MediationSession
    from mediation.services import Application, mediation_open

    case = mediation_open(
        actor=county.regulator,
        complaint_id=complaint.pk,
        data=Application(
            applied_on=timezone.localdate(),
            request="乙银行调解事项",
            procedure="simple",
            mode="on_site",
        ),
    )
    session = MediationSession.objects.create(
        case=case,
        held_at=timezone.now() - timedelta(hours=1),
        mode="on_site",
        place="乙银行调解事项会议室",
        participants="双方",
        statements="乙银行调解事项陈述",
        recorded_by=county.regulator,
    )
    MediationAgreement.objects.create(
        case=case,
        parties="双方",
        facts="乙银行调解事项",
        responsibilities="责任",
        terms="条款",
        performance_method="转账",
        perform_by=timezone.localdate(),
        effective_on=timezone.localdate(),
        consumer_signatory="李",
        institution_signatory="王",
        recorded_by=county.regulator,
    )
    return case, session


def _evaluation_objects(county) -> dict:
    from tests.evaluation.factories import AppraisalPeriodFactory, ScoreSheetFactory

    period = AppraisalPeriodFactory()
    sheet = ScoreSheetFactory(period=period, institution=county.bank_b)
    evidence = _evidence(sheet)
    return {"sheet": {"pk": sheet.pk}, "period": {"pk": period.pk}, "evidence": {"pk": evidence}}


def _evidence(sheet):
    from django.core.files.base import ContentFile

    from evaluation.models import Evidence
    from tests.evaluation.factories import IndicatorFactory

    ev = Evidence.objects.create(
        sheet=sheet,
        indicator=IndicatorFactory(),
        file=ContentFile(b"%PDF-1.4 x", name="e.pdf"),
        original_name="e.pdf",
        content_type="application/pdf",
        size=10,
    )
    return ev.pk


def _url(name: str, route: Route, objs: dict) -> str:
    return reverse(name, kwargs=objs[route.args]) if route.args else reverse(name)


def _no_markers(response):
    body = b"" if getattr(response, "streaming", False) else response.content
    text = body.decode("utf-8", "replace")
    return [m for m in MARKERS if m in text]


def test_matrix_anonymous(client, bank_b):
    for name, route in MATRIX.items():
        if route.kind in ("public", "api-public"):
            continue
        url = _url(name, route, bank_b)
        for method in ("get", "post"):
            r = getattr(client, method)(url)
            if route.kind.startswith("api"):
                assert r.status_code in (401, 403, 405), (name, method, r.status_code)
                assert r["Content-Type"].startswith("application/json"), name
            else:
                assert r.status_code in (302, 405), (name, method, r.status_code)
                if r.status_code == 302:
                    assert r.url.startswith(reverse("login")), (name, r.url)


def test_anonymous_reaches_the_public_routes_only(client, bank_b):
    """Every public route answers an anonymous visitor without sending them to the
    login page, and every public route is under the portal (or is the login page or
    the language switch)."""
    for name, route in MATRIX.items():
        if route.kind != "public":
            continue
        url = _url(name, route, bank_b)
        assert url.startswith(PUBLIC_PREFIXES) or name in ("login", "set_language"), name
        for method in ("get", "post"):
            r = getattr(client, method)(url)
            assert r.status_code < 500, (name, method, r.status_code)
            if r.status_code == 302:
                assert not r.url.startswith(reverse("login")), (name, method, r.url)


# The public directory (portal.directory) answers anyone, signed in or not, and only
# GET. (portal:complain is the submission's; its own tests cover it.)
PUBLIC_PAGES = ["portal:directory", "portal:institution", "portal:poster", "portal:poster_pdf"]


def test_matrix_public_pages_answer_anonymously(client, bank_b):
    for name in PUBLIC_PAGES:
        url = _url(name, MATRIX[name], bank_b)
        assert client.get(url).status_code == 200, name
        assert client.post(url).status_code == 405, name


def test_matrix_office_pages_only_for_the_office(client, county, bank_b):
    office_pages = [name for name, route in MATRIX.items() if route.office_only]
    assert office_pages
    for user in (county.a_manager, county.b_manager, county.a_teller, county.sysadmin):
        client.force_login(user)
        for name in office_pages:
            r = client.get(_url(name, MATRIX[name], bank_b))
            assert r.status_code == 404, (user.username, name, r.status_code)
    client.force_login(county.regulator)
    for name in office_pages:
        assert client.get(_url(name, MATRIX[name], bank_b)).status_code == 200, name


def test_matrix_bank_a_against_bank_b(client, county, bank_b):
    client.force_login(county.a_manager)
    for name, route in MATRIX.items():
        if name == "logout":
            continue  # would end this test's session; covered in test_sessions
        url = _url(name, route, bank_b)
        for method in ("get", "post"):
            r = getattr(client, method)(url)
            assert r.status_code < 500, (name, method, r.status_code)
            assert _no_markers(r) == [], (name, method)
            if route.kind in ("object", "api-object"):
                assert r.status_code in (404, 405), (name, method, r.status_code)


def test_matrix_regulator_reads_jurisdiction(client, county, bank_b):
    client.force_login(county.regulator)
    for name, route in MATRIX.items():
        if route.kind in ("public", "api-public") or not route.args:
            continue
        r = client.get(_url(name, route, bank_b))
        assert r.status_code < 500, (name, r.status_code)
        if route.regulator_reads:
            assert r.status_code == 200, (name, r.status_code)


def test_matrix_other_county_regulator_sees_nothing(client, county, bank_b):
    client.force_login(county.other_regulator)
    for name, route in MATRIX.items():
        if route.kind in ("object", "api-object"):
            r = client.get(_url(name, route, bank_b))
            assert r.status_code in (404, 405), (name, r.status_code)


def test_admin_routes_refuse_bank_staff_and_hide_other_counties(client, county, bank_b):
    from complaints.models import Complaint

    registered = list(admin.site._registry)
    client.force_login(county.a_manager)  # not staff
    for model in registered:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        r = client.get(url)
        assert r.status_code == 302, url
        assert r.url.startswith(reverse("admin:login")), url
    client.force_login(county.other_regulator)
    c = Complaint.objects.filter(complained_institution=county.b_out1).first()
    r = client.get(reverse("admin:complaints_complaint_change", args=[c.pk]))
    assert r.status_code == 404
    body = client.get(reverse("admin:complaints_complaint_changelist")).content.decode()
    assert c.tracking_no not in body
