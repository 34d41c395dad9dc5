"""The account that stands for the consumer on the public portal.

A consumer has no login. What they do on the portal — file a complaint, add
information, rate the answer, reopen it by saying 不满意 — goes through the same
services as staff (``complaint_register_online``, ``complaint_act``), which record an
actor on every timeline row and ask the action table's permissions. That actor is
this one account: inactive (it can never sign in), without institution or role (it
reaches no institution through the access policy), holding only the consumer's own
permissions (``complaints.rules``: ``consumer_*``) and seeing only complaints filed
on the portal. The portal authenticates the person (tracking code and secret, or
code and phone digits) before it acts as this account on that one complaint.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from institutions.models import User

USERNAME = "portal.consumer"
#: How the timeline, the detail page and the print form name this actor.
DISPLAY_NAME = _("消费者本人（网上）")


def is_consumer_actor(user) -> bool:
    """The portal's consumer account, and nothing a person could sign in as."""
    return bool(
        user is not None
        and getattr(user, "username", None) == USERNAME
        and not user.is_active
        and not user.institution_id
        and not user.role
        and not user.is_superuser
    )


def consumer_actor() -> User:
    """The account, created on first use (unusable password, inactive)."""
    user = User.objects.filter(username=USERNAME).first()
    if user is None:
        try:
            with transaction.atomic():
                user = User(username=USERNAME, full_name=str(DISPLAY_NAME)[:40], is_active=False)
                user.set_unusable_password()
                user.save()
        except IntegrityError:  # created by a concurrent request
            user = User.objects.get(username=USERNAME)
    if not is_consumer_actor(user):
        raise ImproperlyConfigured(
            f"The user {USERNAME!r} exists but is not the portal's inactive consumer account."
        )
    return user
