"""Read-only reference data a client needs to fill in a complaint: the institutions
the caller may see (and their handlers, for ``assign``), the handling categories and
the JR/T 0169 codes. Institutions are scoped by ``institutions.access`` alone."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics

from complaints.forms import eligible_handlers
from complaints.models import HandlingCategory, TaxonomyCode
from institutions import access
from institutions.models import Institution, User

from ..filters import TaxonomyCodeFilter
from ..serializers import (
    HandlerSerializer,
    HandlingCategorySerializer,
    InstitutionSerializer,
    TaxonomyCodeSerializer,
)
from .base import ChineseMixin, errors


@extend_schema_view(
    get=extend_schema(
        operation_id="institutions_list",
        tags=["reference"],
        responses={200: InstitutionSerializer(many=True), **errors(401)},
    )
)
class InstitutionList(ChineseMixin, generics.ListAPIView):
    """The institutions the caller may see, in tree order."""

    serializer_class = InstitutionSerializer

    def get_queryset(self):
        return access.institutions_visible_to(self.request.user).order_by("path")


@extend_schema_view(
    get=extend_schema(
        operation_id="institutions_retrieve",
        tags=["reference"],
        responses={200: InstitutionSerializer, **errors(401, 404)},
    )
)
class InstitutionDetail(ChineseMixin, generics.RetrieveAPIView):
    """One institution the caller may see (404 otherwise)."""

    serializer_class = InstitutionSerializer
    queryset = Institution.objects.none()

    def get_object(self):
        return access.institution_get_for_user(self.request.user, self.kwargs["pk"])


@extend_schema_view(
    get=extend_schema(
        operation_id="institutions_handlers",
        tags=["reference"],
        responses={200: HandlerSerializer(many=True), **errors(401, 404)},
    )
)
class InstitutionHandlers(ChineseMixin, generics.ListAPIView):
    """Who may be chosen as handler at this institution (the ``assign`` form's list)."""

    serializer_class = HandlerSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return User.objects.none()
        institution = access.institution_get_for_user(self.request.user, self.kwargs["pk"])
        return eligible_handlers(self.request.user, institution)


@extend_schema_view(
    get=extend_schema(
        operation_id="categories_list",
        tags=["reference"],
        responses={200: HandlingCategorySerializer(many=True), **errors(401)},
    )
)
class CategoryList(ChineseMixin, generics.ListAPIView):
    """处理类别: the ``category`` of a new complaint (sets complexity and deadline)."""

    serializer_class = HandlingCategorySerializer
    queryset = HandlingCategory.objects.prefetch_related("typical_causes")
    pagination_class = None


@extend_schema_view(
    get=extend_schema(
        operation_id="taxonomy_codes_list",
        tags=["reference"],
        responses={200: TaxonomyCodeSerializer(many=True), **errors(400, 401)},
    )
)
class TaxonomyCodeList(ChineseMixin, generics.ListAPIView):
    """JR/T 0169 codes: ``channel`` (A), ``business`` (B), ``cause`` (C)."""

    serializer_class = TaxonomyCodeSerializer
    queryset = TaxonomyCode.objects.filter(is_active=True)
    filter_backends = [DjangoFilterBackend]
    filterset_class = TaxonomyCodeFilter
