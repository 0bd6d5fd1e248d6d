"""Text preparation: index/normalize.py, index/passages.py and index/sources/cleanup.py.

Properties (hypothesis) say that the spellings one Vietnamese text comes in
(NFC or NFD, "hoà" or "hòa", any letter case) fold to the same search keys;
examples pin the exact behaviour.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.normalize import clean_line, clean_text, fold, has_diacritics, normalize_tones
from index.passages import PASSAGE_MAX, best_sentences, sentences, split_passages, trim_quote
from index.sources.cleanup import clean_article_text, is_caption
from index.tokenize import syllable_tokens

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
PROPS = settings(max_examples=100, deadline=None)

# -- strategies: Vietnamese syllables, with either tone placement -------------------------

TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]  # none huyền sắc hỏi ngã nặng
ONSETS = [
    "",
    "b",
    "ch",
    "d",
    "đ",
    "g",
    "gi",
    "h",
    "kh",
    "l",
    "m",
    "n",
    "ng",
    "nh",
    "ph",
    "s",
    "t",
    "th",
    "tr",
    "v",
    "x",
]
VOWELS = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ươ", "iê", "uô"]
CODAS = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"]
PAIRS = [("o", "a"), ("o", "e"), ("u", "y")]  # where the two conventions differ


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _case(word: str, how: str) -> str:
    return {"lower": word, "upper": word.upper(), "title": word[:1].upper() + word[1:]}[how]


@st.composite
def plain_syllables(draw: st.DrawFn) -> str:
    vowel = draw(st.sampled_from(VOWELS))
    tone = draw(st.sampled_from(TONES))
    # the tone mark goes on the last vowel letter here: one valid NFC spelling
    return _nfc(draw(st.sampled_from(ONSETS)) + vowel + tone + draw(st.sampled_from(CODAS)))


@st.composite
def tone_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """(new-style, old-style) spellings of an open oa/oe/uy syllable: 'hoà', 'hòa'."""
    onset = draw(st.sampled_from([o for o in ONSETS if o not in ("gi",)]))
    first, second = draw(st.sampled_from(PAIRS))
    tone = draw(st.sampled_from(TONES[1:]))
    how = draw(st.sampled_from(["lower", "upper", "title"]))
    new = _case(_nfc(onset + first + second + tone), how)
    old = _case(_nfc(onset + first + tone + second), how)
    return new, old


@st.composite
def vietnamese_texts(draw: st.DrawFn) -> str:
    words = draw(
        st.lists(
            plain_syllables() | st.sampled_from(["21-KL/TW", "2021", "Đảng"]),
            min_size=1,
            max_size=12,
        )
    )
    seps = draw(
        st.lists(
            st.sampled_from([" ", ", ", ". ", "; ", " - "]),
            min_size=len(words),
            max_size=len(words),
        )
    )
    return "".join(w + s for w, s in zip(words, seps, strict=True)).strip()


# -- fold: one key for every spelling --------------------------------------------------


@PROPS
@given(vietnamese_texts())
def test_fold_ignores_normal_form(text: str) -> None:
    nfd = unicodedata.normalize("NFD", text)
    assert fold(nfd) == fold(text)
    assert syllable_tokens(fold(nfd)) == syllable_tokens(fold(text))


@PROPS
@given(vietnamese_texts(), st.sampled_from(["upper", "lower", "title", "swapcase"]))
def test_fold_ignores_letter_case(text: str, how: str) -> None:
    changed = getattr(text, how)()
    assert fold(changed) == fold(text)
    assert syllable_tokens(fold(changed)) == syllable_tokens(fold(text))


@PROPS
@given(tone_pairs(), st.sampled_from(["NFC", "NFD"]))
def test_both_tone_placements_give_one_spelling(pair: tuple[str, str], form: str) -> None:
    new, old = pair
    assert new != old
    new_in = unicodedata.normalize(form, f"công tác {new} bình")
    old_in = unicodedata.normalize(form, f"công tác {old} bình")
    assert clean_line(new_in) == clean_line(old_in) == f"công tác {old} bình"
    assert fold(clean_line(new_in)) == fold(clean_line(old_in)) == fold(new_in) == fold(old_in)
    assert syllable_tokens(fold(new_in)) == syllable_tokens(fold(old_in))


@PROPS
@given(vietnamese_texts())
def test_fold_is_ascii_lowercase_and_keeps_length(text: str) -> None:
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded.isascii()
    assert folded == folded.lower()


@PROPS
@given(st.text(max_size=60))
def test_fold_keeps_length_of_any_nfc_text(text: str) -> None:
    text = _nfc(text)
    assert len(fold(text)) == len(text)


@PROPS
@given(st.text(max_size=80))
def test_clean_text_is_idempotent_and_nfc(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert "\r" not in once and "\n\n\n" not in once
    assert once == once.strip()


@PROPS
@given(st.text(max_size=80))
def test_clean_line_is_idempotent(text: str) -> None:
    once = clean_line(text)
    assert clean_line(once) == once
    assert unicodedata.is_normalized("NFC", once)


# -- examples --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hoà", "hòa"),
        ("Hoà", "Hòa"),
        ("HOÀ", "HÒA"),
        ("thuỷ", "thủy"),
        ("Thuỷ", "Thủy"),
        ("khoẻ", "khỏe"),
        ("hoá", "hóa"),
        ("tuỳ", "tùy"),
        ("Uỷ ban", "Ủy ban"),
        ("chuyển hoá.", "chuyển hóa."),
        ("“tự chuyển hoá”", "“tự chuyển hóa”"),
        # unchanged: "qu" keeps its tone on y, closed syllables are already right
        ("quý", "quý"),
        ("Quý", "Quý"),
        ("quỳ", "quỳ"),
        ("hoàn", "hoàn"),
        ("Quỳnh", "Quỳnh"),
        ("khuỷu", "khuỷu"),
        ("hòa", "hòa"),
        ("thủy", "thủy"),
    ],
)
def test_normalize_tones(text: str, expected: str) -> None:
    assert normalize_tones(text) == expected
    assert clean_line(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đảng", "dang"),
        ("đ", "d"),
        ("Đ", "d"),
        ("ĐẢNG CỘNG SẢN", "dang cong san"),
        ("Kết luận số 21-KL/TW", "ket luan so 21-kl/tw"),
        ("Quy định 08-QĐi/TW", "quy dinh 08-qdi/tw"),
        ("Nghị quyết", "nghi quyet"),
        ("ưu tiên", "uu tien"),
        ("", ""),
    ],
)
def test_fold_examples(text: str, expected: str) -> None:
    assert fold(text) == expected
    assert fold(unicodedata.normalize("NFD", text)) == expected


def test_fold_keeps_characters_it_cannot_fold() -> None:
    assert fold("“21”–…") == "“21”–…"
    assert fold("İ") == "i" and fold("ß") == "ß"  # one character in, one out


def test_clean_line_whitespace_and_invisible_characters() -> None:
    assert clean_line("  Kết\u00a0luận \t số\u200b 21\u2009-KL/TW  ") == "Kết luận số 21 -KL/TW"
    assert clean_line("chuyển\u00adhóa\ufeff") == "chuyểnhóa"
    assert clean_line("a\u200b\u0301") == "á"  # a stray mark composes once the ZWSP is gone
    nfd = unicodedata.normalize("NFD", "Kết luận")
    assert clean_line(nfd) == "Kết luận"


def test_clean_text_paragraphs() -> None:
    text = "Dòng một  \r\nDòng hai\r\n\r\n\r\n\r\n  Đoạn mới\rcuối\n\n"
    assert clean_text(text) == "Dòng một\nDòng hai\n\nĐoạn mới\ncuối"
    assert clean_text("\n\n  \n") == ""


def test_has_diacritics() -> None:
    assert has_diacritics("kết luận")
    assert has_diacritics("đ")
    assert not has_diacritics("ket luan 21-KL/TW")


# -- passages --------------------------------------------------------------------------

WORDS = ["cán", "bộ", "đảng", "viên", "thực", "hiện", "Kết", "luận", "21-KL/TW"]
SENTENCE = st.builds(
    lambda n, k, end: (
        " ".join(WORDS[(k + 3 * i) % len(WORDS)] for i in range(n)).capitalize() + end
    ),
    st.integers(min_value=1, max_value=60),
    st.integers(min_value=0, max_value=len(WORDS) - 1),
    st.sampled_from([".", "!", "?", ";", "…"]),
)


@PROPS
@given(st.lists(st.lists(SENTENCE, min_size=1, max_size=12), min_size=1, max_size=5))
def test_split_passages_keeps_every_word_in_order(paragraphs: list[list[str]]) -> None:
    text = "\n\n".join(" ".join(p) for p in paragraphs)
    passages = split_passages(text)
    assert " ".join(passages).split() == text.split()
    assert all(p and p == p.strip() for p in passages)
    for passage in passages:
        # only a single overlong sentence may exceed the limit
        assert len(passage) <= PASSAGE_MAX or len(sentences(passage)) == 1


def test_split_passages_examples() -> None:
    assert split_passages("Một.\n\n\n\nHai  ba.\n\n   ") == ["Một.", "Hai ba."]
    long_paragraph = " ".join(f"Câu số {i} nói về việc thực hiện Kết luận 21." for i in range(60))
    parts = split_passages(long_paragraph)
    assert len(parts) > 1
    assert all(len(p) <= PASSAGE_MAX for p in parts)
    assert parts[0].startswith("Câu số 0 ") and parts[-1].endswith(
        "Câu số 59 nói về việc thực hiện Kết luận 21."
    )


def test_sentences_cut_at_semicolons_and_lists() -> None:
    text = "Các văn bản gồm: Kết luận số 21-KL/TW; Kế hoạch số 03-KH/TW. Hội nghị kết thúc."
    assert sentences(text) == [
        "Các văn bản gồm:",
        "Kết luận số 21-KL/TW;",
        "Kế hoạch số 03-KH/TW.",
        "Hội nghị kết thúc.",
    ]


@PROPS
@given(st.text(min_size=0, max_size=600), st.integers(min_value=10, max_value=400))
def test_trim_quote_never_exceeds_limit(text: str, limit: int) -> None:
    quote = trim_quote(text, limit)
    assert len(quote) <= limit
    if len(text.strip()) <= limit:
        assert quote == text.strip()
    else:
        assert quote.endswith(" …")


def test_trim_quote_cuts_at_a_word() -> None:
    assert trim_quote("một hai ba bốn năm sáu", 12) == "một hai ba …"
    assert trim_quote("a" * 500, 400) == "a" * 398 + " …"


def test_best_sentences_prefers_scored_sentence() -> None:
    passage = "Mở đầu hội nghị. Kết luận số 21-KL/TW được quán triệt. Bế mạc."
    quote = best_sentences(passage, lambda s: 1.0 if "21-KL" in s else 0.0, limit=60)
    assert quote.startswith("Kết luận số 21-KL/TW được quán triệt.")
    assert len(quote) <= 60


# -- cleanup: captions, bylines, related links, polls -------------------------------------

ARTICLE = """Hội nghị đã quán triệt Kết luận số 21-KL/TW của Ban Chấp hành Trung ương. Đây là nội dung quan trọng.

Toàn cảnh hội nghị tại điểm cầu Tỉnh ủy

Quang cảnh hội nghị (Ảnh: Minh Hà)

Tin liên quan

Hà Tĩnh quán triệt Quy định 41-QĐ/TW về miễn nhiệm cán bộ
Thanh Hóa sơ kết 2 năm thực hiện Nghị quyết 58

Các cấp ủy cần tổ chức thực hiện nghiêm túc Kết luận 21, tránh hình thức.

Quán triệt Kết luận số 14-KL/TW

Tác giả: Mai Hà

Thăm dò ý kiến
"""


def test_clean_article_text_removes_noise_and_keeps_paragraphs() -> None:
    text, author = clean_article_text(ARTICLE)
    assert author == "Mai Hà"
    assert text.split("\n\n") == [
        "Hội nghị đã quán triệt Kết luận số 21-KL/TW của Ban Chấp hành Trung ương."
        " Đây là nội dung quan trọng.",
        "Các cấp ủy cần tổ chức thực hiện nghiêm túc Kết luận 21, tránh hình thức.",
        # a short line naming a document outside a related block is a heading, kept
        "Quán triệt Kết luận số 14-KL/TW",
    ]


def test_related_titles_on_consecutive_lines_are_removed() -> None:
    text, _ = clean_article_text(
        "Đoạn đầu tiên của bài viết.\n\nTin liên quan:\nTriển khai Chỉ thị 05-CT/TW tại tỉnh C:"
        " nhiều mô hình hay\nSơ kết Chỉ thị 05-CT/TW của Bộ Chính trị\nĐoạn cuối của bài viết."
    )
    assert text == "Đoạn đầu tiên của bài viết.\n\nĐoạn cuối của bài viết."


def test_related_block_ends_at_a_real_paragraph() -> None:
    text, _ = clean_article_text(
        "Tin liên quan\n\nTiêu đề một\n\nCác tỉnh ủy có trách nhiệm xây dựng chuyên đề hằng năm.\n\n"
        "Theo Kết luận số 21-KL/TW, toàn Đảng phải kiên quyết."
    )
    assert text.split("\n\n") == [
        "Các tỉnh ủy có trách nhiệm xây dựng chuyên đề hằng năm.",
        "Theo Kết luận số 21-KL/TW, toàn Đảng phải kiên quyết.",
    ]


@pytest.mark.parametrize(
    ("line", "caption"),
    [
        ("Toàn cảnh điểm cầu Công an tỉnh", True),
        ("Đồng chí Đỗ Trọng Hưng, Bí thư Tỉnh ủy phát biểu kết luận hội nghị", True),
        ("Quang cảnh hội nghị (Ảnh: Minh Hà)", True),  # a photo credit
        ("Hội nghị kết thúc.", False),  # ends a sentence
        ("Học tập các văn bản của Trung ương Đảng (khóa XIII)", False),  # a heading
        ("Quán triệt Kết luận số 21-KL/TW", False),  # names a document
        (" ".join(["chữ"] * 23), False),  # too long for a caption
    ],
)
def test_is_caption(line: str, caption: bool) -> None:
    assert is_caption(line) is caption


def test_clean_seed_article() -> None:
    if not SEEDS.is_dir() or not list(SEEDS.glob("*.txt")):
        pytest.skip(f"seed articles not found at {SEEDS}")
    raw = sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8")
    text, author = clean_article_text(raw)
    paragraphs = text.split("\n\n")
    assert author == "Mai Hà"
    assert "Thăm dò ý kiến" not in text and "Tác giả" not in text
    assert "Toàn cảnh điểm cầu Công an tỉnh" not in paragraphs
    assert "Đồng chí Đỗ Trọng Hưng, Bí thư Tỉnh ủy phát biểu kết luận hội nghị" not in paragraphs
    assert len(paragraphs) == 9
    assert paragraphs[0].startswith("Học tập, quán triệt triển khai thực hiện các Chỉ thị")
    assert any("Kết luận số 14-NQ/TW ngày 22-9-2021" in p for p in paragraphs)
    assert "tự chuyển hoá" not in text and "tự chuyển hóa" in text  # tones normalised


def test_clean_line_stand_ins() -> None:
    # full-width forms typed on some phone keyboards, control characters pasted from
    # PDFs, and the eth "Ð" some sites type for "Đ"
    assert clean_line("ＫＬ２１ có gì？") == "KL21 có gì?"
    assert clean_line("Kết\x07 luận\x0b21\x85nhé") == "Kết luận 21 nhé"
    assert clean_line("Ðảng và QÐ/TW") == "Đảng và QĐ/TW"
    assert fold("Ðảng ðã") == "dang da"


def test_dateline_under_a_document_number_is_kept_with_it() -> None:
    text, _ = clean_article_text(
        "Số 12-KL/TU\n\nHà Giang, ngày 13 tháng 5 năm 2022\n\nKẾT LUẬN\n\nNội dung kết luận."
    )
    assert text.split("\n\n") == [
        "Số 12-KL/TU Hà Giang, ngày 13 tháng 5 năm 2022",
        "Nội dung kết luận.",
    ]
    assert not is_caption("Hà Giang, ngày 13/5/2022")


def test_reference_cut_between_paragraphs_is_joined() -> None:
    text, _ = clean_article_text(
        "Hội nghị quán triệt Kết luận số\n\n21-KL/TW của Bộ Chính trị.\n\nTheo Chỉ thị 05-\n\nCT/TW."
    )
    assert text.split("\n\n") == [
        "Hội nghị quán triệt Kết luận số 21-KL/TW của Bộ Chính trị.",
        "Theo Chỉ thị 05- CT/TW.",
    ]


def _fold_per_character(text: str) -> str:
    """The former character-by-character `fold`, kept as the reference for the table."""
    text = unicodedata.normalize("NFC", text)
    out = []
    for ch in text:
        if ch in "đĐðÐ":
            out.append("d")
        elif ch.isascii():
            out.append(ch.lower())
        else:
            base = unicodedata.normalize("NFD", ch)[0].lower()
            out.append(base if len(base) == 1 else ch)
    return "".join(out)


@settings(max_examples=300)
@given(st.text())
def test_fold_table_matches_per_character_fold(text: str) -> None:
    assert fold(text) == _fold_per_character(text)


def test_fold_table_examples() -> None:
    sample = "Đảng ỦY Thanh Hóa, İstanbul ǅ ＫＬ ① 𝔸 ß ﬁ"
    assert fold(sample) == _fold_per_character(sample)
    assert fold("Nghị quyết số 29-NQ/TW") == "nghi quyet so 29-nq/tw"
