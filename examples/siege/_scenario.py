"""The fixed facts of the synthetic siege scenario: city, districts, people, outlets, timeline, incidents.

Everything here is invented. Qasr al-Nahr is a fictional city; every handle, name and outlet is made up.
Times are UTC; the city's local time is UTC+3.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

START = datetime(2025, 2, 1, tzinfo=UTC)
END = datetime(2025, 2, 11, tzinfo=UTC)
LOCAL_TZ = timezone(timedelta(hours=3))
SPAN_S = int((END - START).total_seconds())

CITY = "Qasr al-Nahr"
CITY_AR = "قصر النهر"
INSTANCE = "qasr.social"


def at(text: str) -> int:
    """Seconds since :data:`START` for an ISO time such as ``"2025-02-06T07:40Z"``."""
    return int((datetime.fromisoformat(text.replace("Z", "+00:00")) - START).total_seconds())


def iso(seconds: float) -> str:
    """ISO-8601 UTC (``...Z``) for seconds since :data:`START`."""
    return (START + timedelta(seconds=int(seconds))).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class District:
    key: str
    name: str
    name_ar: str


DISTRICTS = [
    District("bab_al_sharq", "Bab al-Sharq", "باب الشرق"),
    District("al_jisr", "Al-Jisr", "الجسر"),
    District("tal_al_zaytun", "Tal al-Zaytun", "تل الزيتون"),
    District("souq_al_qadim", "Souq al-Qadim", "السوق القديم"),
    District("al_tahuna", "Al-Tahuna", "الطاحونة"),
    District("karm_al_nakhil", "Karm al-Nakhil", "كرم النخيل"),
    District("al_bustan", "Al-Bustan", "البستان"),
    District("hayy_al_qalaa", "Hayy al-Qalaa", "حي القلعة"),
]
DISTRICT = {d.key: d for d in DISTRICTS}


@dataclass(frozen=True)
class Person:
    """A watched civilian. ``x`` is the X handle (None: not on X); ``mastodon`` the local Mastodon username.

    ``rate`` is the intended posts per day over all platforms; ``eta`` the Hawkes branching ratio (share of
    posts triggered by an earlier post of the same person); ``style`` ``"personal"``, ``"local_news"`` (posts
    news-style) or ``"regular"`` (posts steadily while awake, not in bursts);
    ``ar_share`` the share of Arabic posts; ``rt`` the share of events that are retweets.
    """

    key: str
    x: str | None
    name: str
    district: str
    ar_share: float
    rate: float
    eta: float = 0.35
    style: str = "personal"
    rt: float = 0.12
    mastodon: str | None = None
    mastodon_share: float = 0.0
    shift_h: int = 0
    medical: bool = False
    consent: str = ""
    note: str = ""


def _p(key: str, x: str | None, name: str, district: str, ar: float, rate: float, **kw: object) -> Person:
    return Person(key, x, name, district, ar, rate, **kw)  # type: ignore[arg-type]


PEOPLE: list[Person] = [
    # Bab al-Sharq
    _p("P01", "abu_samir_east", "Abu Samir", "bab_al_sharq", 1.0, 7, eta=0.3, rt=0.2,
       consent="consented via family on 2025-01-28 (case 0142)", note="son abroad asked us to watch"),
    _p("P02", "huda_babsharq", "Huda B.", "bab_al_sharq", 0.5, 22, eta=0.5,
       consent="self-registered on 2025-01-26 (case 0117)", note="posts in bursts; phone often dies"),
    _p("P03", "eastgate_diaries", "East Gate Diaries", "bab_al_sharq", 0.0, 4, eta=0.3,
       consent="consented in person on 2025-01-20 (case 0098)", note="diary account, two authors"),
    _p("P04", "yousef_k_qn", "Yousef Kanaan", "bab_al_sharq", 0.5, 1.5, eta=0.2,
       consent="consented via family on 2025-01-29 (case 0150)", note=""),
    _p("P05", "salma_teaches", "Salma ✏️", "bab_al_sharq", 0.0, 0.15, eta=0.1, rt=0.0,
       consent="self-registered on 2025-01-27 (case 0131)", note="teacher; posts about once a week"),
    # Al-Jisr
    _p("P06", "nour_qn", "Nour", "al_jisr", 0.45, 25, eta=0.5, rt=0.1, mastodon="nour", mastodon_share=0.11,
       consent="self-registered on 2025-01-25 (case 0109)", note="same person as @nour@qasr.social"),
    _p("P07", "jisr_medic", "Dr. Karim (Jisr clinic)", "al_jisr", 0.0, 11, eta=0.35, medical=True,
       consent="consented in person on 2025-01-22 (case 0103)", note="field clinic doctor"),
    _p("P08", "umm_khalil_jisr", "أم خليل", "al_jisr", 1.0, 3, eta=0.3,
       consent="consented via family on 2025-01-30 (case 0161)", note="elderly; daughter in Berlin calls daily"),
    _p("P09", "bridge_kid_ahmad", "Ahmad", "al_jisr", 0.0, 6, eta=0.45, rt=0.25,
       consent="consented via family on 2025-01-28 (case 0144)", note="17 years old, consent by his mother"),
    _p("P10", "fadi_photos", "Fadi | photos", "al_jisr", 0.4, 0.5, eta=0.2,
       consent="self-registered on 2025-01-24 (case 0106)", note=""),
    # Tal al-Zaytun (the blackout district)
    _p("P11", "zaytun_nurse", "Rasha, nurse", "tal_al_zaytun", 0.5, 16, eta=0.35, medical=True,
       consent="consented in person on 2025-01-21 (case 0100)", note="works night shifts at the clinic",
       shift_h=1),
    _p("P12", "hamza_olivehill", "Hamza", "tal_al_zaytun", 1.0, 9, eta=0.4,
       consent="consented via family on 2025-01-28 (case 0146)", note="sister Mona calls the hotline"),
    _p("P13", "dana_writes_qn", "Dana", "tal_al_zaytun", 0.0, 20, eta=0.45, mastodon="dana",
       mastodon_share=0.15, consent="self-registered on 2025-01-23 (case 0104)",
       note="same person as @dana@qasr.social"),
    _p("P14", "abu_fares_zaytun", "أبو فارس", "tal_al_zaytun", 1.0, 5, eta=0.3, rt=0.25,
       consent="consented via family on 2025-01-31 (case 0166)", note=""),
    _p("P15", "olive_hill_baker", "Olive Hill Bakery", "tal_al_zaytun", 0.6, 7, eta=0.3, rt=0.05,
       consent="consented in person on 2025-01-22 (case 0102)", note="bakery account, posts opening times"),
    _p("P16", "maryam_tz", "Maryam", "tal_al_zaytun", 0.0, 4, eta=0.3,
       consent="self-registered on 2025-01-29 (case 0153)", note=""),
    # Souq al-Qadim
    _p("P17", "souq_voice", "صوت السوق", "souq_al_qadim", 1.0, 32, eta=0.45, style="local_news", rt=0.2,
       consent="consented in person on 2025-01-19 (case 0094)", note="neighbourhood news page run by two brothers"),
    _p("P18", "lina_writes", "Lina", "souq_al_qadim", 0.1, 17, eta=0.45, mastodon="lina", mastodon_share=0.13,
       consent="self-registered on 2025-01-24 (case 0107)", note="same person as @lina@qasr.social; writer"),
    _p("P19", "tariq_oldsouq", "Tariq", "souq_al_qadim", 0.5, 4, eta=0.3,
       consent="consented via family on 2025-01-30 (case 0158)", note=""),
    _p("P20", "grandma_souad", "ستي سعاد", "souq_al_qadim", 1.0, 0.3, eta=0.1, rt=0.0,
       consent="consented via family on 2025-01-28 (case 0143)", note="her grandson posts for her"),
    _p("P21", "omar_the_tailor", "Omar", "souq_al_qadim", 0.0, 2, eta=0.25,
       consent="self-registered on 2025-01-27 (case 0133)", note=""),
    # Al-Tahuna
    _p("P22", "mill_quarter_news", "Mill Quarter News", "al_tahuna", 0.5, 55, eta=0.5, style="local_news",
       rt=0.25, consent="consented in person on 2025-01-18 (case 0090)",
       note="volunteer newsroom, posts round the clock", shift_h=2),
    _p("P23", "sami_tahuna", "سامي", "al_tahuna", 1.0, 9, eta=0.35,
       consent="consented via family on 2025-01-29 (case 0149)", note=""),
    _p("P24", "reem_in_qasr", "Reem", "al_tahuna", 0.0, 13, eta=0.4, mastodon="reem", mastodon_share=0.2,
       consent="self-registered on 2025-01-25 (case 0111)", note="same person as @reem@qasr.social"),
    _p("P25", "khaled_engineer", "Khaled, water engineer", "al_tahuna", 0.5, 2.5, eta=0.25,
       consent="consented in person on 2025-01-21 (case 0101)", note="runs the district water pump"),
    _p("P26", "hiba_mill", "هبة", "al_tahuna", 1.0, 1, eta=0.2,
       consent="consented via family on 2025-01-31 (case 0168)", note=""),
    # Karm al-Nakhil
    _p("P27", "karm_teacher", "Mr. Jamil", "karm_al_nakhil", 0.0, 5, eta=0.3,
       consent="self-registered on 2025-01-26 (case 0120)", note=""),
    _p("P28", "amal_palm", "أمل", "karm_al_nakhil", 1.0, 15, eta=0.45,
       consent="consented via family on 2025-01-28 (case 0147)", note="diabetic mother, needs insulin"),
    _p("P29", "nakhil_youth", "Nakhil Youth Group", "karm_al_nakhil", 0.5, 10, eta=0.35, style="local_news",
       rt=0.3, consent="consented in person on 2025-01-20 (case 0097)", note="volunteer group, shared phone"),
    _p("P30", "aziz_drives", "عزيز", "karm_al_nakhil", 1.0, 0.7, eta=0.2,
       consent="consented via family on 2025-01-30 (case 0162)", note="ambulance driver"),
    _p("P40", None, "Yara", "karm_al_nakhil", 0.0, 4, eta=0.35, mastodon="yara", mastodon_share=1.0,
       consent="self-registered on 2025-01-27 (case 0135)", note="Mastodon only"),
    # Al-Bustan (the silent account lives here)
    _p("P31", "rami_bustan", "Rami", "al_bustan", 0.5, 15, eta=0.0, rt=0.08, style="regular",
       consent="consented via family on 2025-01-26 (case 0121)", note="posts every hour or so; sister abroad"),
    _p("P32", "bustan_mama", "Bustan mum of 4", "al_bustan", 0.0, 6, eta=0.35,
       consent="self-registered on 2025-01-28 (case 0140)", note=""),
    _p("P33", "issa_pharmacy", "صيدلية عيسى", "al_bustan", 1.0, 3.5, eta=0.3, medical=True,
       consent="consented in person on 2025-01-22 (case 0105)", note="pharmacy, posts stock updates"),
    _p("P34", "layal_b", "Layal", "al_bustan", 0.5, 0.2, eta=0.1, rt=0.0,
       consent="self-registered on 2025-01-29 (case 0155)", note="rarely posts"),
    # Hayy al-Qalaa
    _p("P35", "citadel_watch", "رصد القلعة", "hayy_al_qalaa", 1.0, 26, eta=0.5, style="local_news", rt=0.2,
       consent="consented in person on 2025-01-19 (case 0093)", note="neighbourhood monitoring page"),
    _p("P36", "mahmoud_qalaa", "Mahmoud", "hayy_al_qalaa", 0.0, 8, eta=0.35,
       consent="consented via family on 2025-01-27 (case 0129)", note=""),
    _p("P37", "sara_citadel", "Sara", "hayy_al_qalaa", 0.5, 4, eta=0.3,
       consent="self-registered on 2025-01-28 (case 0139)", note=""),
    _p("P38", "old_man_hassan", "الحاج حسن", "hayy_al_qalaa", 1.0, 0.15, eta=0.1, rt=0.0,
       consent="consented via family on 2025-01-31 (case 0170)", note="his daughter posts for him"),
    _p("P39", "qalaa_volunteer", "Qalaa volunteers", "hayy_al_qalaa", 0.5, 10, eta=0.35, rt=0.2,
       consent="consented in person on 2025-01-20 (case 0096)", note="relief volunteers"),
]
PERSON = {p.key: p for p in PEOPLE}
BY_HANDLE = {p.x: p for p in PEOPLE if p.x}


@dataclass(frozen=True)
class Outlet:
    key: str
    handle: str
    name: str
    domain: str
    ar_share: float
    rate: float


OUTLETS = [
    Outlet("levant_daily", "LevantDaily", "Levant Daily", "levantdaily.example", 0.0, 14),
    Outlet("sahel_news", "AlSahelNews", "Al-Sahel News | الساحل", "alsahel.example", 0.7, 16),
    Outlet("channel9", "Channel9World", "Channel 9 World", "channel9world.example", 0.0, 11),
    Outlet("northern_courier", "NorthernCourier", "The Northern Courier", "northerncourier.example", 0.0, 7),
]
OUTLET = {o.key: o for o in OUTLETS}

# --- incidents ------------------------------------------------------------------------------------------

SILENT_PERSON = "P31"
SILENT_LAST_POST = at("2025-02-08T14:12:40Z")  # the last post; nothing from this person afterwards

BLACKOUT_DISTRICT = "tal_al_zaytun"
BLACKOUT_START = at("2025-02-06T07:40Z")
BLACKOUT_END = at("2025-02-06T21:40Z")


@dataclass(frozen=True)
class QuietSpell:
    """A natural pause (not an incident): the person comes back and usually says why."""

    person: str
    start: int
    end: int
    reason: str


QUIET_SPELLS = [
    QuietSpell("P02", at("2025-02-02T18:00Z"), at("2025-02-04T09:00Z"), "phone broke; borrowed one later"),
    QuietSpell("P07", at("2025-02-07T02:00Z"), at("2025-02-08T04:00Z"), "double shift at the field clinic"),
    QuietSpell("P23", at("2025-02-03T20:00Z"), at("2025-02-06T08:00Z"), "stayed with relatives without signal"),
    QuietSpell("P28", at("2025-02-05T10:00Z"), at("2025-02-06T14:00Z"), "no way to charge the phone"),
    QuietSpell("P35", at("2025-02-08T22:00Z"), at("2025-02-10T06:00Z"), "generator broke; page offline"),
    QuietSpell("P36", at("2025-02-01T16:00Z"), at("2025-02-03T10:00Z"), "phone died"),
    QuietSpell("P17", at("2025-02-04T20:00Z"), at("2025-02-05T20:00Z"), "both admins offline during the truce"),
    QuietSpell("P24", at("2025-02-02T07:00Z"), at("2025-02-03T15:00Z"), "moved to a shelter without network"),
    QuietSpell("P16", at("2025-02-08T12:00Z"), at("2025-02-10T08:00Z"), "stayed with family in Al-Tahuna"),
]

# --- timeline -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Phase:
    key: str
    start: int
    end: int
    summary: str


PHASES = [
    Phase("siege", 0, at("2025-02-03T05:30Z"), "siege tightens; bread queues, power cuts, shelling"),
    Phase("jisr_strike", at("2025-02-03T05:30Z"), at("2025-02-04T18:00Z"),
          "heavy shelling on Al-Jisr; disputed death toll"),
    Phase("truce", at("2025-02-04T18:00Z"), at("2025-02-05T13:00Z"), "ceasefire takes effect Tuesday night"),
    Phase("truce_broken", at("2025-02-05T13:00Z"), at("2025-02-07T06:00Z"),
          "ceasefire collapses; Tal al-Zaytun telecom tower hit (blackout)"),
    Phase("evac_deal", at("2025-02-07T06:00Z"), at("2025-02-08T10:00Z"), "evacuation deal; green buses promised"),
    Phase("convoy_moving", at("2025-02-08T10:00Z"), at("2025-02-09T04:00Z"), "first convoy of green buses leaves"),
    Phase("convoy_halted", at("2025-02-09T04:00Z"), at("2025-02-09T16:00Z"),
          "convoy halted at the Silo checkpoint; reports of fire"),
    Phase("convoy_reached", at("2025-02-09T16:00Z"), SPAN_S,
          "convoy reaches the western crossing; evacuation continues; last farewells"),
]


def phase_at(t: float) -> str:
    for ph in PHASES:
        if ph.start <= t < ph.end:
            return ph.key
    return PHASES[-1].key


# Daily activity multipliers (UTC day 1..10): bad days bring more posts.
DAY_MULT = [0.9, 1.0, 1.5, 1.2, 1.1, 1.3, 1.0, 1.3, 1.5, 1.4]

# Posts on X before this time are in the search pages; from STREAM_FROM on in the stream (30 minutes overlap).
PAGES_UNTIL = at("2025-02-09T12:30Z")
STREAM_FROM = at("2025-02-09T12:00Z")

VIRAL_EARLY = ("P13", at("2025-02-07T16:30Z"))  # Dana: "goodbye to Qasr al-Nahr" text copied by others
VIRAL_LATE = ("P18", at("2025-02-09T15:10Z"))  # Lina: "goodbye forever from Qasr al-Nahr" text copied widely


@dataclass(frozen=True)
class Event:
    """A scripted moment that shapes content (for the README and truth.json)."""

    time: str
    what: str
    extra: dict[str, str] = field(default_factory=dict)


TIMELINE = [
    Event("2025-02-01T00:00Z", "scenario starts; siege of Qasr al-Nahr in its fourth week"),
    Event("2025-02-03T05:30Z", "heavy shelling on Al-Jisr; toll disputed (45 / 62 / 80)"),
    Event("2025-02-04T18:00Z", "ceasefire takes effect (Tuesday 21:00 local)"),
    Event("2025-02-05T13:00Z", "ceasefire collapses; each side blames the other"),
    Event("2025-02-06T07:40Z", "telecom tower in Tal al-Zaytun hit: district blackout begins"),
    Event("2025-02-06T21:40Z", "Tal al-Zaytun back online"),
    Event("2025-02-07T06:00Z", "evacuation deal: green buses promised"),
    Event("2025-02-07T16:30Z", "Dana's 'Goodbye to Qasr al-Nahr' post, copied by others"),
    Event("2025-02-08T10:00Z", "first convoy of green buses leaves"),
    Event("2025-02-08T14:12Z", "last post of @rami_bustan (silent afterwards)"),
    Event("2025-02-09T04:00Z", "convoy halted at the Silo checkpoint"),
    Event("2025-02-09T15:10Z", "Lina's 'Goodbye forever from Qasr al-Nahr' post goes viral"),
    Event("2025-02-09T16:00Z", "convoy reaches the Westgate crossing"),
    Event("2025-02-11T00:00Z", "scenario ends"),
]
