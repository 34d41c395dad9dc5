"""The load phase's plan (who signs in, what each person asks for) built from the
seeded data, and its results as Markdown tables.

Sixteen personas, taken in turn by the clients (8 clients: the first eight; 32
clients: each twice, like a second browser tab): the complaint managers at the top
of four banks (lists, filters, searches, details, workbench, board), the city
office's and the provincial office's supervisors (the same, over 86% / all of the
complaints), four tellers registering complaints at four outlets, the four managers
over those outlets assigning them (a transition) as they arrive, and two handlers
working their own queue. The weights make reading the bulk of the traffic, as it is
in a working day; every request type of the issue is in the mix.
"""

from __future__ import annotations

import random
from datetime import timedelta
from urllib.parse import quote

from django.utils import timezone

from bench import seed
from bench.measure import Actors
from institutions import tree
from institutions.enums import Role
from institutions.models import Institution, User

SAMPLE = 2000


def register_form(outlet: Institution) -> dict:
    from complaints.models import HandlingCategory, TaxonomyCode

    category = HandlingCategory.objects.get(name="服务态度")
    business = TaxonomyCode.objects.filter(dimension="B").order_by("code").first()
    cause = TaxonomyCode.objects.filter(dimension="C").order_by("code").first()
    return {
        "intake_source": "phone",
        "kind": "complaint",
        "complainant_name": "赵测试",
        "id_type": "",
        "id_number": "",
        "contact_address": "河北省示范市城关镇幸福路1号",
        "answer_preference": "phone",
        "description": "网点排队时间过长，工作人员态度冷淡",
        "demand": "要求改进服务并道歉",
        "complained_institution": str(outlet.pk),
        "business": str(business.pk),
        "cause": str(cause.pk),
        "category": str(category.pk),
        "confirm_duplicate": "on",
    }


def assign_form(outlet: Institution, handler: User) -> dict:
    return {
        "version": "1",
        "institution": str(outlet.pk),
        "handler": str(handler.pk),
        "note": "请按时限办理",
    }


def _reads(scope, rnd: random.Random) -> dict[str, list[str]]:
    """Detail pages and search terms from the newest complaints in a scope (recent
    complaints are the ones people open), filters with values from the data."""
    from complaints.models import TaxonomyCode

    rows = list(
        scope.order_by("-received_at").values_list(
            "pk", "complainant_phone", "complainant_name", "tracking_no"
        )[:SAMPLE]
    )
    rows = rnd.sample(rows, min(len(rows), 200))
    businesses = list(
        TaxonomyCode.objects.filter(dimension="B").order_by("code").values_list("pk", flat=True)
    )[:6]
    since = (timezone.localdate() - timedelta(days=90)).isoformat()
    searches = []
    for _pk, phone, name, tracking in rows[:60]:
        # A name is searched by prefix: the surname and first given character.
        searches += [f"/complaints/?q={quote(t)}" for t in (phone, name[:2], tracking) if t]
    return {
        "list": ["/complaints/", "/complaints/?page=2", "/complaints/?page=20"],
        "filtered": [
            "/complaints/?status=assigned&status=in_progress&overdue=on",
            "/complaints/?status=answered",
            f"/complaints/?date_from={since}",
            *(f"/complaints/?business={b}" for b in businesses),
        ],
        "search": searches or ["/complaints/?q=13800000000"],
        "detail": [f"/complaints/{r[0]}/" for r in rows] or ["/complaints/"],
    }


def personas(a: Actors, seed_value: int = 1) -> list[dict]:
    """The sixteen personas in the order clients take them. Every page a persona
    asks for is one it may see (its scope is the list's own scoping selector), so an
    error in the table is the server's, not the plan's."""
    from complaints.selectors import complaint_list_for_user as visible

    rnd = random.Random(seed_value)  # noqa: S311 - load mix
    login = {"password": seed.PASSWORD}

    def reader(name: str, user: User, scope, weights: dict[str, int]) -> dict:
        paths = _reads(scope, rnd)
        mix = [[kind, w, {"paths": paths[kind]}] for kind, w in weights.items() if kind in paths]
        mix += [["home", weights["home"], {"paths": ["/"]}]]
        if "board" in weights:
            mix += [["board", weights["board"], {"paths": ["/supervision/"]}]]
        return {"name": name, "username": user.username, **login, "mix": mix}

    staff_weights = {
        "list": 20,
        "filtered": 20,
        "search": 15,
        "detail": 25,
        "home": 10,
        "board": 10,
    }
    office_weights = {
        "list": 15,
        "filtered": 20,
        "search": 15,
        "detail": 20,
        "home": 10,
        "board": 20,
    }
    managers = []
    for code in ("ICBC", "ABC", "CCB", "BOC"):
        bank = Institution.objects.get(code=code)
        user = User.objects.filter(institution=bank, role=Role.MANAGER).order_by("pk").first()
        scope = visible(user).filter(tree.subtree_q(bank, "handling_institution"))
        managers.append(reader(f"manager {code}", user, scope, staff_weights))
    offices = [a.regulator]
    province = (
        (User.objects.filter(role=Role.REGULATOR).exclude(institution=a.regulator.institution))
        .order_by("pk")
        .first()
    )
    if province is not None:
        offices.append(province)
    regulators = [
        reader(f"supervisor {u.institution.code}", u, visible(u), office_weights) for u in offices
    ]
    tellers, assigners, handlers = [], [], []
    for i, (teller, assigner, handler, outlet) in enumerate(
        zip(a.tellers, a.assigners, a.handlers, a.outlets, strict=True)
    ):
        outlet_scope = visible(assigner).filter(tree.subtree_q(outlet, "handling_institution"))
        paths = _reads(outlet_scope, rnd)
        tellers.append(
            {
                "name": f"teller {i}",
                "username": teller.username,
                **login,
                "mix": [
                    ["register", 50, {"form": register_form(outlet), "outlet": outlet.pk}],
                    ["home", 20, {"paths": ["/"]}],
                    ["list", 20, {"paths": paths["list"][:1]}],
                    ["search", 10, {"paths": paths["search"]}],
                ],
            }
        )
        assigners.append(
            {
                "name": f"assigner {i}",
                "username": assigner.username,
                **login,
                "mix": [
                    ["transition", 40, {"form": assign_form(outlet, handler), "outlet": outlet.pk}],
                    ["list", 20, {"paths": paths["list"]}],
                    ["home", 20, {"paths": ["/"]}],
                    ["detail", 20, {"paths": paths["detail"]}],
                ],
            }
        )
        mine = visible(handler).filter(handler=handler)
        handlers.append(
            {
                "name": f"handler {i}",
                "username": handler.username,
                **login,
                "mix": [
                    ["home", 30, {"paths": ["/"]}],
                    ["list", 30, {"paths": ["/complaints/?mine=on"]}],
                    ["detail", 40, {"paths": _reads(mine, rnd)["detail"]}],
                ],
            }
        )
    order: list[dict] = []
    for i in range(4):
        order += [managers[i], regulators[i % len(regulators)], tellers[i], assigners[i]]
    # Two handlers take the places of the repeated supervisors at positions 9 and 13.
    order[9], order[13] = handlers[0], handlers[1]
    return order


# --- results as Markdown --------------------------------------------------------------------

KINDS = ("list", "filtered", "search", "detail", "home", "board", "register", "transition")


def markdown(load: dict) -> str:
    """The load tables: one row per level, then one per level and request type."""
    levels = load["levels"]
    best = max((lv["rps"] or 0) for lv in levels) or 1
    lines = [
        f"Load: {load['complaints']:,} complaints; gunicorn {load['workers']} workers × "
        f"{load['threads']} threads ({load['config']}); closed loop, no think time, "
        f"{load['seconds']} s per level after {load['warmup']} s warm-up; "
        f"`{load['command']}`; {load['when']}.",
        "",
        "| clients | requests | req/s | % of best | errors |",
        "|---:|---:|---:|---:|---|",
    ]
    for lv in levels:
        errors = (
            f"{lv['errors']} ({', '.join(f'{k}: {v}' for k, v in lv['error_kinds'].items())})"
            if lv["errors"]
            else "0"
        )
        lines.append(
            f"| {lv['clients']} | {lv['requests']:,} | {lv['rps']} | "
            f"{100 * (lv['rps'] or 0) / best:.0f}% | {errors} |"
        )
    lines += [
        "",
        "| clients | request | n | p50 ms | p95 ms | max ms |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for lv in levels:
        for kind in KINDS:
            k = lv["kinds"].get(kind)
            if k:
                lines.append(
                    f"| {lv['clients']} | {kind} | {k['n']:,} | {k['p50_ms']} | "
                    f"{k['p95_ms']} | {k['max_ms']} |"
                )
    return "\n".join(lines) + "\n"
