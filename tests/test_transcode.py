"""Inputs in legacy encodings: `vigil ingest --encoding NAME` reads them as UTF-8, streaming, losing nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from conftest import Cli
from vigil.errors import UsageError
from vigil.ingest import ingest
from vigil.readers.transcode import check_encoding, transcoded
from vigil.store import SQLiteStore, open_store

ARABIC_ROWS = [
    ("1300000000000000001", "تحذير: أمطار غزيرة متوقعة الليلة، تجنبوا الأودية", "caution_advice_and_crisis_updates"),
    ("1300000000000000002", "انقطاع الكهرباء عن الحي الشمالي منذ الفجر", "infrastructure_and_utilities_damage"),
    ("1300000000000000003", "نحتاج ماء وحليب أطفال في حي الزيتون", "affected_individuals_and_help"),
]


def write_cp1256_tsv(path: Path) -> None:
    """A Kawarith-style TSV saved by an Arabic Windows tool (cp1256, CRLF line ends)."""
    lines = ["tweet_id\tkawarith_labels\ttext"] + [f"{i}\t{label}\t{text}" for i, text, label in ARABIC_ROWS]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1256"))


def test_arabic_cp1256_file_is_stored_as_the_same_arabic_text(tmp_path: Path, vigil: Cli) -> None:
    path = tmp_path / "kawarith_cp1256.tsv"
    write_cp1256_tsv(path)
    refused = json.loads(vigil("ingest", str(path), "--stages", "none", "--json").stdout)
    assert refused["stored"] == 0 and refused["rejected"] == 3
    assert "--encoding" in refused["rejects"][0]["reason"]  # the reject says how to keep the row
    assert refused["rejects"][0]["line"] == 2

    report = json.loads(vigil("ingest", str(path), "--stages", "none", "--json", "--encoding", "cp1256").stdout)
    assert (report["stored"], report["rejected"]) == (3, 0)
    rows = [json.loads(line) for line in vigil("messages", "--json").stdout.splitlines()]
    assert sorted(r["text"] for r in rows) == sorted(text for _, text, _ in ARABIC_ROWS)
    # full-text search works on the re-encoded text (diacritic/letter folding included)
    found = vigil("messages", "--search", "اطفال", "--json").stdout.splitlines()
    assert [json.loads(line)["native_id"] for line in found] == ["1300000000000000003"]


def test_a_byte_the_encoding_cannot_map_rejects_only_its_row(tmp_path: Path, store: SQLiteStore) -> None:
    # 0x81 has no character in cp1252: that row is quarantined with its line, its neighbours are kept
    path = tmp_path / "volunteers.csv"
    path.write_bytes(b"tweet_id,tweet_text,label\n"
                     b"1,caf\xe9 queue at the bakery,other\n"
                     b"2,broken \x81 byte,other\n"
                     b"3,\x93quoted\x94 by the council,other\n")
    report = ingest([str(path)], store, encoding="cp1252")
    assert (report.stored, report.rejected) == (2, 1)
    assert report.rejects[0].line == 3 and b"\x81" in report.rejects[0].raw
    texts = sorted(m.text for m in store.messages())
    assert texts == ["café queue at the bakery", "\u201cquoted\u201d by the council"]


def test_readahead_and_in_process_agree_on_transcoded_input(tmp_path: Path) -> None:
    path = tmp_path / "kawarith_cp1256.tsv"
    write_cp1256_tsv(path)
    results = []
    for mode in (False, True):
        with open_store(tmp_path / f"{mode}.db") as store:
            report = ingest([str(path)], store, encoding="cp1256", readahead=mode).to_dict()
            results.append((report, sorted((m.id, m.text) for m in store.messages())))
    assert results[0] == results[1]
    assert results[0][0]["stored"] == 3


def test_transcoder_streams_across_chunk_boundaries() -> None:
    text = "حلب " * 700_000  # ~2.8 MB in UTF-8: multi-byte characters straddle every 1 MiB chunk
    with transcoded(io.BytesIO(text.encode("cp1256")), "cp1256") as out:
        assert out.read().decode("utf-8") == text


def test_unknown_encoding_is_a_usage_error(vigil: Cli, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown encoding 'klingon'"):
        check_encoding("klingon")
    path = tmp_path / "a.csv"
    path.write_text("id,text\n1,hello\n")
    result = vigil("ingest", str(path), "--encoding", "klingon")
    assert result.exit_code != 0 and "unknown encoding 'klingon'" in result.stderr
    assert "Traceback" not in result.stderr
