"""Every JR/T cause suggests the handling category it belongs to (reviewed against
shared/data/complexity-rules.csv), and a cause is typical of one category only."""

import pytest
from django.contrib.admin.sites import site

from complaints.admin import HandlingCategoryForm
from complaints.forms import IntakeForm
from complaints.models import HandlingCategory, TaxonomyCode

EXPECTED = {
    "C01": "服务态度",  # 服务态度及服务质量
    "C02": "服务渠道",  # 设施、设备、业务系统
    "C03": "内部管理",  # 管理制度、业务规则与流程
    "C04": "违规操作",  # 营销方式和手段
    "C05": "服务产品",  # 信息披露
    "C06": "违规操作",  # 自主选择权
    "C07": "违规操作",  # 定价收费
    "C08": "服务产品",  # 产品收益
    "C09": "服务产品",  # 合同条款
    "C10": "违规操作",  # 资金安全
    "C11": "违规操作",  # 信息安全
    "C12": "违规操作",  # 债务催收
}


def test_every_cause_suggests_its_category(county, intake):
    suggestions = IntakeForm(user=county.a_teller).category_suggestions
    names = dict(HandlingCategory.objects.values_list("pk", "name"))
    codes = dict(TaxonomyCode.objects.filter(dimension="C").values_list("pk", "code"))
    got = {codes[cause]: names[cat] for cause, cat in suggestions.items()}
    assert got == EXPECTED  # and C99 其他 suggests nothing: the teller chooses


def test_a_cause_is_typical_of_one_category_only(county, intake):
    attitude = HandlingCategory.objects.get(name="服务态度")
    mistake = HandlingCategory.objects.get(name="工作失误")
    c01 = TaxonomyCode.objects.get(code="C01")
    form = HandlingCategoryForm(
        data={
            "name": mistake.name,
            "name_en": mistake.name_en,
            "complexity": mistake.complexity,
            "ordering": mistake.ordering,
            "typical_causes": [c01.pk],
        },
        instance=mistake,
    )
    assert not form.is_valid()
    assert form.errors["typical_causes"] == [
        f"“{c01.name}”已是处理类别“{attitude.name}”的典型投诉原因。"
    ]
    assert site._registry[HandlingCategory].form is HandlingCategoryForm


@pytest.mark.django_db
def test_review_is_idempotent_and_keeps_other_causes(county, intake):
    from complaints import reference

    product = HandlingCategory.objects.get(name="服务产品")
    c99 = TaxonomyCode.objects.get(code="C99")
    product.typical_causes.add(c99)  # an administrator's own choice
    reference.review_category_causes()
    reference.review_category_causes()
    assert set(product.typical_causes.values_list("code", flat=True)) == {
        "C05",
        "C08",
        "C09",
        "C99",
    }
