"""What the API returns. Output only: input is validated by the browser's forms
(``api.forms``).

Personal data leaves through ``PartySerializer`` alone, fed with a
``complaints.pii.PartyView`` the view obtained from ``complaints.pii`` (list-level
masks by default; the detail level or the full values only when the view asked
``complaints.pii`` for them, which also writes the access log). Free text (the
complaint's texts, timeline notes and payloads) goes out through the same
``complaints.pii.ComplaintView``, passed in the context as ``view``: the numbers in it
are masked at the party's level.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from complaints import pii, selectors
from complaints.forms import ACTION_FORMS, FILE_ACTIONS, IntakeForm, ListFilterForm
from complaints.models import Complaint, HandlingCategory, TaxonomyCode, TimelineEntry
from institutions.models import Institution, User
from notifications.models import Notification

from .forms import serializer_for_form


def etag(complaint: Complaint) -> str:
    """A weak validator that changes with every action on the complaint."""
    return f'W/"{complaint.pk}-{complaint.version}"'


class InstitutionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")


class CodeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class PartySerializer(serializers.Serializer):
    """The complainant as this caller may see them: ``level`` says which mask applied
    (list, detail, or full after a logged reveal)."""

    name = serializers.CharField()
    phone = serializers.CharField()
    id_number = serializers.CharField(allow_blank=True)
    address = serializers.CharField(allow_blank=True)
    account_number = serializers.CharField(
        allow_blank=True, help_text="card or account number concerned, masked like a card"
    )
    level = serializers.ChoiceField(choices=["list", "detail", "full"])
    can_reveal = serializers.BooleanField()


def _complaint_view(context: dict, complaint: Complaint) -> pii.ComplaintView:
    """The view the API view obtained from complaints.pii; list-level masks if none
    was passed (never the raw text)."""
    return context.get("view") or pii.complaint_for_list(complaint)


class PauseSerializer(serializers.Serializer):
    """中止计时: one stretch during which both clocks stood still."""

    reason = serializers.CharField(help_text="appraisal / testing / assessment / materials")
    reason_display = serializers.CharField(source="get_reason_display")
    started_at = serializers.DateTimeField()
    resumed_at = serializers.DateTimeField(allow_null=True, help_text="null while it runs")
    consumer_told_via = serializers.CharField()
    consumer_told_at = serializers.DateTimeField()
    statutory_days = serializers.IntegerField(
        help_text="calendar days the statutory due time moved when it ended"
    )
    promise_days = serializers.IntegerField(
        help_text="working days the service-promise due time moved when it ended"
    )


class ComplaintListSerializer(serializers.ModelSerializer):
    """A row of the list: no long text (the selector defers it)."""

    status_display = serializers.CharField(source="get_status_display")
    category = serializers.CharField(source="category.name")
    business = CodeRefSerializer(allow_null=True)
    cause = CodeRefSerializer(allow_null=True)
    accepting_institution = InstitutionRefSerializer()
    handling_institution = InstitutionRefSerializer()
    complained_institution = InstitutionRefSerializer()
    handler = UserRefSerializer(allow_null=True)
    is_overdue = serializers.BooleanField(
        help_text="逾期: still open past due_at (never while paused)"
    )
    is_paused = serializers.BooleanField(help_text="中止计时: both clocks stand still")
    answered_late = serializers.BooleanField(help_text="超时反馈: answered after due_at")
    complainant = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "id",
            "url",
            "tracking_no",
            "version",
            "status",
            "status_display",
            "kind",
            "intake_source",
            "received_at",
            "due_at",
            "due_provisional",
            "statutory_due_at",
            "is_paused",
            "is_overdue",
            "answered_late",
            "is_major",
            "is_repeat",
            "complexity",
            "category",
            "business",
            "cause",
            "accepting_institution",
            "handling_institution",
            "complained_institution",
            "handler",
            "complainant",
            "answered_at",
            "last_activity_at",
        ]

    @extend_schema_field(PartySerializer)
    def get_complainant(self, obj) -> dict:
        party = self.context.get("party") or pii.party_for_list(obj)
        return PartySerializer(party).data

    def get_url(self, obj) -> str:
        return reverse("api:complaint-detail", args=[obj.pk])


class RecordingRefSerializer(serializers.Serializer):
    system = serializers.CharField()
    identifier = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class AttachmentSerializer(serializers.Serializer):
    """An item of the case file as the caller may see it: its uploaded name and
    description masked like the complaint's free text; ``download_url`` (an
    access-checked, logged endpoint) for a file, ``recording`` for a reference to a
    recording kept in the bank's recording system."""

    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    description = serializers.CharField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    source = serializers.CharField()
    uploaded_by = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField()
    recording = serializers.SerializerMethodField()

    def get_uploaded_by(self, obj) -> str | None:
        return obj.uploaded_by.get_full_name() if obj.uploaded_by_id else None

    def get_download_url(self, obj) -> str | None:
        if obj.is_reference:
            return None
        return reverse("api:complaint-attachment-download", args=[obj.complaint_id, obj.id])

    @extend_schema_field(RecordingRefSerializer(allow_null=True))
    def get_recording(self, obj) -> dict | None:
        if not obj.is_reference:
            return None
        return RecordingRefSerializer(
            {
                "system": obj.ref_system,
                "identifier": obj.ref_identifier,
                "starts_at": obj.ref_starts_at,
                "ends_at": obj.ref_ends_at,
            }
        ).data


class AttachmentUploadRequest(serializers.Serializer):
    """multipart/form-data: one or more ``files`` (each checked by its content),
    ``kind`` and an optional ``description``."""

    files = serializers.ListField(child=serializers.FileField(), help_text="evidence files")
    kind = serializers.ChoiceField(choices=ACTION_FORMS["attach"].base_fields["kind"].choices)
    description = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)


class AnswerTemplateFilledSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    text = serializers.CharField(help_text="filled for the caller (masked as they see the data)")


class ComplaintDetailSerializer(ComplaintListSerializer):
    """One complaint with everything the detail page shows. The view passes the
    ``party`` from ``complaints.pii.party_for_detail`` (which logs the view)."""

    channel = CodeRefSerializer(allow_null=True)
    first_responder = UserRefSerializer()
    repeat_of = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    statutory_pack = serializers.SlugRelatedField(
        slug_field="version", read_only=True, allow_null=True, help_text="rule-pack version"
    )
    statutory_overdue = serializers.BooleanField(
        help_text="open, not paused and past statutory_due_at"
    )
    pauses = PauseSerializer(many=True, source="pauses.all")
    merged_into = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    attachments = serializers.SerializerMethodField(
        help_text=_("案卷材料（文件经权限检查并记录后下载；录音录像系统中的录音为索引）")
    )

    class Meta(ComplaintListSerializer.Meta):
        fields = [
            *ComplaintListSerializer.Meta.fields,
            "statutory_pack",
            "statutory_start_at",
            "statutory_days",
            "statutory_paused_days",
            "statutory_overdue",
            "paused_at",
            "pauses",
            "withdrawn_on",
            "withdrawal_channel",
            "merged_into",
            "original_no",
            "description",
            "demand",
            "amount",
            "id_type",
            "answer_preference",
            "channel",
            "complained_staff_name",
            "complexity_reason",
            "first_responder",
            "escalation_level",
            "reported_to_regulator_at",
            "repeat_of",
            "reopen_count",
            "needs_reverification",
            "reverification",
            "assigned_at",
            "started_at",
            "resolved_at",
            "archived_at",
            "closed_at",
            "findings",
            "is_valid",
            "measures",
            "money_recovered",
            "staff_opinion",
            "answer_method",
            "answer_note",
            "satisfaction",
            "refusal_reason",
            "refusal_note",
            "transferred_to",
            "transfer_reason",
            "attachments",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        text = _complaint_view(self.context, instance).text
        for name in pii.FREE_TEXT_FIELDS:
            if name in data:
                data[name] = text[name]
        return data

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, obj) -> list[dict]:
        view = _complaint_view(self.context, obj)
        return AttachmentSerializer(view.attachments(selectors.attachments_of(obj)), many=True).data


class ComplaintCreatedSerializer(ComplaintDetailSerializer):
    """The registered complaint, with the service's warnings for the user."""

    warnings = serializers.SerializerMethodField(
        help_text=_("登记时的提示（如已自动屏蔽的敏感鉴别信息）")
    )

    class Meta(ComplaintDetailSerializer.Meta):
        fields = [*ComplaintDetailSerializer.Meta.fields, "warnings"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_warnings(self, obj) -> list[str]:
        return [str(w) for w in self.context.get("warnings") or []]


class ComplaintHandedOnSerializer(serializers.ModelSerializer):
    """The answer to an action that moved the complaint out of the caller's sight
    (an escalation to a level they cannot see): done, and where it went. A later GET
    answers 404, as for any complaint outside the caller's scope."""

    handed_on_to = InstitutionRefSerializer(source="handling_institution")
    status_display = serializers.CharField(source="get_status_display")

    class Meta:
        model = Complaint
        fields = ["id", "tracking_no", "version", "status", "status_display", "handed_on_to"]


class TimelineEntrySerializer(serializers.ModelSerializer):
    """One row of the timeline; its note and payload masked like the complaint's
    free text (the ``view`` in the context)."""

    action_display = serializers.CharField(source="get_action_display")
    actor = UserRefSerializer(allow_null=True)
    payload = serializers.DictField()

    class Meta:
        model = TimelineEntry
        fields = [
            "id",
            "action",
            "action_display",
            "from_status",
            "to_status",
            "actor",
            "note",
            "payload",
            "created_at",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        redact = _complaint_view(self.context, instance.complaint).redact
        data["note"], data["payload"] = redact(data["note"]), redact(data["payload"])
        return data


# The complaint's free text in full: one field per text the detail shows masked.
RevealedTextSerializer = type(
    "RevealedTextSerializer",
    (serializers.Serializer,),
    {name: serializers.CharField(allow_blank=True) for name in pii.FREE_TEXT_FIELDS},
)


class RevealedNoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    note = serializers.CharField(allow_blank=True)
    payload = serializers.DictField()


class RevealSerializer(PartySerializer):
    """The complainant's personal data in full, with every text of the complaint in
    full: its fields (``texts``) and its timeline's notes and payloads (the full
    form of ``/timeline/``). Each call is one access-log row naming the fields."""

    texts = RevealedTextSerializer()
    timeline = RevealedNoteSerializer(many=True)


class TransitionSerializer(serializers.Serializer):
    """An action the caller may perform now; POST its fields to ``url``."""

    name = serializers.ChoiceField(choices=list(ACTION_FORMS))
    label = serializers.CharField()
    label_en = serializers.CharField(help_text="The label in English (``label`` is Chinese)")
    url = serializers.CharField()
    operation_id = serializers.CharField(help_text="OpenAPI operationId of the POST")


class InstitutionSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display")

    class Meta:
        model = Institution
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "kind_display",
            "parent",
            "regulator",
            "depth",
            "is_active",
            "complaint_phone",
            "complaint_department",
        ]


class HandlerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="get_full_name")
    role_display = serializers.CharField(source="get_role_display")

    class Meta:
        model = User
        fields = ["id", "name", "role", "role_display", "institution"]


class HandlingCategorySerializer(serializers.ModelSerializer):
    typical_causes = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = HandlingCategory
        fields = ["id", "name", "name_en", "complexity", "typical_causes"]


class TaxonomyCodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaxonomyCode
        fields = ["id", "dimension", "code", "official_code", "level", "name", "parent"]


class NotificationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display")

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "kind_display",
            "title",
            "body",
            "complaint",
            "url",
            "created_at",
            "read_at",
        ]


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=500,
        help_text=_("要标记为已读的通知；省略则全部标记为已读"),
    )


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class FieldErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class DuplicateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Complaint
        fields = ["id", "tracking_no", "received_at", "status"]


class ErrorSerializer(serializers.Serializer):
    """Every error under /api/ (see api.exceptions)."""

    code = serializers.CharField(help_text="stable machine-readable code")
    detail = serializers.CharField(help_text="Chinese explanation")
    detail_en = serializers.CharField(help_text="English explanation")
    errors = serializers.DictField(
        child=FieldErrorSerializer(many=True), required=False, help_text="field → errors"
    )
    duplicates = DuplicateSerializer(
        many=True, required=False, help_text="earlier complaints (code invalid/duplicate)"
    )


# --- request bodies, described from the browser's forms ---------------------------------

ComplaintCreateRequest = serializer_for_form(
    IntakeForm,
    "ComplaintCreateRequest",
    doc="Registration (受理登记), the browser's intake form. Send confirm_duplicate=true "
    "after checking the duplicates a first attempt returned.",
)
ComplaintFilterParams = serializer_for_form(ListFilterForm, "ComplaintFilterParams")
TRANSITION_REQUESTS = {
    name: serializer_for_form(
        form_class,
        "".join(part.title() for part in name.split("_")) + "TransitionRequest",
        optional=("version",),
        help_texts={
            "version": "the complaint's `version` this action was decided on; "
            "required unless the If-Match header is sent"
        },
        doc=f"Fields of the “{name}” action. `version` is required unless If-Match is sent.",
    )
    for name, form_class in ACTION_FORMS.items()
    if name not in FILE_ACTIONS  # uploads: POST complaints/<pk>/attachments/ (multipart)
}
