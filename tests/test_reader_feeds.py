"""The RSS/Atom feed reader: entries to titled Messages, rejects for what cannot be read, detection by content."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from vigil.message import Message, Reject
from vigil.readers import READERS, detect_format, feeds
from vigil.readers.base import ReadContext
from vigil.readers.detect import summarise

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"


def read_bytes(data: bytes, name: str = "feed.xml", source: str | None = None) -> list[Message | Reject]:
    return list(feeds.read(io.BytesIO(data), ReadContext(path=name, source=source, format="feed")))


def read_fixture(name: str, source: str | None = None) -> list[Message | Reject]:
    return read_bytes((FIXTURES / name).read_bytes(), name, source)


def messages(items: list[Message | Reject]) -> list[Message]:
    return [m for m in items if isinstance(m, Message)]


def rejects(items: list[Message | Reject]) -> list[Reject]:
    return [r for r in items if isinstance(r, Reject)]


def rss_item(inner: str, channel: str = "<title>T</title>") -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>{channel}<item>{inner}</item>'
            f"</channel></rss>").encode()


def test_registered_under_its_name() -> None:
    spec = READERS["feed"]
    assert spec.default_source == "feed"
    assert spec.read is feeds.read


def test_rss_entry_fields() -> None:
    items = read_fixture("relief_rss.xml")
    first = messages(items)[0]
    assert first.title == "Water convoy reaches & supplies the eastern districts"
    assert first.source == "example-relief-bulletin"  # the feed's own title, slugified
    assert first.id == "example-relief-bulletin:relief-update-101"
    assert first.native_id == "relief-update-101"
    assert first.format == "feed"
    assert first.url == "https://relief.example.org/updates/101"
    assert first.author == "Field Team North"
    assert first.created_at == datetime(2016, 12, 13, 8, 15, tzinfo=UTC)
    assert first.lang == "en"
    assert first.is_document
    assert "relief-update-101" in first.raw and "_parsed" not in first.raw  # audit copy without struct_times


def test_rss_prefers_the_longest_body_and_converts_cdata_html() -> None:
    first = messages(read_fixture("relief_rss.xml"))[0]
    # content:encoded (CDATA HTML) is longer than the description, so it wins; tags and scripts are gone
    assert first.text == ("The convoy of six trucks arrived at 07:40 & began distributing water.\n\n"
                          "Volunteers report queues at three points.")
    assert "alert" not in first.text and "<" not in first.text


def test_rss_arabic_entry_with_escaped_html() -> None:
    arabic = messages(read_fixture("relief_rss.xml"))[1]
    assert arabic.title == "وصول قافلة أدوية إلى المستشفى الميداني"
    assert arabic.text == "وصلت قافلة الأدوية صباح اليوم إلى المستشفى الميداني في الحي الشرقي."
    assert arabic.created_at == datetime(2016, 12, 13, 9, 30, tzinfo=UTC)  # +0200 normalised to UTC
    assert arabic.native_id == "https://relief.example.org/updates/102"
    # the channel declares "en", but an Arabic item is not English: the declaration is dropped, not trusted
    assert arabic.lang is None


def test_rss_entry_without_date_takes_the_feed_date() -> None:
    undated = messages(read_fixture("relief_rss.xml"))[2]
    assert undated.title == "Shelter list updated"
    assert undated.created_at == datetime(2016, 12, 13, 18, 0, tzinfo=UTC)  # <lastBuildDate>


def test_rss_empty_entry_is_rejected_with_its_number() -> None:
    items = read_fixture("relief_rss.xml")
    assert len(messages(items)) == 3
    (bad,) = rejects(items)
    assert bad.line == 4
    assert "neither a title nor any text" in bad.reason
    assert bad.file == "relief_rss.xml" and bad.format == "feed"


def test_atom_entries() -> None:
    items = read_fixture("field_atom.xml")
    first, second = messages(items)
    assert first.title == "نداء عاجل: نقص في الخبز"  # type="html" title: markup removed
    assert first.text == "نقص حاد في الخبز في الأحياء الشرقية منذ يومين.\n\nالأفران مغلقة بسبب انقطاع الوقود."
    assert first.created_at == datetime(2016, 12, 13, 9, 0, tzinfo=UTC)  # published before updated
    assert first.author == "فريق الإغاثة"
    assert first.lang == "ar"  # xml:lang on the feed
    assert first.source == "نشرة-الميدان"
    assert first.native_id == "urn:example:field-bulletin:entry-1"
    assert first.url == "https://field.example.net/entries/1"
    assert second.text == "The field hospital has fuel for one more night."  # xhtml content
    assert second.created_at == datetime(2016, 12, 13, 11, 0, tzinfo=UTC)
    assert second.lang == "en"  # xml:lang on the entry overrides the feed's
    assert second.url is None  # its only link is the urn: id, not a web address


def test_atom_entry_without_any_date_is_rejected() -> None:
    (bad,) = rejects(read_fixture("field_atom.xml"))
    assert bad.line == 3
    assert "entry has no date" in bad.reason


def test_rdf_feed() -> None:
    (msg,) = read_fixture("bulletin.rdf")
    assert isinstance(msg, Message)
    assert msg.title == "Evacuation buses leave at noon"
    assert msg.created_at == datetime(2016, 12, 15, 10, 0, tzinfo=UTC)


def test_source_option_overrides_the_feed_title() -> None:
    msg = messages(read_fixture("relief_rss.xml", source="relief"))[0]
    assert msg.source == "relief"
    assert msg.id == "relief:relief-update-101"


def test_feed_without_title_uses_default_source() -> None:
    (msg,) = read_bytes(rss_item("<title>A</title><guid>g1</guid><pubDate>2016-12-13T08:00:00Z</pubDate>",
                                 channel=""))
    assert isinstance(msg, Message)
    assert msg.source == "feed"
    assert msg.text == "A"  # a title-only item: the title stands in for the text


def test_native_id_falls_back_to_link_then_a_stable_hash() -> None:
    (by_link,) = read_bytes(rss_item("<title>A</title><link>https://x.example/a</link>"
                                     "<pubDate>2016-12-13T08:00:00Z</pubDate>"))
    assert isinstance(by_link, Message) and by_link.native_id == "https://x.example/a"
    data = rss_item("<title>No id here</title><pubDate>2016-12-13T08:00:00Z</pubDate>")
    (hashed,) = read_bytes(data)
    (again,) = read_bytes(data)
    assert isinstance(hashed, Message) and isinstance(again, Message)
    assert hashed.native_id.startswith("sha1-")
    assert hashed.id == again.id  # re-ingest gives the same id
    (other,) = read_bytes(rss_item("<title>No id here</title><pubDate>2016-12-14T08:00:00Z</pubDate>"))
    assert isinstance(other, Message) and other.native_id != hashed.native_id


def test_double_escaped_entities_in_rss_titles_come_out_clean() -> None:
    # publishers often escape RSS titles twice; feedparser undoes both, and clean_text must not mangle it
    (msg,) = read_bytes(rss_item("<title>Tom &amp;amp; Jerry &#1605;</title><guid>e</guid>"
                                 "<pubDate>Tue, 13 Dec 2016 08:15:00 GMT</pubDate>"))
    assert isinstance(msg, Message)
    assert msg.title == "Tom & Jerry م"


def test_unparsable_raw_date_falls_back_to_feedparser_struct() -> None:
    # feedparser reads this W3C-DTF variant; parse_datetime does not
    (msg,) = read_bytes(rss_item("<title>A</title><guid>d</guid><pubDate>2016-12-13 08:15 UTC</pubDate>"))
    assert isinstance(msg, Message)
    assert msg.created_at.date() == datetime(2016, 12, 13).date()


def test_malformed_feed_keeps_recovered_entries() -> None:
    items = read_fixture("broken_rss.xml")
    got = messages(items)
    assert [m.native_id for m in got] == ["street-1", "street-2"]
    assert got[0].title == "Checkpoint closed & queue growing"
    assert "checkpoint" in got[0].text


def test_unreadable_feed_is_one_reject_with_the_reason() -> None:
    (bad,) = read_fixture("unreadable.xml")
    assert isinstance(bad, Reject)
    assert "malformed feed" in bad.reason and "not well-formed" in bad.reason
    assert bad.line == 2


def test_xml_that_is_not_a_feed() -> None:
    (bad,) = read_bytes(b"<?xml version='1.0'?><config><a>1</a></config>")
    assert isinstance(bad, Reject)
    assert "no RSS or Atom feed" in bad.reason and "'config'" in bad.reason


def test_content_that_looks_like_a_path_or_url_is_never_opened() -> None:
    for data in (b"/etc/hostname", b"https://feeds.example.invalid/rss"):
        (bad,) = read_bytes(data)
        assert isinstance(bad, Reject)


def test_empty_feed_file_and_feed_without_entries() -> None:
    (bad,) = read_bytes(b"  \n")
    assert isinstance(bad, Reject) and "empty" in bad.reason
    assert read_bytes(b"<rss version='2.0'><channel><title>T</title></channel></rss>") == []


def test_oversized_feed_is_one_reject(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feeds, "MAX_FEED_BYTES", 2 * 1024 * 1024)
    data = rss_item("<title>A</title>" + "<description>x</description>" * 80_000)
    assert len(data) > 2 * 1024 * 1024
    (bad,) = read_bytes(data)
    assert isinstance(bad, Reject)
    assert bad.reason.startswith("feed larger than 2 MB")


def test_invalid_utf8_rejects_only_the_damaged_entry() -> None:
    data = (FIXTURES / "relief_rss.xml").read_bytes().replace("قافلة أدوية".encode(), b"\xff\xfe bad")
    items = read_bytes(data)
    got = messages(items)
    assert [m.native_id for m in got] == ["relief-update-101", "https://relief.example.org/updates/103"]
    damaged = [r for r in rejects(items) if "UTF-8" in r.reason]
    assert len(damaged) == 1 and damaged[0].line == 2


def test_windows_1256_feed_is_decoded_by_its_declaration() -> None:
    body = ('<?xml version="1.0" encoding="windows-1256"?><rss version="2.0"><channel><title>T</title><item>'
            "<title>خبر عاجل</title><guid>w1</guid><pubDate>2016-12-13T08:00:00Z</pubDate></item></channel></rss>")
    (msg,) = read_bytes(body.encode("cp1256"))
    assert isinstance(msg, Message)
    assert msg.title == "خبر عاجل"


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    data = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
            '<rss version="2.0"><channel><item><title>t &x;</title><guid>x</guid>'
            "<pubDate>2016-12-13T08:00:00Z</pubDate></item></channel></rss>").encode()
    for item in read_bytes(data):
        text = item.title or "" if isinstance(item, Message) else item.reason
        assert "TOP-SECRET" not in text


@pytest.mark.parametrize("cut", [1, 40, 120, 400, 900, 1500, 2200])
def test_truncated_feeds_never_raise(cut: int) -> None:
    data = (FIXTURES / "relief_rss.xml").read_bytes()[:cut]
    for item in read_bytes(data):
        assert isinstance(item, Message | Reject)


@pytest.mark.parametrize("data", [b"\x00\x01\x02\xff" * 100, b"<", b"<rss", b"<rss><channel><item>",
                                  b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>x",
                                  b"<?xml version='1.0' encoding='bogus-enc'?><rss/>", "<rss>\ud800</rss>".encode(
                                      "utf-8", "surrogatepass")])
def test_junk_never_raises(data: bytes) -> None:
    for item in read_bytes(data):
        assert isinstance(item, Message | Reject)


# --- detection ------------------------------------------------------------------------------------------------


def detect(path: Path) -> str:
    with path.open("rb") as fp:
        return detect_format(fp, path.name).name


@pytest.mark.parametrize("name", ["relief_rss.xml", "field_atom.xml", "bulletin.rdf", "broken_rss.xml"])
def test_detected_as_feed(name: str) -> None:
    assert detect(FIXTURES / name) == "feed"


def test_rss_named_txt_is_still_a_feed(tmp_path: Path) -> None:
    path = tmp_path / "bulletin.txt"
    path.write_bytes((FIXTURES / "relief_rss.xml").read_bytes())
    assert detect(path) == "feed"


def test_feed_whose_entries_embed_html_is_not_taken_for_an_article(tmp_path: Path) -> None:
    # detection's head classifier sees "<article" and "<body" early and calls this html
    data = rss_item("<title>A</title><guid>h</guid><pubDate>2016-12-13T08:00:00Z</pubDate>"
                    "<description><![CDATA[<html><body><article><p>Hi</p></article></body></html>]]>"
                    "</description>")
    path = tmp_path / "page.html"
    path.write_bytes(data)
    assert summarise(path.name, data).kind == "html"
    assert detect(path) == "feed"


@pytest.mark.parametrize("data", [b'{"title": "x"}', b"Title\n\nSome text.", b"a,b\n1,2\n",
                                  b"<!DOCTYPE html><html><body><p>x</p></body></html>",
                                  b"<?xml version='1.0'?><config/>"])
def test_sniff_declines_other_formats(data: bytes) -> None:
    assert feeds.sniff(summarise("x", data)) == 0
