"""The Arabic crisis cue lexicon behind the ``ar_cues`` feature block of the Arabic model."""

from __future__ import annotations

from vigil.classify.arabic_cues import CUE_GROUPS, ar_cues, cue_hits
from vigil.classify.features import ANALYZERS
from vigil.classify.labels import KAWARITH_COARSE
from vigil.classify.train import SparseSpec, fit_linear


def test_cues_match_through_clitics_spelling_variants_and_suffixes() -> None:
    # و + وفاة (taa marbuta folded), بال + كهرباء, ال + منازل, قتلى (alef maqsura folded, suffix after the cue)
    assert ar_cues("ووفاة طفل وانقطاع بالكهرباء وتضرر المنازل وسقوط قتلى") == [
        "cue:dead", "cue:utility", "cue:utility", "cue:damage", "cue:structure", "cue:damage", "cue:dead"]


def test_cues_only_match_at_the_start_of_a_word() -> None:
    assert cue_hits("مستجرح") == []  # جرح inside a word is not "injured"
    assert cue_hits("#الكويت_تغرق") == []  # no cue in the hashtag
    assert cue_hits("#انقطاع_الكهرباء") == ["utility", "utility"]


def test_multi_word_cues_and_longest_match() -> None:
    assert cue_hits("البحث عن مفقودين تحت الانقاض") == ["missing", "missing", "missing"]
    assert cue_hits("فقدان") == ["missing"]  # one hit, not فقد + فقدان


def test_non_arabic_text_has_no_cues() -> None:
    assert ar_cues("bridge collapsed, 3 dead") == []
    assert ar_cues("") == []


def test_every_cue_word_finds_its_own_group() -> None:
    for group, words in CUE_GROUPS.items():
        for w in words:
            assert ar_cues(w.replace("_", " "))[0] == f"cue:{group}", w


def test_the_analyzer_is_registered_and_an_absent_block_does_not_break_training() -> None:
    assert ANALYZERS["ar_cues"] is ar_cues
    texts = ["مطر خفيف اليوم", "مطر غزير غدا", "شمس اليوم", "شمس غدا"]
    labels = [KAWARITH_COARSE[1], KAWARITH_COARSE[1], KAWARITH_COARSE[0], KAWARITH_COARSE[0]]
    # "ar_cues" finds nothing twice in these texts: the model is trained on the character block alone
    m = fit_linear(texts, labels, SparseSpec((("ar_chars", 1000), ("ar_cues", 100)), c=1.0), KAWARITH_COARSE)
    assert [v.analyzer for v in m.vectorizers] == ["ar_chars"]
    assert m.proba(["مطر"]).shape == (1, 3)
