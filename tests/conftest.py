"""Shared fixtures: a small county with two banks, and a user for every role.

PBC (regulator)            OTHER-PBC (another county's regulator)
 ├── BANK-A (sub-branch)    └── BANK-X
 │    ├── A-OUT1 (outlet)
 │    └── A-OUT2 (outlet)
 └── BANK-B (sub-branch)
      └── B-OUT1 (outlet)
"""

import pytest
from django.conf import settings
from django.utils import translation

from institutions.enums import InstitutionKind, Role
from tests.institutions.factories import InstitutionFactory, RegulatorFactory, UserFactory


class County:
    def __init__(self):
        self.pbc = RegulatorFactory(code="PBC", name="中国人民银行测试县支行")
        self.bank_a = InstitutionFactory(
            code="BANK-A", name="甲银行测试支行", parent=None, regulator=self.pbc
        )
        self.a_out1 = InstitutionFactory(
            code="A-OUT1", name="甲银行一号网点", parent=self.bank_a, kind=InstitutionKind.OUTLET
        )
        self.a_out2 = InstitutionFactory(
            code="A-OUT2", name="甲银行二号网点", parent=self.bank_a, kind=InstitutionKind.OUTLET
        )
        self.bank_b = InstitutionFactory(code="BANK-B", name="乙银行测试支行", regulator=self.pbc)
        self.b_out1 = InstitutionFactory(
            code="B-OUT1", name="乙银行一号网点", parent=self.bank_b, kind=InstitutionKind.OUTLET
        )
        self.other_pbc = RegulatorFactory(code="PBC-OTHER", name="中国人民银行邻县支行")
        self.bank_x = InstitutionFactory(code="BANK-X", name="邻县丙银行", regulator=self.other_pbc)

        self.regulator = UserFactory(
            username="reg", role=Role.REGULATOR, institution=self.pbc, is_staff=True
        )
        self.other_regulator = UserFactory(
            username="reg_other", role=Role.REGULATOR, institution=self.other_pbc, is_staff=True
        )
        self.a_manager = UserFactory(username="a_mgr", role=Role.MANAGER, institution=self.bank_a)
        self.a_handler = UserFactory(username="a_hdl", role=Role.HANDLER, institution=self.bank_a)
        self.a1_handler = UserFactory(username="a1_hdl", role=Role.HANDLER, institution=self.a_out1)
        self.a_teller = UserFactory(username="a_tel", role=Role.TELLER, institution=self.a_out1)
        self.a2_teller = UserFactory(username="a2_tel", role=Role.TELLER, institution=self.a_out2)
        self.b_manager = UserFactory(username="b_mgr", role=Role.MANAGER, institution=self.bank_b)
        self.b_handler = UserFactory(username="b_hdl", role=Role.HANDLER, institution=self.bank_b)
        self.b_teller = UserFactory(username="b_tel", role=Role.TELLER, institution=self.b_out1)
        self.sysadmin = UserFactory(
            username="sysadm", role=Role.SYSADMIN, institution=self.pbc, is_staff=True
        )


@pytest.fixture
def county(db):
    return County()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's language: a request through the test client
    leaves the language LocaleMiddleware chose (an English Accept-Language, say)
    active in the thread, and the next test would inherit it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


# Every response the suite receives is scanned for leaked personal data.
from tests.pii_scan import pii_response_scan  # noqa: E402, F401
