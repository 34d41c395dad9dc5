"""Who keeps the working-day calendar and the deadline rules: the office's staff and
system administrators, in the admin. Everyone else only meets the results (due times
on complaints), which need no permission of their own."""

import rules

from institutions.access import is_regulator, is_sysadmin

_MODELS = ("calendarday", "calendaryear", "slaruleset", "slarule", "slarulesetbinding")

for _model in _MODELS:
    for _action in ("view", "add", "change", "delete"):
        rules.add_perm(f"deadlines.{_action}_{_model}", is_sysadmin | is_regulator)
