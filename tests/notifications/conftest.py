import pytest

from notifications import sms
from notifications.defaults import seed_message_templates
from notifications.models import MessageTemplate
from tests.complaints.conftest import calendar, categories, intake, taxonomy  # noqa: F401

from .gateway import FakeGateway


@pytest.fixture(autouse=True)
def sms_outbox():
    """The locmem backend's outbox, empty at the start of each test."""
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def message_templates(db):
    """The default templates the data migration installs (a transactional test
    elsewhere may have flushed them)."""
    seed_message_templates(MessageTemplate)
    return {(t.event, t.channel): t for t in MessageTemplate.objects.all()}


@pytest.fixture
def gateway(settings):
    """A fake SMS gateway on loopback, and the HTTP backend pointed at it."""
    with FakeGateway() as gw:
        settings.SMS_BACKEND = "notifications.sms.backends.http.SmsBackend"
        settings.SMS_GATEWAY_URL = gw.url
        settings.SMS_GATEWAY_TOKEN = gw.token
        settings.SMS_GATEWAY_TIMEOUT = 5
        yield gw
