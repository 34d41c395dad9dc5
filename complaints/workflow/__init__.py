"""The complaint workflow: one table of what may happen to a complaint, and the one
entry point that performs it.

    registered ──assign──▶ assigned ──start──▶ in_progress ──resolve──▶ resolved
        │  ▲                   │                  │   ▲                    │
        │  └────escalate───────┴──────────────────┘   └─────reopen─────────┤
        ├──refuse──▶ refused                                               │
        └──transfer──▶ transferred                     answered ◀──answer──┘
                                                          │  └──reopen──▶ in_progress
                                                          └──archive──▶ archived

Where each rule lives (and nowhere else):

* **The state graph** — which state each transition leaves from and goes to — is the
  django-fsm ``@transition`` decorators on ``Complaint`` (docs/state-diagram.md is
  drawn from them). They carry no ``conditions`` and no ``permission``: a condition
  there sees only the complaint, not who acts, and can only say yes or no, while our
  rules need the actor (非当事人, "not your own extension request") and must say
  *why* they refuse. So the model's graph is the single guard of *state*, and
* **the action table** (``table.ACTIONS``) says everything else, per action: the
  states it starts from (read from the model's graph for a transition, declared for
  the actions that leave the state alone — urge, extension, re-verification), the
  permission (a django-rules predicate in ``complaints.rules``), the
  preconditions (each returns the refusal or nothing), the function that performs it
  and its lazy label. ``available_actions`` (the page's buttons, the API's
  transitions list) and ``complaint_act`` (the service) both ask ``refusal``, so what
  is offered is exactly what is accepted.

``complaint_act`` is the only code that performs an action on a complaint. Within one
transaction it locks the row (``SELECT … FOR UPDATE``), refuses a stale version, asks
``refusal``, performs, saves the changed fields with the version bumped, writes the
timeline row, and enqueues side effects with ``transaction.on_commit``. A refusal
raises before anything is written.

Other code that writes a complaint after registration, and why it is safe:
``complaints.sweep`` (stamps reminder/overdue/supervision columns under ``SKIP
LOCKED``), ``complaints.deadlines.refresh_provisional`` (replaces a provisional due
time under a row lock) and the historical import (rows it has just created) — each
bumps ``version`` in the same statement, so a form opened before cannot overwrite
their change; none changes ``status`` except the import, which loads a recorded state.
"""

from .service import complaint_act
from .table import ACTIONS, Action, Outcome, available_actions, refusal

__all__ = ["ACTIONS", "Action", "Outcome", "available_actions", "complaint_act", "refusal"]
