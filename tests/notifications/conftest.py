import pytest

from notifications import sms
from tests.complaints.conftest import calendar, categories, intake, taxonomy  # noqa: F401

from .gateway import FakeGateway


@pytest.fixture(autouse=True)
def sms_outbox():
    """The locmem backend's outbox, empty at the start of each test."""
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def gateway(settings):
    """A fake SMS gateway on loopback, and the HTTP backend pointed at it."""
    with FakeGateway() as gw:
        settings.SMS_BACKEND = "notifications.sms.backends.http.SmsBackend"
        settings.SMS_GATEWAY_URL = gw.url
        settings.SMS_GATEWAY_TOKEN = gw.token
        settings.SMS_GATEWAY_TIMEOUT = 5
        yield gw
