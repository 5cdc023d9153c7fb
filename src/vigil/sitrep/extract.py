"""Claims of one message: counts, statuses, quotes and blame, each with who it is attributed to.

Attribution of a claim, in order: the speaker of the quotation it stands in; the attribution of its sentence
nearest to it (pronouns resolved to the last named source); else the document's own source (the wire agency
it credits, then the outlet). Everything is rule-based and pure: the same message always gives the same
claims, so the ``claims.v1`` stage can run on ingest and a sitrep can recompute them from files.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from ..message import Message, format_ts
from .attribution import Attribution, find_attributions, is_hedged
from .blame import event_of, find_blame
from .counts import find_counts
from .model import Claim
from .names import norm_name
from .quotes import Quote, find_quotes, resolve_pronoun, with_antecedent
from .ranker import Candidate, count_candidates, load_ranker
from .segment import Sentence, document_outlet, paragraphs, sentences, wire_credit
from .statuses import find_statuses

__all__ = ["EXTRACTOR_VERSION", "Chooser", "default_chain", "extract_claims", "rules_only"]

EXTRACTOR_VERSION = "claims.v1"
MAX_TEXT_CHARS = 200_000  # a longer "article" is a dump; its first part is what a report can use


# Anything a claim needs: a digit, an English or Arabic number word, a quote mark, an object whose status is
# tracked, or an accusation. A message with none of these has no claims.
_CUES = re.compile(
    r"[\d\u0660-\u0669\u06f0-\u06f9\"“”«»]|(?i:\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    r"ninety|hundred|thousand|million|dozen|dozens|tens|scores|hundreds|thousands|millions|cease-?fire|truce|evacuat\w*|"
    r"convoy|buses|crossing|checkpoint|corridor|road|highway|hospital|clinic|bakery|bakeries|water|electricity|power|"
    r"internet|telecom|blam\w*|accus\w*|responsib\w*))|واحد|اثن|ثلاث|أربع|اربع|خمس|ست|سبع|ثمان|تسع|عشر|مئ|مائ|ألف|"
    r"الف|آلاف|مليون|هدن|وقف إطلاق|إجلاء|اجلاء|قافل|حافل|باص|معبر|حاجز|ممر|طريق|مستشف|مشف|فرن|مخبز|أفران|مياه|"
    r"كهرباء|اتصالات|إنترنت|انترنت|اتهام|اتهم|حمّل|حمل|تبادل")
_CLAUSE = re.compile(r"[,،;]|\b(?:while|whereas|but)\b|فيما|بينما")


def _ar_events(title: str) -> str:
    for word, label in (("قصف", "shelling"), ("هدنة", "truce"), ("الهدنة", "truce"), ("قافلة", "convoy")):
        if word in title:
            return label
    return ""


def default_chain(msg: Message) -> tuple[str, ...]:
    """Who a claim is attributed to when its sentence names nobody: the credited wire agency, then the outlet."""
    outlet = document_outlet(msg)
    wire = wire_credit(msg.text)
    if wire and wire.lower() != outlet.lower():
        return (wire, outlet)
    return (outlet,)


def _resolve(att: Attribution, history: list[Attribution]) -> Attribution | None:
    if att.pronoun is None:
        return att
    found = resolve_pronoun(history, att.pronoun)
    if found is None:
        if att.pronoun.startswith("the "):  # "the agency said" with no agency before: kept as written
            return Attribution(att.chain, att.start, att.end, att.anchor, att.role, att.person)
        return None
    return with_antecedent(att, found)


def _in_quote(quotes: list[Quote], para: int, pos: int) -> Quote | None:
    for q in quotes:
        if q.first == q.last == para and q.start <= pos < q.end:
            return q
        if q.first != q.last and ((q.first == para and pos >= q.start) or (q.last == para and pos < q.end)
                                  or q.first < para < q.last):
            return q
    return None


_RELATIVE = re.compile(r"^\s*(?:which|who|whose|where)\b", re.I)


def _segment(text: str, pos: int) -> tuple[int, int]:
    start = max(text.rfind(sep, 0, pos) for sep in (",", "،", ";")) + 1
    ends = [i for i in (text.find(sep, pos) for sep in (",", "،", ";")) if i >= 0]
    return start, (min(ends) if ends else len(text))


def _nearest(atts: list[Attribution], pos: int, text: str = "") -> Attribution | None:
    """The attribution of the claim at ``pos``: one in its own comma clause, else the nearest one that is not
    inside a relative clause ("a ceasefire, which took effect at 9pm according to X, collapsed, Y said")."""
    candidates = [a for a in atts if not a.start <= pos < a.end]
    if not candidates:
        return None
    if text:
        seg = _segment(text, pos)
        own = [a for a in candidates if seg[0] <= a.anchor < seg[1]]
        if own:
            return min(own, key=lambda a: abs(a.anchor - pos))
        outside = [a for a in candidates if not _RELATIVE.match(text[_segment(text, a.anchor)[0]:])]
        if outside:
            candidates = outside
    return min(candidates, key=lambda a: abs(a.anchor - pos))


Chooser = Callable[[list[Candidate]], Candidate]


def rules_only(cands: list[Candidate]) -> Candidate:
    """The hand-written rules' pick (always the first candidate): a ``choose`` for comparisons and training."""
    return cands[0]


def extract_claims(msg: Message, *, choose: Chooser | None = None) -> list[Claim]:
    """All claims of ``msg`` in reading order, ids ``"{msg.id}#{n}"``.

    The source of each count is chosen among candidate sources by ``choose``: by default the shipped ranker
    (:mod:`vigil.sitrep.ranker`), or the rules' pick when no ranker weights are installed; :func:`rules_only`
    gives the rules' pick.

    >>> from datetime import UTC, datetime
    >>> m = Message("news:1", "news", "article", "1", datetime(2025, 2, 3, tzinfo=UTC),
    ...             "Shelling killed 45 people in Al-Jisr, medics said.", title="Al-Jisr shelled")
    >>> [(c.kind, c.subject, c.value_low, c.attributed_to) for c in extract_claims(m)]
    [('count', 'deaths', 45, ('medics',))]
    """
    text = msg.text[:MAX_TEXT_CHARS]
    if not _CUES.search(text):
        return []  # no number, quotation, status object or accusation: most posts; skip the sentence work
    default = default_chain(msg)
    if choose is None:
        ranker = load_ranker()
        choose = ranker.choose if ranker is not None else rules_only
    canon = _monitor_names(text)
    outlet = document_outlet(msg)
    published = format_ts(msg.created_at)
    paras = paragraphs(text)
    sents = sentences(text)
    by_para: dict[int, list[Sentence]] = {}
    for s in sents:
        by_para.setdefault(s.paragraph, []).append(s)
    history: list[Attribution] = []
    sentence_atts: dict[int, list[Attribution]] = {}
    history_by_para: list[list[Attribution]] = []
    for p_idx in range(len(paras)):
        para_atts: list[Attribution] = []
        for s in by_para.get(p_idx, []):
            resolved = []
            for att in find_attributions(s.norm):
                r = _resolve(att, history + para_atts)
                if r is not None:
                    resolved.append(r)
                    para_atts.append(r)
            sentence_atts[s.index] = resolved
        history.extend(para_atts)
        history_by_para.append(para_atts)
    quotes = find_quotes(paras, history_by_para)
    doc_origins: dict[str, int] = {}
    for a in history:
        key = norm_name(canon(a.chain[0])) if a.chain else ""
        doc_origins[key] = doc_origins.get(key, 0) + 1

    claims: list[Claim] = []
    kind_of_source = "document" if msg.is_document else "post"

    def new_id() -> str:
        return f"{msg.id}#{len(claims) + 1}"

    def attribution_for(s: Sentence, pos: int) -> tuple[tuple[str, ...], str | None]:
        q = _in_quote(quotes, s.paragraph, s.start + pos)
        if q is not None:
            return q.chain, q.role
        att = _nearest(sentence_atts.get(s.index, []), pos, s.norm)
        if att is not None:
            return att.chain, att.role
        return default, None

    quote_iter = iter(sorted(quotes, key=lambda q: (q.first, q.start)))
    pending = next(quote_iter, None)
    for s in sents:
        while pending is not None and (pending.first, pending.start) < (s.paragraph, s.start + len(s.text)):
            claims.append(Claim(new_id(), "quote", pending.context, pending.speaker, pending.chain, msg.id, published,
                                speaker=pending.speaker, quote=pending.text, role=pending.role,
                                hedged=is_hedged(pending.context), lang=msg.lang))
            pending = next(quote_iter, None)
        hedged = is_hedged(s.norm)
        att_spans = [(a.start, a.end) for a in sentence_atts.get(s.index, [])]
        for c in find_counts(s.norm):
            pos = c.quantity.number_start
            if any(a <= pos < b for a, b in att_spans) and _in_quote(quotes, s.paragraph, s.start + pos) is None:
                continue  # "a spokesman for the 5th Division": part of who is speaking
            chain, role = attribution_for(s, pos)
            q = _in_quote(quotes, s.paragraph, s.start + pos)
            atts = [sentence_atts.get(s.index - k, []) if s.index - k >= 0 else [] for k in range(3)]
            best = choose(count_candidates(s.norm, pos, atts, chain, role, default, outlet,
                                           (q.chain, q.role) if q is not None else None, s.index == 0, canon,
                                           doc_origins))
            chain, role = best.chain, best.role
            claims.append(Claim(new_id(), "count", s.text, c.subject, chain, msg.id, published,
                                value_low=c.quantity.low, value_high=c.quantity.high, hedged=hedged,
                                counted=c.counted or None, approx=c.quantity.approx, role=role, lang=msg.lang))
        for st in find_statuses(s.norm):
            chain, role = attribution_for(s, st.pos)
            claims.append(Claim(new_id(), "status", s.text, st.subject, chain, msg.id, published, status=st.status,
                                place=st.place, hedged=hedged, role=role, lang=msg.lang,
                                extra={"hour": st.when} if st.when is not None else {}))
        for b in find_blame(s.norm):
            what = b.what
            if what == "events":
                # "Each side blames the other." names nothing: the story's last status object, or its headline's
                last = next((c.subject for c in reversed(claims) if c.kind == "status" and c.subject), None)
                what = last or event_of(msg.title or "") or event_of(_ar_events(msg.title or "")) or "events"
            chain, role = attribution_for(s, b.start)
            if any(a.anchor > b.start and _CLAUSE.search(s.norm[b.start:a.anchor])
                   for a in sentence_atts.get(s.index, []) if chain and a.chain == chain):
                chain, role = default, None  # "each side blames the other, while the UN said ..."
            if b.accuser and b.blamed != "each other":
                # the accuser is the origin; an outlet that reported the accusation comes after it
                chain = (b.accuser, *[n for n in chain if n != b.accuser and chain != default])
            claims.append(Claim(new_id(), "statement", s.text, f"blame: {what}", chain, msg.id, published,
                                blamed=b.blamed, hedged=hedged, role=role, lang=msg.lang))
    while pending is not None:
        claims.append(Claim(new_id(), "quote", pending.context, pending.speaker, pending.chain, msg.id, published,
                            speaker=pending.speaker, quote=pending.text, role=pending.role,
                            hedged=is_hedged(pending.context), lang=msg.lang))
        pending = next(quote_iter, None)
    return [dataclasses.replace(c, attributed_to=tuple(canon(n) for n in c.attributed_to),
                                speaker=canon(c.speaker) if c.speaker else c.speaker,
                                subject=canon(c.subject) if c.kind == "quote" and c.subject else c.subject,
                                extra={**c.extra, "source_type": kind_of_source}) for c in claims]


SOHR = "Syrian Observatory for Human Rights"
_MONITOR_DESC = re.compile(r"\b(?:monitor|monitors|monitoring|observatory)\b|"
                           r"(?:britain|british|uk|u\.k\.|london)-based\s+(?:group|organi[sz]ation|body|ngo)\b", re.I)
_BRITAIN_BASED = re.compile(r"(?:britain|british|uk|u\.k\.|london)-based", re.I)
_SOHR_NAMED = re.compile(r"Syrian\s+Observatory|\bSOHR\b|المرصد\s+السوري")
_ADJECTIVAL = re.compile(r"-(?:based|backed|led|run)$", re.I)


def _monitor_names(text: str) -> Callable[[str], str]:
    """How descriptions of a monitor read in this document: "a monitor", "the Britain-based group", "a group
    monitoring the conflict" are the Syrian Observatory for Human Rights when the document names it or calls
    the monitor Britain-based (its well-known description); a named monitor or any other source is unchanged."""
    named = bool(_SOHR_NAMED.search(text))

    def canon(name: str) -> str:
        if not _MONITOR_DESC.search(name) or any(w[:1].isupper() and not _ADJECTIVAL.search(w) for w in name.split()):
            return name
        return SOHR if named or _BRITAIN_BASED.search(name) else name

    return canon
