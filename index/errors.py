"""Errors that vankien raises on purpose.

Expected outcomes ("nothing found", "duplicate article") are values, not
exceptions. What is raised shares one small hierarchy::

    VankienError
    ├── SourceError            a source could not be turned into articles
    │   ├── UnsafeURLError     refused before any byte was sent (scheme, SSRF)
    │   ├── FetchError         HTTP failed: status, timeout, size cap, type
    │   └── ExtractionError    bytes arrived but held no usable article
    ├── StoreError             the database refused or is damaged
    └── ReindexBusyError       another build holds the writer lock (writelock.py)

Every message is written for the person who typed the command: it says
what went wrong and, where possible, what to do.
"""

from __future__ import annotations


class VankienError(Exception):
    """Base of every error vankien raises on purpose."""


class SourceError(VankienError):
    """A file, page or feed could not be turned into articles."""


class UnsafeURLError(SourceError):
    """A URL was refused before fetching (scheme, private address)."""


class FetchError(SourceError):
    """Fetching failed: HTTP status, timeout, size cap or content type."""


class ExtractionError(SourceError):
    """The document was read but holds no usable article text."""


class StoreError(VankienError):
    """The database could not be opened, migrated or written."""


class ReindexBusyError(VankienError):
    """Another build (ingest, reindex, removal) is writing; nothing was started."""
