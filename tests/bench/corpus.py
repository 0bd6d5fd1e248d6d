"""A seeded synthetic Vietnamese news corpus, and the benchmark's questions.

Vocabulary comes from real text: the syllables and pyvi compound words of
the bundled samples (`index/samples/*.md`) and, when present, the seed
articles in /work/shared/seeds. Those real words, ranked by how often they
occur, head a Zipf(-Mandelbrot) distribution; tens of thousands of
plausible syllable combinations fill its tail, so the corpus has the long
vocabulary tail real news has. Directive references in the forms news uses
("Kết luận số 21-KL/TW ngày 25-10-2021 của Bộ Chính trị về …", "Nghị quyết
58", "KH 12-KH/TU"), dates and province names are sprinkled in.

Articles are written as `.md` files with front matter, one paragraph per
passage (each below `PASSAGE_MAX`), so ingest goes through the real file
path. A folder is generated once per (size, seed, vocabulary) and cached;
`manifest.json`, written last, marks it complete.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import random
import re
import shutil
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

GENERATOR_VERSION = 3
SEED = 20240601
ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "index" / "samples"
SEEDS = ROOT.parent / "shared" / "seeds"  # the seed article beside the checkout, if there
WORD_TYPES = 40_000  # distinct word types (1-4 syllables) in the Zipf vocabulary
ZIPF_S = 1.05
ZIPF_Q = 2.7
PARAGRAPH_MAX = 660  # below index.passages.PASSAGE_MAX (700): one paragraph = one passage

PROVINCES = [
    "Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Thanh Hóa", "Nghệ An", "Hà Tĩnh",
    "Quảng Bình", "Quảng Trị", "Thừa Thiên Huế", "Quảng Nam", "Quảng Ngãi", "Bình Định",
    "Phú Yên", "Khánh Hòa", "Ninh Thuận", "Bình Thuận", "Kon Tum", "Gia Lai", "Đắk Lắk",
    "Lâm Đồng", "Bình Phước", "Tây Ninh", "Bình Dương", "Đồng Nai", "Long An", "Tiền Giang",
    "Bến Tre", "Trà Vinh", "Vĩnh Long", "Đồng Tháp", "An Giang", "Kiên Giang", "Hậu Giang",
    "Sóc Trăng", "Bạc Liêu", "Cà Mau", "Hà Giang", "Cao Bằng", "Lào Cai", "Yên Bái",
    "Thái Nguyên", "Lạng Sơn", "Quảng Ninh", "Bắc Giang", "Phú Thọ", "Vĩnh Phúc", "Bắc Ninh",
    "Hải Dương", "Hưng Yên", "Thái Bình", "Hà Nam", "Nam Định", "Ninh Bình", "Sơn La",
    "Điện Biên", "Lai Châu", "Hòa Bình", "Tuyên Quang", "Bắc Kạn",
]  # fmt: skip
# (type name, code as written, canonical code, share of the pool)
DOC_TYPES = [
    ("Nghị quyết", "NQ", "NQ", 0.22),
    ("Chỉ thị", "CT", "CT", 0.14),
    ("Kết luận", "KL", "KL", 0.22),
    ("Quy định", "QĐi", "QĐi", 0.12),
    ("Kế hoạch", "KH", "KH", 0.12),
    ("Hướng dẫn", "HD", "HD", 0.08),
    ("Thông báo", "TB", "TB", 0.05),
    ("Quyết định", "QĐ", "QĐ", 0.05),
]
CENTRAL_ISSUERS = ["Bộ Chính trị", "Ban Bí thư", "Ban Chấp hành Trung ương"]
TERMS = [("XI", 2011, 2015), ("XII", 2016, 2020), ("XIII", 2021, 2025)]
LEADS = [
    "Hội nghị đã quán triệt",
    "Báo cáo viên giới thiệu những nội dung cơ bản của",
    "Các cấp ủy, tổ chức đảng tập trung triển khai thực hiện",
    "Đồng chí Bí thư nhấn mạnh yêu cầu thực hiện nghiêm",
    "Tiếp đó, đại biểu được nghe phổ biến",
    "Ban Thường vụ đã ban hành kế hoạch thực hiện",
    "Sơ kết việc thực hiện",
    "Theo đánh giá, sau một năm triển khai",
]
SHORT_FRAMES = [
    "{words}, theo tinh thần {ref}, {more}.",
    "Thực hiện {ref}, {words} {more}.",
    "{words} {more} như {ref} đã chỉ rõ.",
    "{words}; đây là nội dung trọng tâm của {ref}.",
]


@dataclass(frozen=True)
class DirectiveSpec:
    type: str
    code: str  # as written in the id
    canonical: str  # code as index.refs canonicalises it
    number: int
    issuer_code: str  # TW or TU
    issuer: str
    day: date
    subject: str  # "về …"
    subject_words: tuple[str, ...]
    implements: int | None = None  # index of the directive a Kế hoạch implements

    @property
    def num(self) -> str:
        return f"{self.number:02d}"

    @property
    def id(self) -> str:
        return f"{self.num}-{self.code}/{self.issuer_code}"


# ----------------------------------------------------------------------------- vocabulary
_FRONT = re.compile(r"\A\s*---\n.*?\n---\n", re.S)
_WORDS = re.compile(r"[^\W\d_]+")


def source_texts() -> list[str]:
    texts = [_FRONT.sub("", p.read_text("utf-8")) for p in sorted(SAMPLES.glob("*.md"))]
    if SEEDS.is_dir():
        texts += [p.read_text("utf-8", errors="replace") for p in sorted(SEEDS.glob("*.txt"))]
    return [unicodedata.normalize("NFC", t) for t in texts]


def vocabulary_fingerprint() -> str:
    digest = hashlib.sha256()
    for text in source_texts():
        digest.update(text.encode("utf-8"))
    return digest.hexdigest()[:12]


@dataclass
class Vocabulary:
    words: list[str]  # surface forms, Zipf rank order
    cdf: np.ndarray  # cumulative probabilities over `words`
    syllables: list[str]
    real_types: int


def build_vocabulary(rng: random.Random) -> Vocabulary:
    from index.tokenize import word_tokens  # pyvi, imported once through the project

    forms: dict[str, Counter[str]] = {}
    counts: Counter[str] = Counter()
    for text in source_texts():
        for line in text.splitlines():
            for m in _WORDS.finditer(line):
                surface = m.group()
                key = surface.lower()
                counts[key] += 1
                # casing seen mid-sentence ("Đảng", "Trung ương") is kept
                if m.start() > 2 and line[m.start() - 2] not in ".!?:":
                    forms.setdefault(key, Counter())[surface] += 1
            if line.strip():
                for token in word_tokens(line):
                    compound = token[2:].replace("_", " ")
                    counts[compound] += 1

    def surface(key: str) -> str:
        parts = []
        for syl in key.split(" "):
            seen = forms.get(syl)
            parts.append(seen.most_common(1)[0][0] if seen else syl)
        return " ".join(parts)

    syllables = sorted({w for w in counts if " " not in w and len(w) > 0})
    real = sorted(counts, key=lambda w: (-counts[w], w))
    words = [surface(w) for w in real]
    known = set(real)
    weights = [counts[s] ** 0.5 for s in syllables]
    while len(words) < WORD_TYPES:
        n = rng.choices((2, 3, 4), weights=(0.7, 0.25, 0.05))[0]
        combo = " ".join(rng.choices(syllables, weights=weights, k=n))
        if combo in known:
            continue
        known.add(combo)
        words.append(surface(combo))
    ranks = np.arange(1, len(words) + 1, dtype=np.float64)
    p = 1.0 / (ranks + ZIPF_Q) ** ZIPF_S
    cdf = np.cumsum(p / p.sum())
    cdf[-1] = 1.0
    return Vocabulary(words, cdf, syllables, len(real))


# ----------------------------------------------------------------------------- directives
def _fmt_date(day: date, rng: random.Random) -> str:
    style = rng.random()
    if style < 0.5:
        return f"{day.day:02d}-{day.month:02d}-{day.year}"
    if style < 0.8:
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    return f"{day.day} tháng {day.month} năm {day.year}"


def build_directives(
    vocab: Vocabulary, rng: random.Random, count: int = 320
) -> list[DirectiveSpec]:
    """Central (/TW) documents and some provincial (/TU) ones reusing central numbers."""
    topical = vocab.words[40:6000]  # mid-frequency words make distinctive subjects
    specs: list[DirectiveSpec] = []
    used: set[tuple[str, int, str]] = set()
    types = [t for t in DOC_TYPES]
    type_weights = [t[3] for t in DOC_TYPES]
    while len(specs) < count:
        name, code, canonical, _ = rng.choices(types, weights=type_weights)[0]
        local = rng.random() < 0.12
        number = rng.randint(1, 260) if not local else rng.randint(1, 60)
        issuer_code = "TU" if local else "TW"
        if (canonical, number, issuer_code) in used:
            continue
        used.add((canonical, number, issuer_code))
        if local:
            issuer = "Tỉnh ủy " + rng.choice(PROVINCES)
        elif canonical == "CT" or canonical == "HD":
            issuer = rng.choice(CENTRAL_ISSUERS[:2])
        else:
            issuer = rng.choice(CENTRAL_ISSUERS)
        _term, start, end = rng.choice(TERMS)
        day = date(start, 1, 1) + timedelta(days=rng.randint(0, (end - start + 1) * 365 - 1))
        k = rng.randint(4, 9)
        words = tuple(rng.sample(topical, k))
        lead = rng.choice(["về ", "về ", "về việc ", "về tăng cường "])
        subject = lead + " ".join(
            w.lower() if w[0].isupper() and w.lower() != w else w for w in words
        )
        specs.append(
            DirectiveSpec(name, code, canonical, number, issuer_code, issuer, day, subject, words)
        )
    # Kế hoạch documents implement an earlier Nghị quyết / Kết luận of the same level
    out = []
    for spec in specs:
        if spec.canonical == "KH":
            targets = [
                i for i, s in enumerate(specs)
                if s.canonical in ("NQ", "KL") and s.issuer_code == spec.issuer_code and s.day < spec.day
            ]  # fmt: skip
            if targets:
                spec = DirectiveSpec(**{**spec.__dict__, "implements": rng.choice(targets)})
        out.append(spec)
    return out


# ----------------------------------------------------------------------------- text
class TextMaker:
    def __init__(self, vocab: Vocabulary, directives: list[DirectiveSpec], seed: int) -> None:
        self.vocab = vocab
        self.directives = directives
        self.rng = random.Random(seed)
        self.np = np.random.default_rng(seed)
        self._buffer: list[str] = []
        ranks = np.arange(1, len(directives) + 1, dtype=np.float64)
        order = list(range(len(directives)))
        self.rng.shuffle(order)
        self.popular = order  # popularity rank -> directive index
        weights = 1.0 / ranks**0.9
        self.dir_cdf = np.cumsum(weights / weights.sum())

    def word(self) -> str:
        if not self._buffer:
            idx = np.searchsorted(self.vocab.cdf, self.np.random(65536), side="right")
            idx = np.minimum(idx, len(self.vocab.words) - 1)
            self._buffer = [self.vocab.words[i] for i in idx.tolist()][::-1]
        return self._buffer.pop()

    def words(self, n: int) -> str:
        out = []
        for _ in range(n):
            w = self.word()
            if out and self.rng.random() < 0.06:
                out[-1] += ","
            out.append(w)
        return " ".join(out)

    def sentence(self, lo: int = 7, hi: int = 22) -> str:
        text = self.words(self.rng.randint(lo, hi)).rstrip(",")
        return text[0].upper() + text[1:] + "."

    def directive(self) -> DirectiveSpec:
        i = int(np.searchsorted(self.dir_cdf, self.rng.random(), side="right"))
        return self.directives[self.popular[min(i, len(self.popular) - 1)]]

    def full_ref(self, d: DirectiveSpec) -> str:
        so = "số " if self.rng.random() < 0.85 else ""
        text = f"{d.type} {so}{d.id} ngày {_fmt_date(d.day, self.rng)} của {d.issuer}"
        if d.implements is not None and self.rng.random() < 0.6:
            target = self.directives[d.implements]
            return f"{text} thực hiện {target.type} số {target.id}"
        return f"{text} {d.subject}"

    def short_ref(self, d: DirectiveSpec) -> str:
        r = self.rng.random()
        if r < 0.45:
            return f"{d.type} {d.number}"
        if r < 0.8:
            return f"{d.type} số {d.num}"
        return f"{d.type} số {d.id}"

    def date_phrase(self) -> str:
        day = date(2016, 1, 1) + timedelta(days=self.rng.randint(0, 9 * 365))
        return f"Ngày {_fmt_date(day, self.rng)}"

    def paragraph(self, first_ref: DirectiveSpec | None) -> str:
        target = self.rng.randint(240, PARAGRAPH_MAX - 40)
        parts: list[str] = []
        if first_ref is not None:
            parts.append(f"{self.rng.choice(LEADS)} {self.full_ref(first_ref)}.")
        elif self.rng.random() < 0.16:
            parts.append(f"{self.rng.choice(LEADS)} {self.full_ref(self.directive())}.")
        if self.rng.random() < 0.25:
            s = self.sentence()
            parts.insert(0, f"{self.date_phrase()}, {s[0].lower()}{s[1:]}")
        if self.rng.random() < 0.3:
            frame = self.rng.choice(SHORT_FRAMES)
            s = frame.format(
                ref=self.short_ref(self.directive()), words=self.words(self.rng.randint(3, 8)),
                more=self.words(self.rng.randint(2, 7)),
            ).replace(",,", ",")  # fmt: skip
            parts.append(s[0].upper() + s[1:])
        while sum(len(p) + 1 for p in parts) < target:
            parts.append(self.sentence())
        text = " ".join(parts)
        while len(text) > PARAGRAPH_MAX and len(parts) > 1:
            parts.pop()
            text = " ".join(parts)
        return text[:PARAGRAPH_MAX].rstrip() if len(text) > PARAGRAPH_MAX else text

    def article(self, i: int, n_paragraphs: int, size: int) -> tuple[str, int, int]:
        """(file text, passages, body characters)"""
        main = self.directive()
        province = self.rng.choice(PROVINCES)
        verb = self.rng.choice(["quán triệt", "triển khai", "sơ kết", "tổng kết", "học tập"])
        title = f"{province} {verb} {main.type} số {main.id}"
        paragraphs = [self.paragraph(main if k == 0 else None) for k in range(n_paragraphs)]
        published = date(2016, 1, 1) + timedelta(days=self.rng.randint(0, 9 * 365))
        slug = _slug(title)
        body = "\n\n".join(paragraphs)
        text = (
            "---\n"
            f"title: {title}\n"
            f"url: https://bench.vankien.example/{size}/{i:06d}-{slug}\n"
            f"published: {published.isoformat()}\n"
            "source: Bench vankien\n"
            "---\n"
            f"{body}\n"
        )
        return text, len(paragraphs), len(body)


def write_new_articles(folder: Path, size: int, count: int, start: int = 0) -> int:
    """`count` articles the corpus of `size` does not have (numbered from
    900000 + start), as a feed would bring them; returns their passages."""
    folder.mkdir(parents=True, exist_ok=True)
    vocab, directives = world(SEED)
    maker = TextMaker(vocab, directives, SEED * 1000 + size + 7 + start)
    passages = 0
    for k in range(start, start + count):
        text, got, _ = maker.article(900_000 + k, maker.rng.randint(4, 8), size)
        (folder / f"new{k:04d}.md").write_text(text, "utf-8")
        passages += got
    return passages


def _slug(text: str) -> str:
    from index.normalize import fold

    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:60]


# ----------------------------------------------------------------------------- corpus folders
def cache_root() -> Path:
    return Path(
        os.environ.get("VANKIEN_BENCH_CACHE") or Path(tempfile.gettempdir()) / "vankien-bench"
    )


def corpus_dir(size: int, seed: int = SEED) -> Path:
    key = f"v{GENERATOR_VERSION}-s{seed}-{vocabulary_fingerprint()}"
    return cache_root() / key / f"corpus-{size}"


@functools.lru_cache(maxsize=2)
def world(seed: int = SEED) -> tuple[Vocabulary, list[DirectiveSpec]]:
    rng = random.Random(seed)
    vocab = build_vocabulary(rng)
    return vocab, build_directives(vocab, rng)


def ensure_corpus(size: int, seed: int = SEED) -> tuple[Path, dict[str, object]]:
    """The cached folder of `size` passages (generated when missing) and its manifest."""
    folder = corpus_dir(size, seed)
    manifest_path = folder / "manifest.json"
    if manifest_path.exists():
        return folder / "articles", json.loads(manifest_path.read_text())
    if folder.exists():
        shutil.rmtree(folder)
    articles = folder / "articles"
    articles.mkdir(parents=True)
    vocab, directives = world(seed)
    maker = TextMaker(vocab, directives, seed * 1000 + size)
    passages = chars = n = 0
    while passages < size:
        want = min(maker.rng.randint(4, 8), size - passages)
        text, got, body_chars = maker.article(n, want, size)
        (articles / f"{n // 1000:03d}").mkdir(exist_ok=True)
        (articles / f"{n // 1000:03d}" / f"a{n:06d}.md").write_text(text, "utf-8")
        passages += got
        chars += body_chars
        n += 1
    manifest = {
        "size": size,
        "seed": seed,
        "articles": n,
        "passages": passages,
        "body_chars": chars,
        "word_types": len(vocab.words),
        "real_word_types": vocab.real_types,
        "syllables": len(vocab.syllables),
        "directives": len(directives),
    }
    manifest_path.write_text(json.dumps(manifest, indent=1))
    return articles, manifest


# ----------------------------------------------------------------------------- questions
def _unaccent(text: str) -> str:
    from index.normalize import fold

    folded = fold(text)
    # keep the question's capitals, as people type them
    return "".join(f.upper() if c.isupper() else f for c, f in zip(text, folded, strict=True))


def questions(seed: int = SEED, count: int = 300) -> list[dict[str, str]]:
    """A fixed list of questions of the real kinds: [{"q", "kind"}]."""
    vocab, directives = world(seed)
    rng = random.Random(seed + 7)
    maker = TextMaker(vocab, directives, seed + 11)
    out: list[dict[str, str]] = []

    def add(kind: str, q: str, unaccented: bool = False) -> None:
        out.append(
            {
                "kind": kind + ("/unaccented" if unaccented else ""),
                "q": _unaccent(q) if unaccented else q,
            }
        )

    abbreviations = {
        "NQ": "nq",
        "CT": "ct",
        "KL": "kl",
        "QĐi": "qd",
        "KH": "kh",
        "HD": "hd",
        "TB": "tb",
        "QĐ": "qđ",
    }
    plan = [
        ("subject", 55), ("date", 35), ("issuer", 30), ("abbrev", 35), ("relation", 20),
        ("content", 30), ("local", 15), ("topic", 60), ("notfound", 20),
    ]  # fmt: skip
    for kind, n in plan:
        for k in range(n):
            d = maker.directive()
            un = k % 3 == 2
            if kind == "subject":
                form = rng.choice(
                    [
                        "{t} {n} nói về gì?",
                        "{t} số {id} về vấn đề gì?",
                        "Nội dung chính của {t} {n} là gì?",
                        "{t} {n} là gì",
                    ]
                )
                add(kind, form.format(t=d.type, n=d.number, id=d.id), un)
            elif kind == "date":
                form = rng.choice(
                    [
                        "{t} {n} ban hành ngày nào?",
                        "{t} số {id} ban hành khi nào?",
                        "{t} {n} ra đời khi nào",
                    ]
                )
                add(kind, form.format(t=d.type, n=d.number, id=d.id), un)
            elif kind == "issuer":
                form = rng.choice(
                    [
                        "Cơ quan nào ban hành {t} {n}?",
                        "Ai ký {t} số {id}?",
                        "{t} {n} do ai ban hành",
                    ]
                )
                add(kind, form.format(t=d.type, n=d.number, id=d.id), un)
            elif kind == "abbrev":
                a = abbreviations[d.canonical]
                form = rng.choice(
                    [
                        "{a}{n}",
                        "{A} {n}",
                        "{a} {n} nói về gì",
                        "{a}{n} ban hanh ngay nao",
                        "{A}{n} do ai ban hành",
                    ]
                )
                add(kind, form.format(a=a, A=a.upper(), n=d.number))
            elif kind == "relation":
                target = next(
                    (s for s in directives if s.implements is not None and rng.random() < 0.3), d
                )
                if target.implements is not None:
                    t = directives[target.implements]
                    add(kind, f"Kế hoạch nào thực hiện {t.type} {t.number}?", un)
                else:
                    add(kind, f"Văn bản nào thay thế {d.type} {d.number}?", un)
            elif kind == "content":
                words = " ".join(rng.sample(d.subject_words, min(2, len(d.subject_words))))
                add(kind, f"{d.type} {d.number} yêu cầu {words.lower()} như thế nào?", un)
            elif kind == "local":
                local = [s for s in directives if s.issuer_code == "TU"]
                d = local[k % len(local)]
                province = d.issuer.removeprefix("Tỉnh ủy ")
                add(kind, f"{d.type} {d.number} của Tỉnh ủy {province} nói về gì?", un)
            elif kind == "topic":
                words = " ".join(
                    w.lower() for w in rng.sample(d.subject_words, min(3, len(d.subject_words)))
                )
                form = rng.choice(
                    ["Văn bản nào nói về {w}?", "{w}", "Các văn bản về {w}", "Quy định nào về {w}?"]
                )
                add(kind, form.format(w=words), k % 2 == 1)
            else:  # notfound
                if k % 2:
                    add(kind, f"{d.type} {900 + k} nói về gì?", un)
                else:
                    add(kind, f"Văn bản nào nói về {maker.words(3).replace(',', '')}?", un)
    return out[:count]
