"""The office's appraisal tables in the admin, one module per concern: ``grades``,
``schemes`` (schemes, sections, indicators), ``periods`` (the list, the overview and
the workflow pages), ``sheets`` and ``sheet_lines`` (one institution's sheet with
its scores and evidence), ``scores`` (the list, import and export), ``follow_up``
(self-assessments, inspections, the log); ``forms`` holds their forms. Importing
the package registers every admin.

Every page starts from ``evaluation.rules`` (the periods of the user's own office,
and whether a scheme or a sheet is still editable); every write goes through
``evaluation.services``: the score sheet's inline calls ``score_record`` per changed
line, the key-supervision fields call ``key_supervision_decide``, the period pages
and actions call ``period_recompute`` / ``period_publish`` / ``period_create_next``.
A published period is read-only.
"""

from . import follow_up, grades, periods, schemes, scores, sheets

__all__ = ["follow_up", "grades", "periods", "schemes", "scores", "sheets"]
