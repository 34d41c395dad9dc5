"""Reads of the regulator's desk. Plain functions returning querysets or dataclasses;
the quarterly report and the appraisal call them too (signatures in
docs/supervision.md). Every query starts from the access policy.

* ``board``: the supervision board, its drill-down, major complaints, overdue urges;
* ``statistics``: the figures of a period and their comparison with the previous one;
* ``archive``: typical cases, circulations and read receipts, enforcement cases.
"""

from .archive import (
    CirculationStatus,
    ComplaintSupervision,
    InstitutionCount,
    LibraryFilters,
    MaskedParty,
    circulation_status,
    complaint_supervision,
    enforcement_cases,
    enforcement_counts,
    masked_party,
    read_receipt_for,
    typical_case_detail,
    typical_case_library,
    unread_circulated_count,
)
from .board import (
    METRICS,
    Board,
    BoardCounts,
    BoardRow,
    Metric,
    area_q,
    board_complaints,
    board_root,
    board_rows,
    major_complaints,
    major_q,
    metric,
    overdue_urges,
    supervision_board,
)
from .statistics import (
    Bucket,
    ComparedBucket,
    ComparedFigure,
    Statistics,
    StatisticsComparison,
    complaint_statistics,
    period_complaints,
    previous_period,
    quarter_bounds,
    statistics_compared,
)

__all__ = [
    "METRICS",
    "Board",
    "BoardCounts",
    "BoardRow",
    "Bucket",
    "CirculationStatus",
    "ComparedBucket",
    "ComparedFigure",
    "ComplaintSupervision",
    "InstitutionCount",
    "LibraryFilters",
    "MaskedParty",
    "Metric",
    "Statistics",
    "StatisticsComparison",
    "area_q",
    "board_complaints",
    "board_root",
    "board_rows",
    "circulation_status",
    "complaint_statistics",
    "complaint_supervision",
    "enforcement_cases",
    "enforcement_counts",
    "major_complaints",
    "major_q",
    "masked_party",
    "metric",
    "overdue_urges",
    "period_complaints",
    "previous_period",
    "quarter_bounds",
    "read_receipt_for",
    "statistics_compared",
    "supervision_board",
    "typical_case_detail",
    "typical_case_library",
    "unread_circulated_count",
]
