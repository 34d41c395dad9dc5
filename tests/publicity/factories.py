from datetime import date
from io import BytesIO

import factory
from django.core.files.base import ContentFile
from PIL import Image

from publicity.enums import ActivityKind
from publicity.models import Activity, ActivityPhoto, Audience, Campaign, MediaReport, Topic
from tests.institutions.factories import InstitutionFactory, RegulatorFactory


def png_bytes(size=(4, 3), color=(200, 30, 30)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"主题{n}")


class AudienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audience
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"对象{n}")


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    theme = factory.Sequence(lambda n: f"测试宣传活动{n}")
    organiser = factory.SubFactory(RegulatorFactory)
    starts_on = date(2026, 3, 1)
    ends_on = date(2026, 3, 31)

    @factory.post_generation
    def participants(self, create, extracted, **kwargs):
        if create and extracted:
            self.participants.set(extracted)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    campaign = factory.SubFactory(CampaignFactory)
    institution = factory.SubFactory(InstitutionFactory)
    title = factory.Sequence(lambda n: f"宣传活动记录{n}")
    held_on = factory.LazyAttribute(lambda o: o.campaign.starts_on)
    kind = ActivityKind.OUTLET
    place = "营业厅"

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create:
            self.topics.set(extracted if extracted is not None else [TopicFactory(name="反假币")])


class MediaReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MediaReport

    activity = factory.SubFactory(ActivityFactory)
    outlet = "县电视台"
    title = factory.Sequence(lambda n: f"民生热线报道{n}")
    published_on = factory.LazyAttribute(lambda o: o.activity.held_on)


class ActivityPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityPhoto

    activity = factory.SubFactory(ActivityFactory)
    content_type = "image/png"
    size = factory.LazyAttribute(lambda o: len(png_bytes()))
    width = 4
    height = 3
    image = factory.LazyFunction(lambda: ContentFile(png_bytes(), name="photo.png"))
