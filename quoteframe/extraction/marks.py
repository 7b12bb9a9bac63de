"""Quotation-mark spans: where the quoted stretches of an article are.

Pairs straight and curly double marks paragraph by paragraph, so a stray or
unbalanced mark costs at most its own paragraph, never the whole article.
A paragraph that leaves a quote open continues it when the next paragraph
reopens the mark (the newspaper convention for multi-paragraph quotes).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

OPENERS = {"“": "”", "„": "“", "«": "»", '"': '"'}
CLOSERS = {"”", "»", '"', "“"}
_PARAGRAPH = re.compile(r"\n")
_MARK = re.compile("[" + re.escape("".join(sorted(set(OPENERS) | CLOSERS))) + "]")
_QUOTE_BREAKS = ":,;.!?—–-”\"»("  # what may stand before a quote that runs over paragraphs


@dataclass(frozen=True)
class MarkSpan:
    """A quoted stretch: ``outer`` includes the marks, ``inner`` excludes them."""

    start: int  # offset of the opening mark
    end: int  # offset just after the closing mark
    paragraphs: int = 1
    open_width: int = 1  # 2 for doubled single marks: '' `` ‘‘ ’’
    close_width: int = 1

    @property
    def inner_start(self) -> int:
        return self.start + self.open_width

    @property
    def inner_end(self) -> int:
        return self.end - self.close_width

    def inner(self, text: str) -> str:
        return text[self.inner_start : self.inner_end]


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """Offsets of the non-empty lines (paragraphs) of ``text``."""
    bounds, start = [], 0
    for match in _PARAGRAPH.finditer(text):
        if text[start : match.start()].strip():
            bounds.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        bounds.append((start, len(text)))
    return bounds


def _is_opening(text: str, i: int) -> bool:
    """Whether the mark at ``i`` opens a quote (judged from its neighbours)."""
    mark = text[i]
    if mark in "“«„":
        return True
    if mark in "”»":
        return False
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isspace() or before in "([{—–-:/" or i == 0:
        return not after.isspace()
    return False


def _scan_paragraph(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], int | None]:
    """Closed (open, close) pairs in one paragraph, and a dangling opener."""
    pairs: list[tuple[int, int]] = []
    open_at: int | None = None
    for found in _MARK.finditer(text, start, end):  # only the marks: a paragraph is mostly words
        i, ch = found.start(), found.group()
        if open_at is None:
            if _is_opening(text, i) or (ch == '"' and not _closes_here(text, i)):
                open_at = i
            continue
        if ch in CLOSERS and (ch != "“" or text[open_at] == "„"):
            if ch == '"' and text[open_at] != '"' and _is_opening(text, i):
                open_at = i  # a straight opener after a stray curly one
                continue
            pairs.append((open_at, i + 1))
            open_at = None
        elif _is_opening(text, i):
            open_at = i  # a new opener: the earlier one was stray
    return pairs, open_at


def _closes_here(text: str, i: int) -> bool:
    after = text[i + 1] if i + 1 < len(text) else " "
    return after.isspace() or after in ".,;:!?)"


# Two single marks typed for one double mark: '' `` ‘‘ ’’ (also ‘‘ ... ” mixed).
_DOUBLED = re.compile(r"''|``|‘‘|’’")


def find_mark_spans(text: str) -> list[MarkSpan]:
    """Every quoted stretch of ``text``, in order.

    >>> [s.inner('He said "yes," and left.') for s in find_mark_spans('He said "yes," and left.')]
    ['yes,']
    """
    if _DOUBLED.search(text) is None:
        return _find(text)
    # Doubled single marks (''like this'', ``or this'', ‘‘or this’’) are double quotes:
    # scan a copy with each pair as '"' plus a filler, then widen the spans.
    scan = _DOUBLED.sub('"\x00', text)
    return [_widen(s, scan) for s in _find(scan)]


def _widen(span: MarkSpan, scan: str) -> MarkSpan:
    open_width = 2 if scan[span.start + 1 : span.start + 2] == "\x00" else 1
    close_width = 2 if scan[span.end : span.end + 1] == "\x00" else 1
    return MarkSpan(span.start, span.end + close_width - 1, span.paragraphs, open_width, close_width)


def _find(text: str) -> list[MarkSpan]:
    spans: list[MarkSpan] = []
    carry: tuple[int, int] | None = None  # (open offset, paragraphs) of a quote running on
    bounds = paragraph_bounds(text)
    for n, (p_start, p_end) in enumerate(bounds):
        pairs, dangling = _scan_paragraph(text, p_start, p_end)
        if carry is not None:
            pairs, dangling, carry = _continue_quote(text, spans, carry, pairs, dangling, p_start, p_end)
        spans.extend(MarkSpan(a, b) for a, b in pairs)
        if dangling is not None and carry is None:
            carry = _maybe_carry(text, bounds, n, dangling)
    return sorted(spans, key=lambda s: s.start)


def _maybe_carry(text: str, bounds, n: int, dangling: int) -> tuple[int, int] | None:
    """Carry an unclosed quote over only when the next paragraph reopens it.

    A quote that runs on is made of whole sentences, so it opens a paragraph
    or follows a break (a colon, comma, dash or sentence end). An opener in
    the middle of a clause ("a banner reading “Solidarity ...") marks a
    fragment whose closer is missing; it must not swallow the next paragraph.
    """
    if not _opens_sentence_quote(text, bounds[n][0], dangling):
        return None
    if n + 1 < len(bounds):
        nxt = text[bounds[n + 1][0] : bounds[n + 1][1]].lstrip()
        if nxt[:1] in OPENERS:
            return (dangling, 1)
    return None


def _opens_sentence_quote(text: str, p_start: int, at: int) -> bool:
    before = text[p_start:at].rstrip()
    return not before or before[-1] in _QUOTE_BREAKS


def _continue_quote(text, spans, carry, pairs, dangling, p_start, p_end):
    """Fold this paragraph into a quote that an earlier paragraph left open."""
    open_at, paragraphs = carry
    lead = p_start + len(text[p_start:p_end]) - len(text[p_start:p_end].lstrip())
    reopened = [p for p in pairs if p[0] == lead]
    if reopened:
        # The reopening pair closes the running quote: merge it.
        first = reopened[0]
        spans.append(MarkSpan(open_at, first[1], paragraphs + 1))
        return [p for p in pairs if p is not first], dangling, None
    if dangling == lead:
        return pairs, None, (open_at, paragraphs + 1)
    return pairs, dangling, None
