"""Language id, Arabic normalisation and text clean-up (the first classification stages)."""

from __future__ import annotations

import pytest

from vigil.classify.arabic_norm import normalize_arabic, normalize_result
from vigil.classify.langid import detect_lang, looks_arabizi, script_counts
from vigil.classify.textprep import clean_text


@pytest.mark.parametrize(("text", "lang"), [
    ("We are trapped under the rubble, please send help", "en"),
    ("نحن محاصرون في الحي ولا نستطيع الخروج", "ar"),
    ("نحن محاصرون في الحي الشرقي منذ أسبوع #Aleppo #Syria", "ar"),  # mixed script, mostly Arabic
    ("انا في البيت now, the shelling is close", "ar"),  # a sizeable Arabic part wins on mixed text
    ("Nous sommes bloqués sur le toit", "fr"),
    ("مصر: ازاي الناس عاملة ايه بعد السيول؟ ربنا يستر", "ar"),  # Egyptian dialect maps to ar
])
def test_detect_lang(text: str, lang: str) -> None:
    assert detect_lang(text).lang == lang


def test_detect_lang_without_letters_is_unknown() -> None:
    guess = detect_lang("12345 !!! https://t.co/xyz")
    assert guess.lang is None
    assert guess.to_dict()["lang"] is None


def test_arabizi_is_flagged_as_arabic() -> None:
    guess = detect_lang("ya 7abibi 3ala el tari2 yalla")
    assert guess.arabizi and guess.lang == "ar"
    assert not looks_arabizi("The road is closed near the bridge")


def test_script_counts() -> None:
    assert script_counts("abc حلب") == (3, 3)


@pytest.mark.parametrize(("raw", "normalised"), [
    ("أحمد إلى آخر", "احمد الي اخر"),  # alef variants, alef maqsura
    ("مدرسة", "مدرسه"),  # taa marbuta
    ("مُحَمَّد", "محمد"),  # harakat
    ("حلـــب", "حلب"),  # tatweel
    ("ساااعدونا", "ساعدونا"),  # stretched letters
    ("متى؟ لا، نعم؛", "متي? لا, نعم;"),  # Arabic punctuation
    ("٣ أيام", "3 ايام"),  # Arabic-Indic digits
    ("Hello World", "Hello World"),  # other scripts untouched
])
def test_normalize_arabic(raw: str, normalised: str) -> None:
    assert normalize_arabic(raw) == normalised


def test_normalize_result_marks_arabizi_and_cleans_urls() -> None:
    out = normalize_result("أنقذونا https://t.co/abc @someone")
    assert out == {"text": "انقذونا URL @user", "arabizi": False}
    assert normalize_result("ya 7abibi 3ala el tari2")["arabizi"] is True


def test_clean_text() -> None:
    assert clean_text("RT @bob: Help &amp; water https://t.co/x  now") == "RT @user: Help & water URL now"
