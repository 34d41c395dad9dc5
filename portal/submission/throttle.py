"""Anti-abuse on the open internet, without any outside service: fixed-window rate
limits counted in Django's cache by django-ratelimit (Redis when configured, so every
web process shares the counts) and a captcha drawn locally by django-simple-captcha
once an address has made its first attempts.

Limits (settings, django-ratelimit notation ``count/period``):
``PORTAL_SUBMIT_RATE_PER_ADDRESS`` and ``PORTAL_SUBMIT_RATE_PER_PHONE`` for online
complaints, ``PORTAL_ENQUIRY_RATE_PER_ADDRESS`` and ``PORTAL_ENQUIRY_RATE_PER_CODE``
for enquiries; ``PORTAL_CAPTCHA_AFTER`` attempts from an address within the hour
before the captcha is asked. Keys are hashed by django-ratelimit; the cache never
holds a phone number or a code in clear."""

from __future__ import annotations

from django.conf import settings
from django_ratelimit.core import get_usage

from institutions.auth import client_ip

SUBMIT_ADDRESS = "portal.submit.address"
SUBMIT_PHONE = "portal.submit.phone"
ENQUIRY_ADDRESS = "portal.enquiry.address"
ENQUIRY_CODE = "portal.enquiry.code"
#: What the captcha rule counts, per address and form: complaints posted, enquiries
#: refused (a consumer who just filed a complaint is not asked to solve one to follow it).
ATTEMPTS = "portal.attempts"


def _rate(name: str) -> str:
    return str(getattr(settings, name))


def _usage(request, group: str, value: str, rate: str, increment: bool) -> dict:
    usage = get_usage(
        request, group=group, key=lambda _g, _r: value, rate=rate, increment=increment
    )
    return usage or {"should_limit": False, "count": 0}


def over(request, group: str, value: str, setting: str) -> bool:
    """Count one attempt in ``group`` for ``value``; True once over the limit."""
    return bool(_usage(request, group, value, _rate(setting), increment=True)["should_limit"])


def address(request) -> str:
    return client_ip(request) or "unknown"


def submit_over_address(request) -> bool:
    return over(request, SUBMIT_ADDRESS, address(request), "PORTAL_SUBMIT_RATE_PER_ADDRESS")


def submit_over_phone(request, phone: str) -> bool:
    return over(request, SUBMIT_PHONE, phone, "PORTAL_SUBMIT_RATE_PER_PHONE")


def enquiry_over(request, code: str) -> bool:
    """Both limits are counted on every attempt (an address trying many codes, many
    addresses trying one code)."""
    by_address = over(request, ENQUIRY_ADDRESS, address(request), "PORTAL_ENQUIRY_RATE_PER_ADDRESS")
    by_code = over(request, ENQUIRY_CODE, code or "-", "PORTAL_ENQUIRY_RATE_PER_CODE")
    return by_address or by_code


def attempt(request, form: str) -> None:
    """One more attempt from this address on ``form`` ("complain": a complaint
    posted; "track": an enquiry refused)."""
    _usage(request, f"{ATTEMPTS}.{form}", address(request), "1000000/h", increment=True)


def captcha_required(request, form: str) -> bool:
    """After the first attempts from an address within the hour, ``form`` asks the
    captcha."""
    usage = _usage(request, f"{ATTEMPTS}.{form}", address(request), "1000000/h", increment=False)
    return usage["count"] >= int(settings.PORTAL_CAPTCHA_AFTER)
