"""Public views (no login): parse, throttle, call a service or selector, render.

No personal data and no secret ever appears in a URL: forms post their fields, the
secret link carries its secret in the fragment (never sent to the server), and a
successful enquiry puts the complaint into the session and redirects to a URL that
names nothing (``/portal/track/case/``). Every page here is ``no-store``."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from complaints.errors import WorkflowError

from . import letter, selectors, services, throttle
from .forms import AdditionForm, EnquiryForm, OnlineComplaintForm, VerdictForm

CASE = "portal.case"  # the session key: the ConsumerAccess the visitor opened
TEMPLATE = "portal/submission/{}.html"


def _page(request, name: str, ctx: dict, status: int = 200) -> HttpResponse:
    return render(request, TEMPLATE.format(name), ctx, status=status)


def _throttled(request) -> HttpResponse:
    return _page(request, "throttled", {}, status=429)


@never_cache
@require_http_methods(["GET", "POST"])
def complain(request: HttpRequest) -> HttpResponse:
    """网上投诉. ``?to=<institution pk>`` pre-selects the outlet (posters' QR codes)."""
    captcha = throttle.captcha_required(request, "complain")
    if request.method == "GET":
        initial = {}
        to = request.GET.get("to", "")
        if to.isdigit():
            initial["complained_institution"] = int(to)
        form = OnlineComplaintForm(initial=initial, captcha=captcha)
        return _page(request, "complain", {"form": form})
    if throttle.submit_over_address(request):
        return _throttled(request)
    throttle.attempt(request, "complain")
    form = OnlineComplaintForm(request.POST, request.FILES, captcha=captcha)
    status = 400
    if form.is_valid():
        data = form.registration_data()
        if throttle.submit_over_phone(request, data["complainant_phone"]):
            return _throttled(request)
        try:
            done = services.online_complaint_submit(data=data, files=form.cleaned_data["files"])
        except services.DuplicateComplaint as e:
            form.add_error(None, e.message)
            status = 409
        except WorkflowError as e:
            form.add_error(None, e.message)
            status = 422
        else:
            # Shown once, here: the secret is stored nowhere but as its hash.
            return _page(
                request,
                "submitted",
                {
                    "code": done.access.display_code,
                    "secret": services.display_secret(done.secret),
                    "tracking_no": done.complaint.tracking_no,
                    "due_at": done.complaint.due_at,
                    "institution": done.complaint.complained_institution.name,
                    "files": len(form.cleaned_data["files"]),
                    "warnings": done.warnings,
                },
                status=201,
            )
    if "captcha" not in form.fields and throttle.captcha_required(request, "complain"):
        form.add_captcha(True)
    return _page(request, "complain", {"form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """投诉办理查询: code + last four phone digits, or code + secret. A wrong code and
    a wrong second factor get the same page, byte for byte."""
    captcha = throttle.captcha_required(request, "track")
    if request.method == "GET":
        return _page(request, "track", {"form": EnquiryForm(captcha=captcha)})
    form = EnquiryForm(request.POST, captcha=captcha)
    if not form.is_valid():
        return _page(request, "track", {"form": form}, status=400)
    code = services.normalize_token(form.cleaned_data["code"])
    if throttle.enquiry_over(request, code):
        return _throttled(request)
    proof = form.cleaned_data["proof"]
    access = services.access_check(code=code, phone_last4_or_secret=proof)
    if access is None:
        throttle.attempt(request, "track")
        return _page(request, "refused", {})
    method = "phone" if len(proof.strip()) == 4 else "secret"
    services.enquiry_record(access=access, method=method, address=throttle.address(request))
    request.session.cycle_key()
    request.session[CASE] = access.pk
    return redirect("portal:track_case")


def _opened(request):
    access = selectors.access_by_id(request.session.get(CASE))
    if access is None:
        messages.info(request, _("请先输入查询码查询。"))
    return access


@never_cache
def track_case(request: HttpRequest) -> HttpResponse:
    access = _opened(request)
    if access is None:
        return redirect("portal:track")
    case = selectors.consumer_case(access)
    return _page(
        request,
        "case",
        {
            "case": case,
            "add_form": AdditionForm() if case.may_add else None,
            "verdict_form": VerdictForm() if case.may_rate else None,
        },
    )


@never_cache
@require_POST
def track_add(request: HttpRequest) -> HttpResponse:
    access = _opened(request)
    if access is None:
        return redirect("portal:track")
    form = AdditionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.consumer_add(
                access=access, text=form.cleaned_data["text"], files=form.cleaned_data["files"]
            )
        except WorkflowError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("补充材料已提交，处理人员会及时查看。"))
            return redirect("portal:track_case")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("portal:track_case")


@never_cache
@require_POST
def track_verdict(request: HttpRequest) -> HttpResponse:
    access = _opened(request)
    if access is None:
        return redirect("portal:track")
    form = VerdictForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择您的评价。"))
        return redirect("portal:track_case")
    satisfaction = form.cleaned_data["satisfaction"]
    try:
        services.consumer_verdict(
            access=access, satisfaction=satisfaction, comment=form.cleaned_data["comment"]
        )
    except WorkflowError as e:
        messages.error(request, e.message)
    else:
        messages.success(
            request,
            _("您的意见已收到，投诉将重新核查处理。")
            if satisfaction == "unsatisfied"
            else _("感谢您的评价。"),
        )
    return redirect("portal:track_case")


@never_cache
def track_letter(request: HttpRequest) -> HttpResponse:
    """投诉处理结果告知书 (PDF), once the complaint was answered."""
    access = _opened(request)
    if access is None:
        return redirect("portal:track")
    complaint = selectors.complaint_for_letter(access)
    if complaint.answered_at is None:
        raise Http404
    response = HttpResponse(letter.render(complaint), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=f"{complaint.tracking_no}.pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def track_end(request: HttpRequest) -> HttpResponse:
    """退出查询: forget the opened complaint on this device."""
    request.session.pop(CASE, None)
    return redirect("portal:track")
