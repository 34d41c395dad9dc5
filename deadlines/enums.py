from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarSource(models.TextChoices):
    """Where a calendar fact came from, so a reseed from the package never overwrites
    what an administrator imported or typed in."""

    PACKAGE = "package", _("chinese-calendar 软件包")
    IMPORT = "import", _("导入")
    MANUAL = "manual", _("手工录入")


class DayUnit(models.TextChoices):
    WORKING_DAY = "working_day", _("工作日")
    CALENDAR_DAY = "calendar_day", _("自然日")


class RuleComplexity(models.TextChoices):
    """The complexities a rule can apply to. ``simple``/``complex`` are the codes of
    ``complaints.enums.Complexity``; ``any`` is a rule for both (e.g. 银监发〔2012〕13号
    sets one limit whatever the complexity)."""

    SIMPLE = "simple", _("一般投诉")
    COMPLEX = "complex", _("复杂投诉")
    ANY = "any", _("不区分")


class IntakeSource(models.TextChoices):
    """How a complaint reached us (intake-sources.csv); not JR/T dimension A.

    Defined here, in the lower app, because deadline rule sets are bound to intake
    channels; ``complaints.enums`` re-exports it."""

    PHONE = "phone", _("电话")
    BOOK = "book", _("意见簿(箱)")
    WALK_IN = "walk_in", _("上门")
    LETTER = "letter", _("信件")
    ONLINE = "online", _("网络")
    MEDIA = "media", _("媒体")
    GOVERNMENT = "government", _("政府部门转来")
    REGULATOR = "regulator", _("监管转办")
    # The office's own hotlines (recorded by the office, then dispatched).
    HOTLINE_12363 = "hotline_12363", _("12363 热线")
    HOTLINE_12378 = "hotline_12378", _("12378 热线")
