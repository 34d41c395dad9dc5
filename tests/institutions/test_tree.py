from institutions import tree
from institutions.models import Institution
from tests.institutions.factories import InstitutionFactory


def test_path_and_depth_follow_parent(county):
    assert county.a_out1.path.startswith(county.bank_a.path)
    assert county.bank_a.depth == 0
    assert county.a_out1.depth == 1
    assert set(Institution.objects.subtree_of(county.bank_a).values_list("code", flat=True)) == {
        "BANK-A",
        "A-OUT1",
        "A-OUT2",
    }


def test_children_inherit_regulator(county):
    assert county.a_out1.regulator == county.pbc
    deep = InstitutionFactory(code="DEEP", parent=county.a_out1)
    assert deep.regulator == county.pbc


def test_moving_a_node_moves_its_subtree(county):
    leaf = InstitutionFactory(code="LEAF", parent=county.a_out1)
    county.a_out1.parent = county.bank_b
    county.a_out1.save()
    leaf.refresh_from_db()
    assert leaf.path.startswith(county.bank_b.path)
    assert leaf.depth == 2
    assert set(Institution.objects.subtree_of(county.bank_b).values_list("code", flat=True)) == {
        "BANK-B",
        "B-OUT1",
        "A-OUT1",
        "LEAF",
    }


def test_subtree_query_is_one_statement(county, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(Institution.objects.subtree_of(county.bank_a))


def test_moving_a_branch_to_another_office_s_bank_moves_its_jurisdiction(county):
    """``regulator`` follows the tree: a branch moved under a bank of the other
    office leaves the old office's jurisdiction, with everything below it."""
    leaf = InstitutionFactory(code="LEAF", parent=county.a_out1)
    county.a_out1.parent = county.bank_x
    county.a_out1.save()
    leaf.refresh_from_db()
    county.a_out1.refresh_from_db()
    assert county.a_out1.regulator == county.other_pbc
    assert leaf.regulator == county.other_pbc
    in_old = set(Institution.objects.in_jurisdiction_of(county.pbc).values_list("code", flat=True))
    assert {"A-OUT1", "LEAF"}.isdisjoint(in_old)


def test_a_top_bank_changing_office_takes_its_subtree_along(county):
    bank = Institution.objects.get(pk=county.bank_a.pk)
    bank.regulator = county.other_pbc
    bank.save()
    codes = set(
        Institution.objects.in_jurisdiction_of(county.other_pbc).values_list("code", flat=True)
    )
    assert {"BANK-A", "A-OUT1", "A-OUT2"} <= codes


def test_a_node_below_a_parent_cannot_name_another_office(county):
    """The admin shows the field; clean() puts the inherited office back."""
    out = Institution.objects.get(pk=county.a_out1.pk)
    out.regulator = county.other_pbc
    out.full_clean()
    assert out.regulator == county.pbc
    out.regulator = county.other_pbc
    out.save()
    out.refresh_from_db()
    assert out.regulator == county.pbc


def test_tree_api(county):
    a1 = county.a_out1
    assert tree.ancestor_ids(a1) == [county.bank_a.pk, a1.pk]
    assert tree.is_within(a1, county.bank_a)
    assert not tree.is_within(county.bank_a, a1)
    assert tree.nearest_of(a1, {a1.pk, county.bank_a.pk}) == county.bank_a.pk
    assert tree.supervising_office_id(a1) == county.pbc.pk
    assert tree.supervising_office_id(county.pbc) == county.pbc.pk
    assert set(tree.managers_over(a1)) == {county.a_manager}
    assert set(tree.managers_within(county.bank_a)) == {county.a_manager}
    assert set(tree.office_supervisors(a1)) == {county.regulator}
    area = Institution.objects.filter(tree.area_q(county.pbc))
    assert county.bank_x not in area
    assert county.b_out1 in area
    up_and_down = set(
        Institution.objects.filter(tree.ancestors_or_subtree_q(a1)).values_list("code", flat=True)
    )
    assert up_and_down == {"BANK-A", "A-OUT1"}


def test_no_path_parsing_outside_the_tree_module():
    """The tree's storage is known to one module (issue 23): a new ``path__startswith``
    or ``path.split`` elsewhere fails here."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"path__startswith|\.path\.split\(|\.path\.startswith\(")
    offenders = [
        str(p.relative_to(root))
        for p in root.glob("*/**/*.py")
        if p.parts[len(root.parts)] not in {".venv", "tests", "var", "staticfiles"}
        and "migrations" not in p.parts
        and p.name != "tree.py"
        and pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []
