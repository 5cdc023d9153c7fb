#!/usr/bin/env python3
"""Generate the synthetic "siege of Qasr al-Nahr" demo scenario for vigil.

Deterministic for a seed (stdlib ``random.Random`` only)::

    python examples/siege/generate.py --seed 2016 --out examples/siege/data

writes the input files under ``--out`` and ``truth.json`` + ``watchlist.csv`` next to it (in the parent of
``--out``, or ``--meta-out``). Everything is fictional; see README.md for the scenario and its ground truth.

Posting model: each account is a Hawkes process (background posts from a Poisson process shaped by a
diurnal curve in local time UTC+3 and a per-day multiplier, each post triggering more posts soon after with
an exponential kernel; the account that goes silent posts steadily instead), thinned by the planted
incidents (one account silenced for good, one district dark for 14 hours) and by natural quiet spells.
Content follows the scenario timeline.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import _documents as D
import _formats as F
import _phrases as P
import _scenario as S

DAY = 86400
# Relative posting activity by local hour (UTC+3); little at night.
_DIURNAL = [0.25, 0.12, 0.07, 0.05, 0.05, 0.1, 0.35, 0.7, 1.0, 1.2, 1.3, 1.3,
            1.2, 1.2, 1.25, 1.3, 1.35, 1.4, 1.5, 1.6, 1.6, 1.4, 1.0, 0.6]
_DIURNAL_MEAN = sum(_DIURNAL) / 24
DIURNAL = [w / _DIURNAL_MEAN for w in _DIURNAL]
DAY_MULT_MEAN = sum(S.DAY_MULT) / len(S.DAY_MULT)


@dataclass
class Post:
    """One generated post on X or Mastodon (``kind``: post, retweet, reply, quote, boost)."""

    t: int
    channel: str
    actor: str
    handle: str
    text: str
    lang: str
    topic: str
    kind: str = "post"
    ref: Post | None = None
    id: str = ""
    conv: str = ""
    edit_of: str | None = None
    group: str | None = None
    url: str | None = None


@dataclass
class Ev:
    """A scheduled posting moment; ``forced`` names a topic that must be used."""

    t: float
    actor: str
    channel: str = "x"
    parent: Ev | None = None
    forced: str | None = None
    group: str | None = None
    post: Post | None = field(default=None, repr=False)


def _poisson(rng: random.Random, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _intensity(t: float, shift_h: int, flatten: float) -> float:
    hour = int((t / 3600 + 3 - shift_h) % 24)
    w = (1 - flatten) * DIURNAL[hour] + flatten
    return w * S.DAY_MULT[min(int(t // DAY), 9)]


def hawkes(rng: random.Random, actor: str, rate: float, eta: float, tau_s: float, *, shift_h: int = 0,
           flatten: float = 0.0) -> list[Ev]:
    """Events of one account: diurnal background (thinning) plus self-excited offspring."""
    mu = rate * (1 - eta) / DAY / DAY_MULT_MEAN
    wmax = max(DIURNAL) * max(S.DAY_MULT)
    events: list[Ev] = []
    t = 0.0
    while True:
        t += rng.expovariate(mu * wmax)
        if t >= S.SPAN_S:
            break
        if rng.random() * wmax < _intensity(t, shift_h, flatten):
            events.append(Ev(t, actor))
    i = 0
    while i < len(events):
        parent = events[i]
        for _ in range(_poisson(rng, eta)):
            c = parent.t + rng.expovariate(1 / tau_s)
            if c < S.SPAN_S:
                events.append(Ev(c, actor, parent=parent))
        i += 1
    return events


def regular(rng: random.Random, actor: str, per_day: float, wake_h: int = 7, sleep_h: int = 23) -> list[Ev]:
    """A steady poster: gamma-distributed gaps (shape 4, so far less bursty than Poisson) while awake."""
    awake_s = (sleep_h - wake_h) * 3600
    mean_gap = awake_s / per_day
    events: list[Ev] = []
    for day in range(10):
        t = day * DAY + (wake_h - 3) * 3600 + rng.uniform(0, mean_gap)
        end = day * DAY + (sleep_h - 3) * 3600
        while t < end:
            events.append(Ev(t, actor))
            t += rng.gammavariate(4, mean_gap / 4)
    return events


def _blocked(person: S.Person, t: float) -> bool:
    if person.key == S.SILENT_PERSON and t >= S.SILENT_LAST_POST:
        return True
    if person.district == S.BLACKOUT_DISTRICT and S.BLACKOUT_START <= t < S.BLACKOUT_END:
        return True
    return any(q.person == person.key and q.start <= t < q.end for q in S.QUIET_SPELLS)


def _daytime(rng: random.Random, day: int) -> float:
    """A random time between 08:00 and 21:00 local on UTC day ``day`` (0-based)."""
    return day * DAY + (8 - 3) * 3600 + rng.uniform(0, 13 * 3600)


def schedule(rng: random.Random) -> list[Ev]:
    """All posting moments of all accounts, incidents applied, sorted by time."""
    events: list[Ev] = []
    for person in S.PEOPLE:
        if person.style == "regular":
            evs = regular(rng, person.key, person.rate)
        else:
            evs = hawkes(rng, person.key, person.rate, person.eta, rng.uniform(900, 2700), shift_h=person.shift_h)
        evs = [e for e in evs if not _blocked(person, e.t)]
        if not evs:  # the rarest posters still post at least once in ten days
            evs = [Ev(_daytime(rng, rng.randrange(10)), person.key)]
        for e in evs:
            if person.x is None or (person.mastodon and rng.random() < person.mastodon_share):
                e.channel = "mastodon"
        events.extend(evs)
    for outlet in S.OUTLETS:
        events.extend(hawkes(rng, outlet.key, outlet.rate, 0.3, 1800, flatten=0.5))
    for story in D.STORIES:
        events.append(Ev(S.at(story.time) + rng.uniform(60, 900), story.outlet, forced="story:" + story.slug))
    events.extend(_forced(rng))
    events.sort(key=lambda e: (e.t, e.actor))
    return events


def _forced(rng: random.Random) -> list[Ev]:
    """Scripted posts: comebacks, the silent account's last post, worries, the two viral farewells."""
    out: list[Ev] = []
    for q in S.QUIET_SPELLS:
        out.append(Ev(q.end + rng.uniform(600, 5400), q.person, forced="quiet_back"))
    zaytun = [p for p in S.PEOPLE if p.district == S.BLACKOUT_DISTRICT]
    for p in zaytun:
        out.append(Ev(S.BLACKOUT_END + rng.uniform(120, 2400), p.key, forced="blackout_back"))
    for p in zaytun:  # every account of the district is active right up to the cut
        out.append(Ev(S.BLACKOUT_START - rng.uniform(240, 1500), p.key, forced="blackout_before"))
    others = [p for p in S.PEOPLE if p.district != S.BLACKOUT_DISTRICT and p.x and p.rate >= 3]
    for p in rng.sample(others, 6):
        t = rng.uniform(S.BLACKOUT_START + 3600, S.BLACKOUT_END - 1800)
        if not _blocked(p, t):
            out.append(Ev(t, p.key, forced="blackout_worry"))
    out.append(Ev(S.SILENT_LAST_POST, S.SILENT_PERSON, forced="last_post"))
    for key, when in (("P32", "2025-02-09T08:15Z"), ("P33", "2025-02-09T12:40Z"), ("P06", "2025-02-09T18:05Z")):
        out.append(Ev(S.at(when), key, forced="silent_worry"))
    for group, (author, t0), n, span_h in (("viral_early", S.VIRAL_EARLY, 5, 26), ("viral_late", S.VIRAL_LATE, 14, 31)):
        out.append(Ev(t0, author, forced="viral", group=group))
        pool = [p for p in S.PEOPLE if p.x and p.key not in (author, S.SILENT_PERSON) and p.rate >= 1]
        for kind, wanted in (("copy", n), ("rt_viral", 2 * n)):
            chosen = 0
            for p in rng.sample(pool, len(pool)):
                t = t0 + rng.uniform(300 if kind == "rt_viral" else 900, span_h * 3600)
                if chosen < wanted and not _blocked(p, t):
                    out.append(Ev(t, p.key, forced=kind, group=group))
                    chosen += 1
    return out


# --- content --------------------------------------------------------------------------------------------


def p_forever(t: float) -> float:
    """Share of farewells using the later phrasing ("goodbye forever from"), rising on days 9-10."""
    return 1 / (1 + math.exp(-(t - S.at("2025-02-09T06:00Z")) / (8 * 3600)))


def farewell_weight(t: float) -> float:
    start = S.at("2025-02-07T00:00Z")
    return 0.0 if t < start else min(4.5, 0.6 + 1.3 * (t - start) / DAY)


def topic_weights(t: float, person: S.Person) -> dict[str, float]:
    ph = S.phase_at(t)
    w = {"daily": 3.0, "bread": 1.5, "shelling": 2.0, "hunger": 1.3, "hospital": 3.0 if person.medical else 0.8,
         "power": 1.0, "prayer": 0.8, "casualty": 1.0, "plea": 0.7,
         "news": 2.5 if person.style == "local_news" else 0.8}
    if S.at("2025-02-04T00:00Z") <= t < S.at("2025-02-04T18:00Z"):
        w["ceasefire_rumour"] = 2.0
    if ph == "jisr_strike":
        first_day = t < S.at("2025-02-04T06:00Z")
        w.update(shelling=5.0, casualty=3.0 if first_day else 1.5, plea=1.5, hospital=w["hospital"] * 2)
    elif ph == "truce":
        w.update(ceasefire_on=5.0, shelling=0.2, casualty=0.3, plea=0.4)
    elif ph == "truce_broken":
        since = (t - S.at("2025-02-05T13:00Z")) / 3600
        w.update(ceasefire_broken=max(0.5, 5.0 - since / 4), shelling=4.0, casualty=1.5)
        if S.BLACKOUT_START <= t < S.BLACKOUT_END and person.district != S.BLACKOUT_DISTRICT:
            w["blackout_worry"] = 1.2
    elif ph == "evac_deal":
        w.update(evac_deal=4.0)
    elif ph == "convoy_moving":
        w.update(convoy_moving=4.0, evac_deal=1.0)
    elif ph == "convoy_halted":
        w.update(convoy_halted=4.0, plea=1.5)
    elif ph == "convoy_reached":
        w.update(convoy_reached=2.5, evac_deal=0.5)
    fw = farewell_weight(t)
    if fw:
        w["farewell"] = fw
    return w


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, [weights[k] for k in keys])[0]


def _slots(rng: random.Random, person: S.Person | None, t: float) -> dict[str, str]:
    district = S.DISTRICT[person.district] if person else rng.choice(S.DISTRICTS)
    other = rng.choice([d for d in S.DISTRICTS if d.key != district.key])
    street, street_ar = rng.choice(P.STREETS)
    name, name_ar = rng.choice(P.NAMES)
    return {"city": S.CITY, "city_ar": S.CITY_AR, "district": district.name, "district_ar": district.name_ar,
            "other": other.name, "other_ar": other.name_ar, "street": street, "street_ar": street_ar,
            "n": str(rng.randint(12, 60)), "n2": str(rng.randint(3, 10)), "price": rng.choice(P.PRICES),
            "name": name, "name_ar": name_ar, "day": str(25 + int(t // DAY)), "hospital": P.HOSPITAL[0],
            "hospital_ar": P.HOSPITAL[1], "user": "", "tag": "", "tag_ar": ""}


class Generator:
    """Turns the schedule into posts, in time order, so that retweets and replies point at earlier posts."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.x: list[Post] = []
        self.mastodon: list[Post] = []
        self.last_x: dict[str, Post] = {}
        self.viral: dict[str, Post] = {}
        self.stories = sorted(D.STORIES, key=lambda s: S.at(s.time))

    def run(self, events: list[Ev]) -> None:
        for ev in events:
            post = self._one(ev)
            ev.post = post
            (self.x if post.channel == "x" else self.mastodon).append(post)
            if post.channel == "x" and post.kind != "retweet":
                self.last_x[post.actor] = post
            if ev.forced == "viral" and ev.group:
                self.viral[ev.group] = post

    # -- dispatch

    def _one(self, ev: Ev) -> Post:
        t = int(ev.t)
        if ev.actor in S.OUTLET:
            return self._outlet(ev, t)
        person = S.PERSON[ev.actor]
        handle = person.x if ev.channel == "x" else f"{person.mastodon}@{S.INSTANCE}"
        assert handle is not None
        if ev.forced:
            return self._forced(ev, person, handle, t)
        r = self.rng.random()
        if ev.channel == "mastodon":
            return self._mastodon(person, handle, t, r, ev)
        if r < person.rt:
            target = self._rt_target(person, t)
            if target is not None:
                return Post(t, "x", person.key, handle, "", target.lang, target.topic, "retweet", target)
        elif r < person.rt + 0.07:
            target = self._reply_target(person, t)
            if target is not None:
                return self._reply(person, handle, t, target)
        elif r < person.rt + 0.09:
            outlet_posts = self._recent(t, 12, lambda p: p.actor in S.OUTLET and p.kind == "post")
            if outlet_posts:
                lang = self._lang(person)
                comment = self.rng.choice(P.POSTS["quote"][lang])
                quoted = self.rng.choice(outlet_posts)
                return Post(t, "x", person.key, handle, comment, lang, "quote", "quote", quoted)
        return self._original(person, handle, t, ev)

    def _lang(self, person: S.Person) -> str:
        return "ar" if self.rng.random() < person.ar_share else "en"

    def _recent(self, t: int, hours: float, keep: Callable[[Post], bool]) -> list[Post]:
        out = []
        for p in reversed(self.x):
            if t - p.t > hours * 3600:
                break
            if keep(p):
                out.append(p)
        return out

    def _rt_target(self, person: S.Person, t: int) -> Post | None:
        cands = self._recent(t, 24, lambda p: p.kind in ("post", "quote") and p.actor != person.key)
        if not cands:
            return None
        boost = {"plea": 4, "farewell_to": 5, "farewell_forever": 5, "letter": 5, "casualty": 2, "viral": 40,
                 "copy": 2, "silent_worry": 6, "blackout_worry": 3, "blackout_back": 3}
        weights = []
        for p in cands:
            w = boost.get(p.topic, 1.0)
            if p.actor in S.PERSON and S.PERSON[p.actor].district == person.district:
                w *= 2
            weights.append(w)
        return self.rng.choices(cands, weights)[0]

    def _reply_target(self, person: S.Person, t: int) -> Post | None:
        cands = self._recent(t, 12, lambda p: p.kind == "post" and p.actor in S.PERSON and p.actor != person.key)
        if not cands:
            return None
        weights = [3.0 if S.PERSON[p.actor].district == person.district else 1.0 for p in cands]
        return self.rng.choices(cands, weights)[0]

    def _reply(self, person: S.Person, handle: str, t: int, target: Post) -> Post:
        lang = self._lang(person)
        slots = _slots(self.rng, person, t)
        slots["user"] = target.handle
        text = self.rng.choice(P.POSTS["reply"][lang]).format(**slots)
        return Post(t, "x", person.key, handle, text, lang, "reply", "reply", target)

    def _mastodon(self, person: S.Person, handle: str, t: int, r: float, ev: Ev) -> Post:
        if r < 0.08:
            cands = [p for p in self.mastodon[-40:] if p.kind == "post" and p.actor != person.key and t - p.t < 2 * DAY]
            if cands:
                target = self.rng.choice(cands)
                return Post(t, "mastodon", person.key, handle, "", target.lang, target.topic, "boost", target)
        last = self.last_x.get(person.key)
        if r < 0.38 and last is not None and last.kind == "post" and t - last.t < 3 * 3600:
            return Post(t, "mastodon", person.key, handle, last.text, last.lang, last.topic, "post", group="crosspost")
        return self._original(person, handle, t, ev, channel="mastodon")

    # -- originals

    def _original(self, person: S.Person, handle: str, t: int, ev: Ev, channel: str = "x") -> Post:
        rng = self.rng
        topic = None
        parent = ev.parent.post if ev.parent else None
        if parent is not None and parent.kind == "post" and parent.topic in P.POSTS and rng.random() < 0.5:
            topic = parent.topic  # bursts tend to stay on one subject
        if topic is None:
            topic = _pick(rng, topic_weights(t, person))
        if topic == "farewell":
            topic = "farewell_forever" if rng.random() < p_forever(t) else "farewell_to"
        lang = self._lang(person)
        slots = _slots(rng, person, t)
        if topic == "news":
            return self._share(person, handle, t, lang, channel)
        if topic.startswith("farewell") and rng.random() < 0.12:
            letter = P.LETTERS[lang][0 if topic == "farewell_to" else 1].format(**slots)
            return Post(t, channel, person.key, handle, letter, lang, topic)
        template = rng.choice(P.POSTS[topic][lang])
        local_hour = (t // 3600 + 3) % 24
        if any(w in template for w in P.EVENING_WORDS) and 3 <= local_hour < 15:
            template = rng.choice(P.POSTS[topic][lang])  # "tonight" posts mostly come in the evening
        text = template.format(**slots)
        return Post(t, channel, person.key, handle, self._decorate(text, person, lang, topic, t, slots), lang, topic)

    def _decorate(self, text: str, person: S.Person, lang: str, topic: str, t: float, slots: dict[str, str]) -> str:
        rng = self.rng
        parts = [text]
        if person.style == "local_news" and rng.random() < 0.7:
            parts.insert(0, rng.choice(P.LOCAL_NEWS_PREFIX[lang]).format(**slots).rstrip())
        if rng.random() < 0.25 and not topic.startswith("farewell"):
            parts.append(rng.choice(P.CODAS[lang]).format(**slots))
        if rng.random() < 0.12:
            parts.append(rng.choice(P.EMOJI))
        if topic.startswith("farewell"):
            if rng.random() < 0.2 + 0.6 * p_forever(t):
                parts.append(rng.choice(P.FAREWELL_TAGS_EN if lang == "en" else P.FAREWELL_TAGS_AR))
        elif rng.random() < (0.5 if person.style == "local_news" else 0.15):
            parts.append(rng.choice(P.HASHTAGS_EN if lang == "en" else P.HASHTAGS_AR))
        out = " ".join(parts)
        return out if len(out) <= 280 else text

    def _share(self, person: S.Person, handle: str, t: int, lang: str, channel: str) -> Post:
        rng = self.rng
        recent = [s for s in self.stories if 0 <= t - S.at(s.time) < 36 * 3600]
        if lang == "ar":
            recent = [s for s in recent if s.lang == "ar"] or recent
        if not recent:
            slots = _slots(rng, person, t)
            text = rng.choice(P.POSTS["daily"][lang]).format(**slots)
            return Post(t, channel, person.key, handle, text, lang, "daily")
        story = rng.choice(recent)
        outlet = S.OUTLET[story.outlet]
        intro = rng.choice(["", "Sharing: ", "Is this true? ", f"{outlet.name}: "] if lang == "en"
                           else ["", "خبر: ", "من الساحل: " if outlet.key == "sahel_news" else "", "هل هالحكي صحيح؟ "])
        text = f"{intro}{story.title} {F.story_url(story)}"
        return Post(t, channel, person.key, handle, text, lang, "news", url=F.story_url(story))

    def _forced(self, ev: Ev, person: S.Person, handle: str, t: int) -> Post:
        rng = self.rng
        topic = ev.forced or ""
        slots = _slots(rng, person, t)
        if topic == "viral":
            text = P.VIRAL_EARLY_TEXT if ev.group == "viral_early" else P.VIRAL_LATE_TEXT
            return Post(t, "x", person.key, handle, text, "en", "viral", group=ev.group)
        if topic == "copy":
            return self._copy(ev, person, handle, t, slots)
        if topic == "rt_viral" and ev.group:
            target = self.viral[ev.group]
            return Post(t, "x", person.key, handle, "", target.lang, target.topic, "retweet", target)
        lang = "ar" if person.ar_share >= 1 else ("en" if person.ar_share <= 0 else self._lang(person))
        text = rng.choice(P.POSTS[topic][lang]).format(**slots)
        return Post(t, "x" if person.x else "mastodon", person.key, handle, text, lang, topic)

    def _copy(self, ev: Ev, person: S.Person, handle: str, t: int, slots: dict[str, str]) -> Post:
        rng = self.rng
        if ev.group == "viral_late" and person.ar_share >= 0.9:
            text, lang = P.VIRAL_LATE_AR, "ar"
            if rng.random() < 0.5:
                text = text.replace("تذكّرونا.", "سامحونا.")
        else:
            text, lang = (P.VIRAL_EARLY_TEXT if ev.group == "viral_early" else P.VIRAL_LATE_TEXT), "en"
            for old, new in rng.sample(P.COPY_SWAPS, rng.randint(0, 2)):
                text = text.replace(old, new)
            pre, post = rng.choice(P.COPY_EDITS)
            if ev.group == "viral_early":
                pre = pre.replace("Copying Lina's words: ", "Copying Dana's words: ")
            text = pre.format(**slots) + text + post
        return Post(t, "x", person.key, handle, text, lang, "copy", group=ev.group)

    # -- outlets

    def _outlet(self, ev: Ev, t: int) -> Post:
        rng = self.rng
        outlet = S.OUTLET[ev.actor]
        story = None
        if ev.forced and ev.forced.startswith("story:"):
            story = next(s for s in self.stories if s.outlet == outlet.key and s.slug == ev.forced[6:])
        elif rng.random() < 0.55:
            mine = [s for s in self.stories if s.outlet == outlet.key and 0 <= t - S.at(s.time) < 30 * 3600]
            story = rng.choice(mine) if mine else None
        if story is not None:
            intro = rng.choice(P.OUTLET_INTROS[story.lang])
            text = f"{intro}{story.title} {F.story_url(story)}"
            if rng.random() < 0.3:
                text += " " + rng.choice(P.HASHTAGS_EN if story.lang == "en" else P.HASHTAGS_AR)
            return Post(t, "x", outlet.key, outlet.handle, text, story.lang, "story", url=F.story_url(story))
        lang = "ar" if rng.random() < outlet.ar_share else "en"
        bank = P.OUTLET_LIVE[S.phase_at(t)][lang]
        if rng.random() < 0.05:  # a long live-blog post (a note tweet on X)
            summary = D.LIVE_SUMMARY[S.phase_at(t)][0 if lang == "en" else 1]
            follow = P.OUTLET_FOLLOW[lang].format(name=outlet.name)
            text = "\n\n".join([summary, *rng.sample(bank, len(bank)), follow])
        else:
            text = rng.choice(bank)
        return Post(t, "x", outlet.key, outlet.handle, text, lang, "live")


# --- entry point ----------------------------------------------------------------------------------------


def generate(seed: int, out: Path, meta_out: Path) -> dict[str, int]:
    """Generate everything for ``seed``; return the number of records written per file."""
    rng = random.Random(seed)
    events = schedule(rng)
    gen = Generator(rng)
    gen.run(events)
    return F.write_all(rng, seed, gen.x, gen.mastodon, out, meta_out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=2016, help="random seed (default 2016, the committed data)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "data", help="directory for input files")
    parser.add_argument("--meta-out", type=Path, default=None,
                        help="directory for truth.json and watchlist.csv (default: the parent of --out)")
    args = parser.parse_args(argv)
    meta = args.meta_out if args.meta_out is not None else args.out.resolve().parent
    counts = generate(args.seed, args.out, meta)
    width = max(len(k) for k in counts)
    for name, n in counts.items():
        print(f"{name:<{width}}  {n:>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
