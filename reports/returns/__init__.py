"""Regulator returns (监管报送): a return definition (reports.models.ReturnDefinition)
says which columns a return has; ``spec`` is its vocabulary and checks, ``periods``
the month or quarter it covers, ``generate`` computes and validates the rows (the
same cohort as the statistics page), ``render`` writes xlsx, CSV or JSON, ``codes``
lists the taxonomy codes still without an official code."""
