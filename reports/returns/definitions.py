"""Loading return definitions shipped as JSON files (``definitions/*.json``): the
standard JR/T 0169-2018 returns, and any file an office's format arrives in."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError

from .spec import spec_errors

STANDARD = Path(__file__).parent / "definitions" / "standard.json"
FIELDS = ("name", "frequency", "spec", "description", "ordering")


def load_definitions(path: Path = STANDARD, *, model=None, replace: bool = False) -> int:
    """Create the file's definitions that do not exist yet (``replace``: overwrite
    them too, undoing edits made in the admin). ``model`` is the historical model in
    a data migration. Returns how many were written; a definition the generator
    could not follow refuses the whole file."""
    if model is None:
        from ..models import ReturnDefinition as model
    items = json.loads(Path(path).read_text(encoding="utf-8"))
    for item in items:
        errors = spec_errors(item.get("spec"))
        if errors or not item.get("slug"):
            raise ValidationError(f"{item.get('slug')}: {'; '.join(errors) or 'no slug'}")
    written = 0
    for item in items:
        values = {f: item[f] for f in FIELDS if f in item}
        if replace:
            model.objects.update_or_create(slug=item["slug"], defaults=values)
            written += 1
        else:
            _obj, created = model.objects.get_or_create(slug=item["slug"], defaults=values)
            written += created
    return written
