from tests.complaints.conftest import calendar, categories, intake, taxonomy  # noqa: F401
