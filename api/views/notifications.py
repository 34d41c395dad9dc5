"""The caller's own notices (the bell): list and mark read. Someone else's notice is
never listed and marking its id read changes nothing (``notifications.services``)."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.response import Response

from notifications import services
from notifications.models import Notification

from ..filters import NotificationFilter
from ..serializers import MarkedSerializer, MarkReadSerializer, NotificationSerializer
from .base import ChineseMixin, errors


@extend_schema_view(
    get=extend_schema(
        operation_id="notifications_list",
        tags=["notifications"],
        responses={200: NotificationSerializer(many=True), **errors(400, 401)},
    )
)
class NotificationList(ChineseMixin, generics.ListAPIView):
    """The caller's notices, newest first."""

    serializer_class = NotificationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = NotificationFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Notification.objects.none()
        return Notification.objects.filter(recipient=self.request.user)


@extend_schema_view(
    post=extend_schema(
        operation_id="notifications_mark_read",
        tags=["notifications"],
        request=MarkReadSerializer,
        responses={200: MarkedSerializer, **errors(400, 401)},
    )
)
class NotificationMarkRead(ChineseMixin, generics.GenericAPIView):
    """Mark the caller's notices read (the given ids, or all)."""

    serializer_class = MarkReadSerializer

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        marked = services.mark_read(request.user, serializer.validated_data.get("ids"))
        return Response({"marked": marked})
