"""The news-article reader: HTML pages (main text only) and plain-text articles with header lines."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from vigil.message import Message, Reject
from vigil.readers import READERS, article, detect_format, transcript
from vigil.readers.base import ReadContext
from vigil.readers.detect import summarise

FIXTURES = Path(__file__).parent / "fixtures" / "articles"


def read_bytes(data: bytes, name: str = "article", source: str | None = None) -> Message | Reject:
    items = list(article.read(io.BytesIO(data), ReadContext(path=name, source=source, format="article")))
    assert len(items) == 1  # one file is one article (or one reject)
    return items[0]


def read_fixture(name: str, source: str | None = None) -> Message | Reject:
    return read_bytes((FIXTURES / name).read_bytes(), name, source)


def read_message(data: bytes, source: str | None = None) -> Message:
    msg = read_bytes(data, source=source)
    assert isinstance(msg, Message), msg
    return msg


def read_reject(data: bytes) -> Reject:
    bad = read_bytes(data)
    assert isinstance(bad, Reject), bad
    return bad


def page(body: str, head: str = "", lang: str = "en") -> bytes:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}</head>'
            f"<body>{body}</body></html>").encode()


PARAGRAPHS = "".join(
    f"<p>Paragraph {i} describes how the volunteers moved supplies across the river at night and why the "
    f"bridge could not be used by the trucks that were waiting on the other side.</p>" for i in range(4)
)


def test_registered_under_its_name() -> None:
    spec = READERS["article"]
    assert spec.default_source == "news"
    assert spec.read is article.read


# --- HTML ---------------------------------------------------------------------------------------------------


def test_html_article_main_text_without_boilerplate() -> None:
    msg = read_fixture("siege_report.html")
    assert isinstance(msg, Message)
    assert msg.title == "Families shelter in basements as shelling intensifies"
    paragraphs = msg.text.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("Residents of the eastern districts spent a third night in basements")
    assert paragraphs[3].endswith("if the crossing stayed open through the afternoon.")
    for boilerplate in ("Subscribe", "cookies", "Most read", "gadgets", "Copyright", "Privacy policy",
                        "Business", "analytics", "font-family", "By Samira"):
        assert boilerplate not in msg.text, boilerplate
    assert msg.title not in msg.text  # the headline is the title, not repeated as the first paragraph


def test_html_article_metadata() -> None:
    msg = read_fixture("siege_report.html")
    assert isinstance(msg, Message)
    assert msg.created_at == datetime(2016, 12, 13, 8, 5, tzinfo=UTC)  # +02:00 kept to the minute
    assert msg.author == "Samira Haddad"
    assert msg.url == "https://news.example.org/world/2016/12/13/families-shelter-basements"
    assert msg.native_id == msg.url  # the canonical URL identifies the article
    assert msg.source == "the-example-times"
    assert msg.id == f"the-example-times:{msg.url}"
    assert msg.lang == "en"
    assert msg.format == "article"
    assert msg.raw.startswith("<!DOCTYPE html>")


def test_arabic_rtl_article() -> None:
    msg = read_fixture("arabic_rtl.html")
    assert isinstance(msg, Message)
    assert msg.title == "انقطاع المياه عن الأحياء الشرقية لليوم الرابع"
    assert msg.text.startswith("قال سكان في الأحياء الشرقية إن المياه ما زالت مقطوعة")
    assert len(msg.text.split("\n\n")) == 3
    for boilerplate in ("تسجيل الدخول", "رياضة", "جميع الحقوق", "سياسة الخصوصية"):
        assert boilerplate not in msg.text
    assert "تُنظف" in msg.text  # harakat kept
    assert msg.lang == "ar"
    assert msg.author == "ليلى منصور"
    assert msg.source == "صحيفة-المثال"
    assert msg.url == "https://arabic.example.org/news/2016/12/water-cut"  # og:url when no canonical link
    assert msg.created_at == datetime(2016, 12, 14, 8, 30, tzinfo=UTC)


def test_source_option_overrides_the_site_name() -> None:
    msg = read_fixture("siege_report.html", source="press")
    assert isinstance(msg, Message)
    assert msg.source == "press" and msg.id.startswith("press:https://")


@pytest.mark.parametrize("head,body", [
    ('<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [{"@type": "WebPage"},'
     '{"@type": "NewsArticle", "datePublished": "2016-12-13T06:00:00Z"}]}</script>', ""),
    ("", '<time itemprop="datePublished" datetime="2016-12-13T06:00:00Z">13 Dec</time>'),
    ('<meta name="DC.date.issued" content="2016-12-13T06:00:00Z">', ""),
])
def test_html_date_from_other_markup(head: str, body: str) -> None:
    msg = read_message(page(f"<article><h1>Night crossing</h1>{body}{PARAGRAPHS}</article>", head))
    assert msg.created_at == datetime(2016, 12, 13, 6, 0, tzinfo=UTC)
    assert msg.source == "news"  # no site name anywhere
    assert msg.native_id.startswith("sha1-")  # no canonical URL


def test_html_without_date_is_rejected_with_a_hint() -> None:
    bad = read_reject(page(f"<article><h1>Night crossing</h1>{PARAGRAPHS}</article>"))
    assert "no publication date" in bad.reason
    assert "article:published_time" in bad.reason


def test_html_with_an_unparsable_date() -> None:
    head = '<meta property="article:published_time" content="sometime last week">'
    bad = read_reject(page(f"<article><h1>Night crossing</h1>{PARAGRAPHS}</article>", head))
    assert "'sometime last week'" in bad.reason


def test_html_without_article_text() -> None:
    head = '<meta property="article:published_time" content="2016-12-13T06:00:00Z">'
    bad = read_reject(page("<header><nav><ul><li><a href='/'>Home</a></li><li><a href='/w'>World</a></li></ul>"
                           "</nav></header><div class='cookie'>We use cookies.</div><footer><p>Copyright 2016 "
                           "Example. All rights reserved.</p><p><a href='/p'>Privacy</a></p></footer>", head))
    assert "no article text" in bad.reason


def test_short_html_article_is_kept() -> None:
    head = '<meta property="article:published_time" content="2016-12-13T06:00:00Z">'
    msg = read_message(page("<nav><a href='/'>Home</a></nav><article><h1>Bridge closed</h1>"
                            "<p>The bridge is closed tonight.</p></article>", head))
    assert msg.title == "Bridge closed"
    assert msg.text == "The bridge is closed tonight."


def test_html_hash_id_is_stable_and_content_dependent() -> None:
    head = '<meta property="article:published_time" content="2016-12-13T06:00:00Z">'
    data = page(f"<article><h1>Night crossing</h1>{PARAGRAPHS}</article>", head)
    assert read_message(data).id == read_message(data).id
    other = page(f"<article><h1>Night crossing, part two</h1>{PARAGRAPHS}</article>", head)
    assert read_message(other).id != read_message(data).id


def test_html_with_invalid_utf8_is_decoded_like_a_browser_and_noted_in_raw() -> None:
    data = (FIXTURES / "siege_report.html").read_bytes().replace(b"volunteer medic", b"volunteer \xff\xfe medic")
    msg = read_message(data)
    assert "volunteer \ufffd\ufffd medic" in msg.text
    assert msg.raw.startswith("<!-- vigil: invalid bytes for utf-8 replaced with U+FFFD -->")


def test_html_in_a_declared_legacy_charset() -> None:
    html = ('<!DOCTYPE html><html lang="ar"><head><meta http-equiv="Content-Type" content="text/html; '
            'charset=windows-1256"><meta property="article:published_time" content="2016-12-13T06:00:00Z">'
            "</head><body><article><h1>خبر</h1>"
            + "<p>وصلت قافلة المساعدات إلى المدينة بعد انتظار طويل على الحاجز الشمالي منذ الصباح الباكر.</p>" * 4
            + "</article></body></html>")
    msg = read_message(html.encode("cp1256"))
    assert msg.text.startswith("وصلت قافلة المساعدات")
    assert msg.lang == "ar"
    assert not msg.raw.startswith("<!-- vigil")


def test_xhtml_with_an_xml_declaration() -> None:
    data = ('<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head>'
            '<meta property="article:published_time" content="2016-12-13T06:00:00Z"/><title>X</title></head>'
            f"<body><article><h1>Night crossing</h1>{PARAGRAPHS}</article></body></html>").encode()
    msg = read_message(data)
    assert msg.text.startswith("Paragraph 0 describes")


# --- plain text ---------------------------------------------------------------------------------------------


def test_text_article_with_header_lines() -> None:
    msg = read_fixture("water_points.txt")
    assert isinstance(msg, Message)
    assert msg.title == "Water points reopen in three districts after repairs"
    assert msg.source == "example-daily-courier"
    assert msg.created_at == datetime(2016, 12, 15, 7, 45, tzinfo=UTC)
    assert msg.author == "Omar Khalil"
    assert msg.url == "https://courier.example.com/2016/12/15/water-points-reopen"
    assert msg.native_id == msg.url
    paragraphs = msg.text.split("\n\n")
    assert len(paragraphs) == 3
    # hard-wrapped lines inside a paragraph are joined; headers are metadata, not body
    assert paragraphs[0] == ("Engineers finished repairing the main pipe overnight, and three of the five water "
                             "points in the southern districts reopened at dawn on Thursday.")
    assert "Source:" not in msg.text and "Published" not in msg.text
    assert msg.raw.startswith("Water points reopen")


def test_arabic_text_article_with_arabic_headers() -> None:
    msg = read_fixture("arabic_note.txt")
    assert isinstance(msg, Message)
    assert msg.title == "فتح ممر إنساني لإجلاء الجرحى"
    assert msg.source == "نشرة-المثال-الإخبارية"
    assert msg.author == "سامي عبد الله"
    assert msg.created_at == datetime(2016, 12, 16, 7, 0, tzinfo=UTC)
    assert len(msg.text.split("\n\n")) == 2
    assert msg.native_id.startswith("sha1-")


def test_text_article_without_date_is_rejected_with_a_hint() -> None:
    bad = read_fixture("no_date.txt")
    assert isinstance(bad, Reject)
    assert bad.reason.startswith("article has no publication date")
    assert "Published: <ISO date>" in bad.reason


def test_text_article_variants() -> None:
    msg = read_message(b"\xef\xbb\xbf\n\nTitle here\r\n\r\nBy Jane Roe\r\nDate: 13 Dec 2016 08:00:00 +0000\r\n"
                       b"Language: English\r\nID: art-7\r\n\r\nBody line one.\r\n")
    assert msg.title == "Title here"
    assert msg.author == "Jane Roe"
    assert msg.created_at == datetime(2016, 12, 13, 8, 0, tzinfo=UTC)
    assert msg.lang == "en"
    assert msg.native_id == "art-7"
    assert msg.text == "Body line one."
    assert msg.source == "news"


def test_text_article_headers_before_title() -> None:
    msg = read_message(b"Published: 2016-12-13T08:00:00Z\nTitle: The real title\n\nThe body.\n")
    assert msg.title == "The real title"
    assert msg.text == "The body."


def test_colon_in_the_first_body_line_is_not_a_header() -> None:
    msg = read_message(b"Curfew extended\nPublished: 2016-12-13T08:00:00Z\n\n"
                       b"Update: the curfew now starts at six.\nMore text.\n")
    assert msg.text == "Update: the curfew now starts at six. More text."


@pytest.mark.parametrize("data,reason", [
    (b"Only a title\nPublished: 2016-12-13T08:00:00Z\n", "no body text"),
    (b"Title\nPublished: next Tuesday\n\nBody.\n", "'next Tuesday'"),
    (b"Title\nPublished: 2016-12-13T08:00:00Z\n\nBody with \xff\xfe bytes.\n", "invalid UTF-8 at byte"),
    (b"", "empty article file"),
    (b" \n\n \n", "empty article file"),
])
def test_text_article_rejects(data: bytes, reason: str) -> None:
    assert reason in read_reject(data).reason


def test_oversized_article_is_one_reject(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(article, "MAX_ARTICLE_BYTES", 1024)
    bad = read_reject(b"Title\nPublished: 2016-12-13T08:00:00Z\n\n" + b"word " * 1000)
    assert bad.reason.startswith("article larger than")


@pytest.mark.parametrize("data", [
    b"<", b"<html", b"<html><body>" + b"<div>" * 20_000, b"<html>\x00\x00\x00</html>", b"\xff\xfe<\x00h\x00",
    b"<!DOCTYPE html><html><head><meta charset='no-such-charset'></head><body><p>x</p></body></html>",
    b"<html><head><script type='application/ld+json'>{broken</script></head><body></body></html>",
    b"\x00\x01\x02\x03", "Title\n\ud800\n".encode("utf-8", "surrogatepass"),
])
def test_junk_never_raises(data: bytes) -> None:
    assert isinstance(read_bytes(data), Message | Reject)


def test_truncated_pages_never_raise() -> None:
    data = (FIXTURES / "siege_report.html").read_bytes()
    for cut in range(1, len(data), 397):
        assert isinstance(read_bytes(data[:cut]), Message | Reject)


# --- detection ------------------------------------------------------------------------------------------------


def detect(path: Path) -> str:
    with path.open("rb") as fp:
        return detect_format(fp, path.name).name


@pytest.mark.parametrize("name", ["siege_report.html", "arabic_rtl.html", "water_points.txt", "arabic_note.txt",
                                  "no_date.txt"])
def test_detected_as_article(name: str) -> None:
    assert detect(FIXTURES / name) == "article"


def test_detection_ignores_the_extension(tmp_path: Path) -> None:
    for src, name in (("siege_report.html", "page.txt"), ("water_points.txt", "story.dat")):
        path = tmp_path / name
        path.write_bytes((FIXTURES / src).read_bytes())
        assert detect(path) == "article"


def test_prose_without_header_lines_is_a_weaker_article() -> None:
    prose = "\n\n".join(
        f"Paragraph {i} tells how the volunteers carried water to the school and waited for the convoy."
        for i in range(3))
    head = summarise("story.txt", f"A headline\n\n{prose}\n".encode())
    assert 0 < article.sniff(head) < 60
    assert article.sniff(summarise("notes.txt", b"just a line\nanother line\n")) == 0


def test_voicemail_transcript_text_prefers_the_transcript_reader() -> None:
    data = b"Caller: +44 7700 900123\nTime: 2016-12-13T10:30:00Z\n\nPlease call back about the convoy.\n"
    head = summarise("call.txt", data)
    assert article.sniff(head) < transcript.sniff(head)


@pytest.mark.parametrize("data", [
    b'{"title": "x", "text": "y"}', b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>',
    b'<rss version="2.0"><channel><item><description><![CDATA[<html><body><p>x</p></body></html>]]>'
    b"</description></item></channel></rss>",
    b"\x00\x01binary", b"",
])
def test_sniff_declines_other_formats(data: bytes) -> None:
    assert article.sniff(summarise("x", data)) == 0


def test_article_whose_lines_all_have_commas() -> None:
    # detection's head classifier may call comma-rich prose "delimited"; header lines still make it an article
    data = (b"Aid, at last, reaches the town\nSource: Example Daily Courier, Beirut desk\n"
            b"Published: Tue, 13 Dec 2016 08:00:00 +0000\n\nTrucks, after days of waiting, crossed at dawn.\n")
    head = summarise("story.txt", data)
    assert head.kind == "delimited"
    assert article.sniff(head) == 60
    assert detect_format(io.BytesIO(data), "story.txt").name == "article"
    assert article.sniff(summarise("rows.csv", b"id,text,label\n1,help us, please,request\n")) == 0


def test_utf16_html_page() -> None:
    head = '<meta property="article:published_time" content="2016-12-13T06:00:00Z">'
    html = page(f"<article><h1>Night crossing</h1>{PARAGRAPHS}</article>", head).decode()
    msg = read_message(html.encode("utf-16"))
    assert msg.title == "Night crossing"
    assert msg.text.startswith("Paragraph 0 describes")


def test_text_article_url_must_be_a_web_address() -> None:
    msg = read_message(b"T\nPublished: 2016-12-13T08:00:00Z\nURL: javascript:alert(1)\n\nBody.\n")
    assert msg.url is None
