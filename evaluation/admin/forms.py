"""The appraisal admin's forms: a period, a score line, an evidence line, the
sheet's key-supervision decision, an inspection."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..enums import ScoringMethod
from ..errors import AppraisalError
from ..models import AppraisalPeriod, Evidence, IndicatorScore, Inspection, ScoreSheet
from ..services.scores import parse_score
from ..validators import inspect_evidence


class PeriodForm(forms.ModelForm):
    class Meta:
        model = AppraisalPeriod
        fields = (
            "regulator",
            "kind",
            "code",
            "name",
            "starts_on",
            "ends_on",
            "self_assessment_due",
            "notice_number",
        )


class ScoreForm(forms.ModelForm):
    """One line of the sheet. A computed line is shown, not edited; a manual line
    needs a score within 0–max and a reason (checked here so the error shows on the
    line; the service checks again)."""

    class Meta:
        model = IndicatorScore
        fields = ("score", "reason")
        widgets = {"reason": forms.Textarea(attrs={"rows": 2, "cols": 40})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.indicator.method == ScoringMethod.COMPUTED:
            for field in self.fields.values():
                field.disabled = True

    def clean(self):
        data = super().clean()
        if not self.instance.pk or self.instance.indicator.method != ScoringMethod.MANUAL:
            return data
        if not self.has_changed():
            return data
        score, reason = data.get("score"), (data.get("reason") or "").strip()
        if score is None:
            raise ValidationError({"score": gettext("请填写得分。")})
        try:
            parse_score(score, max_score=self.instance.indicator.max_score)
        except AppraisalError as exc:
            raise ValidationError({"score": exc.messages}) from None
        if not reason:
            raise ValidationError({"reason": gettext("请填写评分理由。")})
        return data


class EvidenceForm(forms.ModelForm):
    class Meta:
        model = Evidence
        fields = ("indicator", "file", "description")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:  # kept files are replaced by deleting and adding
            for field in self.fields.values():
                field.disabled = True

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and self.instance._state.adding:
            inspect_evidence(file)
        return file


class SheetForm(forms.ModelForm):
    key_supervision = forms.TypedChoiceField(
        label=_("列为下期重点监管"),
        choices=[("", _("按系统建议（未确认）")), ("1", _("是")), ("0", _("否"))],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )

    class Meta:
        model = ScoreSheet
        fields = ("key_supervision", "key_supervision_reason")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        value = self.instance.key_supervision
        self.initial["key_supervision"] = "" if value is None else ("1" if value else "0")

    def clean(self):
        data = super().clean()
        decision = data.get("key_supervision")
        reason = (data.get("key_supervision_reason") or "").strip()
        if (
            decision is not None
            and decision != self.instance.key_supervision_proposed
            and not reason
        ):
            raise ValidationError(
                {"key_supervision_reason": gettext("与系统建议不一致时，须填写调整理由。")}
            )
        return data


class InspectionForm(forms.ModelForm):
    class Meta:
        model = Inspection
        fields = (
            "regulator",
            "institution",
            "source_sheet",
            "kind",
            "subject",
            "planned_on",
            "inspected_on",
            "findings",
            "rectification_due",
            "rectified_on",
            "rectification_note",
        )
