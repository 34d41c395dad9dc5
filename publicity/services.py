"""Writes: campaigns, activities, their media reports and photos.

Each service checks the permission itself (views, the admin and any future API call
the same entry points), validates the whole input before writing anything, and
writes inside one transaction: a refused activity leaves no row and no file behind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from institutions.access import can_see_institution
from institutions.models import Institution, User

from .metrics import FIGURE_FIELDS
from .models import Activity, ActivityPhoto, Audience, Campaign, MediaReport, Topic
from .validators import PhotoInfo, inspect_photo

# --- Inputs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignData:
    theme: str
    organiser: Institution
    starts_on: date
    ends_on: date
    slogan: str = ""
    description: str = ""
    participants: Sequence[Institution] = ()
    target_outlets: int | None = None
    target_outdoor_events: int | None = None
    target_leaflets: int | None = None
    target_people_reached: int | None = None

    def model_fields(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "participants"}


@dataclass(frozen=True)
class ActivityData:
    """What an outlet reports about one activity. ``figures`` maps metric codes of
    ``publicity.metrics.FIGURE_FIELDS`` to values; a missing figure is 0."""

    institution: Institution
    title: str
    held_on: date
    kind: str
    place: str
    topics: Sequence[Topic]
    audiences: Sequence[Audience] = ()
    description: str = ""
    figures: Mapping[str, int | Decimal] = field(default_factory=dict)
    #: tracking numbers of complaint records taken on site (optional links)
    complaint_numbers: Sequence[str] = ()

    def model_fields(self) -> dict:
        unknown = set(self.figures) - set(FIGURE_FIELDS)
        if unknown:
            raise ValueError(f"unknown figures: {sorted(unknown)}")
        return {
            "institution": self.institution,
            "title": self.title,
            "held_on": self.held_on,
            "kind": self.kind,
            "place": self.place,
            "description": self.description,
            **{name: self.figures.get(name, 0) for name in FIGURE_FIELDS},
        }


@dataclass(frozen=True)
class MediaReportData:
    outlet: str
    title: str
    published_on: date
    url: str = ""


# --- Campaigns -------------------------------------------------------------------------


def _check_campaign_institutions(user: User, data: CampaignData) -> None:
    """A campaign is organised by, and addressed to, institutions the user can see."""
    if not can_see_institution(user, data.organiser):
        raise PermissionDenied
    if any(not can_see_institution(user, inst) for inst in data.participants):
        raise PermissionDenied


@transaction.atomic
def campaign_create(*, user: User, data: CampaignData) -> Campaign:
    """Announce a campaign. The regulator or a manager; the organiser and the
    participants must be in their scope."""
    if not user.has_perm("publicity.add_campaign"):
        raise PermissionDenied
    _check_campaign_institutions(user, data)
    campaign = Campaign(**data.model_fields(), created_by=user)
    campaign.full_clean()
    campaign.save()
    campaign.participants.set(data.participants)
    return campaign


@transaction.atomic
def campaign_update(*, user: User, campaign: Campaign, data: CampaignData) -> Campaign:
    """Change a campaign. Its period may not shrink past an activity already recorded
    (``Campaign.clean`` refuses it): those activities would fall outside it."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not user.has_perm("publicity.change_campaign", campaign):
        raise PermissionDenied
    _check_campaign_institutions(user, data)
    fields = data.model_fields()
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.full_clean()
    campaign.save(update_fields=list(fields))
    campaign.participants.set(data.participants)
    return campaign


# --- Activities ------------------------------------------------------------------------


def _inspect_photos(photos: Sequence[UploadedFile]) -> list[PhotoInfo]:
    """Every photo checked before anything is written; all errors reported at once."""
    infos, errors = [], []
    for photo in photos:
        try:
            infos.append(inspect_photo(photo))
        except ValidationError as exc:
            errors.extend(exc.error_list)
    if errors:
        raise ValidationError({"photos": errors})
    return infos


def _media_report_rows(activity: Activity, reports: Sequence[MediaReportData]) -> list:
    rows = [MediaReport(activity=activity, **report.__dict__) for report in reports]
    for row in rows:
        row.full_clean(exclude=["activity"])
    return rows


def _store_photos(
    *,
    user: User,
    activity: Activity,
    photos: Sequence[UploadedFile],
    infos: Sequence[PhotoInfo],
    stored: list[str],
) -> None:
    for upload, info in zip(photos, infos, strict=True):
        photo = ActivityPhoto(
            activity=activity,
            content_type=info.content_type,
            size=info.size,
            width=info.width,
            height=info.height,
            uploaded_by=user,
        )
        # The name is decided by photo_upload_to (a random UUID), not by the upload.
        photo.image.save("upload", upload, save=False)
        if photo.image.name:
            stored.append(photo.image.name)
        photo.save()


def _delete_files_on_failure(stored: list[str]) -> None:
    for name in stored:
        ActivityPhoto._meta.get_field("image").storage.delete(name)


def _delete_files_on_commit(names: list[str]) -> None:
    storage = ActivityPhoto._meta.get_field("image").storage

    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


def activity_record(
    *,
    user: User,
    campaign: Campaign,
    data: ActivityData,
    media_reports: Sequence[MediaReportData] = (),
    photos: Sequence[UploadedFile] = (),
) -> Activity:
    """Record an activity held for ``campaign``.

    Refused (PermissionDenied) unless the user may record for this campaign and the
    holding institution is in their scope; refused (ValidationError, Chinese
    messages, nothing saved) for negative figures, a date outside the campaign's
    period or a photo that is not a JPEG/PNG/GIF/WebP image within the size limit.
    """
    if not user.has_perm("publicity.add_activity", campaign):
        raise PermissionDenied
    if not can_see_institution(user, data.institution):
        raise PermissionDenied
    infos = _inspect_photos(photos)
    stored: list[str] = []
    try:
        with transaction.atomic():
            activity = Activity(campaign=campaign, recorded_by=user, **data.model_fields())
            activity.full_clean()
            reports = _media_report_rows(activity, media_reports)
            activity.save()
            activity.topics.set(data.topics)
            activity.audiences.set(data.audiences)
            activity.linked_complaints.set(_linked_complaints(user, data.complaint_numbers))
            for report in reports:
                report.activity = activity
            MediaReport.objects.bulk_create(reports)
            _store_photos(user=user, activity=activity, photos=photos, infos=infos, stored=stored)
    except BaseException:
        _delete_files_on_failure(stored)
        raise
    return activity


def _linked_complaints(user: User, numbers: Sequence[str]) -> list:
    """The complaint records behind the given tracking numbers, through the access
    policy: a number the user cannot see is refused like a missing one."""
    from complaints.rules import complaints_visible_to

    wanted = {n.strip() for n in numbers if n and n.strip()}
    if not wanted:
        return []
    found = list(complaints_visible_to(user).filter(tracking_no__in=wanted))
    missing = wanted - {c.tracking_no for c in found}
    if missing:
        raise ValidationError(
            {
                "complaint_numbers": _("找不到投诉编号：%(nos)s")
                % {"nos": "、".join(sorted(missing))}
            }
        )
    return found


def activity_update(
    *,
    user: User,
    activity: Activity,
    data: ActivityData,
    media_reports: Sequence[MediaReportData],
    photos: Sequence[UploadedFile] = (),
) -> Activity:
    """Correct an activity: its fields and figures are replaced, its media reports
    become ``media_reports``, and ``photos`` are added to the ones it has. The same
    checks as ``activity_record``; the campaign cannot change."""
    if not user.has_perm("publicity.change_activity", activity):
        raise PermissionDenied
    if not can_see_institution(user, data.institution):
        raise PermissionDenied
    infos = _inspect_photos(photos)
    stored: list[str] = []
    try:
        with transaction.atomic():
            activity = (
                Activity.objects.select_for_update()
                .select_related("campaign", "institution")
                .get(pk=activity.pk)
            )
            fields = data.model_fields()
            for name, value in fields.items():
                setattr(activity, name, value)
            activity.full_clean()
            reports = _media_report_rows(activity, media_reports)
            activity.save(update_fields=[*fields, "updated_at"])
            activity.topics.set(data.topics)
            activity.audiences.set(data.audiences)
            activity.linked_complaints.set(_linked_complaints(user, data.complaint_numbers))
            activity.media_reports.all().delete()
            MediaReport.objects.bulk_create(reports)
            _store_photos(user=user, activity=activity, photos=photos, infos=infos, stored=stored)
    except BaseException:
        _delete_files_on_failure(stored)
        raise
    return activity


@transaction.atomic
def activity_delete(*, user: User, activity: Activity) -> None:
    """Delete an activity with its media reports and photos; the photo files go
    once the deletion is committed."""
    if not user.has_perm("publicity.delete_activity", activity):
        raise PermissionDenied
    names = list(activity.photos.values_list("image", flat=True))
    activity.delete()
    _delete_files_on_commit(names)


@transaction.atomic
def activity_photo_delete(*, user: User, photo: ActivityPhoto) -> None:
    if not user.has_perm("publicity.change_activity", photo.activity):
        raise PermissionDenied
    name = photo.image.name
    photo.delete()
    if name:
        _delete_files_on_commit([name])
