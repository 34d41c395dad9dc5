"""The admin starts from the same scope as the pages."""

from django.urls import reverse

from publicity.models import Activity, ActivityPhoto
from tests.publicity.factories import ActivityPhotoFactory


def test_regulator_admin_lists_only_jurisdiction_activities(client, county, publicity):
    client.force_login(county.regulator)
    response = client.get(reverse("admin:publicity_activity_changelist"))
    assert response.status_code == 200
    titles = {a.title for a in response.context["cl"].result_list}
    assert titles == {
        "甲一网点户外宣传", "甲一网点阵地宣传", "甲二网点进社区", "甲行广场集中宣传",
        "四月进社区", "乙一网点送知识下乡", "人行主会场",
    }  # fmt: skip


def test_other_county_activity_is_not_found_in_admin(client, county, publicity):
    client.force_login(county.regulator)
    url = reverse("admin:publicity_activity_change", args=[publicity.x1.pk])
    assert client.get(url).status_code == 404  # out of scope: not found, like a missing one


def test_outlet_staff_cannot_use_admin(client, county, publicity):
    client.force_login(county.a_manager)
    response = client.get(reverse("admin:publicity_activity_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_admin_delete_goes_through_service_and_removes_files(
    client, county, publicity, media_root, django_capture_on_commit_callbacks
):
    photo = ActivityPhotoFactory(activity=publicity.p1)
    path = media_root / photo.image.name
    assert path.exists()
    client.force_login(county.regulator)
    url = reverse("admin:publicity_activity_delete", args=[publicity.p1.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Activity.objects.filter(pk=publicity.p1.pk).exists()
    assert not ActivityPhoto.objects.exists()
    assert not path.exists()


def test_activity_resource_exports_chinese_columns(county, publicity):
    from publicity.resources import ActivityResource
    from publicity.rules import activity_list_for_user

    queryset = activity_list_for_user(county.b_manager).prefetch_related("topics", "audiences")
    dataset = ActivityResource().export(queryset=queryset)
    assert dataset.headers[:9] == [
        "宣传活动", "机构代码", "开展机构", "活动名称", "活动日期", "活动形式", "活动地点",
        "宣传主题", "宣传对象",
    ]  # fmt: skip
    assert dataset.headers[9:11] == ["参与员工（人次）", "发放宣传资料（份）"]
    assert len(dataset) == 1
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert row["开展机构"] == "乙银行一号网点"
    assert row["活动形式"] == "进村镇/集市"
    assert row["宣传主题"] == "反假币"
    assert row["发放宣传资料（份）"] == "1000"


def test_admin_export_page_opens_for_regulator(client, county, publicity):
    client.force_login(county.regulator)
    response = client.get(reverse("admin:publicity_activity_export"))
    assert response.status_code == 200
