"""Messages: every filter, keyset paging, urgent-first order, detail, hourly counts, areas, export, ingest."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import orjson

import serve_helpers
from serve_helpers import XSS, ApiClient, auth
from vigil.serve.facets import AreaMatcher, facets_of, index_pending, reindex
from vigil.store import open_store

# the shared fixtures (a copy of a populated store per test, tokens per role, an in-process client)
client, db, template_db, tokens = (serve_helpers.client, serve_helpers.db, serve_helpers.template_db,
                                  serve_helpers.tokens)



def items(client: ApiClient, tokens: dict[str, str], query: str) -> list[dict[str, object]]:
    r = client.get(f"/api/messages?{query}", headers=auth(tokens, "viewer"))
    assert r.status_code == 200, r.text
    return r.json()["data"]["items"]  # type: ignore[no-any-return]


def ids(found: list[dict[str, object]]) -> set[str]:
    return {str(m["id"]) for m in found}


def test_filters(client: ApiClient, tokens: dict[str, str]) -> None:
    assert ids(items(client, tokens, "signal=plea")) == {"x:1", "x:2"}
    assert ids(items(client, tokens, "urgency=high")) == {"x:1", "x:2", "x:6"}
    assert ids(items(client, tokens, "type=sympathy_and_support")) == {"x:3", "x:4"}
    assert ids(items(client, tokens, "lang=ar")) == {"x:2", "x:3"}
    assert ids(items(client, tokens, "author=@Lina_Writes")) == {"x:3", "x:4"}
    assert ids(items(client, tokens, "area=Tal al-Zaytun")) == {"x:6"}
    assert ids(items(client, tokens, "area=Al-Bustan")) == {"x:1", "x:2"}  # English and Arabic names
    assert ids(items(client, tokens, "documents=true")) == {"news:8"}
    assert ids(items(client, tokens, "source=news")) == {"news:8"}
    assert ids(items(client, tokens, "since=2025-02-06T06:15:00Z&until=2025-02-06T06:35:00Z")) == {"x:2", "x:3"}
    assert ids(items(client, tokens, "q=trapped&signal=trapped")) == {"x:1"}


def test_arabic_search_folds_letter_variants(client: ApiClient, tokens: dict[str, str]) -> None:
    assert ids(items(client, tokens, "q=وداعا")) == {"x:3"}  # stored with a tanween alef: وداعاً
    assert ids(items(client, tokens, "q=انقذونا")) == {"x:2"}  # hamza-less alef finds أنقذونا


def test_hostile_search_text_is_just_text(client: ApiClient, tokens: dict[str, str]) -> None:
    for q in ['" OR 1=1 --', "NEAR(a b)", "*", "'; DROP TABLE messages; --", "bread:*"]:
        r = client.get("/api/messages", params={"q": q}, headers=auth(tokens, "viewer"))
        assert r.status_code == 200
    assert len(items(client, tokens, "limit=200")) == 40


def test_cursor_paging_is_exact(client: ApiClient, tokens: dict[str, str]) -> None:
    seen: list[str] = []
    cursor = None
    for _ in range(20):
        query = "limit=7" + (f"&cursor={cursor}" if cursor else "")
        data = client.get(f"/api/messages?{query}", headers=auth(tokens, "viewer")).json()["data"]
        seen += [m["id"] for m in data["items"]]
        cursor = data["next"]
        if cursor is None:
            break
    assert len(seen) == 40 and len(set(seen)) == 40
    times = [m["created_at"] for m in items(client, tokens, "limit=200")]
    assert times == sorted(times, reverse=True)


def test_search_paging_is_exact(client: ApiClient, tokens: dict[str, str]) -> None:
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        data = client.get("/api/messages?q=bread&limit=10" + (f"&cursor={cursor}" if cursor else ""),
                          headers=auth(tokens, "viewer")).json()["data"]
        seen += [m["id"] for m in data["items"]]
        cursor = data["next"]
        if cursor is None:
            break
    assert len(seen) == 32 and len(set(seen)) == 32


def test_urgent_first_and_its_paging(client: ApiClient, tokens: dict[str, str]) -> None:
    first = items(client, tokens, "order=urgent&limit=3")
    assert [m["urgency"] for m in first] == ["critical", "high", "high"]
    seen = []
    cursor = None
    while True:
        data = client.get("/api/messages?order=urgent&limit=6" + (f"&cursor={cursor}" if cursor else ""),
                          headers=auth(tokens, "viewer")).json()["data"]
        seen += data["items"]
        cursor = data["next"]
        if cursor is None:
            break
    ranks = {"critical": 4, "high": 3, "medium": 2, "low": 1}
    assert len({m["id"] for m in seen}) == 40
    assert [ranks[m["urgency"]] for m in seen] == sorted((ranks[m["urgency"]] for m in seen), reverse=True)


def test_page_size_is_capped(client: ApiClient, tokens: dict[str, str]) -> None:
    assert len(items(client, tokens, "limit=100000")) == 40  # capped at 200, fewer exist
    assert len(items(client, tokens, "limit=0")) == 1  # at least one


def test_detail_has_enrichments_and_facets(client: ApiClient, tokens: dict[str, str]) -> None:
    r = client.get("/api/messages/x:1", headers=auth(tokens, "viewer"))
    data = r.json()["data"]
    assert data["urgency"] == "critical" and data["signals"] == ["plea", "trapped"] and data["areas"] == ["Al-Bustan"]
    assert data["enrichments"]["humaid_type.v1"]["type"] == "requests_or_urgent_needs"
    assert "raw" not in data and data["cluster"] is None


def test_hourly_counts_by_type(client: ApiClient, tokens: dict[str, str]) -> None:
    data = client.get("/api/stats/hourly", headers=auth(tokens, "viewer")).json()["data"]
    assert sum(sum(h["counts"].values()) for h in data["series"]) == 40
    assert "requests_or_urgent_needs" in data["types"]
    assert data["series"][0]["hour"] == "2025-02-06T06:00:00Z" and data["series"][0]["urgent"] == 2
    window = client.get("/api/stats/hourly?since=2025-02-06T10:00:00Z", headers=auth(tokens, "viewer")).json()
    assert all(h["hour"] >= "2025-02-06T10:00:00Z" for h in window["data"]["series"])


def test_areas(client: ApiClient, tokens: dict[str, str]) -> None:
    data = client.get("/api/areas", headers=auth(tokens, "viewer")).json()["data"]["areas"]
    counts = {a["area"]: a["messages"] for a in data}
    assert counts["Bab al-Sharq"] == 32 and counts["Al-Bustan"] == 2


def test_export_csv_jsonl_hxl(client: ApiClient, tokens: dict[str, str]) -> None:
    viewer = auth(tokens, "viewer")
    r = client.get("/api/export?format=hxl&signal=death_injury", headers=viewer)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    header, tags, row = rows[0], rows[1], rows[2]
    assert {"#date+reported", "#loc+name", "#affected", "#meta+source"} <= set(tags)
    record = dict(zip(header, row, strict=True))
    assert record["affected"] == "62" and record["areas"] == "Tal al-Zaytun" and record["source"] == "x"
    plain = client.get("/api/export?format=csv&author=troll", headers=viewer).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in plain  # a formula is neutralised for spreadsheets
    lines = client.get("/api/export?format=jsonl", headers=viewer).content.splitlines()
    assert len(lines) == 40 and orjson.loads(lines[0])["id"]
    assert len(client.get("/api/export?format=jsonl&max=5", headers=viewer).content.splitlines()) == 5


def test_ingest_pushed_records(client: ApiClient, tokens: dict[str, str]) -> None:
    body = orjson.dumps({"data": [{"id": "999", "text": "We are trapped in Al-Bustan, please help",
                                   "author_id": "u1", "created_at": "2025-02-06T17:00:00.000Z"}],
                         "includes": {"users": [{"id": "u1", "username": "new_voice", "name": "New"}]}})
    r = client.post("/api/ingest", content=body, headers=auth(tokens, "analyst"))
    assert r.status_code == 200, r.text
    assert r.json()["data"]["stored"] == 1
    found = items(client, tokens, "author=new_voice")
    assert found and found[0]["areas"] == ["Al-Bustan"]
    again = client.post("/api/ingest", content=body, headers=auth(tokens, "analyst")).json()["data"]
    assert again["stored"] == 0 and again["duplicates"] == 1
    bad = client.post("/api/ingest?format=nope", content=body, headers=auth(tokens, "analyst"))
    assert bad.status_code == 400
    garbage = client.post("/api/ingest", content=b"\x00\x01 not json at all", headers=auth(tokens, "analyst"))
    assert garbage.status_code == 400 and garbage.json()["ok"] is False


def test_xss_text_comes_back_verbatim_in_json(client: ApiClient, tokens: dict[str, str]) -> None:
    assert XSS in {m["text"] for m in items(client, tokens, "author=troll")}


def test_facets_of_reads_every_stage_shape() -> None:
    f = facets_of({"humaid_type.v1": {"type": "a"}, "humaid_type.v2": {"type": "b"}, "urgency.v1": "HIGH",
                   "siege_signals.v2": {"signals": {"plea": 0.9, "farewell": 0.1}}, "langid.v1": {"lang": "ar"}})
    assert (f.type, f.urgency, f.signals, f.lang) == ("b", "high", ("plea",), "ar")
    assert facets_of({}).urgency_rank == 0


def test_rows_stored_by_siege_signals_v1_keep_their_signals(db: Path, tokens: dict[str, str]) -> None:
    # databases written before the plea gate hold siege_signals.v1 results: they still facet and filter; where a
    # message has both versions, v2 (the newer) wins
    old = serve_helpers.msg(90, "Please help us, we are trapped", minutes=5).with_enrichment(
        "siege_signals.v1", {"signals": ["plea", "trapped"], "evidence": {}, "eyewitness": True})
    both = serve_helpers.msg(91, "help us reach our goal", minutes=6).with_enrichment(
        "siege_signals.v1", {"signals": ["plea"]}).with_enrichment("siege_signals.v2", {"signals": []})
    assert facets_of(old.enrichments).signals == ("plea", "trapped")
    assert facets_of(both.enrichments).signals == ()
    with open_store(db) as store:
        store.write_messages([old, both])
    app = serve_helpers.create_app(str(db), serve_helpers.SETTINGS, now=lambda: serve_helpers.NOW, stages=())
    with ApiClient(app) as c:
        assert ids(items(c, tokens, "signal=plea")) == {"x:1", "x:2", "x:90"}
        assert ids(items(c, tokens, "signal=trapped")) >= {"x:90"}


def test_index_is_incremental_and_rebuildable(db: Path) -> None:
    with open_store(db) as store:
        areas = AreaMatcher(["Bab al-Sharq"])
        assert index_pending(store, areas) == 40
        assert index_pending(store, areas) == 0
        assert store.query("SELECT sum(n) FROM serve_hourly")[0][0] == 40
        assert reindex(store, areas) == 40
        assert store.query("SELECT sum(n) FROM serve_hourly")[0][0] == 40
