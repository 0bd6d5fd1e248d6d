"""Whether a text is a web address the sources can fetch (http or https)."""

from __future__ import annotations

_WEB_SCHEMES = ("http://", "https://")


def is_web_url(text: str) -> bool:
    """True for an http(s) URL (scheme in any case); local paths and other schemes are not."""
    return text[:8].lower().startswith(_WEB_SCHEMES)
