"""How much of a documentation page each HTML reader keeps, measured against the page's Markdown
twin, and how fast each format is read.

    python benchmarks/formats.py [FOLDER_WITH_TWINS]   # default: /usr/share/doc/nodejs/api

Node.js ships every API page as NAME.md and NAME.html. For each pair: words askback stores from the
Markdown (markdown-it-py), from the HTML (lxml, by the page's structure) and what trafilatura's
main-text extraction keeps of the same HTML; the HTML readers' share of the Markdown's words; the
share of the Markdown's words the HTML holds too ("kept": each word counted at most as often as the
HTML has it, so extra words cannot hide lost ones); CPU seconds per page. Words are counted outside
code fences for all three.
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from pathlib import Path

from askback.corpus.converters import convert

PAGES = (
    tuple(sys.argv[2].split(","))
    if len(sys.argv) > 2
    else ("fs", "stream", "buffer", "http", "net", "process", "child_process", "crypto", "worker_threads")
)


def words(text: str) -> int:
    return sum(len(line.split()) for line in text.splitlines() if line.strip() != "```")


def kept(twin: str, text: str) -> float:
    """The share of ``twin``'s words that ``text`` holds, each as often as ``text`` has it; a word
    is its letters and digits (the Markdown's ``{string}`` is the page's ``<string>``)."""
    a, b = (
        Counter(re.findall(r"\w+", "\n".join(x for x in t.splitlines() if x.strip() != "```"))) for t in (twin, text)
    )
    return sum((a & b).values()) / max(sum(a.values()), 1)


def timed(read: object, *args: object) -> tuple[object, float]:
    started = time.process_time()
    found = read(*args)  # type: ignore[operator]
    return found, time.process_time() - started


def main() -> None:
    import trafilatura

    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/usr/share/doc/nodejs/api")
    print(
        f"{'page':<16}{'md':>8}{'html':>8}{'share':>8}{'kept':>8}{'trafil.':>9}{'share':>8}"
        f"{'md s':>7}{'html s':>8}{'traf s':>8}"
    )
    totals = [0, 0, 0]
    for name in PAGES:
        md, md_s = timed(convert, folder / f"{name}.md")
        html, html_s = timed(convert, folder / f"{name}.html")
        raw = (folder / f"{name}.html").read_text(encoding="utf-8")
        traf, traf_s = timed(trafilatura.extract, raw)
        m, h, t = words(md.corpus_text()), words(html.corpus_text()), words(str(traf or ""))  # type: ignore[attr-defined]
        totals = [totals[0] + m, totals[1] + h, totals[2] + t]
        held = kept(md.corpus_text(), html.corpus_text())  # type: ignore[attr-defined]
        print(
            f"{name:<16}{m:>8}{h:>8}{h / m:>8.1%}{held:>8.1%}{t:>9}{t / m:>8.1%}"
            f"{md_s:>7.2f}{html_s:>8.2f}{traf_s:>8.2f}"
        )
    m, h, t = totals
    print(f"{'all':<16}{m:>8}{h:>8}{h / m:>8.1%}{'':>8}{t:>9}{t / m:>8.1%}")


if __name__ == "__main__":
    main()
