import pytest

from complaints import reference
from complaints.models import HandlingCategory, TaxonomyCode


@pytest.fixture
def taxonomy(db):
    reference.load()
    return {t.code: t for t in TaxonomyCode.objects.all()}


@pytest.fixture
def categories(taxonomy):
    return {c.name: c for c in HandlingCategory.objects.all()}


@pytest.fixture
def calendar(db):
    """The statutory calendar and the SLA rule sets, as `make run` loads them."""
    from deadlines.reference import load_sla_rules, seed_calendar

    seed_calendar()
    load_sla_rules()


@pytest.fixture
def intake(county, categories, calendar):
    """A valid intake payload for a teller at bank A's first outlet."""

    def _data(**overrides):
        data = {
            "intake_source": "phone",
            "kind": "complaint",
            "complainant_name": "李四",
            "complainant_phone": "13812345678",
            "id_type": "resident_id",
            "id_number": "110101199003074578",
            "contact_address": "河北省邢台市清河县城关镇幸福路1号",
            "answer_preference": "phone",
            "description": "在网点排队一个多小时无人办理",
            "demand": "要求网点改进并道歉",
            "amount": None,
            "complained_institution": county.a_out1,
            "category": categories["服务态度"],
        }
        data.update(overrides)
        return data

    return _data
