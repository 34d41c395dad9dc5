"""Loading reference data: the calendar from the chinese-calendar package and the
rule sets from ``deadlines/data``.

Both loaders are idempotent and never overwrite what an administrator changed: a
reseed touches only rows whose source is the package, and ``load_sla_rules`` only
creates what is missing unless told to update. They take the model classes as
arguments so that the data migrations can run them on historical models, and the
management commands (``seed_calendar``, ``load_sla_rules``) on the real ones.
"""

from __future__ import annotations

import csv
import datetime
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

DATA_DIR = Path(__file__).resolve().parent / "data"

#: The name stored for a make-up working day (a weekend day worked in exchange).
MAKEUP_WORKDAY_NAME = "调休上班"

# chinese-calendar's own short names, made the ones printed on the published schedule.
_FULL_HOLIDAY_NAMES = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}

PACKAGE = "package"  # CalendarSource.PACKAGE, spelled out for historical models


# --- Calendar ------------------------------------------------------------------------


@dataclass
class CalendarSeedResult:
    first_year: int
    last_year: int
    created: int = 0
    updated: int = 0
    deleted: int = 0
    years_marked: list[int] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted or self.years_marked)


def package_calendar() -> tuple[range, dict[datetime.date, tuple[bool, str]]]:
    """The years chinese-calendar covers and its non-ordinary days, as
    ``{date: (is_workday, name)}``: every day of a statutory holiday (weekends inside
    the span included, so the whole holiday is visible) and every make-up workday.

    This is the only place that imports the package: it raises for the years it does
    not cover, so it is read when seeding, never when computing a deadline.
    """
    import chinese_calendar

    days: dict[datetime.date, tuple[bool, str]] = {}
    for day, english in chinese_calendar.holidays.items():
        chinese = chinese_calendar.Holiday(english).chinese
        days[day] = (False, _FULL_HOLIDAY_NAMES.get(chinese, chinese))
    for day in chinese_calendar.workdays:
        days[day] = (True, MAKEUP_WORKDAY_NAME)
    years = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)
    return years, days


def seed_calendar(
    *, day_model: Any = None, year_model: Any = None, revision_model: Any = None
) -> CalendarSeedResult:
    """Store the package's calendar and mark its years loaded.

    Creates missing days; corrects or deletes rows that came from the package when a
    newer package disagrees; leaves rows an administrator imported or entered alone,
    and years they marked. Running it twice changes nothing the second time.
    """
    if day_model is None:
        from .models import CalendarDay, CalendarRevision, CalendarYear

        day_model, year_model, revision_model = CalendarDay, CalendarYear, CalendarRevision
    import chinese_calendar

    years, days = package_calendar()
    result = CalendarSeedResult(first_year=years.start, last_year=years.stop - 1)
    now = timezone.now()
    with transaction.atomic():
        existing = {
            row.date: row
            for row in day_model.objects.filter(
                date__gte=datetime.date(years.start, 1, 1),
                date__lte=datetime.date(years.stop - 1, 12, 31),
            )
        }
        to_create, to_update = [], []
        for day, (workday, name) in sorted(days.items()):
            row = existing.get(day)
            if row is None:
                to_create.append(day_model(date=day, is_workday=workday, name=name, source=PACKAGE))
            elif row.source == PACKAGE and (row.is_workday, row.name) != (workday, name):
                row.is_workday, row.name, row.modified_at = workday, name, now
                to_update.append(row)
        stale = [
            row.pk for day, row in existing.items() if row.source == PACKAGE and day not in days
        ]
        day_model.objects.bulk_create(to_create, batch_size=500)
        day_model.objects.bulk_update(
            to_update, ["is_workday", "name", "modified_at"], batch_size=500
        )
        day_model.objects.filter(pk__in=stale).delete()
        result.created, result.updated, result.deleted = len(to_create), len(to_update), len(stale)

        note = f"chinese-calendar {chinese_calendar.__version__}"
        marked_years = {y.year: y for y in year_model.objects.filter(year__in=years)}
        for year in years:
            row = marked_years.get(year)
            if row is None:
                year_model.objects.create(year=year, loaded=True, source=PACKAGE, note=note)
                result.years_marked.append(year)
            elif row.source == PACKAGE and not row.loaded:
                row.loaded, row.note = True, note
                row.save(update_fields=["loaded", "note", "modified_at"])
                result.years_marked.append(year)

        if result.changed:
            # bulk writes send no signals: change the revision token ourselves.
            revision_model.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})
    return result


# --- Rule sets -----------------------------------------------------------------------

#: The approvers named in sla-rule-sets.csv, as roles of institutions.enums.Role. Our
#: roles have no "senior management"; the parent institution's complaint manager is
#: the closest, and the original wording is kept in the rule's note.
APPROVER_ROLES = {
    "": "manager",
    "institution complaint manager": "manager",
    "senior management of the parent institution or head office": "manager",
}


@dataclass
class RuleLoadResult:
    sets_created: int = 0
    sets_updated: int = 0
    rules_created: int = 0
    rules_updated: int = 0


def _read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as f:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


def rule_rows() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rule sets and rules in ``deadlines/data`` as model field values.

    ``sla-rule-sets.csv`` is a verbatim copy of ``shared/data/sla-rule-sets.csv``
    (so a diff shows any change upstream); names and descriptions of the sets are in
    ``sla-rule-set-names.csv``.
    """
    sets = [
        {
            "code": row["code"],
            "name": row["name"],
            "description": row["description"],
            "is_default": row["is_default"] == "1",
        }
        for row in _read_csv("sla-rule-set-names.csv")
    ]
    rules = []
    instrument = ""
    for row in _read_csv("sla-rule-sets.csv"):
        approver, source = row["extension_approver"], row["source"]
        # "same: …" in the file refers to the previous row's instrument.
        if source.startswith("same:"):
            source = instrument + source.removeprefix("same")
        instrument = source.split(":", 1)[0]
        note = source + (f"；延期审批：{approver}" if approver else "")
        rules.append(
            {
                "rule_set": row["rule_set"],
                "complexity": row["complexity"],
                "unit": row["unit"],
                "base_days": int(row["base_days"]),
                "first_extension_days": int(row["first_extension_days"] or 0),
                "second_extension_days": int(row["second_extension_days"] or 0),
                "extension_approver": APPROVER_ROLES[approver],
                "close_of_business": datetime.time(17, 0),
                "note": note[:300],
            }
        )
    return sets, rules


def load_sla_rules(
    *, rule_set_model: Any = None, rule_model: Any = None, update: bool = False
) -> RuleLoadResult:
    """Create the rule sets and rules of ``deadlines/data`` that are missing.

    Existing rows are what administrators made of them and stay as they are, unless
    ``update`` is set: then the file's values overwrite them (and the file's default
    set becomes the default). Rules an administrator added are never deleted.
    """
    if rule_set_model is None:
        from .models import SlaRule, SlaRuleSet

        rule_set_model, rule_model = SlaRuleSet, SlaRule
    sets, rules = rule_rows()
    result = RuleLoadResult()
    with transaction.atomic():
        by_code = {}
        has_default = rule_set_model.objects.filter(is_default=True).exists()
        for values in sets:
            code, is_default = values["code"], values["is_default"]
            obj = rule_set_model.objects.filter(code=code).first()
            if obj is None:
                obj = rule_set_model.objects.create(
                    code=code,
                    name=values["name"],
                    description=values["description"],
                    is_default=is_default and not has_default,
                )
                has_default = has_default or obj.is_default
                result.sets_created += 1
            elif update:
                if is_default:
                    rule_set_model.objects.exclude(pk=obj.pk).update(is_default=False)
                obj.name, obj.description, obj.is_default = (
                    values["name"],
                    values["description"],
                    is_default,
                )
                obj.save()
                result.sets_updated += 1
            by_code[code] = obj
        for values in rules:
            values = dict(values)
            rule_set = by_code[values.pop("rule_set")]
            obj, created = rule_model.objects.get_or_create(
                rule_set=rule_set, complexity=values["complexity"], defaults=values
            )
            if created:
                result.rules_created += 1
            elif update:
                for name, value in values.items():
                    setattr(obj, name, value)
                obj.save()
                result.rules_updated += 1
    return result
