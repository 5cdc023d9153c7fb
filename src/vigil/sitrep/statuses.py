"""Statuses: state changes of a ceasefire, evacuation, convoy, crossing, road, hospital, bakery or water point.

An object ("the convoy", "القافلة") is paired with the nearest status phrase in its sentence ("reached",
"was halted", "came under fire", "وصلت"). The object usually comes first; when the status comes first only
verbs that act on the object count ("shelling hit the hospital", "reopened the crossing"), so that in "the
convoy reached the Westgate crossing" the crossing is the convoy's destination, not something that reached.
Negation ("did not reach", "failed to take effect") gives ``not reached``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import ar_pattern

__all__ = ["OPPOSED", "StatusFound", "find_statuses", "opposed", "when_of"]


@dataclass(frozen=True, slots=True)
class StatusFound:
    """A status in a sentence: the object, its new status, the place if named, the span of the object."""

    subject: str
    status: str
    place: str | None
    start: int
    end: int
    when: int | None = None
    pos: int = 0


_OBJECTS_EN = [
    ("ceasefire", r"cease-?fire(?:\s+(?:deal|agreement))?|truce|ceasefire|hudna|cessation\s+of\s+hostilities"),
    ("evacuation", r"evacuations?(?:\s+(?:deal|operation|plan|agreement))?"),
    ("convoy", r"(?:aid\s+|relief\s+|humanitarian\s+)?convoys?|(?:green\s+|evacuation\s+)?buses"),
    ("crossing", r"(?:border\s+)?crossings?(?:\s+point)?|checkpoints?|(?:humanitarian\s+)?corridors?"),
    ("road", r"(?:main\s+|supply\s+|access\s+)?(?:road|highway|route)s?"),
    ("hospital", r"hospitals?|clinics?|medical\s+(?:centre|center|facility|point)s?|field\s+hospital"),
    ("bakery", r"bakery|bakeries"),
    ("water point", r"water\s+(?:points?|stations?|supply|supplies|pumping\s+stations?|networks?|pipes?|mains?)|"
                    r"wells?"),
    ("power", r"electricity|power\s+(?:supply|station|plant|grid|lines?|networks?)|power(?=\s+and\s+water\s)"),
    ("telecom", r"(?:telecom|telecommunications?|mobile|phone|cell)\s+(?:tower|network|mast|lines?|service)s?|"
                r"internet(?:\s+access)?"),
]
_OBJ_RE_EN = re.compile(r"\b(?:" + "|".join(f"(?P<o{i}>{p})" for i, (_, p) in enumerate(_OBJECTS_EN)) + r")\b",
                        re.I)

# canonical status -> English phrase pattern (after the object unless marked transitive)
_STATUS_EN = [
    ("took effect", r"(?:took|takes|take|taking|has\s+taken|had\s+taken)\s+effect|came\s+into\s+(?:effect|force)|"
                    r"went\s+into\s+effect|entered\s+into\s+force|(?:is|was|been)\s+in\s+(?:effect|force)|kicked\s+in"),
    ("holding", r"(?:is|was|were|has\s+been|had\s+been)\s+(?:largely\s+|broadly\s+|mostly\s+)?holding|held\s+"
                r"(?:overnight|firm)|holds"),
    ("collapsed", r"collapsed|collapses|collapse|broke\s+down|breaks\s+down|(?:was|is|been)\s+broken|fell\s+apart|"
                  r"crumbled|unravell?ed|(?:was|were|has\s+been|had\s+been)\s+(?:violated|breached)|"
                  r"is\s+over|was\s+over|ended"),
    ("agreed", r"(?:was|were|has\s+been|had\s+been|is)\s+(?:agreed|announced|brokered|signed)|agreed"),
    ("began", r"began|begins|begun|started|starts|got\s+under\s*way|(?:is|was)\s+under\s*way|kicked\s+off"),
    ("reached", r"(?:was\s+|were\s+|has\s+been\s+|had\s+been\s+)?reached|reaches|arrived|arrives|entered|"
                r"enters|made\s+it|pulled\s+into|rolled\s+into"),
    ("departed", r"left|leaves|departed|departs|set\s+(?:off|out)|pulled\s+out|rolled\s+out|moved\s+out|"
                 r"got\s+moving|headed\s+out"),
    ("halted", r"(?:was|were|is|are|been|got|had\s+been|have\s+been)?\s*(?:halted|stopped|stalled|blocked|held\s+up|"
               r"turned\s+back|stuck|delayed|stranded)|halts|stops|stalls|ground\s+to\s+a\s+halt"),
    ("suspended", r"(?:was|were|is|are|been|had\s+been|has\s+been)?\s*(?:suspended|postponed|put\s+on\s+hold|"
                  r"called\s+off|cancell?ed|frozen|paused)"),
    ("under fire", r"(?:came|come|comes|coming|was|were|is|are)\s+under\s+(?:fire|attack)|(?:was|were|been)\s+"
                   r"(?:fired\s+(?:on|upon|at)|shot\s+at|attacked|targeted|ambushed)"),
    ("shelled", r"(?:was|were|been|is|are)\s+(?:shelled|bombed|hit|struck|bombarded|damaged|destroyed|"
                r"badly\s+damaged|razed|levell?ed)"),
    ("out of service", r"(?:was|were|is|are|been|has\s+been|have\s+been|remains?|remained)?\s*(?:out\s+of\s+"
                       r"(?:service|action|order)|no\s+longer\s+(?:functioning|working|operating)|"
                       r"(?:forced\s+to\s+)?(?:shut|closed)\s+down)"),
    ("operating", r"(?:is|are|was|were|remains?|remained|still)\s+(?:still\s+|partially\s+|partly\s+|fully\s+|"
                  r"only\s+partially\s+)?(?:operating|operational|functioning|working|open)"),
    ("cut", r"(?:was|were|is|are|been|has\s+been|have\s+been)?\s*(?:cut(?:\s+off)?|severed|down|"
            r"knocked\s+out|disconnected)|went\s+(?:down|dark|offline)"),
    ("closed", r"(?:was|were|is|are|been|remains?|remained)\s+(?:closed|shut|sealed)|closed|shut\s+down"),
    ("reopened", r"(?:was|were|is|are|been|has\s+been|have\s+been)?\s*(?:reopened|re-opened|restored|back\s+"
                 r"(?:in\s+service|online|open)|repaired)|reopens|reopen|resumed\s+(?:operations|work|service)"),
    ("resumed", r"(?:was|were|been)?\s*resumed|resumes|restarted"),
    ("completed", r"(?:was|were|been)?\s*(?:completed|finished|concluded)"),
]
# verbs that act on an object that follows them: "shelling hit the hospital", "forces reopened the road"
_TRANSITIVE_EN = [
    ("shelled", r"(?:shelled|shelling\s+(?:hit|struck)|bombed|hit|struck|destroyed|damaged|bombarded|targeted|"
                r"shelling|bombing|hitting|striking|destroying|damaging|bombarding|targeting|"
                r"air\s*strikes?\s+(?:on|hit)|strikes?\s+(?:on|hit)|shells\s+(?:landed\s+)?(?:on|near)|"
                r"shelling\s+(?:of|on))"),
    ("under fire", r"(?:fired\s+(?:on|upon|at)|opened\s+fire\s+on|shot\s+at|attacked|ambushed|attack\s+on|"
                   r"firing\s+on)"),
    ("closed", r"(?:closed|shut|sealed|blocked|closure\s+of|closing|blocking|sealing)"),
    ("reopened", r"(?:reopened|re-opened|restored|repaired|reopening\s+of|reopening|restoring)"),
    ("cut", r"(?:cut(?:\s+off)?|severed|knocked\s+out|cutting(?:\s+off)?|severing)"),
    ("halted", r"(?:halted|stopped|blocked|turned\s+back|halting|stopping)"),
    ("suspended", r"(?:suspended|postponed|called\s+off|suspension\s+of)"),
    ("collapsed", r"(?:collapse\s+of|breakdown\s+of|violations?\s+of|violated|breached|broke)"),
    ("took effect", r"(?:start\s+of|beginning\s+of)"),
    ("began", r"(?:began|started|launched)"),
]
_STATUS_RE_EN = [(name, re.compile(rf"^[\s,]*(?:also\s+|reportedly\s+|finally\s+|later\s+|had\s+|has\s+|have\s+)?"
                                   rf"(?P<neg>(?:did\s+not|didn['’]t|has\s+not|had\s+not|have\s+not|hasn['’]t|"
                                   rf"haven['’]t|was\s+not|wasn['’]t|were\s+not|is\s+not|isn['’]t|never|not|failed\s+to|"
                                   rf"yet\s+to)\s+)?(?:(?:be|been|have|has)\s+)?(?:{p})\b", re.I))
                 for name, p in _STATUS_EN]
_STATUS_BASE = {"reach": "reached", "take effect": "took effect", "arrive": "reached", "enter": "reached",
                "leave": "departed", "hold": "holding", "collapse": "collapsed", "begin": "began", "start": "began"}
_NEG_BASE_RE = re.compile(r"^[\s,]*(?:did\s+not|didn['’]t|has\s+not|hasn['’]t|had\s+not|have\s+not|never|failed\s+to|"
                          r"yet\s+to|not)\s+(?P<verb>reach|take\s+effect|arrive|enter|leave|hold|collapse|begin|start)\b",
                          re.I)
_TRANS_RE_EN = [(name, re.compile(rf"\b(?:{p})\s+(?:the\s+|a\s+|an\s+|two\s+|three\s+|several\s+|its\s+|"
                                  rf"their\s+)?(?:[\w-]+\s+){{0,3}}$", re.I)) for name, p in _TRANSITIVE_EN]
_PLACE_AFTER = re.compile(r"\b(?:at|near|in|outside|inside|on|to|towards|into|from)\s+(?:the\s+)?(?P<place>"
                          r"(?:[A-Z][\w'’-]*|al-[A-Z][\w'’-]*)(?:\s+(?:al-|el-)?[A-Z][\w'’-]*){0,3}"
                          r"(?:\s+(?:crossing|checkpoint|district|neighbourhood|neighborhood|road|hospital|bakery|"
                          r"square|bridge|camp|gate))?)")
_MODIFIER = re.compile(r"^\s+(?:of|in|for|from|carrying|with|on|around|across|between|to|into|near|at|outside|"
                       r"linking|leading\s+to|serving)\s")
_DESTINATION = re.compile(r"^\s*(?:the\s+)?(?:[A-Z][\w'’-]*\s+){1,3}(?:crossing|checkpoint|corridor|road)", re.I)

# --- Arabic ---------------------------------------------------------------------------------------------------

_OBJECTS_AR = [
    ("ceasefire", ["الهدنة", "هدنة", "وقف إطلاق النار", "وقف اطلاق النار", "اتفاق التهدئة", "التهدئة"]),
    ("evacuation", ["الإجلاء", "إجلاء", "عملية الإجلاء", "عمليات الإجلاء"]),
    ("convoy", ["القافلة", "قافلة", "القوافل", "قوافل", "الحافلات", "حافلات", "الباصات"]),
    ("crossing", ["المعبر", "معبر", "الحاجز", "حاجز", "الممر", "ممر"]),
    ("road", ["الطريق", "طريق"]),
    ("hospital", ["المستشفى", "مستشفى", "المشفى", "مشفى", "المستوصف"]),
    ("bakery", ["الفرن", "فرن", "المخبز", "مخبز", "الأفران", "أفران"]),
    ("water point", ["محطة المياه", "محطة مياه", "نقطة المياه", "نقطة مياه", "نقاط المياه", "المياه"]),
    ("power", ["الكهرباء", "التيار الكهربائي"]),
    ("telecom", ["الاتصالات", "الإنترنت", "الانترنت", "برج الاتصالات", "شبكة الاتصالات"]),
]
_OBJ_RE_AR = re.compile("(?<![\u0621-\u064a])[وبل]?(?:" + "|".join(
    f"(?P<a{i}>" + "|".join(r"\s+".join(ar_pattern(w) for w in word.split()) for word in words) + ")"
    for i, (_, words) in enumerate(_OBJECTS_AR)) + ")ا?(?![\u0621-\u064a])")  # "فرناً": accusative alef
_STATUS_AR = [
    ("took effect", ["دخل حيز التنفيذ", "دخلت حيز التنفيذ", "سريان", "سرى", "سرت"]),
    ("collapsed", ["انهار", "انهارت", "انهيار", "خرق", "خرقت", "خروقات", "انتهاك", "انتهاكات", "سقطت"]),
    ("began", ["بدأ", "بدأت", "بدء", "انطلق", "انطلقت", "انطلاق"]),
    ("reached", ["وصل", "وصلت", "وصول", "دخل", "دخلت", "دخول"]),
    ("departed", ["غادر", "غادرت", "خرج", "خرجت", "خروج"]),
    ("halted", ["توقف", "توقفت", "أوقف", "أوقفت", "توقيف", "منع", "منعت", "عرقل", "عرقلت", "احتجز", "احتجزت"]),
    ("suspended", ["علق", "علقت", "تعليق", "أرجئ", "أرجئت", "تأجيل", "تأجلت"]),
    ("under fire", ["تعرض لإطلاق نار", "تعرضت لإطلاق نار", "إطلاق النار على", "استهدف", "استهدفت", "استهداف"]),
    ("shelled", ["قصف", "قصفت", "قصفه", "تعرض للقصف", "تعرضت للقصف", "دمر", "دمرت", "تدمير"]),
    ("cut", ["قطع", "قطعت", "انقطاع", "انقطعت", "مقطوع", "مقطوعة", "خرج عن الخدمة", "خرجت عن الخدمة"]),
    ("closed", ["أغلق", "أغلقت", "إغلاق", "مغلق", "مغلقة"]),
    ("reopened", ["أعيد فتح", "أعيد افتتاح", "إعادة فتح", "افتتح", "افتتحت", "عادت", "عاد"]),
]
_STATUS_RE_AR = [(name, re.compile("(?<![\u0621-\u064a])[وب]?(?:" + "|".join(
    r"\s+".join(ar_pattern(w) for w in phrase.split()) for phrase in phrases) + ")(?![\u0621-\u064a])"))
    for name, phrases in _STATUS_AR]
_NEG_AR = re.compile("(?:" + "|".join(ar_pattern(w) for w in ("لم", "لا", "لن", "ما")) + r")\s+\S*\s*$")

OPPOSED: dict[str, set[str]] = {
    "reached": {"halted", "suspended", "not reached", "turned back", "under fire"},
    "took effect": {"not took effect"},
    "holding": {"collapsed", "not holding"},
    "began": {"suspended", "not began", "halted"},
    "reopened": {"closed", "cut", "shelled", "out of service"},
    "operating": {"out of service", "closed", "not operating", "destroyed"},
    "departed": {"not departed"},
}


def opposed(a: str, b: str) -> bool:
    """True when two statuses of the same object cannot both be true at the same moment."""
    return b in OPPOSED.get(a, set()) or a in OPPOSED.get(b, set())


_REACHED_PLACE = re.compile(r"^\s*(?:\w+\s+){0,3}?(?:reached|reaches|arrived\s+(?:at|in)|entered|enters)\s+(?:the\s+)?"
                            r"(?P<place>(?:al-)?[A-Z][\w'’-]*(?:\s+(?:al-|el-)?[A-Z][\w'’-]*){0,3}(?:\s+(?:crossing|"
                            r"checkpoint|district|neighbourhood|neighborhood|camp|gate))?)")


def _place(text: str, start: int) -> str | None:
    r = _REACHED_PLACE.match(text[start:start + 80])
    if r:
        return r.group("place").strip()
    m = _PLACE_AFTER.search(text, start)
    if m and m.start() - start < 80:
        place = m.group("place").strip()
        if place.split()[0].lower() not in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                            "sunday", "january", "february", "march", "april", "may", "june",
                                            "july", "august", "september", "october", "november", "december"):
            return place
    return None


_NEG_BEFORE = re.compile(r"(?:\bdid\s+not|\bdidn['’]t|\bhas\s+not|\bhad\s+not|\bhave\s+not|\bhasn['’]t|"
                         r"\bhaven['’]t|\bwas\s+not|\bwasn['’]t|\bwere\s+not|\bis\s+not|\bisn['’]t|\bnever|\bnot|"
                         r"\bfailed\s+to|\byet\s+to)\s+(?:(?:be|been|have|has)\s+)?$", re.I)
_STATUS_SEARCH_EN = [(name, re.compile(rf"(?<![\w-])(?:{p})\b", re.I)) for name, p in _STATUS_EN]
# words that start another clause: a status after them belongs to another subject ("as shelling resumed")
_CLAUSE_BREAK = re.compile(r"\b(?:as|when|after|while|because|but|said|says|that|before|until|since|whereas|"
                           r"although|though|so|if|and\s+(?:the|a|an|its|their))\b|[;:]|\.\s", re.I)
_HOUR = re.compile(r"\b(?:at\s+(?:around\s+|about\s+)?)?(?P<h>\d{1,2})(?::(?P<m>\d\d))?\s*(?P<ap>a\.?m\.?|p\.?m\.?)|"
                   r"\b(?P<word>midnight|noon|midday)\b|\b(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)\b", re.I)


def when_of(text: str) -> int | None:
    """The clock hour (0-23) a sentence gives for a status change: "at 9pm" -> 21, "midnight" -> 0."""
    m = _HOUR.search(text)
    if m is None:
        return None
    if m.group("word"):
        return 0 if m.group("word").lower() == "midnight" else 12
    if m.group("h24"):
        return int(m.group("h24"))
    hour = int(m.group("h")) % 12
    return hour + 12 if m.group("ap").lower().startswith("p") else hour


_LIST_GAP = re.compile(r"[\s,]*(?:(?:and|or)\s+)?(?:(?:the|its|their|a|an)\s+)?(?:[\w'’-]+\s+)?", re.I)
# "the truce was breached although it came into effect on Friday": a pronoun for the ceasefire just named
_IT_STATUS = re.compile(r"\b(?:it|which)\s+(?:had\s+|has\s+|first\s+)?(?P<s>took\s+effect|"
                        r"came\s+into\s+(?:effect|force)|went\s+into\s+effect|entered\s+into\s+force|collapsed|"
                        r"broke\s+down)\b", re.I)


def _english(text: str) -> list[StatusFound]:
    out: list[StatusFound] = []
    objects = list(_OBJ_RE_EN.finditer(text))
    listed: tuple[int, str] | None = None  # end of the last object given a status by a verb before it
    for k, m in enumerate(objects):
        kind = next(_OBJECTS_EN[i][0] for i in range(len(_OBJECTS_EN)) if m.group(f"o{i}"))
        before = text[:m.start()]
        if re.search(r"\b(?:at|to|towards|near|into|through|via|from|outside|past)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}$",
                     before[-45:], re.I) and kind in ("crossing", "road", "hospital", "bakery"):
            continue  # a destination or a landmark, not the thing whose state changed
        # the window ends at the next object unless that one sits in a modifier ("the road to the crossing")
        nxt = next((o for o in objects[k + 1:] if not re.search(r"\b(?:to|of|in|near|at|towards|from|outside)\s+"
                                                                 r"(?:the\s+)?(?:[\w'’-]+\s+){0,2}$",
                                                                 text[m.end():o.start()])), None)
        limit = nxt.start() if nxt is not None else len(text)
        inside = re.search(r"\b(?:toll|number|blast|attack|explosion|bombing|strike|bomb)\s+(?:from|on|near|against|"
                           r"targeting|at)\s+(?:[\w'’-]+\s+){0,5}$", before[-80:], re.I)
        window = re.sub(r"[\"“”«»]", " ", text[m.end():min(limit, m.end() + 260)])  # 'was "out of service"'
        found: list[tuple[int, str]] = []
        pos = 0
        while not inside:  # "the toll from a blast on a bus convoy reached 112": the convoy reached nothing
            best: tuple[int, int, str] | None = None
            for name, pattern in _STATUS_SEARCH_EN:
                sm = pattern.search(window, pos)
                if sm and (best is None or sm.start() < best[0]):
                    best = (sm.start(), sm.end(), name)
            if best is None:
                break
            gap = window[pos:best[0]]
            if _CLAUSE_BREAK.search(gap) and not re.search(r",\s*which\b", gap):
                break
            neg = bool(_NEG_BEFORE.search(window[max(0, best[0] - 25):best[0]]))
            found.append((best[0], ("not " + best[2]) if neg else best[2]))
            pos = best[1]
            if len(found) >= 3:
                break
        neg_base = _NEG_BASE_RE.match(window)
        if neg_base:
            base = re.sub(r"\s+", " ", neg_base.group("verb").lower())
            found.insert(0, (0, "not " + _STATUS_BASE.get(base, base)))
        if not found:
            for name, pattern in _TRANS_RE_EN:
                if pattern.search(before[-70:]):
                    found.append((0, name))
                    break
        if not found and listed is not None and _LIST_GAP.fullmatch(text, listed[0], m.start()):
            found.append((0, listed[1]))  # "damaged hospitals, clinics and the city's power and water networks"
        listed = (m.end(), found[0][1]) if len(found) == 1 and found[0][0] == 0 else None
        for offset, status in found:
            if kind == "ceasefire" and status == "reached":
                status = "agreed"  # "a ceasefire was reached"
            if kind == "convoy" and status == "reached" and re.match(r"^\s*(?:an?\s+)?agreement", window[offset:]):
                continue
            if kind != "ceasefire" and status in ("holding", "took effect", "agreed"):
                continue
            out.append(StatusFound(kind, status, _place(text, m.end()), m.start(), m.end(),
                                   when_of(window[offset:offset + 60]) if status in ("took effect", "collapsed",
                                                                                     "reached", "halted") else None,
                                   m.end() + offset if offset else m.start()))
    return out


def _pronoun_statuses(text: str, found: list[StatusFound]) -> list[StatusFound]:
    out: list[StatusFound] = []
    for m in _IT_STATUS.finditer(text):
        ceasefire = [f for f in found if f.subject == "ceasefire" and f.end <= m.start()]
        if ceasefire:
            phrase = m.group("s").lower()
            status = "collapsed" if phrase.startswith(("collapsed", "broke")) else "took effect"
            out.append(StatusFound("ceasefire", status, None, m.start(), m.end(), when_of(text[m.end():m.end() + 60]),
                                   m.start()))
    return out


def _arabic(text: str) -> list[StatusFound]:
    out: list[StatusFound] = []
    prev_end = -10
    for m in _OBJ_RE_AR.finditer(text):
        kind = next(_OBJECTS_AR[i][0] for i in range(len(_OBJECTS_AR)) if m.group(f"a{i}"))
        if m.start() - prev_end <= 2:
            prev_end = m.end()
            continue  # "قافلة الإجلاء": the second noun qualifies the first
        prev_end = m.end()
        if kind in ("crossing", "road") and re.search(r"(?:إلى|الى|عند|نحو|باتجاه|قرب|من|عبر)\s*$", text[:m.start()]):
            continue  # a destination or a landmark
        before_best: tuple[int, str] | None = None
        after: list[tuple[int, str]] = []
        took = [(t.start(), t.end()) for t in _STATUS_RE_AR[0][1].finditer(text)]
        for name, pattern in _STATUS_RE_AR:
            for sm in pattern.finditer(text):
                if name != "took effect" and any(a <= sm.start() < b for a, b in took):
                    continue  # "دخلت حيز التنفيذ" is taking effect, not entering
                # Arabic puts the verb first ("وصلت القافلة"), or the noun first ("القافلة وصلت")
                negated = bool(_NEG_AR.search(text[max(0, sm.start() - 12):sm.start()]))
                label = ("not " + name) if negated else name
                if sm.end() <= m.start():
                    dist = m.start() - sm.end()
                    # "قصف استهدف فرناً" (shelling that targeted a bakery): the shelling is what happened to it
                    rank = dist - (100 if name == "shelled" else 0)
                    if dist <= 25 and (before_best is None or rank < before_best[0]):
                        before_best = (rank, label)
                elif sm.start() >= m.end() and sm.start() - m.end() <= 90:
                    after.append((sm.start(), label))
        labels = ([before_best[1]] if before_best else []) + [lab for _, lab in sorted(after)[:3]]
        for label in labels:
            out.append(StatusFound(kind, label, None, m.start(), m.end(), None, m.start()))
    return out


def find_statuses(norm: str) -> list[StatusFound]:
    """Statuses in one sentence; one per object mention, duplicates of the same object collapsed."""
    arabic = bool(re.search(r"[\u0621-\u064a]", norm))
    found = _arabic(norm) if arabic else _english(norm)
    if not arabic:
        found += _pronoun_statuses(norm, found)
    seen: set[tuple[str, str]] = set()
    out = []
    for f in found:
        if (f.subject, f.status) not in seen:
            seen.add((f.subject, f.status))
            out.append(f)
    return out
