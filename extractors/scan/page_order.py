"""Scanned pages in form order: printed page numbers, else field labels; pages not of the form after."""

from __future__ import annotations

from haizhi.extractors.doubts import SENTENCE_ENDS
from haizhi.extractors.layout import Page
from haizhi.extractors.pdf_reader import page_number_in
from haizhi.pipeline.core.fields import FORMS


def _page_text(page: Page) -> str:
    text = "".join(ln.text for ln in page.lines) + "".join(c.text for t in page.tables for c in t.cells)
    return text.replace(" ", "")


def _label_hits(text: str, spec) -> list[int]:  # noqa: ANN001
    return [i for i, f in enumerate(spec.fields) if any(len(lb) >= 4 and lb in text for lb in (f.label, *f.aliases))]


def _label_rank(page: Page, form: int | None = None) -> tuple[int, int]:
    """Where a page sits in its form: (form order, first field label index); foreign pages last.

    ``form``: the form the return was found to be (a label of another form on one page, 法定代表人 on a
    base form's page, does not make that page another form's)."""
    text = _page_text(page)
    best = (99, 10**6)
    for fi, spec in enumerate(FORMS.values()):
        if form is not None and fi != form:
            continue
        hits = _label_hits(text, spec)
        if hits:  # the middle label: one early label quoted on a later page (基地负责人（签字）) does not move it
            best = min(best, (fi, hits[len(hits) // 2]))
    return best


def _main_form(pages: list[Page]) -> int | None:
    """The form most labels of all pages belong to."""
    text = "".join(_page_text(p) for p in pages)
    counts = [len(_label_hits(text, spec)) for spec in FORMS.values()]
    return max(range(len(counts)), key=counts.__getitem__) if any(counts) else None


def footer_number(page: Page) -> int | None:
    """The printed page number (— 3 —, 第 3 页, 3/5) at the foot of the page, if read."""
    if not page.height:
        return None
    for ln in page.lines:
        if ln.bbox and ln.bbox[1] > 0.85 * page.height:
            num = page_number_in(ln.text)
            if num is not None:
                return num
    return None


def order_pages(pages: list[Page]) -> list[Page]:
    """Pages in form order (a scan's pages may come shuffled); pages not of a form after, as they came.

    Within a form: the printed page number where it was read, else the first field label on the page;
    when two pages show the same number (one misread), the order they were scanned in. A page with a
    table but no label right after a form page is the rest of that page's last row: it stays after it.
    """
    return [p for _, p in sorted(_keys(pages), key=lambda r: r[0])]


def _keys(pages: list[Page]) -> list[tuple[tuple, Page]]:
    """Sort keys (form, number or label rank, after, scan index, rest-of-page): when some pages show a
    printed number and others do not (lost under a seal or a crease), a page without one stays right after
    the page scanned before it: a label rank and a page number are not on one scale."""
    form = _main_form(pages)
    ranks = [(_label_rank(p, form), footer_number(p)) for p in pages]
    nums = [num for _, num in ranks if num is not None]
    # two pages with one number: one was misread (3 read as 5); numbers spread wider than the pages scanned
    # (1, 3, 4 on three pages; 1, 4, 5 on four): one was misread into a free number (- 2 - read as 4)
    trust = len(nums) == len(set(nums)) and (not nums or max(nums) - min(nums) < len(pages))
    ranked: list[tuple[tuple, Page]] = []
    for k, (((form_i, label_i), num), p) in enumerate(zip(ranks, pages, strict=True)):
        inner = [n for (fi, _), n in ranks if fi < 99 and n is not None]  # the form's own printed numbers
        if form_i == 99 and trust and num is not None and form is not None and inner \
                and min(inner) < num < max(inner) and (p.tables or p.lines):
            key = (form, num, 0, k, 0)  # no label, but numbered between the form's pages: a long text's rest
        elif form_i == 99 and ranked and ranked[-1][0][0] < 99 and (p.tables or p.lines and _between(ranks, k)
                                                                   and _text_runs_on(pages[k - 1], pages[k + 1])):
            prev = ranked[-1][0]  # a long text's label-less rest: a table's, or lines scanned between two pages
            # of the form whose text runs on through them (its last line alone on a page, with no ruling:
            # 建立了专职工作团队和定期会商)
            key: tuple = (prev[0], num, 0, k, 0) if trust and num is not None else (*prev[:4], 1)
        elif not trust:  # as scanned: a misread number (7/7 read as 717) makes the others doubtful too; a page
            # without labels scanned between two of the form's pages is a long text's rest (its one line: 形)
            key = (ranks[k - 1][0][0] if form_i == 99 and _between(ranks, k) else form_i, 0, 0, k, 0)
        elif num is not None:
            key = (form_i, num, 0, k, 0)
        elif nums:  # right after the page scanned before it (its labels may quote an early one: 基地负责人（签字）)
            prev = next((kk for kk, _ in reversed(ranked) if kk[0] == form_i), None)
            key = (form_i, prev[1], prev[2] + 1, k, 0) if prev else (form_i, 0, 0, k, 0)
        else:
            key = (form_i, label_i / 1000, 0, k, 0)
        ranked.append((key, p))
    return ranked


def _text_runs_on(before: Page, after: Page) -> bool:
    """A long text runs on from page before (its last cell a long text with no stop at its end) or into page
    after (its first row's label cell empty: a rest)."""
    last = [c.text for t in before.tables for c in t.cells if c.text.strip()]
    tail = last[-1].strip() if last else ""
    if len(tail) >= OPEN_TEXT and not tail.endswith(SENTENCE_ENDS):
        return True
    first = after.tables[0].cells if after.tables else []
    if len(first) == 1:  # a table of one label-less cell, a long text (a row cut by two page breaks: its middle
        # alone on a page, its rest on the next, TUNE coop 12473)
        text = first[0].text.replace(" ", "")
        return len(text) >= OPEN_TEXT and not any(_label_hits(text, spec) for spec in FORMS.values())
    return bool(first) and not first[0].text.strip() and len(first) > 1


OPEN_TEXT = 40  # characters of a cell's text that make it a long text, which a page break may cut


def _between(ranks: list, k: int) -> bool:
    """Page k is scanned between two pages of one form."""
    return 0 < k < len(ranks) - 1 and ranks[k - 1][0][0] == ranks[k + 1][0][0] < 99


def foreign_pages(pages: list[Page]) -> list[Page]:
    """Pages with text that order_pages puts after the form as not of it (none when no page is of a form)."""
    keyed = [(key, p) for key, p in _keys(pages) if p.tables or p.lines]
    if not any(key[0] < 99 for key, _ in keyed):
        return []
    return [p for key, p in keyed if key[0] == 99]
