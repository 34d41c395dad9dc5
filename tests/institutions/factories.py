import factory

from institutions.enums import InstitutionKind, Role
from institutions.models import Institution, User


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"INST{n:04d}")
    name = factory.Sequence(lambda n: f"测试银行{n}号机构")
    kind = InstitutionKind.SUB_BRANCH
    complaint_phone = "0319-1234567"


class RegulatorFactory(InstitutionFactory):
    code = factory.Sequence(lambda n: f"PBC{n:03d}")
    name = factory.Sequence(lambda n: f"中国人民银行测试{n}县支行")
    kind = InstitutionKind.REGULATOR
    hotline = "12363"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"员工{n}")
    role = Role.TELLER
    institution = factory.SubFactory(InstitutionFactory)
    password = factory.PostGenerationMethodCall("set_password", "pw-Secret-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
