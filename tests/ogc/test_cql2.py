"""The CQL2-text parser: what it accepts, what it refuses (always an InputError), and
that SQL and Python evaluation agree."""

import random

import pytest

from tryggnav.lib.errors import InputError
from tryggnav.ogc import cql2

Q = cql2.Queryable
QUERYABLES = {
    "category": Q("string", "Kategori"),
    "status": Q("string", "Status", ("submitted", "reviewed")),
    "count": Q("integer", "Antal"),
    "z": Q("number", "z"),
    "alert": Q("boolean", "Larm"),
}


@pytest.mark.parametrize(
    ("text", "props", "expected"),
    [
        ("category = 'klotter'", {"category": "klotter"}, True),
        ("category='klotter'", {"category": "brand"}, False),
        ("category <> 'klotter'", {"category": "brand"}, True),
        ("count >= 3 AND count < 5", {"count": 4}, True),
        ("count >= 3 and count < 5", {"count": 5}, False),
        ("count > 1 OR alert = TRUE", {"count": 0, "alert": True}, True),
        ("NOT (count <= 2)", {"count": 3}, True),
        ("\"category\" = 'it''s'", {"category": "it's"}, True),
        ("z > -1.5e0", {"z": -1.0}, True),
        ("category IS NULL", {"category": None}, True),
        ("category IS NOT NULL", {"category": None}, False),
        ("count = 3", {"count": None}, False),
        (
            "status = 'reviewed' AND (count = 1 OR count = 2)",
            {"status": "reviewed", "count": 2},
            True,
        ),
    ],
)
def test_parses_and_evaluates(text, props, expected):
    assert cql2.matches(cql2.parse(text, QUERYABLES), props) is expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "tomt"),
        ("colour = 'red'", "Okänd egenskap 'colour'"),
        ("count = 'three'", "fel sorts värde"),
        ("count = 1.5", "fel sorts värde"),
        ("status = 'lost'", "inget värde för 'status'"),
        ("category = 'x' category = 'y'", "Oväntat"),
        ("category = ", "slutar för tidigt"),
        ("category == 'x'", "Ett värde väntades"),
        ("(count = 1", "slutar för tidigt"),
        ("count = 1)", "Oväntat"),
        ("category LIKE 'k%'", "En jämförelse"),
        ("category = 'x' AND", "slutar för tidigt"),
        ("count = 1; DROP TABLE x", "kan inte läsas"),
        ("__import__('os') = 1", "Okänd egenskap"),
        ("category = 'unterminated", "kan inte läsas"),
        ("alert = 1", "fel sorts värde"),
        ("count = TRUE", "fel sorts värde"),
        ("(" * 30 + "count = 1" + ")" * 30, "nästlat"),
        ("category = '" + "x" * 3000 + "'", "längre än"),
    ],
)
def test_refuses_bad_filters_clearly(text, says):
    with pytest.raises(InputError) as caught:
        cql2.parse(text, QUERYABLES)
    assert says in caught.value.problems[0].sv
    assert caught.value.problems[0].field == "filter"


def test_random_input_is_an_input_error_or_a_tree():
    """Arbitrary strings of the grammar's characters never raise anything else."""
    alphabet = list("ab_ '\"()=<>!-.0123456789") + [
        "AND ",
        "OR ",
        "NOT ",
        "IS ",
        "NULL ",
        "count",
        "category",
        "TRUE",
    ]
    rng = random.Random(15)
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 25)))
        try:
            node = cql2.parse(text, QUERYABLES)
        except InputError:
            continue
        cql2.matches(node, {"count": 1, "category": "a"})


@pytest.mark.django_db
def test_sql_and_python_agree(world):
    """The same filter through to_q on incidents and through matches on their properties."""
    from tests.incidents.conftest import ensure_categories, report
    from tryggnav.incidents.models import Incident

    cats = ensure_categories()
    report(world, category=cats["klotter"], status=Incident.Status.REVIEWED)
    report(world, category=cats["anlagd-brand"])
    report(world, category=cats["klotter"], precision=Incident.Precision.MUNICIPALITY, point=None)
    queryables = {
        "category": Q("string", "c"),
        "status": Q("string", "s"),
        "precision": Q("string", "p"),
    }
    fields = {"category": "category__slug", "status": "status", "precision": "precision"}
    for text in [
        "category = 'klotter'",
        "category <> 'klotter' OR status = 'reviewed'",
        "NOT (precision = 'exact') AND category = 'klotter'",
        "status < 't'",
    ]:
        node = cql2.parse(text, queryables)
        in_sql = set(Incident.objects.filter(cql2.to_q(node, fields)).values_list("pk", flat=True))
        in_python = {
            i.pk
            for i in Incident.objects.select_related("category")
            if cql2.matches(
                node, {"category": i.category.slug, "status": i.status, "precision": i.precision}
            )
        }
        assert in_sql == in_python, text
