from django.core.management import call_command

from institutions.demo import DEMO_PASSWORD, USERS
from institutions.enums import Role
from institutions.models import Institution, User


def _snapshot():
    return (
        sorted(Institution.objects.values_list("code", "path", "regulator__code")),
        sorted(User.objects.values_list("username", "role", "institution__code")),
    )


def test_seed_demo_twice_is_idempotent(db, capsys):
    call_command("seed_demo")
    first = _snapshot()
    call_command("seed_demo")
    assert _snapshot() == first
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    for username, *_ in USERS:
        assert username in out


def test_seed_demo_has_every_role_and_a_hierarchy(db):
    call_command("seed_demo")
    assert set(User.objects.exclude(role="").values_list("role", flat=True)) == set(Role.values)
    assert Institution.objects.filter(kind="regulator").count() == 1
    assert Institution.objects.filter(depth=2).exists()  # branch → sub-branch → outlet
    pbc = Institution.objects.get(kind="regulator")
    assert not Institution.objects.exclude(pk=pbc.pk).exclude(regulator=pbc).exists()
    for username, *_ in USERS:
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)
