"""The demonstration action plan: 32 actions across 4 themes, with a year of update history.

Modelled on the structure of a real partnership treatment plan (seed 002: numbered expected outcomes, each with
milestones, "by when" and "by whom") but written afresh for the demonstration partnership. Dates sit beside the
demonstration figures, which end at 2019-20 Q4: the plan runs from May 2019 and the dashboard judges it as of
30 April 2020 (stored as ``action_plan_as_of`` in the dataset's facts), so the ratings are a realistic mix of
complete, on track, at risk and overdue, and completed actions fall inside the trend charts' time span.
No user accounts are created: the history names people by user name only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dashboard.services.actions import AS_OF_META_KEY
from dashboard.store import repository, repository_actions, writer
from dashboard.store.unit_of_work import transaction

if TYPE_CHECKING:
    from sqlalchemy import Engine

TITLE = "Adult drug and alcohol treatment plan 2019-20"
PERIOD = "2019-20"
AS_OF = dt.date(2020, 4, 30)
AGREED = dt.date(2019, 5, 15)

JCM = "Joint Commissioning Manager"
PIL = "Performance and Intelligence Lead"
TP_SM = "Turning Point Service Manager"
TP_AM = "Turning Point Area Manager"
PH = "Public Health Consultant"
CSM = "Community Safety Manager"
DA = "Dear Albert Service Lead"


@dataclass(frozen=True)
class Step:
    """One update in an action's history: the state it left the action in, and what was said."""

    on: dt.date
    who: str
    status: str
    rag: str
    percent: int
    comment: str
    reason: str | None = None


@dataclass(frozen=True)
class DemoAction:
    ref: str
    description: str
    due: dt.date
    due_text: str
    owner: str
    steps: tuple[Step, ...] = ()


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _done(on: str, who: str, comment: str) -> Step:
    return Step(_d(on), who, "complete", "blue", 100, comment)


def _go(on: str, who: str, percent: int, comment: str, rag: str = "green", reason: str | None = None) -> Step:
    return Step(_d(on), who, "in_progress", rag, percent, comment, reason)


THEMES: list[dict] = [
    {
        "title": "Commissioning and partnership working",
        "outcomes": [
            {
                "ref": "1",
                "description": "Partners confirm their funding for 2020-21 and, as far as they can, to 2022-23.",
                "actions": [
                    DemoAction(
                        "1.1",
                        "Present the value-for-money case for treatment to the Health and Wellbeing Board",
                        _d("2019-09-30"),
                        "September 19",
                        JCM,
                        (
                            _go("2019-07-10", "a.khan", 40, "Return-on-investment figures drafted with public health."),
                            _done("2019-09-24", "a.khan", "Presented on 24 September; the board endorsed the case."),
                        ),
                    ),
                    DemoAction(
                        "1.2",
                        "Agree pooled budget contributions with the Police and Crime Commissioner",
                        _d("2020-01-31"),
                        "January 20",
                        f"{JCM} / {CSM}",
                        (
                            _go(
                                "2019-10-02",
                                "a.khan",
                                30,
                                "First meeting held; the commissioner's office wants outcome data.",
                            ),
                            _go(
                                "2020-01-08",
                                "a.khan",
                                80,
                                "Figures shared; decision at the commissioner's January panel.",
                            ),
                            _done("2020-02-12", "a.khan", "Contribution confirmed for 2020-21 at the same level."),
                        ),
                    ),
                    DemoAction(
                        "1.3",
                        "Obtain letters of intent from partners on funding for 2021-22",
                        _d("2020-06-30"),
                        "June 20",
                        JCM,
                        (_go("2020-03-05", "a.khan", 50, "Two of four partners have replied; chasing the other two."),),
                    ),
                ],
            },
            {
                "ref": "2",
                "description": (
                    "The commissioning group receives monthly performance reports, with data-quality checks that "
                    "lead to improvement plans with the provider."
                ),
                "actions": [
                    DemoAction(
                        "2.1",
                        "Build a monthly performance pack from the NDTMS extracts",
                        _d("2019-07-31"),
                        "July 19",
                        PIL,
                        (_done("2019-07-29", "r.ellis", "First pack went to the July commissioning group."),),
                    ),
                    DemoAction(
                        "2.2",
                        "Agree a data-quality plan with Turning Point covering outcome forms and parental status",
                        _d("2020-06-30"),
                        "June 20",
                        f"{PIL} / {TP_SM}",
                        (
                            _go(
                                "2019-11-20",
                                "r.ellis",
                                30,
                                "Gaps identified: parental status missing for 18% of clients.",
                            ),
                            _go("2020-03-11", "s.murray", 60, "Recording guidance reissued to all keyworkers."),
                        ),
                    ),
                    DemoAction(
                        "2.3",
                        "Publish a quarterly data-quality scorecard",
                        _d("2020-03-31"),
                        "March 20",
                        PIL,
                        (
                            _go("2019-12-04", "r.ellis", 40, "Scorecard designed; waiting for the Q3 extract."),
                            _go(
                                "2020-04-02",
                                "r.ellis",
                                60,
                                "The national extract was delayed, so the first scorecard will be late.",
                                rag="amber",
                                reason="NDTMS extract delayed by the national system change; first scorecard due June.",
                            ),
                        ),
                    ),
                ],
            },
            {
                "ref": "3",
                "description": (
                    "Information-sharing agreements are in place between the provider, children's services and the "
                    "police, so that parents in treatment and people leaving custody get joined-up support."
                ),
                "actions": [
                    DemoAction(
                        "3.1",
                        "Draft the information-sharing protocol for parental substance misuse",
                        _d("2019-10-31"),
                        "October 19",
                        CSM,
                        (_done("2019-11-15", "j.bryant", "Protocol drafted and approved by the safeguarding board."),),
                    ),
                    DemoAction(
                        "3.2",
                        "Sign the protocol with the police and the probation service",
                        _d("2020-03-31"),
                        "March 20",
                        CSM,
                        (
                            _go("2020-01-15", "j.bryant", 50, "Legal review of the probation clauses under way."),
                            _go(
                                "2020-03-02",
                                "j.bryant",
                                70,
                                "Probation's legal team asked for changes; signing may slip.",
                                rag="amber",
                            ),
                        ),
                    ),
                ],
            },
        ],
    },
    {
        "title": "Access to treatment",
        "outcomes": [
            {
                "ref": "4",
                "description": "96% of clients wait under three weeks for their first intervention.",
                "indicator": "waits_under_3_weeks",
                "substance_group": "all",
                "target_value": 96.0,
                "actions": [
                    DemoAction(
                        "4.1",
                        "Introduce same-week triage appointments at the Loughborough and Coalville hubs",
                        _d("2019-08-31"),
                        "August 19",
                        TP_SM,
                        (_done("2019-08-22", "s.murray", "Triage clinics running on Tuesdays and Thursdays."),),
                    ),
                    DemoAction(
                        "4.2",
                        "Review the waiting list every week at the provider's performance meeting",
                        _d("2020-03-31"),
                        "Weekly to March 20",
                        TP_SM,
                        (
                            _go("2019-09-18", "s.murray", 50, "Weekly reviews started; longest wait down to 19 days."),
                            _done("2020-03-27", "s.murray", "Now part of the standard weekly meeting."),
                        ),
                    ),
                    DemoAction(
                        "4.3",
                        "Extend evening opening at the Hinckley hub",
                        _d("2020-05-29"),
                        "May 20",
                        TP_AM,
                    ),
                ],
            },
            {
                "ref": "5",
                "description": "More adults with alcohol dependence are identified and referred by hospitals and GPs.",
                "actions": [
                    DemoAction(
                        "5.1",
                        "Place an alcohol liaison worker in the emergency department",
                        _d("2019-11-30"),
                        "November 19",
                        JCM,
                        (
                            _go("2019-08-14", "a.khan", 40, "Post agreed with the hospital trust; recruiting."),
                            _done("2019-12-10", "a.khan", "Worker in post from 9 December."),
                        ),
                    ),
                    DemoAction(
                        "5.2",
                        "Train 60 GP practice staff in alcohol identification and brief advice",
                        _d("2020-03-31"),
                        "March 20",
                        PH,
                        (
                            _go("2019-10-30", "d.okafor", 30, "18 staff trained in the first two sessions."),
                            _go("2020-02-05", "d.okafor", 70, "42 trained; last two sessions booked."),
                        ),
                    ),
                    DemoAction(
                        "5.3",
                        "Agree a referral pathway with the county's social prescribers",
                        _d("2020-06-30"),
                        "June 20",
                        PH,
                        (
                            _go(
                                "2019-12-11", "d.okafor", 20, "Draft pathway shared with the social prescribing leads."
                            ),
                            _go(
                                "2020-03-18",
                                "d.okafor",
                                30,
                                "The social prescribing contract is being re-let; the pathway may have to wait.",
                                rag="amber",
                            ),
                        ),
                    ),
                ],
            },
            {
                "ref": "6",
                "description": "90% of people entering treatment are offered hepatitis B and C testing.",
                "actions": [
                    DemoAction(
                        "6.1",
                        "Offer dry blood spot testing at every first appointment",
                        _d("2019-09-30"),
                        "September 19",
                        TP_SM,
                        (_done("2019-09-26", "s.murray", "Testing offered at all four hubs."),),
                    ),
                    DemoAction(
                        "6.2",
                        "Report testing and vaccination rates at each contract review",
                        _d("2021-03-31"),
                        "Quarterly to March 21",
                        JCM,
                        (_go("2020-01-22", "a.khan", 25, "Q3 rates reported: testing 81%, vaccination 64%."),),
                    ),
                    DemoAction(
                        "6.3",
                        "Run a hepatitis C treatment clinic in the Melton hub with the hospital trust",
                        _d("2020-07-31"),
                        "July 20",
                        TP_SM,
                        (
                            _go("2019-11-06", "s.murray", 20, "Clinic room and dates agreed."),
                            _go(
                                "2020-03-25",
                                "s.murray",
                                20,
                                "The trust has withdrawn its specialist nurse; no clinic until a replacement is found.",
                                rag="red",
                            ),
                        ),
                    ),
                ],
            },
        ],
    },
    {
        "title": "Recovery within treatment",
        "outcomes": [
            {
                "ref": "7",
                "description": "Fewer than 15% of opiate clients have been in treatment for more than four years.",
                "indicator": "long_term_4y",
                "substance_group": "opiate",
                "target_value": 15.0,
                "actions": [
                    DemoAction(
                        "7.1",
                        "Review every opiate client in treatment for over four years and agree a recovery plan",
                        _d("2019-12-31"),
                        "December 19",
                        f"{TP_SM} / {JCM}",
                        (
                            _go("2019-09-04", "s.murray", 45, "Half of the cohort reviewed."),
                            _done("2019-12-19", "s.murray", "All 212 clients reviewed; 61 have a move-on date."),
                        ),
                    ),
                    DemoAction(
                        "7.2",
                        "Offer each long-term client a recovery coach from the aftercare service",
                        _d("2020-06-30"),
                        "June 20",
                        DA,
                        (_go("2020-02-19", "l.moore", 45, "Coaches allocated to 95 clients so far."),),
                    ),
                    DemoAction(
                        "7.3",
                        "Report the four-year cohort at each contract review",
                        _d("2021-03-31"),
                        "Quarterly to March 21",
                        JCM,
                        (_go("2020-01-22", "a.khan", 25, "First quarterly report taken at the January review."),),
                    ),
                ],
            },
            {
                "ref": "8",
                "description": "Retention in treatment for 12 weeks or more stays above 85%.",
                "indicator": "retained_12_weeks",
                "substance_group": "all",
                "target_value": 85.0,
                "actions": [
                    DemoAction(
                        "8.1",
                        "Follow up every missed appointment within two working days",
                        _d("2019-10-31"),
                        "October 19",
                        TP_SM,
                        (_done("2019-10-16", "s.murray", "Follow-up calls logged in the case system from October."),),
                    ),
                    DemoAction(
                        "8.2",
                        "Agree a re-engagement protocol for clients who drop out",
                        _d("2020-05-20"),
                        "May 20",
                        TP_AM,
                    ),
                ],
            },
            {
                "ref": "9",
                "description": "People with both mental health and substance misuse needs get joint care.",
                "actions": [
                    DemoAction(
                        "9.1",
                        "Agree the dual diagnosis protocol with the mental health trust",
                        _d("2019-11-30"),
                        "November 19",
                        JCM,
                        (
                            _go("2019-09-25", "a.khan", 60, "Draft protocol with the trust's clinical leads."),
                            _go(
                                "2019-12-04",
                                "a.khan",
                                80,
                                "Sign-off postponed by the trust's restructure.",
                                rag="amber",
                                reason="Mental health trust restructure; sign-off moved to the June 2020 board.",
                            ),
                        ),
                    ),
                    DemoAction(
                        "9.2",
                        "Audit twenty shared care plans against the protocol",
                        _d("2020-09-30"),
                        "September 20",
                        JCM,
                    ),
                ],
            },
        ],
    },
    {
        "title": "Successful completions and aftercare",
        "outcomes": [
            {
                "ref": "10",
                "description": (
                    "Opiate clients completing treatment successfully reach 7% of those in treatment (the top "
                    "quartile of similar areas)."
                ),
                "indicator": "successful_completion_rate",
                "substance_group": "opiate",
                "target_value": 7.0,
                "actions": [
                    DemoAction(
                        "10.1",
                        "Hold monthly discharge-planning reviews with Turning Point",
                        _d("2019-06-30"),
                        "June 19",
                        f"{JCM} / {TP_SM}",
                        (_done("2019-06-20", "a.khan", "Monthly reviews in place from June."),),
                    ),
                    DemoAction(
                        "10.2",
                        "Revise the provider's policy on clients at risk of dropping out, so they are contacted early",
                        _d("2020-06-30"),
                        "June 20",
                        TP_AM,
                        (_go("2020-02-26", "s.murray", 50, "Draft policy out to staff consultation."),),
                    ),
                    DemoAction(
                        "10.3",
                        "Deliver the successful completions improvement plan agreed with the provider",
                        _d("2020-03-31"),
                        "March 20",
                        f"{TP_AM} / {JCM}",
                        (
                            _go("2019-10-09", "a.khan", 40, "Plan agreed; monthly tracking started."),
                            _go(
                                "2020-02-12",
                                "a.khan",
                                75,
                                "Opiate completions flat for two quarters; recovery plan requested from the provider.",
                                rag="red",
                            ),
                        ),
                    ),
                ],
            },
            {
                "ref": "11",
                "description": "In Charnwood, 42% or more of alcohol clients complete treatment successfully.",
                "indicator": "successful_completion_rate",
                "substance_group": "alcohol",
                "area_code": "E07000130",
                "target_value": 42.0,
                "actions": [
                    DemoAction(
                        "11.1",
                        "Open a recovery café in Loughborough with the aftercare service",
                        _d("2019-12-31"),
                        "December 19",
                        DA,
                        (
                            _go("2019-09-11", "l.moore", 50, "Venue found; volunteers in training."),
                            _done(
                                "2019-11-29", "l.moore", "Café opened on 29 November; 35 people at the first session."
                            ),
                        ),
                    ),
                    DemoAction(
                        "11.2",
                        "Run a structured group programme for alcohol clients in Charnwood",
                        _d("2020-06-30"),
                        "June 20",
                        TP_SM,
                        (_go("2020-01-29", "s.murray", 60, "Second cohort of 12 started in January."),),
                    ),
                ],
            },
            {
                "ref": "12",
                "description": (
                    "Everyone leaving treatment can reach mutual aid, and can come back quickly if they relapse."
                ),
                "actions": [
                    DemoAction(
                        "12.1",
                        "Give everyone leaving treatment information on local mutual aid groups",
                        _d("2019-07-31"),
                        "July 19",
                        DA,
                        (_done("2019-07-24", "l.moore", "Leaflet and group list in every discharge pack."),),
                    ),
                    DemoAction(
                        "12.2",
                        "Launch a fast-track return scheme for people judged at high risk of relapse",
                        _d("2020-05-29"),
                        "May 20",
                        f"{TP_SM} / {JCM}",
                        (
                            _go("2020-01-15", "s.murray", 30, "Criteria agreed with the clinical lead."),
                            _go(
                                "2020-04-08",
                                "a.khan",
                                40,
                                "GP practices have yet to agree to the referral route; launch may slip.",
                                rag="amber",
                            ),
                        ),
                    ),
                    DemoAction(
                        "12.3",
                        "Publicise the fast-track scheme to GPs and pharmacies",
                        _d("2020-08-31"),
                        "August 20",
                        PH,
                    ),
                ],
            },
        ],
    },
]


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 30), tzinfo=dt.UTC)


def _history(action: DemoAction) -> list[dict]:
    """The plan's sign-off, then each step, as update rows (from -> to)."""
    rows = [
        {
            "user_name": "a.khan",
            "created_at": _at(AGREED),
            "rag_from": None,
            "rag_to": "green",
            "status_from": None,
            "status_to": "not_started",
            "percent_from": None,
            "percent_to": 0,
            "reason": None,
            "commentary": "Agreed in the 2019-20 plan at the Safer Communities Strategy Board.",
        }
    ]
    status, rag, percent, reason = "not_started", "green", 0, None
    for step in action.steps:
        rows.append(
            {
                "user_name": step.who,
                "created_at": _at(step.on),
                "rag_from": rag,
                "rag_to": step.rag,
                "status_from": status,
                "status_to": step.status,
                "percent_from": percent,
                "percent_to": step.percent,
                "reason": step.reason if step.reason != reason else None,
                "commentary": step.comment,
            }
        )
        status, rag, percent = step.status, step.rag, step.percent
        reason = step.reason or reason
    return rows


def _action_values(action: DemoAction) -> dict:
    last = action.steps[-1] if action.steps else Step(AGREED, "a.khan", "not_started", "green", 0, "")
    completed = next((s for s in action.steps if s.status == "complete"), None)
    return {
        "ref": action.ref,
        "description": action.description,
        "due_date": action.due,
        "due_text": action.due_text,
        "owner": action.owner,
        "status": last.status,
        "rag": last.rag,
        "percent_complete": last.percent,
        "reason_late": next((s.reason for s in reversed(action.steps) if s.reason), None),
        "completed_at": _at(completed.on) if completed else None,
        "history": _history(action),
    }


def plan_themes(partnership_code: str) -> list[dict]:
    """The demo plan in the shape ``repository_actions.insert_plan`` writes."""
    return [
        {
            "title": theme["title"],
            "outcomes": [
                {
                    **{k: v for k, v in outcome.items() if k != "actions"},
                    "area_code": outcome.get("area_code", partnership_code),
                    "actions": [_action_values(a) for a in outcome["actions"]],
                }
                for outcome in theme["outcomes"]
            ],
        }
        for theme in THEMES
    ]


def seed_action_plan(engine: Engine) -> int | None:
    """Add the demo plan for the dataset's home partnership (once) and set the date it is judged by."""
    home = repository.read_meta(engine).get("home_area")
    if not home:
        return None
    existing = repository_actions.plan_id_by_title(engine, TITLE)
    with transaction(engine) as conn:
        writer.set_meta(conn, {AS_OF_META_KEY: AS_OF.isoformat()})
        if existing is not None:
            return existing
        plan = {"partnership_code": home, "title": TITLE, "period": PERIOD, "source": "demonstration data"}
        return repository_actions.insert_plan(conn, {**plan, "created_by": "a.khan"}, plan_themes(home))
