"""Migration 0014 stores the complainants' phones already in the database as the
intake now does (digits), so a search finds old complaints too."""

import importlib

from django.apps import apps
from django.urls import reverse

from complaints.models import Complaint
from tests.complaints.helpers import register

migration = importlib.import_module("complaints.migrations.0014_normalize_complainant_phones")


def test_old_phones_become_digits_and_their_version_moves(client, county, intake):
    old = {
        "0319-6921234": "03196921234",
        "138 1234 0001": "13812340001",
        "0319-6921234-801": "03196921234-801",
        "不详": "不详",  # not a phone: left alone
    }
    complaints = {}
    for typed in old:
        c = register(county, intake(complainant_phone="13800000000", confirm_duplicate=True))
        Complaint.objects.filter(pk=c.pk).update(complainant_phone=typed)
        complaints[typed] = c
    migration.forwards(apps, None)
    for typed, stored in old.items():
        c = Complaint.objects.get(pk=complaints[typed].pk)
        assert c.complainant_phone == stored
        assert c.version == complaints[typed].version + (typed != stored)
    client.force_login(county.a_manager)
    page = client.get(reverse("complaints:list"), {"q": "0319 6921234"}).content.decode()
    assert complaints["0319-6921234"].tracking_no in page
