"""How much of a documentation page each HTML reader keeps, measured against the page's Markdown
twin, and how fast each format is read.

    python benchmarks/formats.py [FOLDER_WITH_TWINS]   # default: /usr/share/doc/nodejs/api

Node.js ships every API page as NAME.md and NAME.html. For each pair: words askback stores from the
Markdown (markdown-it-py), from the HTML (lxml, by the page's structure) and what trafilatura's
main-text extraction keeps of the same HTML; the HTML readers' share of the Markdown's words; CPU
seconds per page. Words are counted outside code fences for all three.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from askback.corpus.converters import convert

PAGES = ("fs", "stream", "buffer", "http", "net", "process", "child_process", "crypto", "worker_threads")


def words(text: str) -> int:
    return sum(len(line.split()) for line in text.splitlines() if line.strip() != "```")


def timed(read: object, *args: object) -> tuple[object, float]:
    started = time.process_time()
    found = read(*args)  # type: ignore[operator]
    return found, time.process_time() - started


def main() -> None:
    import trafilatura

    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/usr/share/doc/nodejs/api")
    print(
        f"{'page':<16}{'md':>8}{'html':>8}{'share':>8}{'trafil.':>9}{'share':>8}{'md s':>7}{'html s':>8}{'traf s':>8}"
    )
    totals = [0, 0, 0]
    for name in PAGES:
        md, md_s = timed(convert, folder / f"{name}.md")
        html, html_s = timed(convert, folder / f"{name}.html")
        raw = (folder / f"{name}.html").read_text(encoding="utf-8")
        traf, traf_s = timed(trafilatura.extract, raw)
        m, h, t = words(md.corpus_text()), words(html.corpus_text()), words(str(traf or ""))  # type: ignore[attr-defined]
        totals = [totals[0] + m, totals[1] + h, totals[2] + t]
        print(f"{name:<16}{m:>8}{h:>8}{h / m:>8.1%}{t:>9}{t / m:>8.1%}{md_s:>7.2f}{html_s:>8.2f}{traf_s:>8.2f}")
    m, h, t = totals
    print(f"{'all':<16}{m:>8}{h:>8}{h / m:>8.1%}{t:>9}{t / m:>8.1%}")


if __name__ == "__main__":
    main()
