"""`vigil classify`, `vigil eval`, `vigil train` and the classification stages, on the shipped model."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from vigil.classify.labels import HUMAID_CLASSES
from vigil.classify.pipeline import classify_texts
from vigil.classify.urgency import LEVELS
from vigil.cli import cli
from vigil.message import Message
from vigil.stages import default_stages, run_stages

CONTRACT_KEYS = {"id", "lang", "type", "type_scores", "urgency", "signals", "model"}


def _run(*args: str, input: str | None = None) -> list[dict[str, object]]:
    result = CliRunner().invoke(cli, list(args), input=input)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_classify_texts_contract() -> None:
    out = _run("classify", "We are trapped on the roof, please send a boat", "سامحونا، قد تكون هذه آخر تغريدة",
               "Watching the game tonight", "--json")
    assert [o["id"] for o in out] == ["arg:1", "arg:2", "arg:3"]
    for o in out:
        assert set(o) == CONTRACT_KEYS
        assert set(o["type_scores"]) == set(HUMAID_CLASSES)  # type: ignore[arg-type]
        assert abs(sum(o["type_scores"].values()) - 1.0) < 1e-3  # type: ignore[union-attr]
        assert o["type"] == max(o["type_scores"], key=o["type_scores"].get)  # type: ignore[arg-type,call-overload]
        assert o["urgency"] in LEVELS
        assert isinstance(o["model"], str) and ".v" in o["model"]
    assert out[0]["lang"] == "en" and {"plea", "trapped"} <= set(out[0]["signals"])  # type: ignore[arg-type]
    assert out[1]["lang"] == "ar" and "farewell" in out[1]["signals"]  # type: ignore[operator]
    assert out[0]["urgency"] in ("critical", "high") and out[2]["urgency"] == "low"


def test_classify_lines_file_and_fast(tmp_path: Path) -> None:
    f = tmp_path / "msgs.txt"
    f.write_text("Praying for everyone affected\n\nThe bridge collapsed and power lines are down\n", encoding="utf-8")
    out = _run("classify", "--file", str(f), "--format", "lines", "--fast")
    assert [o["id"] for o in out] == ["line:1", "line:3"]
    assert all(o["model"] == "humaid-fast.v2" for o in out)


def test_classify_reader_file_keeps_message_ids(tmp_path: Path) -> None:
    f = tmp_path / "tweets.jsonl"
    rows = [{"data": {"id": "11", "text": "Please help us we are trapped", "created_at": "2025-02-06T18:00:00Z",
                      "author_id": "1"}},
            {"data": {"id": "12", "text": "Ceasefire announced", "created_at": "2025-02-06T18:01:00Z",
                      "author_id": "1"}}]
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    out = _run("classify", "--file", str(f), "--json")
    assert [o["id"] for o in out] == ["x:11", "x:12"]


def test_classify_needs_input() -> None:
    result = CliRunner().invoke(cli, ["classify"])
    assert result.exit_code == 2 and "TEXT" in result.output


@pytest.mark.parametrize("command", ["classify", "eval", "train"])
def test_help_has_example(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output


def test_eval_command(tmp_path: Path) -> None:
    data = tmp_path / "gold.csv"
    data.write_text("text,label\nPraying for the victims,sympathy_and_support\n"
                    "Death toll rises to 40 after the quake,injured_or_dead_people\n", encoding="utf-8")
    out = _run("eval", "--data", str(data), "--json")[0]
    assert out["n"] == 2 and out["label_space"] == "humaid"
    assert {"accuracy", "weighted_f1", "macro_f1", "per_class", "confusion", "ece", "messages_per_second"} <= set(out)
    text = CliRunner().invoke(cli, ["eval", "--data", str(data)])
    assert text.exit_code == 0 and "weighted F1" in text.output
    missing = CliRunner().invoke(cli, ["eval", "--data", str(tmp_path / "nope.csv")])
    assert missing.exit_code != 0 and missing.output.startswith("error:")


def test_library_matches_cli() -> None:
    (r,) = classify_texts(["Three killed and eleven wounded as barrel bombs hit the market"])
    assert "death_injury" in r.signals and r.lang == "en"
    assert r.to_dict(details=True)["evidence"]["death_injury"] == "killed"


def test_default_stages_enrich_messages() -> None:
    names = default_stages()
    mine = ["langid.v1", "arabic_norm.v1", "humaid_type.v1", "siege_signals.v4", "urgency.v1"]
    assert [n for n in names if n in mine] == mine  # registered, default, in this order
    when = datetime(2025, 2, 6, tzinfo=UTC)
    msgs = [Message(id="t:1", source="t", format="test", native_id="1", created_at=when,
                    text="أنقذونا، نحن محاصرون تحت الأنقاض في حي الشعار"),
            Message(id="t:2", source="t", format="test", native_id="2", created_at=when,
                    text="Thousands evacuated as the hurricane nears", lang="en")]
    out = run_stages(msgs, mine)
    ar, en = out
    assert ar.lang == "ar" and ar.enrichments["langid.v1"]["lang"] == "ar"
    assert "انقذونا" in ar.enrichments["arabic_norm.v1"]["text"]
    assert "arabic_norm.v1" not in en.enrichments  # English passes through
    assert ar.enrichments["humaid_type.v1"]["type"] in HUMAID_CLASSES
    assert ar.enrichments["humaid_type.v1"]["model"].startswith("humaid-ar")
    assert {"plea", "trapped"} <= set(ar.enrichments["siege_signals.v4"]["signals"])
    assert ar.enrichments["urgency.v1"]["level"] in ("critical", "high")
    assert en.enrichments["humaid_type.v1"]["type"] == "displaced_people_and_evacuations"


def test_type_stage_path_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from vigil.enrich.classify import type_path
    from vigil.errors import UsageError

    assert type_path({}) == "sparse"
    assert type_path({"VIGIL_CLASSIFY_PATH": "Fast"}) == "fast"
    with pytest.raises(UsageError, match="VIGIL_CLASSIFY_PATH"):
        type_path({"VIGIL_CLASSIFY_PATH": "gpu"})
    monkeypatch.setenv("VIGIL_CLASSIFY_PATH", "fast")
    when = datetime(2025, 2, 6, tzinfo=UTC)
    (msg,) = run_stages([Message(id="t:1", source="t", format="test", native_id="1", created_at=when,
                                 text="Praying for everyone", lang="en")], ["humaid_type.v1"])
    assert msg.enrichments["humaid_type.v1"]["model"] == "humaid-fast.v2"
