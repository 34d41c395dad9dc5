"""The initial lists of topics and audiences (issue 7; 篇二, 篇四, 篇九, 篇十三). Kept
here as data, not imported from the app, so the migration means the same forever;
the office edits the lists in the admin afterwards."""

from django.db import migrations

TOPICS = [
    "反假币",
    "征信",
    "银行卡安全",
    "电子银行",
    "防范电信诈骗",
    "防范非法集资",
    "残损币兑换",
    "收费政策",
    "个人金融信息保护",
    "存款保险",
    "理财与保险风险提示",
    "消费者权益与投诉渠道",
]
AUDIENCES = ["老年人", "农民工", "农户", "企业", "学生", "少数民族客户", "城镇居民", "残障人士"]


def seed(apps, schema_editor):
    for model_name, names in (("Topic", TOPICS), ("Audience", AUDIENCES)):
        model = apps.get_model("publicity", model_name)
        for order, name in enumerate(names, start=1):
            model.objects.get_or_create(name=name, defaults={"sort_order": order * 10})


def unseed(apps, schema_editor):
    for model_name, names in (("Topic", TOPICS), ("Audience", AUDIENCES)):
        model = apps.get_model("publicity", model_name)
        model.objects.filter(name__in=names, activities__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("publicity", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
