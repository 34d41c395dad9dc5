import io

import pytest
from django.core.cache import cache
from PIL import Image

from tests.complaints.conftest import calendar, categories, intake, taxonomy  # noqa: F401
from tests.notifications.conftest import message_templates  # noqa: F401


@pytest.fixture(autouse=True)
def fresh_limits():
    """Rate-limit counters live in the cache (Redis under .ci/run): each test starts
    from none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def jpeg_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buf, "JPEG")
    return buf.getvalue()


@pytest.fixture
def form_data(county, categories, calendar):  # noqa: F811
    def _data(**overrides):
        data = {
            "complained_institution": str(county.a_out1.pk),
            "description": "在网点办理转账时被多收手续费",
            "demand": "退还多收的手续费",
            "complainant_name": "王小明",
            "complainant_phone": "13912345678",
            "id_type": "",
            "id_number": "",
            "account_number": "",
            "answer_preference": "sms",
            "consumer_email": "",
            "notify_consent": "on",
            "privacy_accepted": "on",
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    return _data
