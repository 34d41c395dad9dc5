"""/api/v1/complaints/: list, register, retrieve, timeline, transitions, reveal.

Same doors as the browser: the list is ``selectors.complaint_list_for_user`` fed by
the browser's ``ListFilterForm``; registering validates with ``IntakeForm`` and calls
``services.complaint_register``; each transition validates with the browser's action
form and calls ``workflow.complaint_act`` (the only code that changes a complaint).
A complaint the caller cannot see is 404 everywhere, exactly like a missing one.

Concurrency: every representation carries ``version`` and an ``ETag``
(``W/"<id>-<version>"``). A transition needs the version it was decided on, from
``If-Match`` or the body's ``version``; ``complaint_act`` compares it under the row
lock. Stale → ``conflict``: 412 when it came from If-Match, 409 from the body.
"""

from __future__ import annotations

import re

from django.core.exceptions import RequestDataTooBig
from django.urls import reverse
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from api.pagination import BoundedPageNumberPagination
from complaints import answer_templates, downloads, pii, selectors, services, workflow
from complaints import rules as complaint_access
from complaints.errors import ConcurrentUpdate, PermissionRefused
from complaints.forms import ACTION_FORMS, FILE_ACTIONS, AttachForm, IntakeForm, ListFilterForm
from complaints.forms import filters_from_form as filters_from
from complaints.models import Complaint, TimelineEntry

from ..exceptions import FormInvalid, PreconditionFailed
from ..forms import form_data
from ..serializers import (
    TRANSITION_REQUESTS,
    AnswerTemplateFilledSerializer,
    AttachmentSerializer,
    AttachmentUploadRequest,
    ComplaintCreatedSerializer,
    ComplaintCreateRequest,
    ComplaintDetailSerializer,
    ComplaintFilterParams,
    ComplaintHandedOnSerializer,
    ComplaintListSerializer,
    DuplicateSerializer,
    PartySerializer,
    RevealSerializer,
    TimelineEntrySerializer,
    TransitionSerializer,
    etag,
)
from .base import ChineseMixin, errors

_ETAG_RE = re.compile(r'\s*(?:W/)?"(\d+)-(\d+)"\s*')
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description='The ETag of the complaint this action was decided on, W/"<id>-<version>". '
    "Replaces the body's `version`; a stale one answers 412 (code conflict).",
)


def _english(text) -> str:
    with translation.override("en"):
        return str(text)


def etag_header(*statuses: int) -> OpenApiParameter:
    return OpenApiParameter(
        "ETag",
        str,
        OpenApiParameter.HEADER,
        response=list(statuses),
        description='W/"<id>-<version>": send it back as If-Match with the next action',
    )


def complaint_response(
    request,
    pk: int,
    *,
    status: int = 200,
    serializer_class: type = ComplaintDetailSerializer,
    warnings: list[str] = (),
) -> Response:
    """The complaint as the detail page shows it to this caller (detail-level personal
    data when the policy allows, logged by ``complaints.pii``), with its ETag."""
    complaint = selectors.complaint_detail_for_user(request.user, pk)
    view = pii.complaint_for_detail(request, complaint)
    context = {"request": request, "party": view.party, "view": view, "warnings": warnings}
    data = serializer_class(complaint, context=context).data
    return Response(data, status=status, headers={"ETag": etag(complaint)})


def if_match_version(request, complaint) -> int | None:
    """The version If-Match asks for: None without the header (or with ``*``), the
    current version when one of the listed ETags is current; otherwise the
    precondition fails (412). ``complaint_act`` checks it again under the row lock."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    versions = set()
    for tag in header.split(","):
        m = _ETAG_RE.fullmatch(tag)
        if m and int(m[1]) == complaint.pk:
            versions.add(int(m[2]))
    if complaint.version not in versions:
        raise PreconditionFailed()
    return complaint.version


@extend_schema_view(
    get=extend_schema(
        operation_id="complaints_list",
        tags=["complaints"],
        parameters=[ComplaintFilterParams],
        responses={200: ComplaintListSerializer(many=True), **errors(400, 401)},
    ),
    post=extend_schema(
        operation_id="complaints_create",
        tags=["complaints"],
        parameters=[etag_header(201)],
        request=ComplaintCreateRequest,
        responses={201: ComplaintCreatedSerializer, **errors(400, 401, 403, 422)},
    ),
)
class ComplaintListCreate(ChineseMixin, generics.ListCreateAPIView):
    """GET: the complaints the caller may see, with the browser list's filters
    (personal data list-masked). POST: register a complaint (受理登记)."""

    serializer_class = ComplaintListSerializer
    input_serializer_class = ComplaintCreateRequest  # what OPTIONS describes for POST
    queryset = Complaint.objects.none()  # for the schema; the list comes from the selector
    pagination_class = BoundedPageNumberPagination

    def list(self, request, *args, **kwargs):
        form = ListFilterForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise FormInvalid(form)
        filters, sort = filters_from(form)
        complaints = selectors.complaint_list_for_user(request.user, filters, sort=sort)
        if isinstance(self.paginator, BoundedPageNumberPagination):
            self.paginator.count_in_order = selectors.count_in_list_order(filters)
        page = self.paginate_queryset(complaints.select_related("complained_institution"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def create(self, request, *args, **kwargs):
        user = request.user
        if not complaint_access.can_register(user):
            raise PermissionRefused(_("您无权登记投诉。"))
        form = IntakeForm(data=form_data(IntakeForm, request.data), user=user)
        if not form.is_valid():
            extra = {}
            if form.duplicates:
                extra["duplicates"] = DuplicateSerializer(form.duplicates, many=True).data
            raise FormInvalid(form, extra=extra)
        complaint, warnings = services.complaint_register(actor=user, data=dict(form.cleaned_data))
        response = complaint_response(
            request,
            complaint.pk,
            status=201,
            serializer_class=ComplaintCreatedSerializer,
            warnings=warnings,
        )
        response["Location"] = reverse("api:complaint-detail", args=[complaint.pk])
        return response


@extend_schema_view(
    get=extend_schema(
        operation_id="complaints_retrieve",
        tags=["complaints"],
        parameters=[etag_header(200)],
        responses={200: ComplaintDetailSerializer, **errors(401, 404)},
    )
)
class ComplaintDetail(ChineseMixin, generics.GenericAPIView):
    """One complaint, as its detail page shows it to the caller; ``ETag`` header."""

    serializer_class = ComplaintDetailSerializer
    queryset = Complaint.objects.none()

    def get(self, request, pk: int):
        return complaint_response(request, pk)


@extend_schema_view(
    get=extend_schema(
        operation_id="complaints_timeline",
        tags=["complaints"],
        responses={200: TimelineEntrySerializer(many=True), **errors(401, 404)},
    )
)
class ComplaintTimeline(ChineseMixin, generics.ListAPIView):
    """Everything that happened to the complaint, oldest first."""

    serializer_class = TimelineEntrySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return TimelineEntry.objects.none()
        complaint = complaint_access.complaint_get_for_user(self.request.user, self.kwargs["pk"])
        # Notes and payloads at the caller's level, like the detail page's timeline.
        self.complaint_view = pii.complaint_for_text(self.request.user, complaint)
        return selectors.timeline_for(complaint)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "view": getattr(self, "complaint_view", None)}


@extend_schema_view(
    get=extend_schema(
        operation_id="complaints_transitions_list",
        tags=["transitions"],
        responses={200: TransitionSerializer(many=True), **errors(401, 404)},
    )
)
class TransitionList(ChineseMixin, generics.GenericAPIView):
    """The actions the caller may perform on the complaint now (the browser's buttons)."""

    serializer_class = TransitionSerializer
    queryset = Complaint.objects.none()
    pagination_class = None

    def get(self, request, pk: int):
        complaint = selectors.complaint_detail_for_user(request.user, pk)
        rows = [
            {
                "name": action.name,
                "label": str(action.label),
                "label_en": _english(action.label),
                # An upload has its own multipart endpoint (complaints/<pk>/attachments/).
                "url": reverse(
                    "api:complaint-attachments"
                    if action.name in FILE_ACTIONS
                    else f"api:complaint-transition-{action.name}",
                    args=[complaint.pk],
                ),
                "operation_id": (
                    "complaints_attachments_create"
                    if action.name in FILE_ACTIONS
                    else f"complaints_transition_{action.name}"
                ),
            }
            for action in workflow.available_actions(request.user, complaint)
        ]
        return Response(TransitionSerializer(rows, many=True).data)


class TransitionView(ChineseMixin, generics.GenericAPIView):
    """POST one action's fields (the browser's form for it) to perform it."""

    action_name = ""
    queryset = Complaint.objects.none()
    pagination_class = None

    def post(self, request, pk: int):
        complaint = selectors.complaint_detail_for_user(request.user, pk)  # 404 first
        form_class = ACTION_FORMS[self.action_name]
        data = form_data(form_class, request.data)
        header_version = if_match_version(request, complaint)
        if header_version is not None:
            if data.get("version") not in (None, "") and data["version"] != str(header_version):
                raise PreconditionFailed()
            data["version"] = str(header_version)
        form = form_class(data=data, complaint=complaint, user=request.user)
        if not form.is_valid():
            raise FormInvalid(form)
        try:
            done = workflow.complaint_act(
                actor=request.user,
                complaint_id=complaint.pk,
                action=self.action_name,
                expected_version=form.cleaned_data["version"],
                **form.action_data(),
            )
        except ConcurrentUpdate:
            if header_version is not None:
                raise PreconditionFailed() from None
            raise
        if not complaint_access.can_see_complaint(request.user, done):
            # Escalated out of the caller's sight: say it was done and where it went,
            # not the 404 a retrieve would now answer.
            return Response(ComplaintHandedOnSerializer(done).data)
        return complaint_response(request, complaint.pk)


# A transition answers the complaint as the caller now sees it, or — when it moved the
# complaint out of the caller's scope (an escalation to a level they cannot see) —
# the short receipt of ComplaintHandedOnSerializer.
TRANSITION_RESULT = PolymorphicProxySerializer(
    component_name="TransitionResult",
    serializers=[ComplaintDetailSerializer, ComplaintHandedOnSerializer],
    resource_type_field_name=None,
)


def transition_view(name: str):
    """The view of one action, with its own operationId and request body in the
    schema: a client finds ``complaints_transition_<name>`` and its fields there."""
    action = workflow.ACTIONS[name]
    meaning = getattr(Complaint, action.transition).__doc__ if action.transition else ""
    view = type(
        f"{TRANSITION_REQUESTS[name].__name__}View",
        (TransitionView,),
        {"action_name": name, "input_serializer_class": TRANSITION_REQUESTS[name]},
    )
    return extend_schema_view(
        post=extend_schema(
            operation_id=f"complaints_transition_{name}",
            # Lazy: the schema is written in the language of the request that asks for it.
            summary=format_lazy("{} ({})", action.label, name),
            description=meaning or TransitionView.__doc__,
            tags=["transitions"],
            parameters=[IF_MATCH, etag_header(200)],
            request=TRANSITION_REQUESTS[name],
            responses={
                200: TRANSITION_RESULT,
                **errors(400, 401, 403, 404, 409, 412, 422),
            },
        )
    )(view)


TRANSITION_VIEWS = {
    name: transition_view(name) for name in ACTION_FORMS if name not in FILE_ACTIONS
}


@extend_schema_view(
    post=extend_schema(
        operation_id="complaints_reveal",
        tags=["complaints"],
        request=None,
        responses={200: RevealSerializer, **errors(401, 403, 404)},
    )
)
class ComplaintReveal(ChineseMixin, generics.GenericAPIView):
    """The complainant's full personal data and the complaint's texts in full (its
    fields and its timeline's notes), for those the policy allows; every call is
    written to the personal-data access log with the fields it showed."""

    serializer_class = RevealSerializer
    input_serializer_class = None  # POST without a body (what OPTIONS describes)
    queryset = Complaint.objects.none()

    def post(self, request, pk: int):
        complaint = complaint_access.complaint_get_for_user(request.user, pk)
        if not complaint_access.may_reveal_pii(request.user, complaint):
            raise PermissionDenied()
        view = pii.complaint_revealed(request, complaint)
        data = {
            **PartySerializer(view.party).data,
            "texts": view.text,
            "timeline": [
                {"id": t.id, "note": t.note, "payload": t.payload}
                for t in view.timeline(selectors.timeline_for(complaint))
            ],
        }
        return Response(RevealSerializer(data).data)


# --- The case file (案卷材料) -----------------------------------------------------------


class UploadTooLarge(APIException):
    status_code = 413
    default_code = "payload_too_large"
    default_detail = _lazy("上传的文件过大。")


@extend_schema_view(
    get=extend_schema(
        operation_id="complaints_attachments_list",
        tags=["attachments"],
        responses={200: AttachmentSerializer(many=True), **errors(401, 404)},
    ),
    post=extend_schema(
        operation_id="complaints_attachments_create",
        tags=["attachments"],
        parameters=[IF_MATCH, etag_header(201)],
        request={"multipart/form-data": AttachmentUploadRequest},
        responses={
            201: AttachmentSerializer(many=True),
            **errors(400, 401, 403, 404, 409, 412, 413, 415, 422),
        },
    ),
)
class AttachmentListCreate(ChineseMixin, generics.GenericAPIView):
    """GET: the complaint's case file (files and recording references not removed).
    POST (multipart/form-data): add evidence files — the ``attach`` action of the
    workflow, with its permission, content checks and timeline row; answers the
    stored items."""

    serializer_class = AttachmentSerializer
    queryset = Complaint.objects.none()
    pagination_class = None
    parser_classes = [MultiPartParser]

    def get(self, request, pk: int):
        complaint = selectors.complaint_detail_for_user(request.user, pk)
        view = pii.complaint_for_text(request.user, complaint)
        items = view.attachments(selectors.attachments_of(complaint))
        return Response(AttachmentSerializer(items, many=True).data)

    def post(self, request, pk: int):
        complaint = selectors.complaint_detail_for_user(request.user, pk)  # 404 first
        try:
            files = request.FILES.getlist("files")
            fields = {k: v for k, v in request.POST.items() if k != "files"}
        except RequestDataTooBig:
            raise UploadTooLarge() from None
        header_version = if_match_version(request, complaint)
        if header_version is not None:
            fields["version"] = str(header_version)
        fields.setdefault("version", str(complaint.version))
        form = AttachForm(
            data=fields,
            files=MultiValueDict({"files": files}),
            complaint=complaint,
            user=request.user,
        )
        if not form.is_valid():
            raise FormInvalid(form)
        before = set(complaint.attachments.values_list("pk", flat=True))
        try:
            done = workflow.complaint_act(
                actor=request.user,
                complaint_id=complaint.pk,
                action="attach",
                expected_version=form.cleaned_data["version"],
                **form.action_data(),
            )
        except ConcurrentUpdate:
            if header_version is not None:
                raise PreconditionFailed() from None
            raise
        view = pii.complaint_for_text(request.user, done)
        added = selectors.attachments_of(done).exclude(pk__in=before)
        return Response(
            AttachmentSerializer(view.attachments(added), many=True).data,
            status=201,
            headers={"ETag": etag(done)},
        )


@extend_schema_view(
    get=extend_schema(
        operation_id="complaints_attachments_download",
        tags=["attachments"],
        parameters=[
            OpenApiParameter(
                "attachment_pk", int, OpenApiParameter.PATH, description="the attachment's id"
            )
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **errors(401, 404)},
    )
)
class AttachmentDownload(ChineseMixin, generics.GenericAPIView):
    """The file itself, through the same access policy as the complaint (another
    institution's complaint or a removed file: 404); each download is written to the
    personal-data access log."""

    queryset = Complaint.objects.none()
    pagination_class = None

    def get(self, request, pk: int, attachment_pk: int):
        complaint = selectors.complaint_detail_for_user(request.user, pk)
        attachment = selectors.attachment_for(complaint, attachment_pk)
        return downloads.attachment_response(request, complaint, attachment, download=True)


@extend_schema_view(
    get=extend_schema(
        operation_id="complaints_answer_templates",
        tags=["complaints"],
        responses={200: AnswerTemplateFilledSerializer(many=True), **errors(401, 404)},
    )
)
class AnswerTemplateList(ChineseMixin, generics.GenericAPIView):
    """答复模板 that apply to the complaint, each filled for the caller: the
    customer's name exactly as the caller's view of the complaint shows it."""

    serializer_class = AnswerTemplateFilledSerializer
    queryset = Complaint.objects.none()
    pagination_class = None

    def get(self, request, pk: int):
        complaint = selectors.complaint_detail_for_user(request.user, pk)
        party = pii.party_for_detail(request, complaint)
        rows = [
            {"id": t.pk, "title": t.title, "text": text}
            for t, text in answer_templates.offered(complaint, party)
        ]
        return Response(AnswerTemplateFilledSerializer(rows, many=True).data)
