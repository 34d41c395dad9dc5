"""POST /api/v1/auth/token/: a user name and password for the user's API token.

django-axes throttles this door like the login page (same lock, by user name): the
password is checked with ``django.contrib.auth.authenticate(request=…)``, which axes
needs to see the attempt. We hand it DRF's request wrapper, as DRF itself does, so
axes marks the lock-out on the wrapper: we answer it here as JSON (429
``locked_out``) instead of axes' middleware replacing the answer with the HTML
lock-out page it renders for the browser.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import parsers, serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from ..exceptions import InvalidCredentials, LockedOut
from .base import ChineseMixin, errors


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)

    def validate(self, attrs):
        request = self.context["request"]
        user = authenticate(request=request, username=attrs["username"], password=attrs["password"])
        if user is None:
            if getattr(request, "axes_locked_out", False):
                raise LockedOut()
            raise InvalidCredentials()
        attrs["user"] = user
        return attrs


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="send as `Authorization: Token <token>`")


class TokenObtainView(ChineseMixin, ObtainAuthToken):
    """Exchange a user name and password for the user's API token (created on first
    use; the same token afterwards). Throttled by django-axes like the login page."""

    serializer_class = TokenRequestSerializer
    authentication_classes = ()
    parser_classes = (parsers.JSONParser, parsers.FormParser)

    @extend_schema(
        operation_id="auth_token_create",
        tags=["auth"],
        auth=[],
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, **errors(400, 429)},
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
