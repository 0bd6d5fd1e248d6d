"""One HTML page → one `RawArticle`: decode, read metadata, extract main text.

- Decoding: byte-order mark, then the declared charset (HTTP header, then
  `<meta charset>`), then detection. Everything ends up NFC (windows-1258
  and some sites produce combining tone marks).
- Metadata comes from the page itself: `<link rel=canonical>`, `og:*`,
  `article:published_time`, JSON-LD `NewsArticle`/`Article`, `<title>`.
  The canonical URL is the article's identity (`RawArticle.url`); the
  fetched URL goes to `found_via` when it differs.
- Main text: "Tin liên quan" style blocks are cut first, then trafilatura
  (precision over recall, no comments, no tables) picks the article body.
- Pages written in the pre-Unicode Vietnamese fonts (TCVN3/ABC, VNI) are
  returned with `needs_review` instead of being indexed as garbage.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import lxml.etree
import lxml.html
import trafilatura

from index.errors import ExtractionError
from index.models import RawArticle
from index.normalize import nfc
from index.sources.urls import is_web_url

# --- decoding ------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
# Browsers read these labels as windows-1252; they are also the usual wrong
# server default for pages that really are UTF-8.
_WESTERN = {"ascii", "iso8859-1", "cp1252", "latin-1"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        return codecs.lookup(label.strip()).name
    except LookupError:
        return None


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_html(body: bytes, charset: str | None = None) -> str:
    """Text of an HTML document, NFC-normalised."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return nfc(body[len(bom) :].decode(codec, "replace"))
    meta = _META_CHARSET.search(body[:4096])
    declared = [_codec(charset), _codec(meta.group(1).decode("ascii")) if meta else None]
    for codec in filter(None, declared):
        if codec in _WESTERN:
            codec = "utf-8" if _is_utf8(body) else "cp1252"
        try:
            return nfc(body.decode(codec))
        except UnicodeDecodeError:
            continue
    if _is_utf8(body):
        text = body.decode("utf-8")
    else:
        best = charset_normalizer.from_bytes(body).best()
        text = str(best) if best is not None else body.decode("utf-8", "replace")
    return nfc(text)


# --- legacy Vietnamese fonts -------------------------------------------------------
# TCVN3 and VNI pages store Vietnamese in Latin-1 code points and rely on a
# special font (.VnTime, VNI-Times) to draw them. Read as Unicode they look
# like "NghÞ quyÕt cña §¶ng" (TCVN3) or "Nghò quyeát cuûa Ñaûng" (VNI).
# Small heuristic: many words carry such patterns while letters that only
# exist in Unicode Vietnamese (ă đ ơ ư ạ ả … ỹ) are nearly absent.
_UNICODE_VIET = re.compile("[ăđơưĂĐƠƯ\u1ea0-\u1ef9]")
# TCVN3: symbols that stand for letters (¸ = á, µ = à, ª = ê, ­ = ư, § = Đ …).
_TCVN3 = re.compile("[A-Za-z][¸µ¶·¹¨©ª«¬\xad®]|[§®][A-Za-z¸µ¶·¹ª«¬]")
# VNI: a vowel followed by a separate accent byte: aø = à, uû = ủ (tone), aâ = â,
# eá = ế (circumflex), aê = ă, aë = ặ (breve); ñ = đ starts a word. French "où",
# "naïve" or Spanish "año" match rarely, hence the share of words below.
_VNI = re.compile(
    "[aeouyAEOUY][ùøûõïÙØÛÕÏ]|[aeoAEO][âáàåãäÂÁÀÅÃÄ]|[aA][êéèëÊÉÈË]|(?<![A-Za-z])[ñÑ][aeiouyAEIOUY]"
)
_FONT_HINT = re.compile(r"\.Vn[A-Z][A-Za-z]+|VNI[- ][A-Z][a-z]+")


def legacy_font(text: str, html: str = "") -> str | None:
    """'TCVN3 (ABC)' or 'VNI' when `text` looks written in that font, else None."""
    words = text.split()
    if len(words) < 20 or sum(bool(_UNICODE_VIET.search(w)) for w in words) > 0.02 * len(words):
        return None
    threshold = 0.03 if _FONT_HINT.search(html) else 0.1
    scores = {
        "TCVN3 (ABC)": sum(bool(_TCVN3.search(w)) for w in words),
        "VNI": sum(bool(_VNI.search(w)) for w in words),
    }
    name, hits = max(scores.items(), key=lambda item: item[1])
    return name if hits >= max(5, threshold * len(words)) else None


# --- metadata -------------------------------------------------------------------------

_ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle",
                  "BlogPosting", "Report"}  # fmt: skip
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_VN_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def _meta(tree: Any, *names: str) -> str | None:
    for name in names:
        for el in tree.xpath("//meta[@property=$n or @name=$n or @itemprop=$n]", n=name):
            content = " ".join((el.get("content") or "").split())
            if content:
                return content
    return None


def _walk_jsonld(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 5:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk_jsonld(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        yield from _walk_jsonld(data.get("@graph"), depth + 1)


def _jsonld_article(tree: Any) -> dict[str, Any]:
    for script in tree.xpath("//script[@type]"):
        if script.get("type", "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        for node in _walk_jsonld(data):
            kinds = node.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if _ARTICLE_TYPES.intersection(k for k in kinds if isinstance(k, str)):
                return node
    return {}


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, dict):
        name = value.get("name")
        return [name.strip()] if isinstance(name, str) and name.strip() else []
    if isinstance(value, list):  # one level: a list of names or of Person objects
        return [name for item in value if not isinstance(item, list) for name in _names(item)]
    return []


def _ld_url(node: dict[str, Any]) -> str | None:
    for value in (node.get("url"), node.get("mainEntityOfPage")):
        if isinstance(value, dict):
            value = value.get("@id") or value.get("url")
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _to_date(raw: str | None) -> date | None:
    """Calendar date as the page wrote it: 2021-10-25T… or 25/10/2021."""
    if not raw:
        return None
    if match := _ISO_DATE.search(raw):
        year, month, day = map(int, match.groups())
    elif match := _VN_DATE.search(raw):
        day, month, year = map(int, match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _absolute(candidate: str | None, base: str | None) -> str | None:
    if not candidate:
        return None
    full = urljoin(base or "", candidate.strip())
    return full if is_web_url(full) else None


def _canonical(tree: Any) -> str | None:
    for link in tree.xpath("//link[@rel and @href]"):
        if "canonical" in link.get("rel", "").lower().split():
            return str(link.get("href"))
    return None


def _title(tree: Any, ld: dict[str, Any], site: str | None) -> str:
    for candidate in (ld.get("headline"), _meta(tree, "og:title", "twitter:title")):
        if isinstance(candidate, str) and candidate.strip():
            return " ".join(candidate.split())
    for xpath in ("//title", "//h1"):
        found = tree.xpath(xpath)
        text = " ".join(found[0].text_content().split()) if found else ""
        if text:
            for sep in (" - ", " | ", " – "):  # "Tiêu đề - Báo X" → "Tiêu đề"
                if site and text.endswith(sep + site):
                    text = text[: -len(sep + site)]
            return text
    return ""


# --- main text -------------------------------------------------------------------------

_RELATED = re.compile(
    r"^(?:tin|bài|tin bài|bài viết)\s+(?:liên quan|cùng chuyên mục|khác|đọc nhiều|mới)"
    r"|^(?:đọc|xem) thêm|^có thể bạn quan tâm",
    re.I,
)
_RELATED_CLASS = re.compile(r"related|lien-?quan|tin-?khac|cung-?chuyen-?muc|xem-?them", re.I)


def _is_related_label(text: str) -> bool:
    return 0 < len(text) <= 40 and bool(_RELATED.match(text.casefold().strip(" :")))


def _plain(el: Any) -> str:
    return " ".join(nfc(el.text_content()).split())


def _mostly_links(el: Any, ignore: str = "") -> bool:
    text = _plain(el).replace(ignore, "", 1).strip(" :")
    linked = sum(len(_plain(a)) for a in el.iter("a"))
    return linked >= 0.8 * len(text)


def _drop_related(tree: Any) -> None:
    """Remove "Tin liên quan" style link blocks: the label, its links, their box."""
    for el in tree.xpath("//body//*[@class or @id]"):
        if _RELATED_CLASS.search(f"{el.get('class', '')} {el.get('id', '')}") and _mostly_links(el):
            el.drop_tree()
    labels = []
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("html", "body", "script", "style"):
            continue
        label = " ".join((el.text or "").split())  # own text only: cheap on big pages
        if _is_related_label(label) and (len(_plain(el)) <= 60 or _mostly_links(el, label)):
            labels.append((el, label))
    for el, label in labels:
        if not any(ancestor is tree for ancestor in el.iterancestors()):  # already removed
            continue
        target = el
        parent = target.getparent()
        while parent is not None and parent.tag not in ("body", "article", "main"):
            if not _mostly_links(parent, label):
                break
            target, parent = parent, parent.getparent()
        sibling = target.getnext()
        while sibling is not None and _plain(sibling) and _mostly_links(sibling):
            following = sibling.getnext()
            sibling.drop_tree()
            sibling = following
        target.drop_tree()


def _paragraphs(xml: str) -> list[str]:
    root = lxml.etree.fromstring(xml)
    main = root.find("main")
    paragraphs = []
    for block in main if main is not None else root:
        for lb in block.iter("lb"):
            lb.tail = "\n" + (lb.tail or "")
        items = list(block.iter("item")) if block.tag == "list" else [block]
        lines = []
        for item in items:
            for line in "".join(item.itertext()).split("\n"):
                if clean := " ".join(line.split()):
                    lines.append(clean)
        text = "\n".join(lines)
        if text and not _is_related_label(text):
            paragraphs.append(text)
    return paragraphs


# --- the article -----------------------------------------------------------------------


def extract_article(
    body: bytes, *, url: str | None = None, charset: str | None = None
) -> RawArticle:
    """The article in an HTML page; `ExtractionError` when there is none."""
    empty = ExtractionError(f"Trang {url} không có nội dung bài viết." if url else
                            "Trang không có nội dung bài viết.")  # fmt: skip
    html = _CONTROL.sub("", decode_html(body, charset))
    if not html.strip():
        raise empty
    try:
        # lxml refuses str input that carries an XML encoding declaration
        tree = lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*>", "", html))
    except (lxml.etree.ParserError, ValueError):
        raise empty from None

    ld = _jsonld_article(tree)
    publisher = ld.get("publisher")
    site = _meta(tree, "og:site_name") or next(iter(_names(publisher)), None)
    candidates = (_canonical(tree), _meta(tree, "og:url"), _ld_url(ld))
    canonical = next(filter(None, (_absolute(c, url) for c in candidates)), None)
    published = _to_date(_meta(tree, "article:published_time")) or _to_date(
        ld.get("datePublished") if isinstance(ld.get("datePublished"), str) else None
    )
    published = published or _to_date(_meta(tree, "datePublished", "pubdate", "publishdate"))
    authors = _names(ld.get("author")) or _names(_meta(tree, "author"))
    title = _title(tree, ld, site)
    if not authors or not ld.get("headline"):
        # trafilatura's heuristics: bylines in the page body, titles without the site name
        found = trafilatura.extract_metadata(tree, default_url=url)
        authors = authors or _names(found.author)
        if found.title and not (ld.get("headline") or _meta(tree, "og:title")):
            title = " ".join(found.title.split())

    _drop_related(tree)
    xml = trafilatura.extract(
        tree,
        url=url,
        output_format="xml",
        include_comments=False,
        include_tables=False,
        favor_precision=True,
    )
    paragraphs = _paragraphs(xml) if xml else []
    if paragraphs and title and paragraphs[0].casefold() == title.casefold():
        paragraphs = paragraphs[1:]
    if not paragraphs:
        raise empty
    text = "\n\n".join(paragraphs)
    final = canonical or url
    legacy = legacy_font(f"{title} {text}", html)
    return RawArticle(
        title=title or paragraphs[0][:120],
        text=text,
        url=final,
        published=published,
        author=", ".join(dict.fromkeys(authors)) or None,
        source=site or (urlsplit(final).hostname if final else None),
        found_via=url if url and url != final else None,
        needs_review=(
            f"Trang dùng phông chữ cũ {legacy} thay vì Unicode; cần chuyển mã sang Unicode "
            "trước khi đưa vào chỉ mục."
            if legacy
            else None
        ),
    )
