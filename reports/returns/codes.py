"""The mapping from our taxonomy to the official JR/T 0169-2018 codes."""

from __future__ import annotations

from django.db.models import QuerySet

from complaints.models import TaxonomyCode


def taxonomy_mapping() -> QuerySet[TaxonomyCode]:
    """Every active code with its official code, those still missing one first."""
    return TaxonomyCode.objects.filter(is_active=True).order_by("dimension", "code")


def missing_official_codes() -> QuerySet[TaxonomyCode]:
    return taxonomy_mapping().filter(official_code="")
