"""Ground truth of the siege scenario (``truth.json``) and the watchlist, computed from what was written."""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import _documents as D
import _scenario as S

if TYPE_CHECKING:
    from generate import Post

DAY = 86400

# Farewell phrasings whose use shifts over time (case-insensitive; counted per UTC day over originals).
PHRASES = {
    "en": {
        "goodbye to Qasr al-Nahr": r"goodbye to qasr al-nahr",
        "goodbye forever from Qasr al-Nahr": r"goodbye forever from qasr al-nahr",
        "#GoodbyeQasr": r"#goodbyeqasr\b",
    },
    "ar": {
        "وداعاً قصر النهر": r"وداعاً قصر النهر",
        "وداعاً إلى الأبد من قصر النهر": r"وداعاً إلى الأبد من قصر النهر",
        "سامحونا": r"سامحونا",
        "هذه قد تكون آخر تغريدة": r"هذه قد تكون آخر تغريدة",
        "أنقذونا": r"أنقذونا",
    },
}
PLEA_EN = r"please help us, we are trapped in"


def _handle(post: Post) -> str:
    return "@" + post.handle


def account_of(person: S.Person) -> list[str]:
    """Watchlist spellings of a person's accounts: ``@handle`` on X, ``@user@instance`` on Mastodon."""
    out = []
    if person.x:
        out.append("@" + person.x)
    if person.mastodon:
        out.append(f"@{person.mastodon}@{S.INSTANCE}")
    return out


def _originals(x: list[Post], mastodon: list[Post], text_of: dict[str, str]) -> Iterable[tuple[int, str]]:
    for p in x:
        if p.kind != "retweet":
            yield p.t, text_of[p.id]
    for p in mastodon:
        if p.kind != "boost":
            yield p.t, p.text


def _phrase_counts(x: list[Post], mastodon: list[Post], text_of: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    texts = list(_originals(x, mastodon, text_of))
    for lang, phrases in PHRASES.items():
        for label, pattern in phrases.items():
            rx = re.compile(pattern, re.IGNORECASE)
            days = [0] * 10
            times = [t for t, text in texts if rx.search(text)]
            for t in times:
                days[t // DAY] += 1
            out[label] = {"lang": lang, "total": len(times), "per_day": days,
                          "first": S.iso(min(times)) if times else None,
                          "median": S.iso(sorted(times)[len(times) // 2]) if times else None}
    return out


def _posts_by_account(x: list[Post], mastodon: list[Post]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for p in [*x, *mastodon]:
        handle = "@" + p.handle
        out.setdefault(handle, []).append(p.t)
    for times in out.values():
        times.sort()
    return out


def _last_before(times: list[int], t: int) -> str | None:
    before = [u for u in times if u < t]
    return S.iso(before[-1]) if before else None


def _first_after(times: list[int], t: int) -> str | None:
    after = [u for u in times if u >= t]
    return S.iso(after[0]) if after else None


def _gaps(ts: list[int]) -> dict[str, Any]:
    """The longest pause between two posts, and the silence from the last post to the end of the window."""
    if not ts:
        return {"longest_gap_hours": None, "longest_gap_from": None, "hours_silent_at_end": None}
    best, start = 0, ts[0]
    for a, b in itertools.pairwise(ts):
        if b - a > best:
            best, start = b - a, a
    return {"longest_gap_hours": round(best / 3600, 1), "longest_gap_from": S.iso(start),
            "hours_silent_at_end": round((S.SPAN_S - ts[-1]) / 3600, 1)}


def build(seed: int, x: list[Post], mastodon: list[Post], tg: list[dict[str, Any]], counts: dict[str, int],
          *, text_of: dict[str, str]) -> dict[str, Any]:
    """Everything a test or an evaluation needs to know about what was planted."""
    times = _posts_by_account(x, mastodon)
    accounts: dict[str, Any] = {}
    for person in S.PEOPLE:
        for acct in account_of(person):
            ts = times.get(acct, [])
            per_day = [0] * 10
            for t in ts:
                per_day[t // DAY] += 1
            accounts[acct] = {
                "person": person.key, "name": person.name, "district": S.DISTRICT[person.district].name,
                "platform": "mastodon" if acct.count("@") == 2 else "x",
                "languages": ["ar"] if person.ar_share >= 1 else ["en"] if person.ar_share <= 0 else ["ar", "en"],
                "target_rate_per_day": person.rate, "posts": len(ts), "posts_per_day": per_day,
                **_gaps(ts),
            }

    silent = S.PERSON[S.SILENT_PERSON]
    silent_acct = "@" + (silent.x or "")
    silent_times = times[silent_acct]
    last = [p for p in x if p.actor == silent.key][-1]
    zaytun = [p for p in S.PEOPLE if p.district == S.BLACKOUT_DISTRICT]
    zaytun_accts = [a for p in zaytun for a in account_of(p)]
    elsewhere = sum(1 for p in [*x, *mastodon] if p.actor in S.PERSON
                    and S.PERSON[p.actor].district != S.BLACKOUT_DISTRICT
                    and S.BLACKOUT_START <= p.t < S.BLACKOUT_END)
    incidents = [
        {"type": "account_silence", "person": silent.key, "accounts": account_of(silent),
         "district": S.DISTRICT[silent.district].name,
         "usual_posts_per_day": round(sum(1 for t in silent_times if t < 7 * DAY) / 7, 1),
         "last_post_id": last.id, "last_post_at": S.iso(last.t), "silent_from": S.iso(last.t), "silent_until": None,
         "note": "stops for good on day 8 after saying the family is going down to the basement; relatives "
                 "call the hotline (voicemail/call_2025-02-09_0730.json)"},
        {"type": "district_blackout", "district": S.DISTRICT[S.BLACKOUT_DISTRICT].name,
         "district_key": S.BLACKOUT_DISTRICT, "accounts": zaytun_accts,
         "start": S.iso(S.BLACKOUT_START), "end": S.iso(S.BLACKOUT_END),
         "duration_hours": (S.BLACKOUT_END - S.BLACKOUT_START) / 3600,
         "last_post_before": {a: _last_before(times.get(a, []), S.BLACKOUT_START) for a in zaytun_accts},
         "first_post_after": {a: _first_after(times.get(a, []), S.BLACKOUT_END) for a in zaytun_accts},
         "posts_elsewhere_during_window": elsewhere,
         "note": "telecom tower hit; every account of the district stops at once and returns after 14 hours"},
    ]
    quiet = []
    for q in S.QUIET_SPELLS:
        person = S.PERSON[q.person]
        accts = account_of(person)
        all_times = sorted(t for a in accts for t in times.get(a, []))
        quiet.append({"person": q.person, "accounts": accts, "start": S.iso(q.start), "end": S.iso(q.end),
                      "hours": round((q.end - q.start) / 3600, 1), "reason": q.reason, "incident": False,
                      "last_post_before": _last_before(all_times, q.start),
                      "first_post_after": _first_after(all_times, q.end)})

    persons = [{"person": p.key, "name": p.name, "district": S.DISTRICT[p.district].name, "accounts": account_of(p)}
               for p in S.PEOPLE if len(account_of(p)) > 1]

    groups = []
    for group in ("viral_early", "viral_late"):
        members = [p for p in x if p.group == group]
        original = members[0]
        groups.append({
            "group": group,
            "original": {"platform": "x", "id": original.id, "account": _handle(original),
                         "created_at": S.iso(original.t), "text": original.text},
            "copies": [{"id": p.id, "account": _handle(p), "created_at": S.iso(p.t), "lang": p.lang}
                       for p in members[1:]],
            "retweets": [p.id for p in x if p.kind == "retweet" and p.ref is original],
        })
    crossposts = [{"mastodon_id": p.id, "account": _handle(p), "created_at": S.iso(p.t)}
                  for p in mastodon if p.group == "crosspost"]

    overlap = sorted((p.id for p in x if S.STREAM_FROM <= p.t < S.PAGES_UNTIL), key=int)
    x_unique = len(x)
    total = (x_unique + len(mastodon) + sum(1 for m in tg if m["type"] == "message")
             + counts["feeds/levant_daily.rss"] + counts["feeds/sahel_news.atom"] + counts["articles/*"]
             + counts["voicemail/*"])
    return {
        "scenario": {
            "name": "The siege of Qasr al-Nahr", "synthetic": True,
            "disclaimer": "Fictional city, people, outlets and events, written for the vigil demo. No real "
                          "person or dataset text.",
            "city": S.CITY, "city_ar": S.CITY_AR, "local_time": "UTC+3", "start": S.iso(0), "end": S.iso(S.SPAN_S),
            "seed": seed, "mastodon_instance": S.INSTANCE,
        },
        "files": counts,
        "posts_total": total,
        "x_tweets_unique": x_unique,
        "cross_file_duplicates": {"between": ["x_v2/*.json", "x_stream.jsonl"], "window":
                                  [S.iso(S.STREAM_FROM), S.iso(S.PAGES_UNTIL)], "ids": overlap},
        "districts": [{"key": d.key, "name": d.name, "name_ar": d.name_ar,
                       "accounts": [a for p in S.PEOPLE if p.district == d.key for a in account_of(p)]}
                      for d in S.DISTRICTS],
        "incidents": incidents,
        "natural_quiet_spells": quiet,
        "persons": persons,
        "accounts": accounts,
        "outlets": [{"key": o.key, "name": o.name, "x": "@" + o.handle, "site": o.domain} for o in S.OUTLETS],
        "timeline": {
            "phases": [{"key": ph.key, "start": S.iso(ph.start), "end": S.iso(ph.end), "summary": ph.summary}
                       for ph in S.PHASES],
            "events": [{"time": e.time, "what": e.what} for e in S.TIMELINE],
        },
        "farewell_phrasings": {
            "note": "Counted per UTC day over original posts (X tweets other than retweets, Mastodon statuses "
                    "other than boosts). 'goodbye to' comes first (from day 7) and 'goodbye forever from' "
                    "overtakes it on day 9.",
            "counts": _phrase_counts(x, mastodon, text_of),
        },
        "near_duplicates": groups,
        "crossposts": crossposts,
        "conflicts": D.CONFLICTS,
    }


def write_watchlist(path: Path) -> int:
    """``account,area,consent,note`` for every watched account (one person may have two rows)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as fp:
        writer = csv.writer(fp, lineterminator="\n")
        writer.writerow(["account", "area", "consent", "note"])
        for person in S.PEOPLE:
            accts = account_of(person)
            for acct in accts:
                others = [a for a in accts if a != acct]
                note = person.note
                if others and acct.count("@") == 2:
                    note = f"same person as {others[0]}"
                writer.writerow([acct, S.DISTRICT[person.district].name, person.consent, note])
                rows += 1
    return rows
