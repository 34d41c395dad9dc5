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
