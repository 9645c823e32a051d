"""How the sample-data generator fills each activity type (after the header it shares).

One builder per activity form (`ACTIVITIES`, tests check there is one for each): it gets the
generator state (`fieldapp.sampledata.households`), the household the activity is about and the
activity's date, makes any outside person it needs (a neighbour, a notable, an ex-husband) and
returns the type's fields, following the rules of its form (referrals carry a body and a number,
reconciliations a signed pledge and a follow-up date 14-30 days on, serious violence is always
referred). `fieldapp.sampledata.generator` drives the builders; they never import it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, NamedTuple

from fieldapp.sampledata.households import SampleGenerator, SampleHousehold, SamplePerson, fill

Builder = Callable[[SampleGenerator, SampleHousehold, datetime.date], dict[str, Any]]


class Activity(NamedTuple):
    """How to make one activity type, and how often it comes up after a household's first."""

    build: Builder
    weight: int


_REFERRAL_OUTCOMES = {
    "referral_family_protection": "family_protection",
    "referral_court": "court",
    "referral_juvenile": "juvenile",
    "referral_health": "health",
    "shelter": "shelter",
    "referral_police_station": "police_station",
    "referral_cybercrime": "cybercrime",
}


def _referral(
    g: SampleGenerator, h: SampleHousehold, body: str, day: datetime.date
) -> dict[str, Any]:
    return {
        "referral_body": fill(g.phrases.referral_bodies[body], g.ctx(h)),
        "referral_ref": g.ref_number(day),
    }


def _after(day: datetime.date, low: int, high: int, g: SampleGenerator) -> str:
    return (day + datetime.timedelta(days=g.rng.randint(low, high))).isoformat()


def _settled_status(g: SampleGenerator, day: datetime.date, outcome: str) -> str:
    """Reconciliations wait 14 days before closing; unresolved cases stay open."""
    if outcome == "unresolved":
        return "open"
    if outcome == "under_follow_up" or (g.today - day).days < 14:
        return "follow_up"
    return g.rng.choice(("closed", "closed", "follow_up"))


def _minor(*people: SamplePerson | None) -> bool | None:
    return True if any(p is not None and p.age < 18 for p in people) else None


def _home_visit(g: SampleGenerator, h: SampleHousehold, day: datetime.date) -> dict[str, Any]:
    reason = g.rng.choice(g.choice_keys("home_visit", "reason"))
    action = g.rng.choices(("advice", "aid", "referral"), weights=(6, 3, 2))[0]
    earlier = [i for ids in h.activity_ids.values() for i in ids]
    aftercare = reason == "follow_up" and bool(earlier) and g.chance(0.7)
    ctx = g.ctx(h)
    return {
        "household_id": h.id,
        "reason": reason,
        "aftercare": True if aftercare else None,
        "related_record_id": g.rng.choice(earlier) if aftercare else None,
        "household_size": len(h.members),
        "vulnerabilities": h.vulnerabilities or None,
        "needs": g.subset(g.choice_keys("home_visit", "needs"), 0, 3) or None,
        "observations": g.paragraph(
            ctx,
            g.phrases.home_visit_openings[3 if aftercare else g.rng.randint(0, 2)],
            *g.rng.sample(g.phrases.home_visit_body, g.rng.randint(2, 4)),
            g.phrases.home_visit_closings,
        ),
        "action": action,
        **(_referral(g, h, "social_care", day) if action == "referral" else {}),
        "next_visit_date": _after(day, 7, 30, g) if g.chance(0.6) else None,
        "notes": g.paragraph(ctx, g.phrases.filler) if g.chance(0.3) else None,
    }


def _dispute_parties(
    g: SampleGenerator, h: SampleHousehold, kind: str
) -> tuple[str, SamplePerson, SamplePerson]:
    """The dispute's type and its two parties, the type changed if the family cannot have it."""
    wife, head = h.spouse(), h.head
    adults = [c for c in h.children() if c.age >= 16]
    if kind == "spousal" and wife is not None:
        return kind, wife, head
    if kind in ("siblings", "inheritance") and len(adults) >= 2:
        a, b = g.rng.sample(adults, 2)
        return kind, a, b
    if kind == "alimony_custody":
        mother = wife or head
        ex = g.outsider(h.place, "male", max(mother.age, 22), mother.age + 12, "second_party")
        return kind, mother, ex
    sons = [c for c in h.children() if c.sex == "male" and c.age >= 12]
    if sons:
        return "parents_children", head, g.rng.choice(sons)
    return "other", head, g.rng.choice(h.children())


def _family_dispute(g: SampleGenerator, h: SampleHousehold, day: datetime.date) -> dict[str, Any]:
    kind, p1, p2 = _dispute_parties(
        g, h, g.rng.choice(g.choice_keys("family_dispute", "dispute_type"))
    )
    violence = g.rng.choices(
        ("none", "verbal", "minor_physical", "serious_physical"), weights=(3, 4, 2, 1)
    )[0]
    minor = _minor(p1, p2)
    referrals = ["referral_family_protection", "referral_court", "referral_health", "shelter"]
    if minor:
        referrals.append("referral_juvenile")
    if violence == "serious_physical":
        outcome = g.rng.choice(referrals)
    else:
        outcome = g.rng.choices(
            ("reconciliation", "pledge", "under_follow_up", "unresolved", "referral"),
            weights=(35, 30, 15, 5, 15),
        )[0]
        outcome = g.rng.choice(referrals) if outcome == "referral" else outcome
    drugs = g.chance(0.15)
    children = bool(h.children()) and g.chance(0.5)
    body = _REFERRAL_OUTCOMES.get(outcome)
    ctx = g.ctx(
        h,
        p1=p1.name,
        p2=p2.name,
        partner=fill(g.phrases.referral_bodies[body or "court"], g.ctx(h)),
    )
    openings = g.phrases.dispute_openings[kind]
    if kind == "parents_children":
        opening = openings[p1.sex == "female"]
    elif kind == "inheritance" and p1.sex == "male":
        opening = openings[0]
    else:
        opening = g.rng.choice(openings)
    summary = g.paragraph(
        ctx,
        opening,
        g.phrases.dispute_violence[violence],
        *g.rng.sample(g.phrases.dispute_body, g.rng.randint(1, 3)),
        *([g.phrases.dispute_drugs] if drugs else []),
        *([g.phrases.dispute_children] if children else []),
        g.phrases.outcome_sentences["referral" if body and outcome != "shelter" else outcome],
    )
    follow = outcome in ("reconciliation", "under_follow_up") or g.chance(0.3)
    return {
        "household_id": h.id,
        "dispute_type": kind,
        "violence": violence,
        "children_involved": children,
        "drugs_alcohol": True if drugs else None,
        "minor_involved": minor,
        "party_ids": [p1.id, p2.id],
        "summary": summary,
        "outcome": outcome,
        "pledge_signed": True if outcome in ("reconciliation", "pledge") else None,
        **(_referral(g, h, body, day) if body else {}),
        "follow_up_until": _after(day, 14, 30, g) if follow else None,
        "status": _settled_status(g, day, outcome),
        "notes": g.paragraph(ctx, g.phrases.filler) if g.chance(0.25) else None,
    }


def _neighbour_dispute(
    g: SampleGenerator, h: SampleHousehold, day: datetime.date
) -> dict[str, Any]:
    neighbour = g.outsider(h.place, "male", 25, 70, "second_party")
    cause = g.rng.choice(g.choice_keys("neighbour_dispute", "cause"))
    violence = g.rng.choices(
        ("none", "verbal", "minor_physical", "serious_physical"), weights=(4, 4, 2, 1)
    )[0]
    referrals = ("referral_police_station", "referral_court")
    if violence == "serious_physical":
        outcome = g.rng.choice(referrals)
    else:
        outcome = g.rng.choices(
            ("pledge", "reconciliation", "under_follow_up", "unresolved", *referrals),
            weights=(40, 30, 10, 5, 10, 5),
        )[0]
    body = _REFERRAL_OUTCOMES.get(outcome)
    ctx = g.ctx(h, p2=neighbour.name, cause=g.phrases.neighbour_causes[cause])
    ctx["partner"] = fill(g.phrases.referral_bodies[body or "police_station"], ctx)
    return {
        "household_id": h.id,
        "cause": cause,
        "violence": violence,
        "party_ids": [h.head.id, neighbour.id],
        "summary": g.paragraph(
            ctx,
            g.phrases.neighbour_body[0],
            *g.phrases.neighbour_body[1 : g.rng.randint(2, 5)],
            g.phrases.dispute_violence[violence],
            g.phrases.outcome_sentences["referral" if body else outcome],
        ),
        "outcome": outcome,
        "pledge_signed": True if outcome in ("reconciliation", "pledge") else None,
        **(_referral(g, h, body, day) if body else {}),
        "follow_up_until": _after(day, 7, 30, g) if g.chance(0.5) else None,
        "status": _settled_status(g, day, outcome),
    }


def _domestic_violence(
    g: SampleGenerator, h: SampleHousehold, day: datetime.date
) -> dict[str, Any]:
    wife, children = h.spouse(), h.children()
    minors = [c for c in children if c.age < 18]
    if wife is not None and not (minors and g.chance(0.25)):
        victim, perpetrator, relationship = wife, h.head, "spouse"
    elif wife is not None:
        victim, perpetrator, relationship = g.rng.choice(minors), h.head, "parent"
    else:
        sons = [c for c in children if c.sex == "male" and c.age >= 18]
        victim, relationship = h.head, "child" if sons else "in_law"
        perpetrator = sons[0] if sons else g.outsider(h.place, "male", 30, 60, "second_party")
    minor = _minor(victim, perpetrator)
    referral_to = g.rng.choice(
        ("juvenile_police", "family_protection")
        if minor
        else ("family_protection", "family_protection", "court", "health", "shelter")
    )
    body = {"juvenile_police": "juvenile"}.get(referral_to, referral_to)
    status = g.rng.choice(("open", "referred", "referred", "closed"))
    referral = _referral(g, h, body, day)
    if status == "open" and g.chance(0.5):
        referral.pop("referral_ref")
    ctx = g.ctx(h, p1=victim.name, p2=perpetrator.name)
    return {
        "household_id": h.id,
        "victim_id": victim.id,
        "perpetrator_id": perpetrator.id,
        "relationship": relationship,
        "violence_types": ["physical", *g.subset(("psychological", "economic", "verbal"), 0, 2)],
        "injuries": g.chance(0.6),
        "medical_report": True if g.chance(0.4) else None,
        "children_present": bool(children) and g.chance(0.4),
        "minor_involved": minor,
        "victim_consent": g.chance(0.8),
        "summary": g.paragraph(
            ctx, g.phrases.dv_body[0], *g.rng.sample(g.phrases.dv_body[1:], 3), extra=1
        ),
        "referral_to": referral_to,
        **referral,
        "status": status,
    }


def _cyber_extortion(g: SampleGenerator, h: SampleHousehold, day: datetime.date) -> dict[str, Any]:
    young = [p for p in h.members if 13 <= p.age <= 35]
    victim = g.rng.choice([p for p in young if p.sex == "female"] or young or h.members)
    platform = g.rng.choice(g.choice_keys("cyber_extortion", "platform"))
    minor = _minor(victim)
    outcomes = ["resolved", "referral_cybercrime", "referral_court", "under_follow_up"]
    outcome = g.rng.choice([*outcomes, "referral_juvenile"] if minor else outcomes)
    body = _REFERRAL_OUTCOMES.get(outcome)
    handle = g.rng.choice(g.phrases.suspect_handles) + str(g.rng.randint(1, 999))
    ctx = g.ctx(h, p1=victim.name, platform=g.phrases.platform_names[platform])
    status = "closed" if outcome == "resolved" else g.rng.choice(("open", "follow_up", "closed"))
    return {
        "household_id": h.id if g.chance(0.7) else None,
        "victim_id": victim.id,
        "platform": platform,
        "suspect_account": "@" + handle if g.chance(0.7) else None,
        "suspect_known": g.chance(0.3),
        "demand": g.rng.choice(g.choice_keys("cyber_extortion", "demand")),
        "actions": g.subset(g.choice_keys("cyber_extortion", "actions"), 1, 4),
        "minor_involved": minor,
        "summary": g.paragraph(
            ctx, g.phrases.cyber_body[0], *g.rng.sample(g.phrases.cyber_body[1:], 4)
        ),
        "outcome": outcome,
        **(_referral(g, h, body, day) if body else {}),
        "status": status,
    }


def _runaway_return(g: SampleGenerator, h: SampleHousehold, day: datetime.date) -> dict[str, Any]:
    children = h.children()
    teens = [c for c in children if 12 <= c.age <= 19]
    person = g.rng.choice([c for c in teens if c.sex == "female"] or teens or children)
    returned_to = g.rng.choices(("parents", "relative", "shelter"), weights=(15, 3, 2))[0]
    risk = g.chance(0.2)
    ctx = g.ctx(h, p1=person.name)
    ctx["found"] = fill(g.rng.choice(g.phrases.runaway_found), ctx)
    needs_referral = risk or returned_to == "shelter"
    return {
        "household_id": h.id,
        "person_id": person.id,
        "missing_since": (day - datetime.timedelta(days=g.rng.randint(1, 10))).isoformat(),
        "found_location": ctx["found"],
        "reasons": g.subset(g.choice_keys("runaway_return", "reasons", but=("other",)), 1, 2),
        "returned_to": returned_to,
        "risk_of_harm": risk,
        "pledge_signed": True if g.chance(0.6) else None,
        "minor_involved": _minor(person),
        **(_referral(g, h, "family_protection", day) if needs_referral else {}),
        "aftercare_plan": g.paragraph(ctx, *g.rng.sample(g.phrases.aftercare, g.rng.randint(2, 4))),
        "follow_up_until": _after(day, 14, 30, g) if g.chance(0.7) else None,
        "status": g.rng.choice(("follow_up", "follow_up", "closed")),
        "notes": g.paragraph(ctx, *g.phrases.runaway_body) if g.chance(0.5) else None,
    }


def _shelter_case(g: SampleGenerator, h: SampleHousehold, day: datetime.date) -> dict[str, Any]:
    elders = [m for m in h.members if m.age >= 65]
    minors = [c for c in h.children() if c.age < 18]
    if elders and g.chance(0.5):
        person, kind, reason = elders[0], "elderly", "no_guardian"
    elif minors and g.chance(0.4):
        person, kind, reason = (
            g.rng.choice(minors),
            "children",
            g.rng.choice(("runaway", "no_guardian")),
        )
    else:
        person, kind, reason = h.spouse() or h.head, "women", "domestic_violence"
    admitted = min(day + datetime.timedelta(days=g.rng.randint(0, 3)), g.today)
    status = g.rng.choice(("placed", "placed", "returned_to_family", "transferred", "left"))
    if (g.today - admitted).days < 2:
        status = "placed"
    exit_day = admitted + datetime.timedelta(days=g.rng.randint(1, (g.today - admitted).days or 1))
    referral = _referral(g, h, "juvenile" if kind == "children" else "social_care", day)
    ctx = g.ctx(h, p1=person.name, partner=referral["referral_body"])
    return {
        "household_id": h.id,
        "person_id": person.id,
        "shelter_name": fill(g.rng.choice(g.phrases.shelters[kind]), ctx),
        "shelter_type": kind,
        "reason": reason,
        "admission_date": admitted.isoformat(),
        **referral,
        "court_order": g.chance(0.5),
        "minor_involved": _minor(person),
        "review_date": _after(admitted, 30, 90, g) if g.chance(0.6) else None,
        "status": status,
        "exit_date": exit_day.isoformat() if status != "placed" else None,
        "notes": g.paragraph(ctx, *g.phrases.shelter_notes),
    }


def _humanitarian_aid(g: SampleGenerator, h: SampleHousehold, day: datetime.date) -> dict[str, Any]:
    aid = g.subset(g.choice_keys("humanitarian_aid", "aid_kinds", but=("other",)), 1, 3)
    partner_type = g.rng.choice(g.choice_keys("humanitarian_aid", "partner_type"))
    partner = fill(g.rng.choice(g.phrases.aid_partners[partner_type]), g.ctx(h))
    return {
        "household_id": h.id,
        "recipient_id": h.head.id,
        "aid_kinds": aid,
        "quantity": g.rng.randint(1, 10),
        "cash_amount_iqd": 25_000 * g.rng.randint(2, 20) if "cash" in aid else None,
        "partner": partner,
        "partner_type": partner_type,
        "receipt_signed": g.chance(0.8),
        "notes": g.paragraph(g.ctx(h, partner=partner), *g.rng.sample(g.phrases.aid_notes, 2)),
    }


def _tribal_liaison(g: SampleGenerator, h: SampleHousehold, day: datetime.date) -> dict[str, Any]:
    tribe = g.rng.choice(g.phrases.tribes)
    notables = [g.outsider(h.place, "male", 50, 80, "notable") for _ in range(g.rng.randint(1, 3))]
    disputes = h.activity_ids.get("family_dispute", []) + h.activity_ids.get(
        "neighbour_dispute", []
    )
    purpose = (
        "dispute_mediation"
        if disputes
        else g.rng.choice(g.choice_keys("tribal_liaison", "purpose", but=("dispute_mediation",)))
    )
    ctx = g.ctx(h, tribe=tribe)
    return {
        "alley": None,
        "house": None,
        "tribe_name": fill(g.phrases.tribe_name, ctx),
        "notable_ids": [n.id for n in notables],
        "notables": "، ".join(fill(g.phrases.notable, {"name": n.name}) for n in notables),
        "attendees_count": g.rng.randint(len(notables) + 2, 60),
        "purpose": purpose,
        "topics": g.subset(
            ("drugs", "rumours", "celebratory_gunfire", "tribal_disputes", "child_marriage"), 1, 3
        ),
        "related_record_id": g.rng.choice(disputes) if disputes else None,
        "agreed_points": "\n".join(
            fill(point, ctx) for point in g.rng.sample(g.phrases.tribal_points, g.rng.randint(2, 4))
        ),
        "next_meeting_date": _after(day, 30, 90, g) if g.chance(0.4) else None,
    }


def _awareness_session(
    g: SampleGenerator, h: SampleHousehold, day: datetime.date
) -> dict[str, Any]:
    venue = g.rng.choice(g.choice_keys("awareness_session", "venue_type"))
    ctx = g.ctx(h)
    officer = g.spell(g.rng.choice(g.names.male)) + " " + g.spell(g.rng.choice(g.names.male))
    audience = {"school": "students", "university": "students", "mosque": "general"}.get(
        venue,
        g.rng.choice(g.choice_keys("awareness_session", "audience", but=("students", "teachers"))),
    )
    return {
        "alley": None,
        "house": None,
        "venue_type": venue,
        "venue_name": fill(g.rng.choice(g.phrases.venues[venue]), ctx),
        "topics": g.subset(g.choice_keys("awareness_session", "topics", but=("other",)), 1, 3),
        "audience": audience,
        "audience_size": g.rng.randint(15, 400),
        "partner": fill(g.rng.choice(g.phrases.awareness_partners), ctx) if g.chance(0.5) else None,
        "speakers": f"{g.rng.choice(g.phrases.officer_ranks)} {officer}",
        "materials_distributed": g.chance(0.7),
        "notes": g.paragraph(ctx, *g.rng.sample(g.phrases.awareness_notes, 3)),
    }


# By record type, in the order households' first activities take turns (home visits most often
# after that).
ACTIVITIES: dict[str, Activity] = {
    "home_visit": Activity(_home_visit, 30),
    "family_dispute": Activity(_family_dispute, 14),
    "domestic_violence": Activity(_domestic_violence, 8),
    "cyber_extortion": Activity(_cyber_extortion, 6),
    "runaway_return": Activity(_runaway_return, 4),
    "neighbour_dispute": Activity(_neighbour_dispute, 10),
    "tribal_liaison": Activity(_tribal_liaison, 4),
    "awareness_session": Activity(_awareness_session, 6),
    "humanitarian_aid": Activity(_humanitarian_aid, 12),
    "shelter_case": Activity(_shelter_case, 3),
}
