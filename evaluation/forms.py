"""The self-assessment form: one text and one own score per section of the period's
scheme, plus the problems found and the measures taken."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SelfAssessmentForm(forms.Form):
    problems_and_measures = forms.CharField(
        label=_("发现的问题及整改措施"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, sections, own=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = list(sections)
        entries = {e.section_id: e for e in own.entries.all()} if own else {}
        for section in self.sections:
            entry = entries.get(section.pk)
            self.fields[f"text_{section.pk}"] = forms.CharField(
                label=_("%(name)s：工作情况") % {"name": section.name},
                required=False,
                help_text=section.topics,
                initial=entry.text if entry else "",
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"score_{section.pk}"] = forms.DecimalField(
                label=_("%(name)s：自评得分（满分 %(max)s）")
                % {"name": section.name, "max": f"{section.weight:g}"},
                required=False,
                min_value=0,
                max_value=section.weight,
                decimal_places=2,
                initial=entry.own_score if entry else None,
            )
        if own:
            self.fields["problems_and_measures"].initial = own.problems_and_measures
        self.order_fields(
            [
                *(f for s in self.sections for f in (f"text_{s.pk}", f"score_{s.pk}")),
                "problems_and_measures",
            ]
        )

    def section_rows(self):
        """(section, text field, score field) for the template."""
        return [(s, self[f"text_{s.pk}"], self[f"score_{s.pk}"]) for s in self.sections]

    def entries(self) -> dict:
        return {
            s.pk: (
                self.cleaned_data.get(f"text_{s.pk}", ""),
                self.cleaned_data.get(f"score_{s.pk}"),
            )
            for s in self.sections
        }
