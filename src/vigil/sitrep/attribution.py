"""Who a sentence attributes its claims to: speakers, organisations, outlets, chains and hedges.

English patterns: ``X said``, ``X told Y``, ``X has said``, ``said X``, ``according to X``, ``X reported``,
``citing X``, ``X quoted Y as saying``, ``a spokesman for X told Y``, ``X said in an interview with Y``,
``in a statement carried by Y``. Arabic: ``قال/أفاد/ذكر/أعلن ... X``, ``بحسب/وفق/حسب X``, ``نقلت X عن Y``,
``قال X لـY``. A chain is ordered origin first: ``a spokesman for the Syria Civil Defence told Al Jazeera`` ->
``["Syria Civil Defence", "Al Jazeera"]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .names import (
    AR_ANAPHORS,
    DEMONYMS,
    ORG_WORDS,
    SOURCE_NOUNS,
    STOP_CAPS,
    TITLES,
    Named,
    parse_arabic_np,
    parse_english_np,
)
from .names import _is_cap as _is_cap_name
from .numbers import ar_pattern

__all__ = ["Attribution", "anaphor_of", "find_attributions", "is_hedged"]


@dataclass(frozen=True, slots=True)
class Attribution:
    """An attribution found in a sentence.

    Attributes:
        chain: origin first, then intermediaries.
        start / end: the span of the attribution phrase in the sentence (claims inside it are not claims).
        anchor: offset of the speech verb or "according to", to pick the nearest attribution for a claim.
        role: the role of the origin ("UN envoy", "spokesman").
        person: the origin looks like a person (pronouns "he"/"she" resolve to the last one).
        pronoun: the origin was a pronoun ("he said") or a definite description that refers back ("the source
            added" -> ``"the source"``), still to be resolved by the caller (see :func:`anaphor_of`).
    """

    chain: tuple[str, ...]
    start: int
    end: int
    anchor: int
    role: str | None = None
    person: bool = False
    pronoun: str | None = None


_VERBS = (r"said|says|say|told|tells|tell|reported|reports|report|announced|announces|stated|states|claimed|"
          r"claims|confirmed|confirms|estimated|estimates|added|adds|noted|notes|warned|warns|explained|insisted|"
          r"alleged|wrote|writes|tweeted|posted|documented|recorded|counted|put|puts|gave|gives|quoted|cited|"
          r"acknowledged|revealed|denied|denies|stressed|indicated|declared|asserted|affirmed|informed|"
          r"accused|accuses|described|describes|recalled|recalls|recounted|pointed\s+out|mentioned|clarified|according")
_AUX = r"(?:(?:has|have|had|was|were|is|also|later|earlier|previously|separately|further|recently|then|"\
       r"again|quickly|initially|publicly|officially|would|will|could)\s+)*"
_VERB_RE = re.compile(rf"\b{_AUX}(?P<verb>{_VERBS})\b")
_SAYING = re.compile(r"\b(?:saying|adding|noting|warning|stressing|claiming|telling)\b", re.I)
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|overnight)"
_ACCORDING = re.compile(r"\b(?:according\s+to|citing|quoting|reported\s+by|as\s+reported\s+by|"
                        r"(?:report|statement|study|survey)\s+(?:issued|published|released|compiled)\s+by|"
                        r"in\s+(?:a|an|the)\s+(?:statement|report|interview|post|message|video)\s+"
                        r"(?:carried\s+by|published\s+by|released\s+by|posted\s+by|aired\s+by|broadcast\s+by|"
                        r"by|from|with|on|to))\s+", re.I)
_WITH = re.compile(r"\b(?:in\s+(?:an?\s+)?(?:interview|statement|comments|remarks)\s+(?:with|to)|speaking\s+to|"
                   r"told|tells)\s+", re.I)
_DESCRIBED_REL = re.compile(
    r"(?:^|\s)(?P<subj>(?:[Tt]he|[Aa]n?)\s+(?:[\w'’-]+\s+){0,2}?(?:[\w'’.]+-based\s+(?:[\w'’-]+\s+)?(?:group|monitor|"
    r"organi[sz]ation|ngo|body|observatory)|(?:war\s+)?monitor(?:ing\s+group)?))\s+(?:which|who|that)\s+"
    r"[^.;:\"“”,]{3,90}$")
# "... including five children said the Observatory." (comma lost): a source after the verb that ends the sentence
_TAIL_SOURCE = re.compile(r"\s+(?:the\s+)?(?:[A-Z][\w'’-]*|monitor|source|sources|group|observatory)"
                          r"(?:\s+(?:[A-Z][\w'’-]*|for|of))*\s*(?:on\s+[A-Z]\w+\s*)?(?:[.!?]|$)")
_HEADLINE_CREDIT = re.compile(
    r"(?<=[a-z0-9] )(?P<src>NGO|State media|[Aa]ctivists|SOHR|[Mm]edics)\s+(?P<wire>AFP|AP|Reuters)\s+"
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\s+\d{1,2}\s+[A-Z][a-z]{2}\w*\s+\d{4}\b"
    r"|(?<=\w):\s*(?P<src2>monitor|monitors|activists|SOHR|NGO|state media|medics)(?:\s+[A-Z][\w'’-]+){0,2}\s*[.]?\s*$")
_PAREN_ACRONYM = re.compile(r"\s*\(\s*[A-Z][A-Za-z.]{1,9}\s*\)\s*$")
_QUOTED_AS = re.compile(r"\bquoted\s+(?P<who>.{2,80}?)\s+as\s+saying\b", re.I)
_CLAUSE_STOP = {",", ";", ":", '"', "“", "”", "(", ")", "—", "–", "that", "which", "who", "whom", "when", "where",
                "while", "after", "before", "because", "as", "but", "and", "if", "than", "said", "says", "told",
                "were", "was", "is", "are", "had", "have", "has", "will", "would", "could", "killed", "wounded",
                "by", "since", "from", "to", "into", "last", "on", "at", "with", "not"}
_NP_INNER = {"of", "for", "the", "and", "on", "in", "al", "de", "at", "with", "from"}
_TOKEN = re.compile(r"[A-Z](?:\.[A-Z])+\.?|[\w][\w.'’-]*[\w]|[\w]|[^\w\s]")
_SPEAKER_NOUNS = {"source", "sources", "official", "officials", "spokesman", "spokeswoman", "spokesperson"}
_PRONOUNS = {"he", "she", "it", "they", "we", "i"}
_OUTLET_HINT = re.compile(r"(?i)\b(?:news|agency|tv|television|channel|radio|times|post|guardian|journal|"
                          r"telegraph|bbc|cnn|reuters|afp|jazeera|arabiya|sana|tass|sputnik|press|newspaper|"
                          r"daily|gazette|herald|tribune|observer|online|media|magazine|courier|network|ap)\b")
_NOT_OUTLET = {"reporters", "journalists", "the press", "a press conference", "parliament", "the council",
               "a news conference", "a briefing"}
_TIME_WORDS = {"on", "in", "at", "late", "early", "this", "last", "monday", "tuesday", "wednesday", "thursday",
               "friday", "saturday", "sunday", "morning", "evening", "night", "afternoon", "today", "tonight",
               "yesterday", "week", "month"}

# Documents that speak for whoever issued them: "a statement by X", "a report from X"
_REPORTS_THAT = re.compile(r"\b(?:investigat\w*|den\w+|dismiss\w*|deny|amid|following|confirm\w*|verify\w*)\s+"
                           r"(?:the\s+)?(?P<noun>reports|claims|allegations)\s+that\b", re.I)
_DOCUMENTS = {"statement", "report", "communique", "bulletin", "press release", "release"}

_HEDGES = re.compile(
    r"(?i)\b(?:reportedly|allegedly|purportedly|supposedly|it\s+is\s+claimed|it\s+was\s+claimed|"
    r"it\s+is\s+alleged|it\s+was\s+alleged|unconfirmed|unverified|could\s+not\s+be\s+(?:independently\s+)?"
    r"verified|is\s+said\s+to|are\s+said\s+to|was\s+said\s+to|were\s+said\s+to|is\s+believed\s+to|"
    r"are\s+believed\s+to|were\s+believed\s+to|claimed|claims|rumou?red|apparently)\b"
    "|" + "|".join(ar_pattern(w) for w in ("يزعم", "زعم", "زعمت", "مزاعم", "غير مؤكدة", "لم يتسن التحقق",
                                           "قيل", "يقال", "على ما يبدو", "حسبما أفيد", "ادعى", "ادعت", "يدعى"))
)


def is_hedged(sentence: str) -> bool:
    """True when the sentence distances itself from its claim ("reportedly", "it is claimed", "يُزعم")."""
    return bool(_HEDGES.search(sentence))


def _is_cap(tok: str) -> bool:
    return _is_cap_name(tok)


def _tokens(text: str) -> list[tuple[str, int]]:
    return [(m.group(0), m.start()) for m in _TOKEN.finditer(text)]


def _np_before(text: str, end: int) -> tuple[list[str], int]:
    """Words of the noun phrase that ends right before ``end`` (walking back to a clause boundary).

    Capitalised words, connectors inside names, roles and source nouns are taken; up to two other lower-case
    words only as modifiers of a source noun ("the Britain-based war monitor").
    """
    toks = _tokens(text[:end])
    words: list[str] = []
    start = end
    i = len(toks) - 1
    loose = 0
    while i >= 0 and len(words) < 14:
        tok, pos = toks[i]
        low = tok.lower()
        named_number = (tok.isdigit() and len(tok) <= 3 and i > 0 and _is_cap(toks[i - 1][0]) and words
                        and words[0].lower() not in ("the", "a", "an") and toks[i - 1][0].lower() not in STOP_CAPS)
        if (tok[:1].isdigit() and not named_number) or not (tok[:1].isalnum() or tok in ("'s", "’s")):
            break  # a number ends the phrase, except inside a name: "The DeirEzzor 24 monitoring group said"
        cap = _is_cap(tok)
        if not words and low in _PRONOUNS:
            words.insert(0, tok)
            start = pos
            break
        if low in ("however", "meanwhile", "also") and not cap and i > 0:
            i -= 1  # "X an NGO however has put the toll at": a sentence adverb between the source and its verb
            continue
        if low in _CLAUSE_STOP and not cap and not (low in _NP_INNER and words and i > 0):
            break
        if not cap and low not in _NP_INNER and low not in SOURCE_NOUNS and low not in TITLES \
                and low not in DEMONYMS and low not in ("a", "an", "the"):
            head = words[0].lower() if words else ""
            ahead = [t[0].lower() for t in toks[max(0, i - 3):i]]
            source_back = any(a in SOURCE_NOUNS for a in ahead)
            weak_head = loose >= 2 or not head or (head not in SOURCE_NOUNS and head not in TITLES
                                                   and head not in ORG_WORDS and not (words[0][:1].islower() and loose))
            # "a group monitoring the conflict said": a source noun a few words back keeps the phrase going
            if not (not head and source_back) and weak_head and not (words and source_back and loose < 3):
                break
            loose += 1
        words.insert(0, tok)
        start = pos
        i -= 1
    # connectors and articles cannot start the phrase: "for the Syria ..." keeps only the name part
    while words and words[0].lower() in _NP_INNER - {"the"} | {"on", "in", "at", "with", "from"}:
        start += len(words[0]) + 1
        words.pop(0)
    return words, start


def _np_after(text: str, begin: int) -> tuple[list[str], int]:
    """Words of the noun phrase starting at ``begin``, up to a clause boundary or a time phrase."""
    toks = _tokens(text[begin:])
    words: list[str] = []
    end = begin
    for k, (tok, pos) in enumerate(toks):
        low = tok.lower()
        if low in _CLAUSE_STOP and not (low in _NP_INNER and words and k + 1 < len(toks)
                                        and toks[k + 1][0][:1].isupper()) and not (
                low in ("at", "in", "from") and words and words[-1].lower() in _SPEAKER_NOUNS
                and any(t[:1].isupper() for t, _ in toks[k + 1:k + 3])):
            break  # "according to a source at the Aleppo Police Command": the body the source speaks for
        if words and low in _TIME_WORDS and not tok[:1].isupper() and not (
                low in ("at", "in") and words[-1].lower() in _SPEAKER_NOUNS
                and any(t[:1].isupper() for t, _ in toks[k + 1:k + 3])):
            break
        if words and low in ("a", "an") and any(_is_cap(w) for w in words):
            break  # '" said Hadi Abdullah a Syrian activist': the apposition is a role, not the name
        if words and low == "the" and _is_cap(words[-1]) and not (k + 1 < len(toks) and _is_cap(toks[k + 1][0])):
            break  # "told AFP the car bomb detonated": the reported clause starts
        if tok in (".", "!", "?") or len(words) >= 12:
            break
        words.append(tok)
        end = begin + pos + len(tok)
    return words, end


def _outlet_after(text: str, begin: int) -> tuple[str | None, int]:
    words, end = _np_after(text, begin)
    phrase = " ".join(words)
    if not words or phrase.lower() in _NOT_OUTLET or words[0].lower() in ("reporters", "journalists", "him",
                                                                             "her", "them", "us", "me"):
        return None, begin
    named = parse_english_np(words)
    if named is None:
        return None, begin
    if _OUTLET_HINT.search(phrase) or any(w[:1].isupper() for w in words):
        return named.name, end
    return None, begin


def _via(name: str) -> str:
    """An intermediary is the outlet: "told SANA reporter", "SANA reporter quoted X" pass it on via SANA."""
    return re.sub(r"\s+reporter$", "", name)


def _named_chain(named: Named, via: str | None) -> tuple[str, ...]:
    via = _via(via) if via else via
    return (named.name, via) if via and via.lower() != named.name.lower() else (named.name,)


def find_attributions(text: str) -> list[Attribution]:
    """Attributions in one sentence (English or Arabic), in reading order."""
    if not text.isascii() and re.search(r"[\u0600-\u06ff]", text):
        return _find_arabic(text)
    out: list[Attribution] = []
    used: list[tuple[int, int]] = []

    def add(att: Attribution) -> None:
        if all(att.anchor < s or att.anchor >= e for s, e in used):
            out.append(att)
            used.append((att.start, att.end))

    for m in _QUOTED_AS.finditer(text):
        who = parse_english_np(m.group("who").split())
        outlet_words, _ = _np_before(text, m.start())
        outlet = parse_english_np(outlet_words) if outlet_words else None
        if who is not None:
            chain = (who.name, _via(outlet.name)) if outlet is not None else (who.name,)
            add(Attribution(chain, m.start() - len(" ".join(outlet_words)), m.end(), m.start(), who.role,
                            who.person))
    for m in _HEADLINE_CREDIT.finditer(text):
        # "... camp kills 12 NGO AFP Wednesday 18 Jun 2014", "... air base: monitor": the headline names its source
        key = "src" if m.group("src") else "src2"
        src = m.group(key)
        src = src.lower() if src.lower() in ("monitor", "monitors") else src  # a description: the document's monitor
        wire = m.group("wire")
        add(Attribution((src, wire) if wire else (src,), m.start(key), m.end(), m.start(key)))
    for m in _REPORTS_THAT.finditer(text):
        # "The US military is investigating reports that at least 73 civilians were killed": the reports
        add(Attribution((m.group("noun").lower(),), m.start("noun"), m.end(), m.start("noun")))
    for m in _ACCORDING.finditer(text):
        words, end = _np_after(text, m.end())
        named = parse_english_np(words)
        if named is None:
            continue
        by = re.match(r"\s+(?:by|from|of)\s+", text[end:]) if named.name.lower() in _DOCUMENTS else None
        if by:
            # "according to a statement by the Turkish General Staff": the body that issued it is the source
            by_words, by_end = _np_after(text, end + by.end())
            by_named = parse_english_np(by_words) if by_words else None
            if by_named is not None:
                named, end = by_named, by_end
        via, end2 = None, end
        w = _WITH.match(text, end + 1) if end + 1 < len(text) else None
        if w:
            via, end2 = _outlet_after(text, w.end())
        elif m.group(0).lower().startswith(("citing", "quoting")):
            # "media reported citing a military source": the source, passed on by who reported it
            rep_m = re.search(rf"(?P<np>[\w'’.-]+(?:\s+[\w'’.-]+){{0,3}})\s+{_AUX}(?:{_VERBS})"
                              rf"(?:\s+(?:on\s+)?{_DAY})?\s*,?\s*$", text[:m.start()])
            if rep_m:
                rep_words, _ = _np_before(text, rep_m.end() - len(rep_m.group(0)) + len(rep_m.group("np")))
                reporter = parse_english_np(rep_words) if rep_words else None
                if reporter is not None and reporter.name.lower() not in _PRONOUNS:
                    via = reporter.name
        add(Attribution(_named_chain(named, via), m.start(), max(end, end2), m.start(), named.role, named.person,
                        named.name if named.name in _PRONOUNS else anaphor_of(text[m.end():end], named.name)))
    for m in _VERB_RE.finditer(text):
        verb = re.sub(r"\s+", " ", m.group("verb").lower())
        if verb == "according":
            continue
        if re.search(r"\b(?:is|are|was|were|been|be)\s+$", text[:m.start("verb")]) and not re.match(
                r"\s+by\b", text[m.end():]):
            continue  # "is reported to have killed": a hedge, not a source
        if verb in ("claimed", "claims") and re.match(r"\s+(?:the\s+)?(?:lives|life|responsibility)\b", text[m.end():]):
            continue  # "the strike claimed the lives of eight"
        paren = _PAREN_ACRONYM.search(text, 0, m.start())
        # "the Syrian Observatory for Human Rights (SOHR) said": the name before its acronym in brackets
        words, start = _np_before(text, paren.start() if paren else m.start())
        rel_obj = re.search(r"\b(?:who|which)\s+(?:runs|heads|leads|directs|founded|chairs|manages|represents)\s+$",
                            text[:start])
        if words and rel_obj:
            # "Rami Abdulrahman who runs the Syrian Observatory said": the subject is before the relative clause
            subj_words, subj_start = _np_before(text, rel_obj.start())
            subj = parse_english_np(subj_words) if subj_words else None
            org = parse_english_np(words)
            if subj is not None and subj.name.lower() not in _PRONOUNS:
                role_text = f"head of {org.name}" if org is not None else None
                words, start = subj_words, subj_start
                named_override: Named | None = Named(subj.name, subj.role or role_text, subj.person)
            else:
                named_override = None
        else:
            named_override = None
        if not words:
            # "Activists in the city put the toll at 80": the source comes before a short place phrase
            pp = re.search(r"\s+(?:in|inside|from|near|at|across|on)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}[\w'’-]+\s*$",
                           text[:m.start()])
            if pp:
                words, start = _np_before(text, pp.start())
        named = named_override or (parse_english_np(words) if words else None)
        inverted = False
        end = m.end()
        role = None
        if (named is not None and words and not _is_cap(words[-1]) and words[-1].lower() not in SOURCE_NOUNS | TITLES
                and verb in ("said", "says", "reported") and _TAIL_SOURCE.match(text, m.end())):
            named = None  # "... including five children said the Observatory.": the source follows the verb
        if named is None:
            before = text[:m.start()].rstrip()
            partic = re.search(r",\s*(?:speaking|who|citing|writing|asked|quoted)\b[^,]{0,80}$", before)
            if partic and not before.endswith(","):
                before = before[:partic.start() + 1] + " x,"  # "X, speaking on condition of anonymity, put ..."
            if before.endswith(",") and verb in ("told", "tells", "said", "says", "added", "reported", "warned",
                                                 "put", "puts", "gave", "estimated", "confirmed"):
                # "Abu Mohammed, a resident of the besieged district, told the Guardian": skip the apposition
                comma = before[:-1].rfind(",")
                middle = before[comma + 1:-1].strip() if comma > 0 else ""
                as_name = parse_english_np(middle.split()) if middle[:1].isupper() else None
                if as_name is not None and as_name.person and comma > 0:
                    # "..., its director, Dr Samir Nasser, told Reuters": the name between the commas speaks
                    role_words, _ = _np_before(text, comma)
                    named = Named(as_name.name, as_name.role or (" ".join(role_words[-3:]) or None), True)
                    start = comma
                    comma = -1
                    role = named.role or "apposition"
                if comma > 0:
                    head_words, head_start = _np_before(text, comma)
                    head = parse_english_np(head_words) if head_words else None
                    if head is not None and head.name not in _PRONOUNS:
                        named, start = head, head_start
                        role = before[comma + 1:-1].strip()
            if named is None and (before.endswith((",", '"', "”", "’", "'")) or not before or (
                    verb in ("said", "says", "reported") and _TAIL_SOURCE.match(text, m.end()))):
                # "..., said X" and '" said X': the subject follows the verb
                after_words, end = _np_after(text, m.end())
                cut = next((k for k, w in enumerate(after_words) if k >= 2 and w.lower() in TITLES and w.islower()
                            and all(_is_cap(x) or x in ("the", "a") for x in after_words[:k])
                            and _is_cap(after_words[0]) and _is_cap(after_words[1])), None)
                if cut is not None:
                    # '" said Rami Abdel Rahman head of the Syrian Observatory': the name, then the role
                    name_words = [x for x in after_words[:cut] if _is_cap(x)]
                    named = Named(" ".join(name_words), " ".join(after_words[cut:]), True)
                else:
                    named = parse_english_np(after_words) if after_words else None
                inverted = True
                start = m.start()
            if named is not None and role and not named.role and role != "apposition":
                named = Named(named.name, re.sub(r"^(?:a|an|the)\s+", "", role), named.person)
        if not inverted and (named is None or named.name.islower()):
            # "The coalition, which launched an air war last September, said", "A witness named Ahmad who was
            # wounded in the head described": the subject is before the relative clause
            rel = re.search(r"\s(?:which|who)\s+[^.;:\"“”]{3,120}$", text[:m.start()])
            rel_words, rel_start = _np_before(text, rel.start()) if rel and rel.start() < start + 1 else ([], 0)
            candidate = parse_english_np(rel_words) if rel_words else None
            if candidate is not None and candidate.name not in _PRONOUNS:
                named, start, words = candidate, rel_start, rel_words
        if not inverted and named is not None and named.name[:1].isupper():
            desc = _DESCRIBED_REL.search(text[:m.start()])
            if desc and desc.end("subj") < start:
                # "The UK-based group which advocates the Syrian opposition said": the relative clause describes
                # the source; its object is not who speaks
                named = Named(re.sub(r"^(?i:the|a|an)\s+", "", desc.group("subj")))
                start, words = desc.start("subj"), desc.group("subj").split()
        if named is None:
            continue
        if not inverted and not role and not _plausible_subject(words, verb):
            continue
        if not inverted and "and" in words[1:]:
            # the noun phrase ran over "and": "a Britain-based monitor and a medical source said"
            k = len(words) - 1 - words[::-1].index("and")
            head_first = parse_english_np(words[:k])
            tail = parse_english_np(words[k + 1:])
            if (head_first is not None and tail is not None and tail.name == named.name
                    and _source_like(head_first)):
                named = head_first
        if not inverted:
            first = _coordinated_first(text, start)
            if first is not None:
                named, start = first
            elif (both := _AND_INSIDE.match(named.name)) and both.group("a").split()[-1].lower() in _SOURCE_HEADS:
                # "The Ghouta Media Center and the Syrian Observatory said" read as one name: the first
                named = Named(both.group("a"), named.role, False)
        via = None
        rest = text[m.end():]
        if verb in ("told", "tells", "tell", "informed"):
            via, vend = _outlet_after(text, m.end() + (len(rest) - len(rest.lstrip())))
            end = max(end, vend)
        else:
            w = re.match(r"\s+(?:on\s+\w+\s+)?(?:in\s+(?:an?\s+)?(?:(?:tele)?phone\s+(?:call|interview|conversation)|"
                         r"interview|statement|comments|remarks)\s+(?:with|to)|to)\s+", rest, re.I)
            if w:
                via, vend = _outlet_after(text, m.end() + w.end())
                end = max(end, vend)
        pronoun = named.name if named.name in _PRONOUNS else anaphor_of(
            text[m.end():end] if inverted else text[start:m.start()], named.name)
        add(Attribution(_named_chain(named, via), start, end, m.start(), named.role, named.person, pronoun))
    out.sort(key=lambda a: a.anchor)
    return _merge_citing(text, out)


def _merge_citing(text: str, atts: list[Attribution]) -> list[Attribution]:
    """"SANA news agency reported citing a local source": the reporting clause and its "citing" are one chain,
    ``[local source, SANA]``, for every claim the reporting clause covers."""
    out: list[Attribution] = []
    for a in atts:
        prev = out[-1] if out else None
        if (prev is not None and len(a.chain) == 2 and prev.chain == a.chain[1:] and 0 <= a.start - prev.end <= 20
                and re.match(r"(?:\s+(?:on\s+)?\w+)?\s*,?\s*(?:citing|quoting)\b", text[prev.end:a.end], re.I)):
            out[-1] = Attribution(a.chain, prev.start, a.end, prev.anchor, a.role, a.person, a.pronoun)
            continue
        out.append(a)
    return out


# Heads of definite descriptions that refer back to a source named earlier: "the source added", "the group
# said", "the statement said". People-like heads resolve to an earlier source with that role ("a source at X"),
# the others to the last organisation.
ANAPHOR_PERSON = {"source", "sources", "official", "officials", "spokesman", "spokeswoman", "spokesperson",
                  "commander", "director", "minister", "governor", "envoy", "witness", "resident", "activist",
                  "doctor", "medic", "member"}
ANAPHOR_ORG = {"group", "organisation", "organization", "monitor", "observatory", "agency", "ministry", "statement",
               "report", "council", "committee", "body", "network", "channel", "newspaper", "broadcaster", "website",
               "office", "department", "directorate", "command", "outlet", "monitors", "daily"}


def anaphor_of(phrase: str, name: str) -> str | None:
    """``"the source"`` when ``phrase`` (the words naming the speaker) is a definite description that refers
    back ("The source added", "Later the group said", "said the Britain-based monitor"), else None."""
    words = name.split()
    if not words or not all(w.islower() or _ADJECTIVAL_SRC.search(w) for w in words):
        return None
    head = words[-1].lower()
    if head not in ANAPHOR_PERSON and head not in ANAPHOR_ORG:
        return None
    if head in ("group", "organisation", "organization", "body") and _MONITOR_BASED.search(name):
        head = "monitor"  # "the UK-based group": the monitor, not the last organisation of any kind
    # only lower-case words between "the" and the head: "the UN refugee agency" names an agency
    if not re.search(r"(?:^|\s)[Tt]he\s+(?:(?:[a-z][\w'’]*|[\w'’]+-based)\s+){0,3}" + re.escape(words[-1]) + r"\b",
                     phrase):
        return None
    return f"the {head}"


_MONITOR_BASED = re.compile(r"(?i)\b(?:britain|british|uk|u\.k\.|london)-based\b")
_ADJECTIVAL_SRC = re.compile(r"-(?:based|backed|led|run|affiliated|linked)$", re.I)


_AND_BEFORE = re.compile(r"\s+and\s+(?:(?:the|a|an)\s+)?$", re.I)
_AND_INSIDE = re.compile(r"^(?P<a>[A-Z][\w'’.-]*(?:\s+[\w'’.-]+){0,6}?)\s+and\s+(?:the\s+)?(?P<b>[A-Z][\w'’.-]*.*)$")
_SOURCE_HEADS = SOURCE_NOUNS | ORG_WORDS | {"hospital", "monitor", "observatory", "ngo"}
# heads of a first coordinated source: reporting bodies and people, not places or "government ... buildings"
_COORD_HEADS = {"media", "monitor", "monitors", "observatory", "group", "activists", "activist", "source", "sources",
                "official", "officials", "hospital", "residents", "witnesses", "medics", "doctors", "agency",
                "ministry", "tv", "television", "ngo", "center", "centre", "committee", "network", "defence", "defense",
                "helmets", "crescent", "cross", "commission", "rights", "reuters", "afp", "ap", "sana", "sohr"}


def _coordinated_first(text: str, start: int) -> tuple[Named, int] | None:
    """"state media and activists said", "a Britain-based monitor and a medical source said": two parallel
    sources are credited to the first (the annotation rule; the first is usually the main one). Only when the
    words before "and" are themselves a source (a name or a source noun), not the object of a clause ("killing
    four civilians and residents said")."""
    m = _AND_BEFORE.search(text[:start])
    if m is None:
        return None
    words, first_start = _np_before(text, m.start())
    first = parse_english_np(words) if words else None
    if first is None or not _source_like(first):
        return None
    return first, first_start


def _source_like(named: Named) -> bool:
    """A name or a source noun ("state media", "a hospital"), not a counted group ("civilians")."""
    if named.name.lower() in _PRONOUNS:
        return False
    head = named.name.split()[-1].lower().strip(".,'’")
    return head in _COORD_HEADS


def _plausible_subject(words: list[str], verb: str) -> bool:
    """Reject subjects that are not sources: "the deal said", "20 people said"."""
    lowered = [w.lower() for w in words]
    if not lowered:
        return False
    if words[-1] in ("it", "this", "that", "which", "who"):
        return lowered[-1] == "it"
    if verb in ("put", "puts", "gave", "gives", "recorded", "counted", "denied", "posted", "quoted", "cited"):
        return any(w[:1].isupper() for w in words) or any(w in SOURCE_NOUNS for w in lowered)
    return True


# --- Arabic ----------------------------------------------------------------------------------------------------

_AR_VERBS = ("تقدر", "يقدر", "قدرت", "قدر",
             "قال", "قالت", "أفاد", "أفادت", "ذكر", "ذكرت", "أعلن", "أعلنت", "أكد", "أكدت", "أوضح", "أوضحت",
             "صرح", "صرحت", "أشار", "أشارت", "نقل", "نقلت", "أضاف", "أضافت", "وثق", "وثقت", "رصد", "رصدت", "زعم",
             "زعمت", "ادعى", "ادعت", "أحصى", "أحصت", "نفى", "نفت", "أورد", "أوردت", "بث", "بثت", "أبلغ", "أبلغت",
             "حذر", "حذرت", "كشف", "كشفت", "تحدث", "تحدثت", "اتهم", "اتهمت")
_AR_VERB_RE = re.compile(r"(?<![\u0621-\u064a])[وف]?(?P<verb>" + "|".join(ar_pattern(v) for v in _AR_VERBS)
                         + r")(?![\u0621-\u064a])")
_AR_ACCORDING = re.compile(r"(?<![\u0621-\u064a])[و]?(?:" + "|".join(ar_pattern(w) for w in (
    "بحسب", "حسب", "وفق", "وفقا ل", "وفقا لـ", "طبقا ل", "نقلا عن", "استنادا إلى", "حسبما ذكرت", "حسبما ذكر",
    "حسبما أفادت", "حسبما أفاد", "كما ذكرت", "بحسب ما ذكرت", "بحسب ما أفادت")) + r")\s*(?:لـ|ل)?\s*")
_AR_VIA = re.compile(r"^\s*(?:في\s+(?:تصريح|حديث|تصريحات|مقابلة)\s+)?(?:لـ\s*|ل)"
                     r"(?:[\"«“](?P<q>[^\"»”]{2,40})[\"»”]|(?P<via>(?:وكالة|قناة|صحيفة|"
                     r"موقع|شبكة|تلفزيون|إذاعة)(?:\s+(?!إن|أن|ان|بأن|في|،)[^\s،,:]+){1,2}|"
                     r"(?:رويترز|الجزيرة|العربية|سانا|فرانس برس)[^\s،,:]*))")
_AR_FROM = re.compile(r"^\s*(?:\S+\s+){0,5}?عن\s+")


def _find_arabic(text: str) -> list[Attribution]:
    out: list[Attribution] = []
    for m in _AR_ACCORDING.finditer(text):
        named = parse_arabic_np(text[m.end():].split())
        if named is not None:
            out.append(Attribution((named.name,), m.start(), m.end() + len(named.name), m.start(), named.role))
    for m in _AR_VERB_RE.finditer(text):
        rest = text[m.end():]
        named = parse_arabic_np(rest.split())
        verb = m.group("verb")
        if named is None:
            # "وأضاف:" with no subject: the last named speaker, resolved by the caller
            out.append(Attribution(("هو",), m.start(), m.end(), m.start(), pronoun="هو"))
            continue
        end = m.end() + rest.find(named.name) + len(named.name) if named.name in rest else m.end()
        chain: tuple[str, ...] = (named.name,)
        if verb.startswith(("نقل",)):
            # "نقلت وكالة رويترز عن مصدر ..." -> the source first, then the agency
            src_m = re.search(r"(?<![\u0621-\u064a])عن\s+", rest)
            if src_m:
                origin = parse_arabic_np(rest[src_m.end():].split())
                if origin is not None:
                    chain = (origin.name, named.name)
                    end = m.end() + src_m.end() + len(origin.name)
        else:
            via = _AR_VIA.match(text[end:])
            if via:
                chain = (named.name, (via.group("via") or via.group("q") or "").strip("،,:"))
                end = end + via.end()
        if all(abs(a.anchor - m.start()) > 2 for a in out):
            anaphor = AR_ANAPHORS.get(named.name)
            out.append(Attribution(chain, m.start(), end, m.start(), named.role,
                                   pronoun=f"the {anaphor}" if anaphor and len(chain) == 1 else None))
    out.sort(key=lambda a: a.anchor)
    return out
