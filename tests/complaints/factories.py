import factory
from django.utils import timezone

from complaints import search
from complaints.enums import Complexity, IntakeSource
from complaints.models import (
    Complaint,
    HandlingCategory,
    TaxonomyCode,
    TimelineEntry,
)
from tests.institutions.factories import InstitutionFactory, UserFactory


class TaxonomyCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxonomyCode
        django_get_or_create = ("code",)

    dimension = "C"
    code = factory.Sequence(lambda n: f"CX{n:03d}")
    name = factory.Sequence(lambda n: f"原因{n}")


class HandlingCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HandlingCategory
        django_get_or_create = ("name",)

    name = "服务态度"
    complexity = Complexity.SIMPLE


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A registered complaint written straight to the table (no workflow, no
    deadline stamping): for tests that need rows in a given state quickly. Pass
    ``status=`` to place it in another state."""

    class Meta:
        model = Complaint

    tracking_no = factory.Sequence(lambda n: f"T-{n:06d}")
    received_at = factory.LazyFunction(timezone.now)
    intake_source = IntakeSource.PHONE
    complainant_name = "张三"
    complainant_phone = factory.Sequence(lambda n: f"138{n:08d}")
    id_type = "resident_id"
    id_number = "110101199003074578"
    contact_address = "河北省邢台市清河县城关镇幸福路1号"
    description = "柜台办理业务时服务态度差"
    demand = "要求道歉"
    complained_institution = factory.SubFactory(InstitutionFactory)
    accepting_institution = factory.SelfAttribute("complained_institution")
    handling_institution = factory.SelfAttribute("complained_institution")
    first_responder = factory.SubFactory(
        UserFactory, institution=factory.SelfAttribute("..complained_institution")
    )
    category = factory.SubFactory(HandlingCategoryFactory)
    complexity = factory.SelfAttribute("category.complexity")

    @classmethod
    def _create(cls, model_class, *args, status=None, **kwargs):
        obj = super()._create(model_class, *args, **kwargs)
        if status:
            model_class.objects.filter(pk=obj.pk).update(status=status)
            obj.refresh_from_db()
        # Registration keeps the search text; so does a complaint made here.
        search.reindex([obj.pk])
        return obj


class TimelineEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimelineEntry

    complaint = factory.SubFactory(ComplaintFactory)
    action = "register"
    to_status = "registered"
