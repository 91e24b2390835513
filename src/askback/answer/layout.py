"""What an answer shows, in order, as blocks that the markdown, the chat and the export all format:
quotes under numbered citations, offers, the parts of a message of several questions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from askback import templates
from askback.corpus.chunking import section_heading
from askback.corpus.kinds import CODE
from askback.records import Article, Part, Passage

__all__ = ["Block", "group_by_article", "layout", "opening", "render", "sources"]


def sources(quotes: Sequence[Passage], more: Sequence[Passage] = ()) -> list[tuple[Article, list[Passage]]]:
    """An answer's articles in the order its citations number them: those quoted, then those
    only offered; each with its passages."""
    return group_by_article([*quotes, *more])


def group_by_article(quotes: Sequence[Passage]) -> list[tuple[Article, list[Passage]]]:
    """Quotes grouped by article, in order of first appearance: the order of the numbered citations."""
    groups: dict[Article, list[Passage]] = {}
    for p in quotes:
        groups.setdefault(p.article, []).append(p)
    return list(groups.items())


@dataclass(frozen=True)
class Block:
    """One piece of a shown answer: a filled-in template (``part``, ``note``, ``citation``,
    ``offer``) or a ``quote``, whose text is the passage's, verbatim. A citation or offer carries its
    article's ``number``, and a quote, citation (its first quote) or offer its ``passage``, so the
    chat can link them."""

    role: str
    text: str
    number: int = 0
    passage: Passage | None = None


def layout(
    quotes: Sequence[Passage],
    parts: Sequence[Part] = (),
    more: Sequence[Passage] = (),
    unsure: bool = False,
    missing: str = "",
    openings: bool = False,
) -> list[Block]:
    """What an answer shows, in order: quotes grouped by article under numbered citations, then the
    passages only offered ("Also discussed in", an ``offer`` per article); for a message of several
    questions, each question in the user's words with its quotes (or "not covered") below it. An
    unsure answer says so before its one quote. An article keeps one number across the whole
    answer, and a passage already shown is pointed to ("quoted above"), not repeated. ``render``
    and the chat format the same blocks; the chat and its export with ``openings``: every offer
    names its section and first words, so the reader sees which passage a click opens, even one of
    an article just quoted. The markdown of ``ask`` stays compact: its offers are in ``Answer.more``."""
    offered = [*more, *(m for part in parts for m in part.more)]
    numbers = {article: n for n, (article, _) in enumerate(sources(quotes, offered), start=1)}
    blocks = []
    done: set[Passage] = set()
    quoted = {(q.article, section_heading(q.heading)) for q in [*quotes, *(q for part in parts for q in part.quotes)]}
    for part in parts or [Part("", tuple(quotes), False, missing, more=tuple(more), unsure=unsure)]:
        if part.red_flags:
            symptoms = ", ".join(f"“{words}”" for words in part.red_flags)
            blocks.append(Block("part", templates.SAFETY.format(symptoms=symptoms)))
        elif parts:
            blocks.append(Block("part", templates.PART.format(question=part.question)))
        if part.abstained:
            note = templates.PART_MISSING.format(word=part.missing) if part.missing else templates.PART_ABSTAIN
            blocks.append(Block("note", note))
        elif part.unsure:
            note = templates.UNSURE_MISSING.format(word=part.missing) if part.missing else templates.UNSURE
            blocks.append(Block("note", note))
        for article, passages in group_by_article(part.quotes):
            new = [p for p in passages if p not in done]
            line = templates.CITATION if new else templates.QUOTED_ABOVE
            number = numbers[article]
            # The citation opens its article at its own first quote, not at the article's best one.
            first = new[0] if new else passages[0]
            blocks.append(Block("citation", line.format(number=number, byline=article.byline), number, first))
            blocks += [Block("quote", p.text, number, p) for p in new]
            done.update(new)
        # One line per article not offered earlier in the answer: its number, name and section, in
        # number order; its first words where the reader clicks (``openings``), else only to tell a
        # section the answer also quotes apart.
        offers = []
        for article, passages in group_by_article([m for m in part.more if m not in done]):
            section = section_heading(passages[0].heading)
            where = templates.OFFER_SECTION.format(section=section) if section and section != article.title else ""
            if openings or (article, section) in quoted:
                where += templates.OFFER_START.format(start=opening(passages[0].text))
            line = templates.OFFER.format(number=numbers[article], byline=article.byline, section=where)
            offers.append(Block("offer", line, numbers[article], passages[0]))
            done.update(passages)
        if offers and part.unsure and not part.quotes:
            # A part that may not be answered and shows no quote: what comes closest, closest first,
            # right below "The closest they come:".
            blocks += offers
        elif offers:
            blocks += [Block("note", templates.ALSO_DISCUSSED), *sorted(offers, key=lambda b: b.number)]
    return blocks


def render(
    quotes: Sequence[Passage],
    notice: str = "",
    parts: Sequence[Part] = (),
    more: Sequence[Passage] = (),
    unsure: bool = False,
    missing: str = "",
) -> str:
    """The answer as markdown: ``layout``'s blocks, quotes as block quotes, offers as a list, then
    the notice."""
    shown = []
    for b in layout(quotes, parts, more, unsure, missing):
        if b.role == "quote" and b.passage is not None and b.passage.kind == CODE:
            # Code is shown as code: its lines and indentation as the article has them.
            shown.append("\n".join(["> ```", *(f"> {line}" for line in b.text.splitlines()), "> ```"]))
        elif b.role == "quote":
            shown.append("\n".join(f"> {line.strip()}" if line.strip() else ">" for line in b.text.splitlines()))
        elif b.role == "offer" and shown and shown[-1].startswith("- "):
            shown[-1] += f"\n- {b.text}"  # one list, not a paragraph per offer
        else:
            shown.append(f"- {b.text}" if b.role == "offer" else b.text)
    return "\n\n".join([*shown, notice] if notice else shown)


def opening(text: str, words: int = 6) -> str:
    """The first ``words`` words of a passage, verbatim: enough to tell two passages of a section apart."""
    return " ".join(text.split()[:words])
