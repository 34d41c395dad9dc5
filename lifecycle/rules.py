"""Who may do what in the data lifecycle.

* The retention policy and runs are the **system administrators'** (and superusers').
* Legal holds are placed and lifted by a system administrator or the **supervising
  office** (a regulator) on a complaint it can see.
* PIPL requests are recorded and answered by a system administrator or the office.
"""

from __future__ import annotations

import rules

from complaints.rules import can_see_complaint
from institutions.access import is_regulator, is_sysadmin


@rules.predicate
def can_run_retention(user) -> bool:
    return bool(user.is_authenticated and user.is_active and is_sysadmin(user))


def can_manage_holds(user, complaint=None) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if is_sysadmin(user):
        return True
    return bool(is_regulator(user) and (complaint is None or can_see_complaint(user, complaint)))


@rules.predicate
def can_manage_pipl_requests(user) -> bool:
    return bool(
        user.is_authenticated and user.is_active and (is_sysadmin(user) or is_regulator(user))
    )


rules.add_perm("lifecycle.view_retentionpolicy", can_run_retention)
rules.add_perm("lifecycle.change_retentionpolicy", can_run_retention)
rules.add_perm("lifecycle.view_retentionrun", can_run_retention)
rules.add_perm("lifecycle.add_retentionrun", can_run_retention)
rules.add_perm("lifecycle.view_retentionbatch", can_run_retention)
rules.add_perm("lifecycle.view_anonymisation", can_run_retention)
rules.add_perm("lifecycle.view_legalhold", rules.predicate(lambda u: can_manage_holds(u)))
rules.add_perm("lifecycle.add_legalhold", rules.predicate(lambda u: can_manage_holds(u)))
rules.add_perm("lifecycle.change_legalhold", rules.predicate(lambda u: can_manage_holds(u)))
rules.add_perm("lifecycle.view_piplrequest", can_manage_pipl_requests)
rules.add_perm("lifecycle.add_piplrequest", can_manage_pipl_requests)
rules.add_perm("lifecycle.change_piplrequest", can_manage_pipl_requests)
