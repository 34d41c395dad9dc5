"""Complaint overrides Django's generated get_status_display / get_complexity_display
for speed; they must answer exactly what Django's would, in either language."""

from __future__ import annotations

import pytest
from django.utils import translation

from complaints.enums import ComplaintStatus, Complexity
from complaints.models import Complaint


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("status", [*ComplaintStatus.values, "no-such-status"]),
        ("complexity", [*Complexity.values, ""]),
    ],
)
def test_labels_equal_djangos(field, values, language):
    model_field = Complaint._meta.get_field(field)
    with translation.override(language):
        for value in values:
            c = Complaint(**{field: value})
            ours = getattr(c, f"get_{field}_display")()
            django = Complaint._get_FIELD_display(c, model_field)
            assert ours == django
            assert isinstance(ours, str)


def test_the_english_label_is_english():
    with translation.override("en"):
        assert Complaint(status=ComplaintStatus.IN_PROGRESS).get_status_display() != "处理中"
