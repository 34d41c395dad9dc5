"""The quarterly pack's mediation sheet (纠纷调解): per institution of the area and
per procedure, the cases opened in the quarter and how the ones that ended in it
ended, from ``mediation.selectors`` (the appraisal's figures, one definition).

* 受理: opened (accepted) in the quarter;
* 达成协议: agreements that took effect in the quarter;
* 调解不成 / 一方不同意: ended failed / ended on a party's refusal in the quarter;
* 终结合计: the three endings together (an agreement ends the mediation itself);
* 履行完毕: agreements performed in full in the quarter;
* 司法确认: agreements the court confirmed, decision dated in the quarter.

Rows are the pack's institution rows (``supervision.selectors.board``): for an office,
each bank of its jurisdiction with its subtree; then the root's own level. Only
combinations with something to count are listed, then a total.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from mediation.enums import Procedure
from mediation.selectors import mediation_breakdown

from .builder import INT, NOT_APPLICABLE, PERCENT, Sheet

FIGURES = ("opened", "agreements", "failed", "declined", "performed", "judicial")


def mediation_sheet(wb, title, *, user, quarter, root) -> Sheet:
    """One row per institution row × procedure, then the total (one grouped query
    plus the area's institutions)."""
    from supervision.selectors.board import area_institutions, row_map
    from supervision.selectors.board import board_rows as top_rows

    sheet = Sheet(
        wb,
        title,
        [
            (_("机构"), 34, None),
            (_("调解程序"), 12, None),
            (_("受理"), 10, INT),
            (_("达成协议"), 10, INT),
            (_("调解不成"), 10, INT),
            (_("一方不同意"), 12, INT),
            (_("终结合计"), 10, INT),
            (_("履行完毕"), 10, INT),
            (_("司法确认"), 10, INT),
            (_("调解成功率"), 12, PERCENT),
        ],
    )
    insts = area_institutions(user, root)
    rows = top_rows(user, root)
    row_of_inst = row_map(insts, rows)
    in_area = {i.pk for i in insts} | {root.pk}
    sums: dict[tuple[int, str], list[int]] = {}
    for r in mediation_breakdown(user, start=quarter.start, end=quarter.end):
        inst = r["institution_id"]
        if inst not in in_area:
            continue
        key = (row_of_inst.get(inst, root.pk), r["procedure"])
        acc = sums.setdefault(key, [0] * len(FIGURES))
        for i, name in enumerate(FIGURES):
            acc[i] += r[name]
    names = [(i.pk, i.name) for i in rows]
    names.append((root.pk, _("%(name)s（本级）") % {"name": root.name}))
    total = [0] * len(FIGURES)
    for inst_pk, name in names:
        for procedure, label in Procedure.choices:
            acc = sums.get((inst_pk, procedure))
            if acc is None:
                continue
            sheet.append([name, str(label), *_figures(acc)])
            total = [a + b for a, b in zip(total, acc, strict=True)]
    sheet.append([_("合计"), "", *_figures(total)])
    return sheet


def _figures(acc: list[int]) -> list:
    opened, agreements, failed, declined, performed, judicial = acc
    ended = agreements + failed
    rate = agreements / ended if ended else NOT_APPLICABLE
    return [opened, agreements, failed, declined, agreements + failed + declined, performed,
            judicial, rate]  # fmt: skip
