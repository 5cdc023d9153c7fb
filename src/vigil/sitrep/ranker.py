"""Who a count is attributed to, chosen by a small learned ranker over candidate sources.

The rules (:mod:`vigil.sitrep.attribution`) find the reporting clauses of a sentence; which of them a number
belongs to — or whether it belongs to none and the article's own wire credit or outlet stands behind it — is what
four rounds of hand-written rules kept getting wrong on fresh articles. Here every plausible source of a count is
a candidate:

* the rules' own pick (still a feature, and the fallback when no weights are shipped);
* every attribution of the count's sentence and of the one or two sentences before it;
* the speaker of the quotation the number stands in;
* the credited wire agency with the outlet, and the outlet alone;
* shorter forms of a candidate's name cut at a lower-case word ("SANA reporter in Aleppo" -> "SANA reporter");
* names of known bodies mentioned in the sentence (the Observatory, SANA, an agency, a ministry ...).

Each candidate is described by a few dozen binary and scaled features (where it came from, distance and
direction to the number, the kind of reporting cue, what its name looks like) and scored by a logistic
regression trained on the gold set (``python -m vigil.sitrep.train``); the best-scoring candidate wins. The
weights are a small JSON file shipped in the package (:data:`RANKER_FILE`), scored in pure Python: no model
download, no NumPy at run time.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .attribution import Attribution
from .names import ORG_WORDS, PLACES, SOURCE_NOUNS, norm_name
from .segment import OUTLETS

__all__ = ["RANKER_FILE", "RANKER_VERSION", "Candidate", "Ranker", "count_candidates", "load_ranker"]

RANKER_VERSION = "source_ranker.v3"
RANKER_FILE = Path(__file__).with_name(f"{RANKER_VERSION}.json")


@dataclass
class Candidate:
    """One possible source of a count: its chain (origin first), role, and features (name -> value)."""

    chain: tuple[str, ...]
    role: str | None = None
    features: dict[str, float] = field(default_factory=dict)

    def key(self) -> tuple[str, ...]:
        """The chain in comparable form, so the same source found twice is one candidate."""
        return tuple(norm_name(n) for n in self.chain)


_KNOWN = {norm_name(v) for v in OUTLETS.values()} | {
    "reuters", "afp", "ap", "sana", "tass", "anadolu", "xinhua", "dpa", "fna", "amn", "ria novosti", "irna",
    "syrian observatory for human rights", "syria civil defence", "united nations", "white helmets"}
_MENTION = re.compile(r"\b(?:[A-Z][\w'’.-]*|al-[A-Z][\w'’-]*)(?:\s+(?:(?:of|for|the|al|el|on)\s+)*"
                      r"(?:[A-Z][\w'’.-]*|al-[A-Z][\w'’-]*))*")
_CUT_AT = {"in", "on", "at", "near", "the", "an", "a", "however", "from", "inside", "who", "which", "that"}
_VERB_AFTER = re.compile(r"^\s*(?:[\w'’-]+\s+){0,3}?(?:said|says|say|told|reported|reports|added|stated|"
                         r"confirmed|announced|quoted|cited|estimated|claimed)\b", re.I)
_CUE_BEFORE = re.compile(r"(?:according\s+to|citing|quoting|told|by|to|with)\s+(?:the\s+|a\s+|an\s+)?$", re.I)
_THAT = re.compile(r"\bthat\b|[,;:]")
_AUX_WORDS = {"the", "a", "an", "of", "for", "and", "al", "but", "on", "in", "at", "meanwhile", "however", "earlier",
              "later", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "also", "while"}
_GENERIC = {"people", "militants", "members", "government", "source", "sources", "correspondent", "reporter",
            "reports", "statement", "it", "they", "forces", "group", "agency", "media"}
# features that may mean something else when the rules' pick looks wrong (a place, a generic word): crossed with
# those two flags, so the ranker can learn when to overrule the rules without unlearning when to follow them
_CROSSED = ("src_sent0", "src_sent1", "src_sent2", "src_default", "src_outlet", "src_mention", "src_inner", "m_noun",
            "m_verb_after", "o_known", "o_place", "o_lower", "rule", "src_span", "src_trim")
_NOUN_AFTER = re.compile(r"^\s+(reporter|correspondent|source|sources|official|officials|spokesman|statement)\b",
                         re.I)


def _name_features(name: str, prefix: str, out: dict[str, float]) -> None:
    words = name.split()
    lowered = [w.lower().strip(".,'’") for w in words]
    key = norm_name(name)
    out[f"{prefix}cap"] = float(bool(name[:1].isupper()))
    out[f"{prefix}allcaps"] = float(bool(words) and words[0].isupper() and len(words[0]) > 1)
    out[f"{prefix}lower"] = float(name.islower())
    out[f"{prefix}nwords"] = min(len(words), 8) / 8
    out[f"{prefix}long"] = float(len(words) >= 5)
    out[f"{prefix}org"] = float(any(w in ORG_WORDS for w in lowered))
    out[f"{prefix}srcnoun"] = float(bool(lowered) and lowered[-1] in SOURCE_NOUNS)
    out[f"{prefix}place"] = float(bool(lowered) and lowered[-1] in PLACES and lowered[-1] not in ORG_WORDS)
    out[f"{prefix}known"] = float(key in _KNOWN or any(k in key for k in ("observatory", "ministry", "agency")))
    out[f"{prefix}pronoun"] = float(lowered in (["it"], ["they"], ["he"], ["she"], ["we"]))
    out[f"{prefix}arabic"] = float(bool(re.search(r"[\u0600-\u06ff]", name)))


def _cue(text: str, anchor: int) -> str:
    rest = text[anchor:anchor + 24].lower()
    if rest.startswith(("according", "citing", "quoting", "reported by", "in a", "in an", "in the")):
        return "according"
    if rest.startswith(("told", "tells", "informed")):
        return "told"
    if rest.startswith(("quoted", "cited")):
        return "quoted"
    if re.match(r"(?:\w+\s+)*?(?:reported|reports|report)\b", rest):
        return "reported"
    if re.match(r"(?:\w+\s+)*?(?:said|says|say|added|adds|stated)\b", rest):
        return "said"
    return "other"


def _position(out: dict[str, float], text: str, anchor: int, pos: int) -> None:
    before = anchor < pos
    gap = text[min(anchor, pos):max(anchor, pos)]
    n_tok = len(gap.split())
    out["before"] = float(before)
    out["after"] = float(not before)
    out["tokdist"] = math.log1p(n_tok) / 4
    out["near"] = float(n_tok <= 6)
    out["clause_between"] = float(bool(_THAT.search(gap)))
    out["that_between"] = float(before and bool(re.search(r"\bthat\b", gap)))
    out["comma_between"] = float("," in gap)
    out["pos_in_sent"] = pos / max(len(text), 1)


def count_candidates(text: str, pos: int, atts: Sequence[Sequence[Attribution]], rule: tuple[str, ...],
                     rule_role: str | None, default: tuple[str, ...], outlet: str,
                     quote: tuple[tuple[str, ...], str | None] | None, first_sentence: bool,
                     canon: Callable[[str], str], doc_origins: dict[str, int]) -> list[Candidate]:
    """Candidate sources of the count whose number starts at ``pos`` in sentence ``text``.

    Args:
        atts: the resolved attributions of the sentence, then of the one and two sentences before it.
        rule / rule_role: what the hand-written rules chose.
        default: the document's default chain (wire credit, outlet); ``outlet`` its outlet alone.
        quote: the chain and role of the quotation the number stands in, if any.
        first_sentence: the count is in the first sentence of the document (often a repeated headline).
        canon: the document's name canonicaliser (descriptions of the monitor -> its name).
        doc_origins: how often each (normalised) origin is cited in the document.
    """
    found: dict[tuple[str, ...], Candidate] = {}
    own = list(atts[0]) if atts else []
    rule_words = [w.lower().strip(".,'’") for w in (rule[0].split() if rule else [])]
    rule_generic = float(bool(rule_words) and (rule[0].islower() or (len(rule_words) == 1 and rule_words[0] in
                                                                              _GENERIC)))
    rule_place = float(bool(rule_words) and (rule_words[0] in PLACES or rule_words[-1] in PLACES)
                       and not any(w in ORG_WORDS for w in rule_words))

    def add(chain: tuple[str, ...], role: str | None, feats: dict[str, float]) -> None:
        chain = tuple(canon(n) for n in chain if n)
        if not chain:
            return
        cand = Candidate(chain, role)
        key = cand.key()
        if key in found:
            old = found[key].features
            for k, v in feats.items():
                if k in ("tokdist", "pos_in_sent", "sentdist"):
                    old[k] = min(old.get(k, v), v)
                else:
                    old[k] = max(old.get(k, 0.0), v)
            return
        origin = norm_name(chain[0])
        feats = dict(feats)
        feats["bias"] = 1.0
        feats["chain2"] = float(len(chain) > 1)
        feats["is_outlet"] = float(origin == norm_name(outlet))
        feats["is_default_origin"] = float(origin == norm_name(default[0]))
        feats["freq"] = min(doc_origins.get(origin, 0), 5) / 5
        feats["sent_has_att"] = float(bool(own))
        feats["first_sentence"] = float(first_sentence)
        feats["in_quote"] = float(quote is not None)
        _name_features(chain[0], "o_", feats)
        feats["rule_generic"] = rule_generic
        feats["rule_place"] = rule_place
        for k in _CROSSED:
            if feats.get(k):
                if rule_generic:
                    feats[f"g_{k}"] = feats[k]
                if rule_place:
                    feats[f"p_{k}"] = feats[k]
        cand.features = feats
        found[key] = cand

    add(rule, rule_role, {"rule": 1.0})
    if quote is not None:
        add(quote[0], quote[1], {"src_quote": 1.0})
    for dist, group in enumerate(atts[:3]):
        for att in group:
            feats: dict[str, float] = {f"src_sent{dist}": 1.0, "sentdist": dist / 2, "person": float(att.person),
                                       "has_role": float(att.role is not None), f"cue_{_cue(text, att.anchor)}"
                                       if dist == 0 else "cue_prev": 1.0}
            if dist == 0:
                _position(feats, text, att.anchor, pos)
                feats["span_contains"] = float(att.start <= pos < att.end)
                feats["nearest"] = float(min(abs(a.anchor - pos) for a in group) == abs(att.anchor - pos))
            add(att.chain, att.role, feats)
            if dist == 0 and att.start < att.anchor:
                # the words before the verb as written, cut at the first lower-case function word: "SANA reporter
                # in Aleppo said" -> "SANA reporter", where the rules took the place
                raw = text[att.start:att.anchor].split()
                cut_raw = next((i for i, w in enumerate(raw) if i >= 1 and w.lower() in _CUT_AT), None)
                if cut_raw is not None:
                    span = dict(feats)
                    span["src_span"] = 1.0
                    add((" ".join(raw[:cut_raw]).strip(",;:"), *att.chain[1:]), att.role, span)
            inner = _inner_known(att.chain[0])
            if inner is not None:
                # a known outlet or body inside a longer span: "New Aleppo SANA reporter" -> "SANA reporter"
                add((inner, *att.chain[1:]), att.role, {**feats, "src_inner": 1.0})
            words = att.chain[0].split()
            cut = next((i for i, w in enumerate(words) if i >= 1 and w.lower() in _CUT_AT), None)
            if cut is not None:
                trimmed = dict(feats)
                trimmed["src_trim"] = 1.0
                add((" ".join(words[:cut]), *att.chain[1:]), att.role, trimmed)
    add(default, None, {"src_default": 1.0})
    if len(default) > 1:
        add((outlet,), None, {"src_outlet": 1.0})
    for m in _MENTION.finditer(text):
        name = m.group(0)
        while name.split() and name.split()[0].lower() in _AUX_WORDS:
            name = name.split(" ", 1)[1] if " " in name else ""
        if not name:
            continue
        noun = _NOUN_AFTER.match(text[m.end():])
        end = m.end() + noun.end() if noun else m.end()
        key = norm_name(name)
        lowered = key.split()
        if not (key in _KNOWN or any(w in ORG_WORDS for w in lowered)) or (m.start() <= pos < m.end()):
            continue
        feats = {"src_mention": 1.0,
                 "m_verb_after": float(bool(_VERB_AFTER.match(text[end:]))),
                 "m_cue_before": float(bool(_CUE_BEFORE.search(text[max(0, m.start() - 20):m.start()]))),
                 "m_sentence_start": float(m.start() < 3)}
        _position(feats, text, m.start(), pos)
        add((name,), None, feats)
        if noun:
            add((f"{name} {noun.group(1)}",), None, {**feats, "m_noun": 1.0})
    return list(found.values())


def _inner_known(name: str) -> str | None:
    """The known outlet or body that ends a longer name, with a following source noun: "Deir Ezzor SANA" -> "SANA",
    "New Aleppo SANA reporter" -> "SANA reporter"; ``None`` when the name has no such tail."""
    words = name.split()
    for i in range(1, len(words)):
        tail = words[i:]
        head = tail[:-1] if len(tail) > 1 and tail[-1].lower() in SOURCE_NOUNS else tail
        if norm_name(" ".join(head)) in _KNOWN:
            return " ".join(tail)
    return None


@dataclass(frozen=True)
class Ranker:
    """A linear scorer over candidate features (weights by feature name)."""

    version: str
    weights: dict[str, float]

    def score(self, cand: Candidate) -> float:
        """The candidate's score (higher: more likely the count's source)."""
        w = self.weights
        return sum(w.get(k, 0.0) * v for k, v in cand.features.items())

    def choose(self, cands: Sequence[Candidate]) -> Candidate:
        """The best-scoring candidate (the first, i.e. the rules' pick, on ties); a number inside a quotation
        belongs to its speaker (the annotation rule), so the speaker's candidate wins when there is one."""
        quoted = [c for c in cands if c.features.get("src_quote")]
        return quoted[0] if quoted else max(cands, key=self.score)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Ranker:
        """A ranker from its JSON form: ``{"version": ..., "weights": {name: weight}}``."""
        return cls(str(data["version"]), {str(k): float(v) for k, v in data["weights"].items()})


@lru_cache(maxsize=4)
def load_ranker(path: str | None = None) -> Ranker | None:
    """The shipped ranker (or the one at ``path``); ``None`` when there is no weights file (rules decide)."""
    p = Path(path) if path else RANKER_FILE
    if not p.exists():
        return None
    return Ranker.from_dict(json.loads(p.read_text(encoding="utf-8")))
