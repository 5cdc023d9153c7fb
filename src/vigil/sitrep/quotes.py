"""Direct quotations and their speakers, across the patterns news uses.

Handled: ``X said, "..."``, ``"...," X said``, ``"...," said X, a resident``, ``"..." X said`` (punctuation
stripped, as in scraped copy), ``X told the Guardian: "..."``, ``..., saying: "..."`` and a quote opening the
next paragraph after ``saying:``, multi-paragraph quotes (a paragraph that opens a quote without closing it
continues in the next paragraph, which opens with a quote mark again), a second quote in a paragraph after an
attributed one (``"A," he said. "B."``) and pronouns (``he said``) resolved to the last named speaker.
Arabic: ``قال X: «...»``, ``وأضاف: "..."``. Quotes of fewer than four words are scare quotes, not quotations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .attribution import ANAPHOR_ORG, ANAPHOR_PERSON, Attribution, find_attributions
from .names import ORG_WORDS, SOURCE_NOUNS, parse_arabic_np, parse_english_np

__all__ = ["Quote", "find_quotes", "resolve_pronoun", "with_antecedent"]

MIN_WORDS = 4


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation: where it is (paragraph range and offsets), what it says, who said it.

    ``start`` is the offset of the opening mark in paragraph ``first``; ``end`` the offset after the closing
    mark in paragraph ``last`` (the paragraph's length when it never closes).
    """

    first: int
    start: int
    last: int
    end: int
    text: str
    speaker: str
    role: str | None
    chain: tuple[str, ...]
    context: str
    person: bool = False


_OPEN = {"“": "”", "«": "»", '"': '"', "„": "“"}
_CLOSE_CURLY = {"”", "»"}
_PRON_EN = {"he", "she", "him", "her", "they", "it", "we", "i"}
_PRON_AR = {"هو", "هي"}


def _marks(para: str) -> list[tuple[int, str]]:
    """Quote marks of a paragraph as ``(offset, "open"|"close")``."""
    out: list[tuple[int, str]] = []
    for i, ch in enumerate(para):
        if ch in "“«„":
            out.append((i, "open"))
        elif ch in "”»":
            out.append((i, "close"))
        elif ch == '"':
            prev = para[i - 1] if i > 0 else " "
            nxt = para[i + 1] if i + 1 < len(para) else " "
            if prev.isspace() or prev in "([—–-:;،" or i == 0:
                out.append((i, "open"))
            elif nxt.isspace() or nxt in ".,;:!?)—–-،" or i == len(para) - 1:
                out.append((i, "close"))
            else:
                out.append((i, "open" if not prev.isalnum() else "close"))
    return out


def _spans(para: str) -> list[tuple[int, int | None]]:
    """``(open, close)`` offsets of the quotes of a paragraph; ``close`` is None when it runs on."""
    spans: list[tuple[int, int | None]] = []
    opened: int | None = None
    for pos, kind in _marks(para):
        if kind == "open":
            if opened is None:
                opened = pos
        elif opened is not None:
            spans.append((opened, pos))
            opened = None
    if opened is not None:
        spans.append((opened, None))
    return spans


_SENT_END = re.compile(r"[.!?؟](?=[\s\"'”’»]|$)")


def _sentence_bounds(para: str, pos: int) -> tuple[int, int]:
    start = 0
    for m in _SENT_END.finditer(para, 0, pos):
        nxt = para[m.end():m.end() + 3]
        if nxt.strip()[:1] in ('"', "“", "«", "") or nxt.strip()[:1].isupper() or not nxt.strip()[:1].isascii():
            start = m.end()
    end_m = _SENT_END.search(para, pos)
    end = end_m.end() if end_m else len(para)
    while end < len(para) and para[end] in "\"”’»'":
        end += 1
    return start, end


_SAYING = re.compile(r"(?:\b(?:saying|adding|noting|warning|writing|declaring|stating|telling\s+\w+)|"
                     r"(?<![\u0621-\u064a])(?:قائلا|مضيفا|مؤكدا|وقال|وأضاف|واضاف|وتابع|وأكد|واكد|قال|أضاف|"
                     r"اضاف|تابع))\s*[,:،]?\s*$", re.I)
_TAIL_ATTR = re.compile(r"^[\s,.،]*(?P<rest>.{0,160})", re.S)


def _subject_of(sentence: str) -> Attribution | None:
    """The subject of a sentence such as ``The ministry issued a statement, saying: ...``."""
    if re.search(r"[\u0621-\u064a]", sentence):
        named = parse_arabic_np(sentence.split()[1:]) if sentence.split() else None
        return Attribution((named.name,), 0, 0, 0, named.role) if named else None
    words = re.findall(r"[\w][\w.'’-]*", sentence)[:8]
    cut: list[str] = []
    for w in words:
        if w.islower() and w not in ("of", "for", "the", "a", "an", "al-", "de") and cut and \
                not re.match(r"^(?:spokesman|spokeswoman|official|minister|envoy|activists?|residents?|sources?|"
                             r"group|ministry|army|observatory|agency|monitor|media)$", w):
            break
        cut.append(w)
    named = parse_english_np(cut) if cut else None
    if named is None:
        return None
    return Attribution((named.name,), 0, 0, 0, named.role, named.person,
                       named.name if named.name.lower() in _PRON_EN else None)


def _after_attr(para: str, close: int) -> Attribution | None:
    """The attribution right after a closing quote: '," X said', '" said X, a ...', '" he added'."""
    tail = para[close + 1:close + 200]
    if re.match(r"^\s*[.!?]?\s*$", tail[:3]) and tail[:3].strip()[:1] in (".", "!", "?"):
        return None
    end_m = re.search(r"(?<=[a-z)\]])[.!?;](?=\s|$)|[\"“«]", tail)
    window = tail[:end_m.start()] if end_m else tail
    closed_sentence = para[max(0, close - 1):close] in (".", "!", "?")
    for att in find_attributions(window):
        if closed_sentence and len(window[att.end:].split()) > 6:
            continue  # '..." Witnesses said the groom was among the dead': a new sentence, not the speaker
        if att.anchor <= 60 and window[:att.start].strip(" ,.،") == "":
            return att
        if att.anchor <= 60 and re.match(r"^[\s,]*(?:[\w.'’-]+\s+){0,8}$", window[:att.anchor]):
            return att
    return None


def _before_attr(para: str, open_: int) -> Attribution | None:
    """The attribution just before an opening quote: 'X said: "', 'X told Y, "', ', saying: "'."""
    s_start, _ = _sentence_bounds(para, open_)
    head = para[s_start:open_]
    if not head.strip():
        return None
    atts = find_attributions(head)
    if atts:
        last = atts[-1]
        between = head[last.anchor:]
        if len(between) < 140 and not re.search(r"[.!?]\s", between):
            return last
    if _SAYING.search(head) or head.rstrip().endswith((":", "،")):
        return _subject_of(head)
    return None


def resolve_pronoun(history: list[Attribution], pronoun: str) -> Attribution | None:
    """The last named attribution a pronoun can refer to (``he``/``she`` prefer people).

    A definite description (``"the source"``, ``"the group"``, see :func:`~vigil.sitrep.attribution.anaphor_of`)
    refers to the last source given with that role ("a source at the Police Command" -> the Police Command), and
    an organisation word ("the group", "the statement") to the last organisation; None when there is none.
    """
    if pronoun.startswith("the "):
        return _resolve_description(history, pronoun[4:])
    want_person = pronoun.lower() in ("he", "she", "him", "her", "هو", "هي")
    want_thing = pronoun.lower() == "it"  # "it added": the statement, the ministry, not the last person
    if want_thing:
        # "It said five civilians were killed": the last *named* organisation, not a description ("sources",
        # "government", "a statement") nor a place
        for att in reversed(history):
            if att.pronoun is None and att.chain and not att.person and _named_org(att.chain[0]):
                return att
    for att in reversed(history):
        if att.pronoun is None and att.chain and (not want_person or att.person) and not (want_thing and att.person):
            return att
    for att in reversed(history):
        if att.pronoun is None and att.chain:
            return att
    return None


def _unclosed(para: str, open_: int) -> tuple[int, Attribution] | None:
    """A quote the scraper left open ('"At least 40 people were killed ... the Observatory claimed on Thursday.
    The group added ...'): it ends where the speaker is named, within its first three sentences. Returns the
    offset where the quotation ends and its attribution."""
    end = open_ + 1
    for _ in range(3):
        m = _SENT_END.search(para, end)
        end = m.end() if m else len(para)
        segment = para[open_ + 1:end]
        atts = [a for a in find_attributions(segment) if len(segment[:a.start].split()) >= MIN_WORDS
                and len(segment[a.end:].split()) <= 6]
        if atts:
            att = atts[-1]
            return open_ + 1 + att.start, att
        if m is None:
            break
    return None


def _stem(word: str) -> str:
    return word.lower().rstrip("s")


_MONITOR_HEADS = {"monitor", "monitors", "observatory"}
_MONITOR_NAME = re.compile(r"(?i)observatory|\bsohr\b|monitor|network\s+for\s+human\s+rights|المرصد")
_PLACE_WORDS = {"province", "city", "town", "village", "governorate", "countryside", "area", "region"}


def _named_org(name: str) -> bool:
    """An organisation "it" can be: not a place ("Daraa province") nor a description of people ("sources")."""
    words = name.split()
    return bool(words) and words[-1].lower() not in _PLACE_WORDS and words[-1].lower() not in SOURCE_NOUNS - ORG_WORDS


def _resolve_description(history: list[Attribution], head: str) -> Attribution | None:
    key = _stem(head)
    named = [a for a in history if a.pronoun is None and a.chain]
    if head in _MONITOR_HEADS:
        # "The monitor said": a monitoring organisation named before, never the last statement or ministry;
        # with none, the description stays as written (the document's monitor, see ``_monitor_names``)
        return next((a for a in reversed(named) if _MONITOR_NAME.search(a.chain[0])), None)
    for att in reversed(named):
        words = [_stem(w) for w in f"{att.role or ''} {att.chain[0]}".split()]
        if key in words and not (head in ANAPHOR_ORG and att.person):
            return att
    if head in ANAPHOR_ORG:
        for att in reversed(named):
            # the last organisation: "The U.S.-led coalition said ... the statement said"; not another
            # description of a person ("local sources")
            if not att.person and _stem(att.chain[0].split()[-1]) not in {_stem(w) for w in ANAPHOR_PERSON}:
                return att
    return None


def with_antecedent(att: Attribution, found: Attribution) -> Attribution:
    """``att`` ("the source added", "he said") spoken by ``found``: a description takes the whole chain of
    its antecedent ("a source at X told SANA ... the source added" -> X via SANA) unless it names its own
    intermediary; a pronoun takes the antecedent's name."""
    via = att.chain[1:]
    if att.pronoun is not None and att.pronoun.startswith("the ") and not via:
        chain = found.chain
    else:
        chain = found.chain[:1] + via
    return Attribution(chain, att.start, att.end, att.anchor, found.role, found.person)


def find_quotes(paras: list[str], history_by_para: list[list[Attribution]]) -> list[Quote]:
    """Quotes of a document given its paragraphs and the attributions found in each paragraph, in order.

    ``history_by_para[i]`` are the (sentence-level) attributions of paragraph ``i``; they are what pronouns and
    unattributed follow-up quotes resolve to.
    """
    quotes: list[Quote] = []
    history: list[Attribution] = []
    carry: tuple[int, int, list[str]] | None = None  # a quote running on: (first paragraph, start, parts)
    last_speaker: Attribution | None = None
    inner_att: Attribution | None = None  # the speaker found inside a quote the scraper left open
    for p_idx, para in enumerate(paras):
        spans = _spans(para)
        prev_para = paras[p_idx - 1] if p_idx > 0 else ""
        for k, (open_, close) in enumerate(spans):
            if carry is not None and k == 0 and open_ <= 2:
                first, first_start, parts = carry
                parts.append(para[open_ + 1:close] if close is not None else para[open_ + 1:])
                if close is None:
                    continue
                carry = None
                start_para, start_off = first, first_start
                text = " ".join(p.strip() for p in parts)
            elif close is None:
                runs_on = p_idx + 1 < len(paras) and paras[p_idx + 1].lstrip()[:1] in _OPEN
                if carry is None and k == len(spans) - 1 and runs_on:
                    carry = (p_idx, open_, [para[open_ + 1:]])
                    continue
                unclosed = _unclosed(para, open_)
                if unclosed is None:
                    continue
                close, inner_att = unclosed
                start_para, start_off = p_idx, open_
                text = para[open_ + 1:close].strip()
            else:
                start_para, start_off = p_idx, open_
                text = para[open_ + 1:close].strip()
            carry = None if close is not None else carry
            if len(text.split()) < MIN_WORDS:
                continue
            att = inner_att if inner_att is not None else _after_attr(para, close)
            inner_att = None
            if att is None and start_para == p_idx:
                att = _before_attr(para, open_)
            elif att is None:
                att = _before_attr(paras[start_para], start_off)
            if att is None and start_off <= 2 and re.search(r"(?:saying|said|added|told\s+\S+|:|قائلا|،)\s*[:,،]?\s*$",
                                                            paras[start_para - 1] if start_para > 0 else ""):
                prev = paras[start_para - 1]
                s_start, _ = _sentence_bounds(prev, len(prev) - 1)
                prev_atts = find_attributions(prev[s_start:])
                att = prev_atts[-1] if prev_atts else _subject_of(prev[s_start:])
            if att is None and quotes and quotes[-1].last in (p_idx, start_para):
                att = last_speaker  # '"A," he said. "B."'
            if att is None and start_off <= 2 and close is not None and para[close + 1:].strip() in ("", ".") \
                    and quotes and quotes[-1].last == p_idx - 1:
                att = last_speaker  # a paragraph that is only a quote, after a paragraph quoting someone
            if att is None:
                continue
            if att.pronoun is not None:
                resolved = resolve_pronoun(history + [a for a in (last_speaker,) if a is not None]
                                           + _earlier(history_by_para, p_idx, para, open_), att.pronoun)
                if resolved is None and not att.pronoun.startswith("the "):
                    continue
                # an unresolved description ("the source") is kept as written
                att = with_antecedent(att, resolved) if resolved is not None else Attribution(
                    att.chain, att.start, att.end, att.anchor, att.role, att.person)
            s_start, _ = _sentence_bounds(paras[start_para], start_off)
            _, s_end = _sentence_bounds(para, (close or len(para) - 1) + 1)
            if start_para == p_idx:
                context = para[s_start:s_end].strip()
            else:
                context = " ".join([paras[start_para][s_start:].strip(),
                                    *[paras[i].strip() for i in range(start_para + 1, p_idx)],
                                    para[:s_end].strip()])
            quotes.append(Quote(start_para, start_off, p_idx, (close or len(para)) + 1, text, att.chain[0],
                                att.role, att.chain, context, att.person))
            last_speaker = att
            history.append(att)
        history.extend(history_by_para[p_idx] if p_idx < len(history_by_para) else [])
        _ = prev_para
    return quotes


def _earlier(history_by_para: list[list[Attribution]], p_idx: int, para: str, pos: int) -> list[Attribution]:
    """Attributions of the current paragraph that come before ``pos`` (for "he said" right after a name)."""
    if p_idx >= len(history_by_para):
        return []
    return [a for a in find_attributions(para[:pos]) if a.pronoun is None]
