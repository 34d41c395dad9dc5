"""Driving the portal's public pages as a consumer would, with the test client."""

import re

from captcha.models import CaptchaStore
from django.urls import reverse

CODE_RE = re.compile(r'data-testid="tracking-code">([0-9A-Z\-]+)<')
SECRET_RE = re.compile(r'data-testid="tracking-secret">([0-9A-Z\-]+)<')


def captcha_answer(response) -> dict:
    """The captcha's fields as a person who read the image would fill them."""
    body = response.content.decode()
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', body)[1]
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


def submit(client, data, files=None, **extra):
    return client.post(reverse("portal:complain"), {**data, **(files or {})}, **extra)


def keys(response) -> tuple[str, str]:
    body = response.content.decode()
    return CODE_RE.search(body)[1], SECRET_RE.search(body)[1]


def open_case(client, code, proof):
    return client.post(reverse("portal:track"), {"code": code, "proof": proof})
