"""Writers for the real input formats of the siege scenario: X API v2 pages and stream, Mastodon statuses,
a Telegram Desktop export, RSS 2.0 and Atom feeds, news articles (HTML and plain text), voicemail transcripts.
"""

from __future__ import annotations

import email.utils
import html
import json
import random
import re
import string
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape as xml_escape

import _documents as D
import _scenario as S
import _truth as T

if TYPE_CHECKING:
    from generate import Post

START_MS = int(S.START.timestamp() * 1000)
TWITTER_EPOCH_MS = 1288834974657
PAGE_SIZE = 500
RT_LIMIT = 140  # X keeps the legacy, truncated text for retweets; the original is in includes.tweets
URL_RE = re.compile(r"https?://\S+")
HASHTAG_RE = re.compile(r"(?<![\w#])#(\w+)")
MENTION_RE = re.compile(r"(?<![\w@])@(\w{1,15})(?![\w@])")
_ALNUM = string.ascii_letters + string.digits


def story_url(story: D.Story) -> str:
    """The canonical URL of a story (articles and feeds use the same)."""
    domain = S.OUTLET[story.outlet].domain
    date = story.time[:10].replace("-", "/")
    if "/" in story.slug:
        section, rest = story.slug.split("/", 1)
        return f"https://{domain}/{section}/{date}/{rest}"
    return f"https://{domain}/news/{date}/{story.slug}"


def _ts(t: int) -> datetime:
    return S.START + timedelta(seconds=t)


def _x_time(t: int) -> str:
    return _ts(t).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _dump(path: Path, value: Any, *, indent: int | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if indent is None:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    else:
        text = json.dumps(value, ensure_ascii=False, indent=indent)
    path.write_text(text + "\n", encoding="utf-8", newline="\n")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


class XWriter:
    """Assigns snowflake ids and renders X API v2 tweet objects."""

    def __init__(self, rng: random.Random, posts: list[Post]) -> None:
        self.rng = rng
        self.posts = posts
        self.user_ids: dict[str, str] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.text: dict[str, str] = {}  # id -> full text with t.co links
        self.urls: dict[str, list[tuple[str, str]]] = {}
        self.by_id: dict[str, Post] = {}
        self._seq = 0
        self._used: set[str] = set()
        for person in S.PEOPLE:
            if person.x:
                self._user(person.x, person.name, f"{S.DISTRICT[person.district].name}, {S.CITY}", person.key)
        for outlet in S.OUTLETS:
            self._user(outlet.handle, outlet.name, "", outlet.key)
        for post in posts:
            post.id = self._snowflake(post.t)
            self.by_id[post.id] = post
            if self.rng.random() < 0.01 and post.kind == "post":
                post.edit_of = self._snowflake(post.t - self.rng.randint(60, 900))
        self.counts = {"retweet": dict[str, int](), "reply": dict[str, int](), "quote": dict[str, int]()}
        for post in posts:
            if post.ref is not None and post.kind in self.counts:
                bucket = self.counts[post.kind]
                bucket[post.ref.id] = bucket.get(post.ref.id, 0) + 1
        for post in posts:
            self._render_text(post)

    def _user(self, handle: str, name: str, location: str, key: str) -> None:
        old = self.rng.random() < 0.5  # accounts from before 2022 have short ids, newer ones snowflakes
        uid = str(self.rng.randrange(10**8, 10**10)) if old else self._snowflake(-self.rng.randint(60, 900) * 86400)
        self.user_ids[handle] = uid
        user: dict[str, Any] = {"id": uid, "name": name, "username": handle}
        if location:
            user["location"] = location
        self.users[handle] = user

    def _snowflake(self, t: int) -> str:
        while True:
            ms = START_MS + t * 1000 + self.rng.randrange(1000)
            self._seq += 1
            value = str(((ms - TWITTER_EPOCH_MS) << 22) | (self.rng.randrange(1024) << 12) | (self._seq % 4096))
            if value not in self._used:
                self._used.add(value)
                return value

    def _tco(self, url: str) -> str:
        return "https://t.co/" + "".join(self.rng.choice(_ALNUM) for _ in range(10))

    def _render_text(self, post: Post) -> None:
        if post.kind == "retweet":
            assert post.ref is not None
            full = f"RT @{post.ref.handle}: {self.text[post.ref.id]}"
            self.text[post.id] = full if len(full) <= RT_LIMIT else full[: RT_LIMIT - 1] + "…"
            self.urls[post.id] = [u for u in self.urls[post.ref.id] if u[0] in self.text[post.id]]
            return
        raw = post.text
        if post.kind == "quote":
            assert post.ref is not None
            raw = f"{raw} https://twitter.com/{post.ref.handle}/status/{post.ref.id}"
        urls: list[tuple[str, str]] = []

        def shorten(m: re.Match[str]) -> str:
            short = self._tco(m.group(0))
            urls.append((short, m.group(0)))
            return short

        self.text[post.id] = URL_RE.sub(shorten, raw)
        self.urls[post.id] = urls

    def entities(self, text: str, urls: list[tuple[str, str]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        tags = [{"start": m.start(), "end": m.end(), "tag": m.group(1)} for m in HASHTAG_RE.finditer(text)]
        if tags:
            out["hashtags"] = tags
        mentions = []
        for m in MENTION_RE.finditer(text):
            item: dict[str, Any] = {"start": m.start(), "end": m.end(), "username": m.group(1)}
            if m.group(1) in self.user_ids:
                item["id"] = self.user_ids[m.group(1)]
            mentions.append(item)
        if mentions:
            out["mentions"] = mentions
        url_items = []
        for short, expanded in urls:
            pos = text.find(short)
            if pos >= 0:
                display = expanded.split("://", 1)[1]
                url_items.append({"start": pos, "end": pos + len(short), "url": short, "expanded_url": expanded,
                                  "display_url": display if len(display) <= 30 else display[:29] + "…"})
        if url_items:
            out["urls"] = url_items
        return out

    def tweet(self, post: Post) -> dict[str, Any]:
        full = self.text[post.id]
        long = post.kind != "retweet" and len(full) > 280
        text = full[:279] + "…" if long else full
        d: dict[str, Any] = {
            "edit_history_tweet_ids": [post.edit_of, post.id] if post.edit_of else [post.id],
            "id": post.id, "text": text, "author_id": self.user_ids[post.handle], "created_at": _x_time(post.t),
            "lang": post.lang, "conversation_id": post.id, "possibly_sensitive": False, "reply_settings": "everyone",
        }
        if post.ref is not None:
            kind = {"retweet": "retweeted", "reply": "replied_to", "quote": "quoted"}[post.kind]
            d["referenced_tweets"] = [{"type": kind, "id": post.ref.id}]
            if post.kind == "reply":
                d["conversation_id"] = post.ref.conv or post.ref.id
                d["in_reply_to_user_id"] = self.user_ids[post.ref.handle]
        post.conv = d["conversation_id"]
        ents = self.entities(text, self.urls[post.id])
        if ents:
            d["entities"] = ents
        if long:
            d["note_tweet"] = {"text": full}
            note_ents = self.entities(full, self.urls[post.id])
            if note_ents:
                d["note_tweet"]["entities"] = note_ents
        d["public_metrics"] = self._metrics(post)
        return d

    def _metrics(self, post: Post) -> dict[str, int]:
        if post.kind == "retweet":
            assert post.ref is not None
            return {"retweet_count": self.counts["retweet"].get(post.ref.id, 0), "reply_count": 0, "like_count": 0,
                    "quote_count": 0, "bookmark_count": 0, "impression_count": 0}
        outlet = post.actor in S.OUTLET
        rts = self.counts["retweet"].get(post.id, 0) + int(self.rng.paretovariate(2.0) * (6 if outlet else 1)) - 1
        likes = int(self.rng.paretovariate(1.6) * (40 if outlet else 6)) + 3 * rts
        return {"retweet_count": rts, "reply_count": self.counts["reply"].get(post.id, 0),
                "like_count": likes, "quote_count": self.counts["quote"].get(post.id, 0),
                "bookmark_count": likes // 20, "impression_count": likes * self.rng.randint(30, 90)}

    def includes(self, posts: list[Post], rendered: dict[str, dict[str, Any]]) -> dict[str, Any]:
        users: dict[str, dict[str, Any]] = {}
        tweets: dict[str, dict[str, Any]] = {}
        for post in posts:
            users.setdefault(post.handle, self.users[post.handle])
            if post.ref is not None and post.ref.id not in tweets:
                tweets[post.ref.id] = rendered[post.ref.id]
                users.setdefault(post.ref.handle, self.users[post.ref.handle])
        out: dict[str, Any] = {"users": list(users.values())}
        if tweets:
            out["tweets"] = list(tweets.values())
        return out


def write_x(rng: random.Random, posts: list[Post], out: Path) -> tuple[dict[str, int], XWriter]:
    xw = XWriter(rng, posts)
    rendered = {p.id: xw.tweet(p) for p in posts}
    counts: dict[str, int] = {}
    search = sorted((p for p in posts if p.t < S.PAGES_UNTIL), key=lambda p: int(p.id), reverse=True)
    pages = [search[i:i + PAGE_SIZE] for i in range(0, len(search), PAGE_SIZE)]
    for n, page in enumerate(pages, 1):
        meta: dict[str, Any] = {"newest_id": page[0].id, "oldest_id": page[-1].id, "result_count": len(page)}
        if n < len(pages):
            meta["next_token"] = "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(46))
        body = {"data": [rendered[p.id] for p in page], "includes": xw.includes(page, rendered), "meta": meta}
        _dump(out / "x_v2" / f"page_{n:03d}.json", body)
        counts[f"x_v2/page_{n:03d}.json"] = len(page)
    lines = []
    for p in posts:
        if p.t >= S.STREAM_FROM:
            rule = ({"id": "1887001234567890001", "tag": "qasr outlets"} if p.actor in S.OUTLET
                    else {"id": "1887001234567890002", "tag": "qasr civilians"})
            line = {"data": rendered[p.id], "includes": xw.includes([p], rendered), "matching_rules": [rule]}
            lines.append(json.dumps(line, ensure_ascii=False, separators=(",", ":")))
    _write(out / "x_stream.jsonl", "\n".join(lines) + "\n")
    counts["x_stream.jsonl"] = len(lines)
    return counts, xw


# --- Mastodon -------------------------------------------------------------------------------------------


def _masto_html(text: str) -> str:
    def link(m: re.Match[str]) -> str:
        url = m.group(0)
        scheme, rest = url.split("://", 1)
        return (f'<a href="{url}" target="_blank" rel="nofollow noopener noreferrer" translate="no">'
                f'<span class="invisible">{scheme}://</span><span class="ellipsis">{rest[:30]}</span>'
                f'<span class="invisible">{rest[30:]}</span></a>')

    def tag(m: re.Match[str]) -> str:
        return (f'<a href="https://{S.INSTANCE}/tags/{m.group(1).lower()}" class="mention hashtag" rel="tag">'
                f"#<span>{m.group(1)}</span></a>")

    paras = []
    for para in text.split("\n\n"):
        escaped = html.escape(para, quote=False)
        escaped = URL_RE.sub(link, escaped)
        escaped = HASHTAG_RE.sub(tag, escaped)
        paras.append("<p>" + escaped.replace("\n", "<br>") + "</p>")
    return "".join(paras)


def write_mastodon(rng: random.Random, posts: list[Post], out: Path) -> int:
    accounts: dict[str, dict[str, Any]] = {}
    for person in S.PEOPLE:
        if not person.mastodon:
            continue
        user = person.mastodon
        accounts[person.key] = {
            "id": str((START_MS - rng.randint(200, 700) * 86_400_000) << 16 | rng.randrange(65536)),
            "username": user, "acct": user, "display_name": person.name, "locked": False, "bot": False,
            "discoverable": True, "group": False, "created_at": "2024-11-02T00:00:00.000Z",
            "note": f"<p>{html.escape(S.DISTRICT[person.district].name)}, {S.CITY}.</p>",
            "url": f"https://{S.INSTANCE}/@{user}", "uri": f"https://{S.INSTANCE}/users/{user}",
            "avatar": f"https://{S.INSTANCE}/avatars/original/missing.png",
            "avatar_static": f"https://{S.INSTANCE}/avatars/original/missing.png",
            "header": f"https://{S.INSTANCE}/headers/original/missing.png",
            "header_static": f"https://{S.INSTANCE}/headers/original/missing.png",
            "followers_count": rng.randint(40, 900), "following_count": rng.randint(20, 300),
            "statuses_count": 0, "last_status_at": None, "emojis": [], "fields": [],
        }
    ids: dict[int, str] = {}
    used: set[str] = set()
    for post in posts:
        while True:
            sid = str((START_MS + post.t * 1000 + rng.randrange(1000)) << 16 | rng.randrange(65536))
            if sid not in used:
                used.add(sid)
                break
        ids[id(post)] = sid
        post.id = sid
        acc = accounts[post.actor]
        acc["statuses_count"] += 1
        acc["last_status_at"] = _ts(post.t).strftime("%Y-%m-%d")
    boosts = {id(p.ref): 0 for p in posts if p.kind == "boost"}
    for p in posts:
        if p.kind == "boost":
            boosts[id(p.ref)] += 1

    def status(post: Post) -> dict[str, Any]:
        user = accounts[post.actor]["username"]
        base: dict[str, Any] = {
            "id": post.id, "created_at": _x_time(post.t), "in_reply_to_id": None, "in_reply_to_account_id": None,
            "sensitive": False, "spoiler_text": "", "visibility": "public", "language": post.lang,
            "uri": f"https://{S.INSTANCE}/users/{user}/statuses/{post.id}",
            "url": f"https://{S.INSTANCE}/@{user}/{post.id}", "replies_count": 0,
            "reblogs_count": boosts.get(id(post), 0), "favourites_count": rng.randint(0, 40), "edited_at": None,
            "content": _masto_html(post.text), "reblog": None, "application": {"name": "Web", "website": None},
            "account": accounts[post.actor], "media_attachments": [], "mentions": [],
            "tags": [{"name": m.group(1).lower(), "url": f"https://{S.INSTANCE}/tags/{m.group(1).lower()}"}
                     for m in HASHTAG_RE.finditer(post.text)],
            "emojis": [], "card": None, "poll": None,
        }
        if post.kind == "boost":
            assert post.ref is not None
            base.update(language=None, content="", tags=[], favourites_count=0, reblog=status(post.ref),
                        uri=f"https://{S.INSTANCE}/users/{user}/statuses/{post.id}/activity", url=None)
        return base

    statuses = [status(p) for p in sorted(posts, key=lambda p: int(p.id), reverse=True)]
    _dump(out / "mastodon" / "statuses.json", statuses, indent=None)
    return len(statuses)


# --- Telegram -------------------------------------------------------------------------------------------

TG_ID = 1987654321


def _tg_text(parts: list[D.TgPart]) -> tuple[str | list[Any], list[dict[str, str]]]:
    entities: list[dict[str, str]] = []
    text: list[Any] = []
    for part in parts:
        if isinstance(part, str):
            entities.append({"type": "plain", "text": part})
            text.append(part)
        else:
            item = {"type": part[0], "text": part[1]}
            if len(part) > 2:
                item["href"] = part[2]
            entities.append(item)
            text.append(item)
    if all(isinstance(p, str) for p in text):
        return "".join(text), entities
    return text, entities


def _tg_dates(t: int) -> tuple[str, str]:
    """Telegram Desktop writes the exporting machine's local time (here UTC+3) plus Unix seconds."""
    local = _ts(t).astimezone(S.LOCAL_TZ).strftime("%Y-%m-%dT%H:%M:%S")
    return local, str(int(_ts(t).timestamp()))


def write_telegram(rng: random.Random, out: Path) -> tuple[int, list[dict[str, Any]]]:
    items: list[dict[str, Any]] = []
    for when, lang, parts in D.TG_SCRIPT:
        items.append({"t": S.at(when) + rng.randint(0, 50), "parts": parts, "lang": lang, "scripted": when})
    for when, lang, parts in D.TG_FORWARDS:
        items.append({"t": S.at(when) + rng.randint(0, 50), "parts": parts, "lang": lang, "forward": D.TG_MEDICAL})
    for day in range(10):
        for _ in range(rng.randint(14, 19)):
            t = day * 86400 + int(rng.uniform(3, 21) * 3600)
            lang = "ar" if rng.random() < 0.6 else "en"
            dist = rng.choice([d for d in S.DISTRICTS if not (S.BLACKOUT_START <= t < S.BLACKOUT_END
                                                              and d.key == S.BLACKOUT_DISTRICT)])
            line = rng.choice(D.TG_ROUTINE[lang]).format(district=dist.name, district_ar=dist.name_ar,
                                                           n=rng.randint(3, 10), n2=rng.randint(3, 30))
            routine: list[D.TgPart] = [line]
            if rng.random() < 0.3:
                routine.append(" ")
                routine.append(("hashtag", "#QasrCivilDefence" if lang == "en" else "#الدفاع_المدني"))
            item: dict[str, Any] = {"t": t, "parts": routine, "lang": lang}
            if rng.random() < 0.06:
                item["photo"] = True
                if rng.random() < 0.5:
                    item["parts"] = []
            if rng.random() < 0.04:
                item["edited"] = t + rng.randint(120, 3000)
            items.append(item)
    service: list[tuple[str, dict[str, Any], str | None]] = [
        ("2025-02-01T06:00Z", {"action": "edit_group_title", "title": D.TG_CHANNEL}, None)]
    service += [(when, {"action": "pin_message"}, when) for when in
                ("2025-02-01T06:10Z", "2025-02-07T07:00Z", "2025-02-09T05:00Z")]
    for when, extra, target in service:
        items.append({"t": S.at(when) + 55, "service": extra, "pin": target})
    items.sort(key=lambda it: it["t"])
    messages: list[dict[str, Any]] = []
    by_script: dict[str, int] = {}
    for n, it in enumerate(items, 1):
        date, unix = _tg_dates(it["t"])
        if "service" in it:
            messages.append({"id": n, "type": "service", "date": date, "date_unixtime": unix,
                             "actor": D.TG_CHANNEL, "actor_id": f"channel{TG_ID}", **it["service"]})
            continue
        msg: dict[str, Any] = {"id": n, "type": "message", "date": date, "date_unixtime": unix,
                               "from": D.TG_CHANNEL, "from_id": f"channel{TG_ID}"}
        if "edited" in it:
            msg["edited"], msg["edited_unixtime"] = _tg_dates(it["edited"])
        if "forward" in it:
            msg["forwarded_from"] = it["forward"]
        if it.get("photo"):
            msg.update(photo="(File not included. Change data exporting settings to download.)",
                       width=1280, height=960)
        body, ents = _tg_text(it["parts"]) if it["parts"] else ("", [])
        msg["text"] = body
        msg["text_entities"] = ents
        messages.append(msg)
        if "scripted" in it:
            by_script[it["scripted"]] = n
    # Links to earlier messages are resolved once ids are known (a reply must come after what it answers).
    for child, parent in (("2025-02-03T11:30Z", "2025-02-03T05:50Z"), ("2025-02-03T19:00Z", "2025-02-03T05:50Z"),
                          ("2025-02-06T21:55Z", "2025-02-06T08:05Z"), ("2025-02-09T16:20Z", "2025-02-09T05:00Z")):
        msg = messages[by_script[child] - 1]
        rest = {k: msg.pop(k) for k in ("text", "text_entities")}
        msg["reply_to_message_id"] = by_script[parent]
        msg.update(rest)
    for msg, it in zip(messages, items, strict=True):
        if it.get("pin"):
            msg["message_id"] = by_script[it["pin"]]
            msg.update(text="", text_entities=[])
        elif "service" in it:
            msg.update(text="", text_entities=[])
    export = {"name": D.TG_CHANNEL, "type": "public_channel", "id": TG_ID, "messages": messages}
    _dump(out / "telegram" / "result.json", export, indent=1)
    return len(messages), messages


# --- feeds, articles, voicemail -------------------------------------------------------------------------


def _live_items(outlet: str) -> list[tuple[str, str, str, str, str]]:
    """Daily live-blog entries: (time, url, title, summary, lang)."""
    out = []
    domain = S.OUTLET[outlet].domain
    for day in range(10):
        when = f"2025-02-{day + 1:02d}T05:00Z"
        en, ar = D.LIVE_SUMMARY[S.phase_at(S.at(when))]
        if outlet == "sahel_news":
            out.append((when, f"https://{domain}/ar/live/qasr-day-{25 + day}",
                        f"تغطية مباشرة: اليوم {25 + day} من حصار قصر النهر", ar, "ar"))
        else:
            out.append((when, f"https://{domain}/live/qasr-day-{25 + day}",
                        f"Live: Qasr al-Nahr siege, day {25 + day}", en, "en"))
    return out


def _feed_entries(outlet: str) -> list[tuple[str, str, str, str, str, str]]:
    entries = [(s.time, story_url(s), s.title, s.summary, s.lang, s.author) for s in D.STORIES if s.outlet == outlet]
    entries += [(*item, "") for item in _live_items(outlet)]
    return sorted(entries, key=lambda e: S.at(e[0]), reverse=True)


def write_rss(out: Path) -> int:
    entries = _feed_entries("levant_daily")
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">',
             "<channel>", "<title>Levant Daily — Qasr al-Nahr</title>", "<link>https://levantdaily.example/</link>",
             "<description>Levant Daily coverage of the siege of Qasr al-Nahr</description>",
             "<language>en</language>",
             f"<lastBuildDate>{_rfc2822(entries[0][0])}</lastBuildDate>",
             '<atom:link href="https://levantdaily.example/feeds/qasr.rss" rel="self" type="application/rss+xml"/>']
    for when, url, title, summary, _lang, author in entries:
        lines += ["<item>", f"<title>{xml_escape(title)}</title>", f"<link>{url}</link>",
                  f'<guid isPermaLink="true">{url}</guid>', f"<pubDate>{_rfc2822(when)}</pubDate>"]
        if author:
            lines.append(f"<dc:creator>{xml_escape(author)}</dc:creator>")
        lines += ["<category>Qasr al-Nahr</category>",
                  f"<description><![CDATA[<p>{html.escape(summary, quote=False)}</p>]]></description>", "</item>"]
    lines += ["</channel>", "</rss>"]
    _write(out / "feeds" / "levant_daily.rss", "\n".join(lines) + "\n")
    return len(entries)


def _rfc2822(when: str) -> str:
    """RSS dates as a newsroom in the region writes them: local time with a +0300 offset."""
    return email.utils.format_datetime(_ts(S.at(when)).astimezone(S.LOCAL_TZ))


def write_atom(out: Path) -> int:
    entries = _feed_entries("sahel_news")
    updated = S.iso(S.at(entries[0][0]))
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">',
             "<title>الساحل | Al-Sahel News — قصر النهر</title>",
             "<id>tag:alsahel.example,2025:feeds/qasr</id>",
             '<link rel="alternate" type="text/html" href="https://alsahel.example/"/>',
             '<link rel="self" type="application/atom+xml" href="https://alsahel.example/feeds/qasr.atom"/>',
             f"<updated>{updated}</updated>", "<author><name>Al-Sahel News</name></author>"]
    for when, url, title, summary, lang, author in entries:
        stamp = S.iso(S.at(when))
        lines += [f'<entry xml:lang="{lang}">', f"<title>{xml_escape(title)}</title>",
                  f'<link rel="alternate" type="text/html" href="{url}"/>',
                  f"<id>tag:alsahel.example,{when[:10]}:{url.split('/', 3)[3]}</id>",
                  f"<published>{stamp}</published>", f"<updated>{stamp}</updated>"]
        if author:
            lines.append(f"<author><name>{xml_escape(author)}</name></author>")
        lines += ['<category term="qasr-al-nahr"/>',
                  f'<summary type="html">{xml_escape("<p>" + html.escape(summary, quote=False) + "</p>")}</summary>',
                  "</entry>"]
    lines.append("</feed>")
    _write(out / "feeds" / "sahel_news.atom", "\n".join(lines) + "\n")
    return len(entries)


_SITE = {
    "levant_daily": ("Levant Daily", ["Home", "Region", "World", "Opinion", "Subscribe"]),
    "channel9": ("Channel 9 World", ["News", "Live", "Video", "Weather", "Sign in"]),
    "northern_courier": ("The Northern Courier", ["News", "Politics", "World", "Culture", "Archive"]),
    "sahel_news": ("الساحل", ["الرئيسية", "أخبار", "تقارير", "رأي", "اتصل بنا"]),
}


def _article_html(a: D.Article, url: str, related: list[D.Story]) -> str:
    site, nav = _SITE[a.outlet]
    rtl = a.lang == "ar"
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title,
          "datePublished": a.published, "inLanguage": a.lang, "url": url,
          "publisher": {"@type": "Organization", "name": S.OUTLET[a.outlet].name}}
    if a.author:
        ld["author"] = {"@type": "Person", "name": a.author}
    human = _ts(S.at(a.published)).strftime("%d %B %Y, %H:%M UTC")
    byline = (f"{'بقلم' if rtl else 'By'} {html.escape(a.author)} · " if a.author else "")
    hrefs = ["/", "/news", "/reports", "/opinion", "/about"]
    nav_html = "".join(f'<li><a href="{h}">{html.escape(n)}</a></li>' for h, n in zip(hrefs, nav, strict=True))
    related_html = "".join(f'<li><a href="{story_url(s)}">{html.escape(s.title)}</a></li>' for s in related)
    paras = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in a.paragraphs)
    cookie = "نستخدم ملفات تعريف الارتباط." if rtl else "We use cookies to improve your experience."
    return f"""<!DOCTYPE html>
<html lang="{a.lang}"{' dir="rtl"' if rtl else ''}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(a.title)} | {html.escape(site)}</title>
<link rel="canonical" href="{url}">
<meta property="og:type" content="article">
<meta property="og:title" content="{html.escape(a.title)}">
<meta property="og:url" content="{url}">
<meta property="article:published_time" content="{a.published}">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
<style>body{{font-family:Georgia,serif;margin:0}}.cookie{{position:fixed;bottom:0}}</style>
</head>
<body>
<header class="site-header"><a class="logo" href="/">{html.escape(site)}</a>
<nav><ul>{nav_html}</ul></nav></header>
<div class="cookie">{cookie} <button>OK</button></div>
<main>
<article>
<h1>{html.escape(a.title)}</h1>
<p class="byline">{byline}<time datetime="{a.published}">{human}</time></p>
{paras}
</article>
<aside class="related"><h2>{'الأكثر قراءة' if rtl else 'Most read'}</h2><ul>{related_html}</ul></aside>
</main>
<footer><p>© 2025 {html.escape(site)}. {'جميع الحقوق محفوظة.' if rtl else 'All rights reserved.'}</p>
<p><a href="/privacy">Privacy</a> · <a href="/terms">Terms</a> · @{S.OUTLET[a.outlet].handle}</p></footer>
</body>
</html>
"""


def write_articles(out: Path) -> int:
    for a in D.ARTICLES:
        story = next(s for s in D.STORIES if s.outlet == a.outlet and s.slug == a.slug)
        url = story_url(story)
        if a.kind == "html":
            related = [s for s in D.STORIES if s.outlet == a.outlet and s.slug != a.slug][:3]
            _write(out / "articles" / a.filename, _article_html(a, url, related))
        else:
            head = [a.title, f"Source: {S.OUTLET[a.outlet].name}", f"Published: {a.published}", f"URL: {url}"]
            _write(out / "articles" / a.filename, "\n".join(head) + "\n\n" + "\n\n".join(a.paragraphs) + "\n")
    return len(D.ARTICLES)


def write_voicemail(out: Path) -> int:
    v = D.VOICEMAIL_TXT
    text = (f"Caller: {v['caller']}\nReceived: {v['received']}\nDuration: {v['duration']}\nLine: {v['line']}\n\n"
            f"{v['transcript']}\n")
    _write(out / "voicemail" / str(v["filename"]), text)
    j = dict(D.VOICEMAIL_JSON)
    name = str(j.pop("filename"))
    _dump(out / "voicemail" / name, j, indent=2)
    return 2


def write_all(rng: random.Random, seed: int, x: list[Post], mastodon: list[Post], out: Path,
              meta_out: Path) -> dict[str, int]:
    """Write every file; return record counts per file (also recorded in truth.json)."""
    counts, xw = write_x(rng, x, out)
    counts["mastodon/statuses.json"] = write_mastodon(rng, mastodon, out)
    counts["telegram/result.json"], tg = write_telegram(rng, out)
    counts["feeds/levant_daily.rss"] = write_rss(out)
    counts["feeds/sahel_news.atom"] = write_atom(out)
    counts["articles/*"] = write_articles(out)
    counts["voicemail/*"] = write_voicemail(out)
    truth = T.build(seed, x, mastodon, tg, counts, text_of=xw.text)
    _dump(meta_out / "truth.json", truth, indent=2)
    counts["watchlist.csv"] = T.write_watchlist(meta_out / "watchlist.csv")
    return {**counts, "posts in all files (unique)": truth["posts_total"]}
