"""One factory per model of the desk. They write rows straight to the tables (no
service, no notification): for tests that need archive rows quickly. Tests of the
rules themselves go through supervision.services."""

import factory

from supervision.enums import EnforcementKind, TypicalCaseCategory
from supervision.models import CaseReadReceipt, Circulation, EnforcementCase, TypicalCase
from tests.complaints.factories import ComplaintFactory
from tests.institutions.factories import InstitutionFactory, UserFactory


class TypicalCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TypicalCase

    complaint = factory.SubFactory(ComplaintFactory, status="answered")
    owner = factory.SelfAttribute("complaint.handling_institution")
    title = factory.Sequence(lambda n: f"案例{n}")
    category = TypicalCaseCategory.TYPICAL
    cause_analysis = "原因"
    handling_process = "过程"
    lessons = "教训"
    published = True
    created_by = factory.SubFactory(UserFactory, institution=factory.SelfAttribute("..owner"))


class CirculationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Circulation

    case = factory.SubFactory(TypicalCaseFactory)
    institution = factory.SubFactory(InstitutionFactory)
    circulated_by = factory.SelfAttribute("case.created_by")


class CaseReadReceiptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseReadReceipt

    circulation = factory.SubFactory(CirculationFactory)
    institution = factory.SelfAttribute("circulation.institution")
    user = factory.SubFactory(UserFactory, institution=factory.SelfAttribute("..institution"))


class EnforcementCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnforcementCase

    case_no = factory.Sequence(lambda n: f"T-ZF-{n:04d}")
    complaint = factory.SubFactory(ComplaintFactory)
    institution = factory.SelfAttribute("complaint.complained_institution")
    office = factory.SubFactory(InstitutionFactory, kind="regulator")
    kind = EnforcementKind.SPECIAL
    summary = "专项检查"
    opened_by = factory.SubFactory(UserFactory, institution=factory.SelfAttribute("..office"))
