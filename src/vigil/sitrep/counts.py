"""Counts: numbers of people, objects and events, with what they count, in English and Arabic.

A quantity (see :mod:`vigil.sitrep.numbers`) becomes a count only when the words around it say what it counts:
a counted noun after it ("four civilians", "20,000 to 35,000 civilians remain trapped", "عشرات المدنيين"), an
event word after it ("112 were killed") or a toll before it ("the death toll rose to 70", "مقتل 12"). Years,
dates, ages, times, durations, percentages, money, phone and street numbers are rejected by their context.

The subject is normalised so that claims about the same thing meet: "killed", "dead" and "death toll" are
``deaths``; a group named with an event is a qualifier (``deaths (children)``).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from .numbers import Quantity, find_quantities

__all__ = ["CountFound", "find_counts", "subject_label"]


@dataclass(frozen=True, slots=True)
class CountFound:
    """A count in a sentence: its quantity, its normalised subject and the words it counts, as written."""

    quantity: Quantity
    subject: str
    counted: str


# --- vocabulary ---------------------------------------------------------------------------------------------

_NOUNS_EN: dict[str, str] = {}
for _cat, _words in {
    "people": "people persons civilians residents individuals inhabitants villagers men women children kids babies "
              "infants boys girls families students teachers patients doctors medics nurses workers journalists "
              "volunteers worshippers passengers pilgrims protesters demonstrators victims survivors elderly "
              "adults minors orphans mothers citizens syrians refugees-in evacuees-in person members",
    "fighters": "fighters militants rebels gunmen insurgents jihadists terrorists troops soldiers militiamen "
                "combatants mercenaries recruits personnel policemen guards officers",
    "detainees": "detainees prisoners hostages captives",
    "displaced": "refugees displaced idps",
    "evacuees": "evacuees",
    "deaths": "bodies corpses martyrs deaths fatalities dead lives",
    "injured": "injuries wounded injured",
    "casualties": "casualties",
    "missing": "missing",
    "buses": "buses bus coaches",
    "vehicles": "trucks lorries vehicles cars ambulances tankers",
    "airstrikes": "airstrikes air-strikes raids sorties strikes",
    "munitions": "shells rockets missiles mortars bombs projectiles barrels",
    "attacks": "attacks explosions blasts bombings violations clashes incidents",
    "buildings": "hospitals clinics schools homes houses buildings bakeries shelters mosques wells "
                 "neighbourhoods neighborhoods districts villages towns apartments",
    "convoys": "convoys",
    "aircraft": "tanks helicopters aircraft planes jets drones warplanes",
    "aid": "tonnes tons parcels baskets meals",
    "targets": "targets positions",
}.items():
    for _w in _words.split():
        _NOUNS_EN[_w.removesuffix("-in")] = _cat

# the singular nouns "one" counts ("one civilian was killed"), as their plural; other numbers take plurals
_SINGULAR_EN = {"civilian": "civilians", "person": "persons", "child": "children", "woman": "women", "man": "men",
                "boy": "boys", "girl": "girls", "baby": "babies", "resident": "residents", "citizen": "citizens",
                "journalist": "journalists", "doctor": "doctors", "nurse": "nurses", "volunteer": "volunteers",
                "worker": "workers", "member": "members", "fighter": "fighters", "soldier": "soldiers",
                "militant": "militants", "rebel": "rebels", "policeman": "policemen", "officer": "officers",
                "gunman": "gunmen", "terrorist": "terrorists", "bus": "buses", "building": "buildings",
                "hospital": "hospitals", "school": "schools", "vehicle": "vehicles", "car": "cars", "truck": "trucks",
                "convoy": "convoys"}

# group nouns kept as a qualifier when an event names what happened to them
_GROUPS = {"children": "children", "kids": "children", "boys": "children", "girls": "children", "babies": "children",
           "infants": "children", "minors": "children", "women": "women", "mothers": "women",
           "doctors": "medical workers", "medics": "medical workers", "nurses": "medical workers",
           "journalists": "journalists", "workers": "aid workers", "volunteers": "aid workers",
           **{w: "fighters" for w, c in _NOUNS_EN.items() if c == "fighters"}}
_MULTI_EN = {"air strikes": "airstrikes", "air raids": "airstrikes", "barrel bombs": "munitions",
             "mortar rounds": "munitions", "water points": "buildings", "aid workers": "people",
             "family members": "people", "aid trucks": "vehicles", "green buses": "buses",
             "security forces": "fighters", "government forces": "fighters", "regime forces": "fighters",
             "rescue workers": "people", "medical workers": "people", "health workers": "people",
             "aid convoys": "convoys", "food baskets": "aid", "human lives": "deaths"}

_AUX_AFTER = (r"^(?:(?:were|was|are|is|have|has|had|been|being|got|also|reportedly|allegedly|still|all|now|later|"
              r"since|already|who|that|which|were\s+later|others|other|more|people)\s+)*")
_EVENTS_AFTER = [
    (re.compile(_AUX_AFTER + r"(?:killed|dead|died|perished|slain|lost\s+their\s+lives|executed|massacred)\b", re.I),
     "deaths"),
    (re.compile(_AUX_AFTER + r"(?:wounded|injured|hurt|maimed)\b", re.I), "injured"),
    (re.compile(_AUX_AFTER + r"(?:missing|unaccounted)\b", re.I), "missing"),
    (re.compile(_AUX_AFTER + r"(?:evacuated|bussed\s+out|transported|taken\s+out|moved\s+out)\b", re.I),
     "evacuated"),
    (re.compile(_AUX_AFTER + r"(?:displaced|fled|uprooted|forced\s+(?:to\s+flee|from))\b", re.I), "displaced"),
    (re.compile(_AUX_AFTER + r"(?:(?:estimated|thought|believed|said|reported)\s+to\s+(?:remain|be\s+(?:trapped|"
                r"inside|stranded|besieged|still\s+inside))|trapped|besieged|inside|stranded|stuck|under\s+siege|"
                r"in\s+the\s+besieged|holed\s+up|remain|remaining|left\s+inside)\b", re.I), "trapped"),
    (re.compile(_AUX_AFTER + r"(?:arrested|detained|captured|abducted|kidnapped|taken\s+prisoner)\b", re.I),
     "detained"),
    (re.compile(_AUX_AFTER + r"(?:rescued|pulled\s+(?:alive\s+)?from)\b", re.I), "rescued"),
]
_EVENTS_BEFORE = [
    (re.compile(r"(?:death\s+toll|toll|number\s+of\s+(?:the\s+)?dead|number\s+of\s+deaths|number\s+of\s+"
                r"(?:[\w-]+\s+){0,2}killed|killing|killed|kills|kill|massacre\s+of|deaths\s+of|executed|executing|gassing|"
                r"gassed|dead\s+(?:rose|climbed)"
                r")\b[^.;]{0,90}$", re.I), "deaths"),
    (re.compile(r"(?:wounding|injuring|injures|injure|wounded|injured|number\s+of\s+(?:the\s+)?(?:wounded|injured))\b[^.;]{0,25}$",
                re.I), "injured"),
    (re.compile(r"(?:evacuation\s+of|evacuated|evacuating|evacuate|bussed\s+out|bus\s+out)\b[^.;]{0,25}$", re.I),
     "evacuated"),
    (re.compile(r"(?:displacing|displaced|displacement\s+of)\b[^.;]{0,25}$", re.I), "displaced"),
    (re.compile(r"(?:arresting|arrested|detaining|detained|capturing|captured|abducted|kidnapped)\b[^.;]{0,25}$",
                re.I), "detained"),
    (re.compile(r"(?:rescued|rescuing)\b[^.;]{0,25}$", re.I), "rescued"),
    (re.compile(r"(?:casualty\s+toll|casualties)\b[^.;]{0,25}$", re.I), "casualties"),
]
_TOLL_VERB = re.compile(r"\b(?:rose|risen|climbed|reached|stood|stands|was|is|at|to|of|hit|passed|topped|put)\s+"
                        r"(?:at\s+|to\s+)?(?:at\s+least\s+|more\s+than\s+|over\s+|some\s+|about\s+|around\s+|nearly\s+)?$",
                        re.I)

# --- rejections -------------------------------------------------------------------------------------------------

_MONTHS = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
           r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|يناير|فبراير|مارس|أبريل|ابريل|مايو|يونيو|يوليو|أغسطس|اغسطس|"
           r"سبتمبر|أكتوبر|اكتوبر|نوفمبر|ديسمبر|كانون|شباط|آذار|اذار|نيسان|أيار|ايار|حزيران|تموز|آب|اب|أيلول|"
           r"ايلول|تشرين")
_DATE_BEFORE = re.compile(rf"(?:\b(?:{_MONTHS})\.?|\bon\s+the)\s*$", re.I)
_DATE_AFTER = re.compile(rf"^\s*(?:st|nd|rd|th)?\s*(?:of\s+)?(?:{_MONTHS})\b", re.I)
_ORDINAL_AFTER = re.compile(r"^(?:st|nd|rd|th)\b", re.I)
_PERCENT_AFTER = re.compile(r"^\s*(?:%|٪|percent\b|per\s+cent\b|pc\b|percentage|بالمئة|بالمائة|في\s+المئة|"
                            r"في\s+المائة)", re.I)
_MONEY_BEFORE = re.compile(r"(?:[$€£¥]|\bus\$|\busd|\beur|\bsyp|\bgbp)\s*$", re.I)
_MONEY_AFTER = re.compile(r"^\s*(?:(?:million|billion|thousand|m|bn)\s+)?(?:dollars?|euros?|pounds?|lira|liras|"
                          r"lire|usd|syp|riyals?|dinars?|francs?|yuan|rubles?|roubles?|دولار|ليرة|يورو|ريال|دينار)\b",
                          re.I)
_TIME_AFTER = re.compile(r"^\s*(?:a\.?m\.?|p\.?m\.?|o'clock|o’clock|gmt|utc|hrs|local\s+time|in\s+the\s+"
                         r"(?:morning|evening|afternoon)|صباحا|مساء|ظهرا|بتوقيت)", re.I)
_TIME_BEFORE = re.compile(r"(?:\b(?:at|around|by|until|till|from|since)\s+|:)\s*$", re.I)
_AGE_AFTER = re.compile(r"^\s*-?\s*(?:years?|yrs?|months?)[-\s]+old\b|^\s*-year-old|^\s*-month-old|^\s*,\s*(?:was|"
                        r"is|who|had|has|said|told)\b|^\s*(?:عاما|سنة\s+من\s+العمر|عامًا)", re.I)
_AGE_BEFORE = re.compile(r"(?:\baged|\bage\s+of|\bages\s+of|\bage|العمر|البالغ\s+من\s+العمر)\s*$", re.I)
_NAME_COMMA_BEFORE = re.compile(r"\b[A-Z][a-z]+,\s*$")
_LABEL_BEFORE = re.compile(r"(?:\bno\.?|\bnumber|#|\bstreet|\bst\.|\broad|\bbuilding|\broute|\bhighway|\bresolution|"
                           r"\barticle|\bbrigade|\bdivision|\bcorps|\bregiment|\bpage|\bchapter|\broom|\bflight|"
                           r"\bplatform|\bgate|\bphase|\bkm|\bkilometre|\bkilometer|\bbloc|\bblock|\bsection|\bunit|"
                           r"\bbattalion|\blevel|\bgrade|\bsize|\bversion|\btop|\bcategory|\bline|\+|\bwave|"
                           r"\bwith|\bscored|\bby|\bvote|\bvoted|\bpoint|\bpoints|\bg|\bcovid-?|\bcovid|\bf-?|\bsu-?|"
                           r"\bmig-?|\bs-?|\bt-?|\bpkk|\bpyd|\bsdf|\bviews|\bcomments|\bshares|\blikes|\btweets?|"
                           r"رقم)\s*$", re.I)
_LABEL_AFTER = re.compile(r"^\s*(?:street|st\b|road|avenue|ave\b|lane|square|floor|storey|th\s+floor|km\b|"
                          r"kilomet(?:re|er)s?|miles?|metres?|meters?|m\b|kg\b|kilograms?|litres?|liters?|mm\b|"
                          r"hectares?|square|degrees?|°|times\b|fold\b|votes?|to\s+\d|of\s+(?:the\s+\d)|"
                          r"كيلومتر|كلم|كم|متر|مترا|لتر|درجة|مرات|مرة)", re.I)
_DURATION = {"second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "month",
             "months", "year", "years", "decade", "decades", "century", "centuries", "time", "times", "night",
             "nights", "year-old", "years-old", "round", "rounds", "point", "points", "sides", "side", "ways",
             "steps", "stages", "countries", "nations", "states", "provinces", "cities", "parties", "percent",
             "languages", "pages", "articles", "words", "goals", "seats", "votes", "things", "reasons",
             "questions", "issues", "options", "thing"}
_BREAK = {"and", "or", "in", "on", "at", "to", "from", "with", "by", "as", "but", "while", "who", "that", "which",
          "were", "was", "are", "is", "had", "have", "has", "since", "after", "before", "into", "for", "than", "per",
          "a", "an", "when", "if", "including", "among", "said", "says", "told"}
_TIME_NAMES = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday", "today",
               "overnight", "last", "this", "on"}
_NOT_MODIFIER = {"number", "total", "toll", "rest", "majority", "half", "most", "some", "url", "get", "short"}
_YEAR = re.compile(r"^(?:19|20)\d\d$")
# "the 10 civilians killed in strikes on the bus": a source restating a figure with its event
_RESTATED = re.compile(r"^\s+(?:[\w-]+\s+){0,2}?(?:people|civilians|persons|children|fighters|soldiers|others)\s+"
                       r"(?:killed|dead|wounded|injured)\b", re.I)
_EVENT_WORD = re.compile(r"(?:killed|dead|died|wounded|injured|hurt|missing|evacuated|displaced|arrested|detained|"
                         r"were|was|are|is|have|has|had)$", re.I)
# "70 regime and rebel fighters": two modifiers joined by "and" before the counted noun
_AND_MODIFIERS = re.compile(r"\s+(?P<a>[\w-]+)\s+and\s+(?P<b>[\w-]+)\s+(?P<noun>[\w-]+)")

_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*|[\u0621-\u064a]+")


def _words_after(text: str, pos: int, n: int) -> list[tuple[str, int, int]]:
    out = []
    for m in _WORD_RE.finditer(text, pos):
        out.append((m.group(0), m.start(), m.end()))
        if len(out) >= n:
            break
    return out


def _rejected(text: str, q: Quantity) -> bool:
    before = text[:q.number_start]
    after = text[q.end:]
    raw = text[q.number_start:q.number_end]
    if q.digits:
        if _YEAR.match(raw.replace(",", "")) and not re.match(r"^\s+(?:people|civilians|residents|families|"
                                                                r"fighters|children|refugees|troops)\b", after, re.I):
            return True
        if _DATE_BEFORE.search(before) or _DATE_AFTER.search(after) or _ORDINAL_AFTER.search(after):
            return True
        if before.endswith((":", "/", ".", "-")) or after.startswith((":", "/")) or re.match(r"^\.\d", after):
            return True  # "28.04.2017": a date written with dots
        if _TIME_BEFORE.search(before) and re.match(r"^\s*(?:a\.?m|p\.?m|h\b|:|gmt|local)", after, re.I):
            return True
        if re.match(r"^\d{7,}$", raw.replace(",", "")) and "," not in raw:
            return True  # phone numbers and ids
        if _LABEL_BEFORE.search(before):
            return True
        if _NAME_COMMA_BEFORE.search(before) and re.match(r"^\s*,", after):
            return True  # "Ahmed, 34, said"
    if _PERCENT_AFTER.search(after) or _MONEY_BEFORE.search(before) or _MONEY_AFTER.search(after):
        return True
    if _TIME_AFTER.search(after) or _AGE_AFTER.search(after) or _AGE_BEFORE.search(before):
        return True
    if _LABEL_AFTER.search(after):
        return True
    if q.digits and (re.match(r"^\s+\d|^-\d", after) or re.search(r"(?:url|updated)(?:\s+\d+)?\s*$", before, re.I)
                     or (re.search(r"\b(?:19|20)\d\d\s+$", before) and re.fullmatch(r"\d{4,6}", raw))):
        return True  # "Get short URL 0 214", "(updated 1954 ...", "29-08-2014": page furniture and dates
    if re.search(r"\bthe\s+$", before, re.I) and q.low is not None and q.low <= 10 and q.start == q.number_start \
            and not _RESTATED.match(after):
        return True  # "the two villages": a reference back, not a new figure
    nxt = _words_after(text, q.end, 1)
    return bool(nxt and nxt[0][0].lower() in _DURATION and nxt[0][1] - q.end <= 2)


# --- English subject -------------------------------------------------------------------------------------------


def _event_after(text: str, pos: int) -> tuple[str, int] | None:
    rest = text[pos:]
    stripped = rest.lstrip()
    offset = pos + len(rest) - len(stripped)
    for pattern, event in _EVENTS_AFTER:
        m = pattern.match(stripped)
        if m:
            return event, offset + m.end()
    return None


_NUMBER_OF = re.compile(r"\b(?:number|count|total|tally)\s+of\s+(?:the\s+)?(?P<noun>[\w-]+(?:\s+[\w-]+)?)\s+"
                        r"(?:at|to|as|was|is|stood\s+at|reached|rose\s+to|climbed\s+to)\s*[\"“]?\s*$", re.I)
_CAUSE = re.compile(r"^\s*(?:\w+\s+){0,4}?(?:of|from|due\s+to|because\s+of)\s+(?:malnutrition|starvation|hunger|"
                    r"lack\s+of\s+food)|^\s*(?:starvation|malnutrition|hunger)", re.I)


def _number_of(text: str, pos: int) -> tuple[str, str] | None:
    """``put the number of fighters at 8,000``: the counted noun is before the number."""
    m = _NUMBER_OF.search(text[max(0, pos - 80):pos])
    if m is None:
        return None
    words = m.group("noun").lower().split()
    for w in reversed(words):
        if w in ("dead", "deaths", "killed", "fatalities"):
            return ("deaths (malnutrition)" if any(x in ("starvation", "malnutrition", "hunger") for x in words)
                    else "deaths"), m.group("noun")
        if w in _NOUNS_EN:
            cat = _NOUNS_EN[w]
            label = {"people": "civilians", "detainees": "detained", "evacuees": "evacuated"}.get(cat, cat)
            return label, m.group("noun")
    return None


def _event_before(text: str, pos: int) -> tuple[str, str] | None:
    """The event named before a number (the nearest trigger wins) and the trigger as written."""
    before = text[max(0, pos - 160):pos]
    best: tuple[int, str, str] | None = None
    for pattern, event in _EVENTS_BEFORE:
        m = pattern.search(before)
        while m is not None:
            if "toll" in m.group(0).lower() or m.group(0).lower().startswith("number"):
                if _TOLL_VERB.search(before) or len(m.group(0)) <= 50:
                    break  # "Death toll from Aleppo bomb attack at least 112" (headline style) is kept
            elif len(m.group(0)) <= 45:
                break
            m = pattern.search(before, m.start() + 1)  # too far: a nearer trigger of the same kind may follow
        if m is None:
            continue
        trigger = re.match(r"[\w ]+?(?=\b(?:rose|risen|climbed|reached|stood|stands|was|is|at|to|of|hit|from)\b|$)",
                           m.group(0))
        if best is None or m.start() > best[0]:
            best = (m.start(), event, (trigger.group(0) if trigger else m.group(0)).strip())
    return (best[1], best[2]) if best else None


# after a bare figure of an event: a headline's credit ("... camp kills 12 NGO AFP") or the next event of a
# headline ("attacks kill 10 injure scores")
_CREDIT_OR_NEXT_EVENT = re.compile(r"^(?:[A-Z]{2,5}|injure[sd]?|injuring|wound(?:s|ed|ing)?)$")


def _english(text: str, q: Quantity) -> CountFound | None:
    words = _words_after(text, q.end, 9)
    noun_cat: str | None = None
    noun: str | None = None
    noun_end = q.end
    skipped = 0
    # "five of the finest volunteer rescue workers": a partitive leaves room for a few more modifiers
    reach = 5 if words and words[0][0].lower() == "of" else 3
    paired = _AND_MODIFIERS.match(text, q.end)
    if paired and paired.group("noun").lower() in _NOUNS_EN and _NOUNS_EN[paired.group("noun").lower()] in (
            "people", "fighters") and not any(paired.group(g).lower() in _NOUNS_EN or _EVENT_WORD.match(paired.group(g))
                                              for g in ("a", "b")):
        noun, noun_end = paired.group("noun").lower(), paired.end()
        noun_cat = _NOUNS_EN[noun]
        words = []
    single = q.low == q.high == 1 and bool(words) and words[0][0].lower() in _SINGULAR_EN
    if single:
        noun, noun_end = _SINGULAR_EN[words[0][0].lower()], words[0][2]
        noun_cat = _NOUNS_EN[noun]
        words = []
    for i, (w, _s, e) in enumerate(words):
        low = w.lower()
        pair = f"{low} {words[i + 1][0].lower()}" if i + 1 < len(words) else ""
        if pair in _MULTI_EN:
            noun_cat, noun, noun_end = _MULTI_EN[pair], pair, words[i + 1][2]
            break
        if low in _NOUNS_EN:
            noun_cat, noun, noun_end = _NOUNS_EN[low], low, e
            break
        acronym = len(w) >= 2 and w.isupper()  # "8 IS group militants": "IS" is a name, not the verb
        if low in _DURATION or (low in _BREAK and not acronym) or skipped >= reach or low in _NOT_MODIFIER:
            break
        if w[:1].isupper() and low in ("the", "a", "an", "this", "that", "in", "on"):
            break  # the next sentence or headline starts here
        if low in ("of", "the", "them", "more", "other", "further", "additional", "new", "more", "all") or i < reach:
            skipped += 1
            continue
        break
    if noun is not None and noun_cat is not None:
        gap = text[q.end:noun_end]
        if re.search(r"[,;:.()]", gap[:max(0, len(gap) - len(noun))]):
            noun = None  # "70, including children": the noun belongs to another phrase
    after_event = _event_after(text, noun_end if noun else q.end)
    before_event = _event_before(text, q.start)
    if noun is None and (number_of := _number_of(text, q.start)) is not None:
        return CountFound(q, number_of[0], number_of[1])
    if noun is None or noun_cat is None:
        if after_event is not None:
            event, end = after_event
            return CountFound(q, subject_label(event, None), text[q.end:end].strip())
        if before_event is not None and (not words or words[0][0].lower() in _TIME_NAMES
                                         or words[0][1] - q.end > 1 or _CREDIT_OR_NEXT_EVENT.match(words[0][0])
                                         or words[0][0].lower() in
                                         ("others", "more", "other", "outside", "near", "across", "during", "inside",
                                          "around", "for", "over", "under", "from", "of",
                                          "in", "on", "at", "after", "since", "and", "as", "while", "following",
                                          "according", "the", "by", "when", "with", "including", "among",
                                          "most", "many", "earlier", "later", "so", "this", "last")):
            return CountFound(q, before_event[0], before_event[1])
        return None
    counted = text[q.end:noun_end].strip()
    if after_event is not None:
        event, end = after_event
        counted = text[q.end:end].strip()
        if event == "deaths" and _CAUSE.search(text[end:end + 40]):
            return CountFound(q, "deaths (malnutrition)", counted)
        return CountFound(q, subject_label(event, noun), counted)
    if noun_cat in ("deaths", "injured", "casualties", "missing", "displaced", "detainees", "evacuees"):
        return CountFound(q, {"detainees": "detained", "evacuees": "evacuated"}.get(noun_cat, noun_cat), counted)
    if before_event is not None and noun_cat in ("people", "fighters"):
        return CountFound(q, subject_label(before_event[0], noun), counted)
    if noun_cat == "people":
        return CountFound(q, "civilians" if noun in ("civilians", "people", "residents", "persons", "individuals",
                                                     "inhabitants") else noun, counted)
    return CountFound(q, noun_cat if noun_cat not in ("aircraft", "buildings", "munitions", "vehicles", "aid")
                      else noun, counted)


def subject_label(event: str, noun: str | None) -> str:
    """``deaths`` for people killed, ``deaths (children)`` when a group is named, ``people trapped`` ..."""
    group = _GROUPS.get(noun or "") or _AR_GROUPS.get(noun or "")
    base = {"trapped": "people trapped"}.get(event, event)
    return f"{base} ({group})" if group else base


# --- Arabic -----------------------------------------------------------------------------------------------------


def _ar(word: str) -> str:
    return (word.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا").replace("ة", "ه").replace("ى", "ي")
            .replace("ئ", "ي").replace("ؤ", "و"))


_AR_NOUNS: dict[str, str] = {}
for _cat, _words in {
    "people": "شخص اشخاص شخصا مدني مدنيين مدنيون مدنيا مواطن مواطنين مواطنا طفل اطفال طفلا امراه نساء سيده "
              "رجل رجال عائله عائلات اسره اسر مريض مرضى سكان ساكن فرد افراد ضحيه ضحايا",
    "fighters": "مسلح مسلحين مسلحون مسلحا مقاتل مقاتلين مقاتلون مقاتلا عنصر عناصر عنصرا جندي جنود جنديا ارهابي "
                "ارهابيين ارهابيا",
    "deaths": "قتيل قتلى قتيلا شهيد شهداء شهيدا جثه جثث",
    "injured": "جريح جرحى جريحا مصاب مصابين مصابا اصابه اصابات",
    "buses": "حافله حافلات باص باصات",
    "vehicles": "شاحنه شاحنات سياره سيارات اليه اليات",
    "airstrikes": "غاره غارات",
    "munitions": "قذيفه قذائف القذائف صاروخ صواريخ برميل براميل",
    "displaced": "نازح نازحين نازحا لاجي لاجيين",
    "detainees": "معتقل معتقلين معتقلا اسير اسرى محتجز محتجزين",
}.items():
    for _w in _words.split():
        _AR_NOUNS[_ar(_w)] = _cat
_AR_GROUPS = {"طفل": "children", "اطفال": "children", "طفلا": "children", "امراه": "women", "نساء": "women",
              "سيده": "women", **{w: "fighters" for w, c in _AR_NOUNS.items() if c == "fighters"}}
_AR_BEFORE = [
    (re.compile(r"(?:مقتل|قتل|استشهاد|سقوط|وفاه|حصيله\s+القتلى|حصيله\s+الضحايا|حصيله|ارتفاع\s+عدد\s+القتلى)"
                r"(?:\s+\S+){0,3}\s*$"), "deaths"),
    (re.compile(r"(?:اصابه|جرح|اصيب)(?:\s+\S+){0,2}\s*$"), "injured"),
    (re.compile(r"(?:اجلاء|خروج|اخراج)(?:\s+\S+){0,2}\s*$"), "evacuated"),
    (re.compile(r"(?:اعتقال|احتجاز|اسر)(?:\s+\S+){0,2}\s*$"), "detained"),
    (re.compile(r"(?:نزوح|تهجير)(?:\s+\S+){0,2}\s*$"), "displaced"),
]
_AR_AFTER = [
    (re.compile(r"^\s*(?:\S+\s+){0,2}?(?:قتلوا|قتل|قتلو|لقوا\s+حتفهم|قضوا|استشهدوا|لقي|لقيت)"), "deaths"),
    (re.compile(r"^\s*(?:\S+\s+){0,2}?(?:اصيبوا|جرحوا|اصيب|جرح)"), "injured"),
    (re.compile(r"^\s*(?:\S+\s+){0,2}?(?:محاصرين|محاصرون|عالقين|عالقون|محتجزين|داخل)"), "trapped"),
    (re.compile(r"^\s*(?:\S+\s+){0,2}?(?:نزحوا|فروا)"), "displaced"),
]
_AR_REJECT_AFTER = re.compile(r"^\s*(?:يوم|ايام|ساعه|ساعات|اسبوع|اسابيع|شهر|اشهر|شهور|سنه|سنوات|عام|اعوام|"
                              r"عاما|دقيقه|دقايق|كيلومتر|كلم|كم|متر|مترا|بالمئه|بالمايه|في\s+المئه|دولار|ليره|مره|"
                              r"مرات|ساعه|صباحا|مساء)")


def _strip_prefix(word: str) -> str:
    for p in ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ب", "ل", "ف"):
        if word.startswith(p) and len(word) - len(p) >= 3 and _AR_NOUNS.get(word[len(p):]):
            return word[len(p):]
    return word


def _arabic(text: str, q: Quantity) -> CountFound | None:
    folded_after = _ar(text[q.end:q.end + 80])
    folded_before = _ar(text[max(0, q.start - 60):q.start])
    if _AR_REJECT_AFTER.match(folded_after):
        return None
    tokens = folded_after.split()[:4]
    noun = None
    consumed = 0
    for i, tok in enumerate(tokens):
        bare = _strip_prefix(tok.strip("،,.:؛"))
        if bare not in _AR_NOUNS and bare.endswith("ا") and bare[:-1] in _AR_NOUNS:
            bare = bare[:-1]  # accusative after 11-99: "باصاً", "شخصاً"
        if bare in _AR_NOUNS:
            noun = bare
            consumed = i + 1
            break
        if bare not in ("من", "علي", "على") and i >= 1:
            break
    after_event: str | None = None
    rest = " ".join(folded_after.split()[consumed:])
    for pattern, event in _AR_AFTER:
        if pattern.match(rest):
            after_event = event
            break
    before_event: str | None = None
    trigger = ""
    best = -1
    for pattern, event in _AR_BEFORE:
        m = pattern.search(folded_before)
        if m is not None and m.start() > best:
            best, before_event, trigger = m.start(), event, m.group(0).split()[0]
    if consumed and q.low is not None and q.low == q.high and re.match(
            r"^\s*(?:\S+\s+){0,2}?(?:علي|على)\s+الاقل", " ".join(folded_after.split()[consumed:])):
        q = dataclasses.replace(q, high=None)  # "80 شخصاً على الأقل"
    written_after = text[q.end:].split()
    counted = " ".join(written_after[:consumed]) if consumed else ""
    if noun is None:
        if before_event is not None:
            return CountFound(q, before_event, trigger)
        if after_event is not None and tokens and tokens[0].strip("،,.") in ("اخرين", "اخرون"):
            return CountFound(q, after_event, text[q.end:].split()[0])  # "9 آخرين أصيبوا": 9 others injured
        return None
    cat = _AR_NOUNS[noun]
    happened = after_event or before_event
    if cat in ("deaths", "injured", "displaced"):
        return CountFound(q, cat, counted)
    if cat == "detainees":
        return CountFound(q, "detained", counted)
    if happened is not None and cat in ("people", "fighters"):
        return CountFound(q, subject_label(happened, noun), counted)
    if cat == "people":
        group = _AR_GROUPS.get(noun)
        return CountFound(q, group or "civilians", counted)
    return CountFound(q, cat, counted)


# --- public -----------------------------------------------------------------------------------------------------


_SAYS_FIGURE = re.compile(r"\b(?:says?|said|puts?|estimates?|estimated|gives?|gave|counts?|counted|reports?|reported|"
                          r"figure\s+(?:is|of|at)|while|whereas)\b|(?:تقدر|يقدر|قدرت|قال|قالت|أعلن|أعلنت|بلغت|عددهم|"
                          r"عددها|بينما|فيما)", re.I)


def find_counts(norm: str) -> list[CountFound]:
    """Counts in one sentence (``norm``: digits normalised, see :func:`~vigil.sitrep.numbers.normalise_digits`).

    A bare number after another count and a verb of saying takes that count's subject ("45 were killed; the
    council says 62", "تقدر الأمم المتحدة عددهم بنحو 30 ألفاً").
    """
    out: list[CountFound] = []
    arabic = bool(re.search(r"[\u0621-\u064a]", norm))
    for q in find_quantities(norm):
        if _rejected(norm, q):
            continue
        raw = norm[q.number_start:q.number_end].lower()
        if raw in ("one", "a dozen", "dozen", "zero") and not q.digits:
            nxt = _words_after(norm, q.end, 1)
            if not nxt or (nxt[0][0].lower() not in _NOUNS_EN and not (raw == "one" and nxt[0][0].lower()
                                                                          in _SINGULAR_EN)):
                continue
        found = _arabic(norm, q) if arabic and re.search(r"[\u0621-\u064a]", norm[q.end:q.end + 30] +
                                                          norm[max(0, q.start - 30):q.start]) else None
        if found is None:
            found = _english(norm, q)
        if found is None and out and _bare(norm, q) and _SAYS_FIGURE.search(norm[out[-1].quantity.end:q.start]):
            found = CountFound(q, out[-1].subject, "")
        if found is not None:
            out.append(found)
    return out


def _bare(text: str, q: Quantity) -> bool:
    """Nothing countable follows the number (end of clause): "... says nine.", "بنحو 30 ألفاً"."""
    return bool(re.match(r"^\s*(?:[.,;،]|$|\w+\s*[.,;،]?$)", text[q.end:q.end + 20]))
