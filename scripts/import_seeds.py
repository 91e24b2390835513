"""Turn the raw seed articles into corpus files (run once; kept as the record of what was changed).

Each corpus file is the seed text with a metadata header in front. Only whole lines of page debris
are dropped (navigation, image captions, "Leave a Reply", footers, "Read more" links); every content
sentence stays, byte for byte. Metadata holds only what the page itself states; a title that had to be
inferred from the text is marked `title_inferred: yes`.

    python scripts/import_seeds.py ../shared/seeds corpus
"""

from __future__ import annotations

import sys
from pathlib import Path

from askback.corpus.files import header

SEEDS = {
    "000_336a3382082b3341.txt": {
        "file": "acupuncture-chronic-back-pain-what-science-says.txt",
        "title": "What Science Says About Acupuncture for Chronic Back Pain",
        "title_inferred": "yes",
        "drop": [],
    },
    "001_92981fbfc065bc83.txt": {
        "file": "acupuncture-for-back-pain-does-it-work.txt",
        "title": "Acupuncture for Back Pain: Does It Work?",
        "author": "Michael Zhang",
        "drop": [
            "A middle-aged Asian man is receiving acupuncture treatment to relieve back pain.",
            "Anatomy of the spine",
            "Anatomy of the spine. image: Wikimedia Commons",
            "A male patient with sciatica is receiving acupuncture treatment from a traditional Chinese"
            " medicine practitioner.",
            "Read more: Acupuncture Risks and Side Effects: What You Need to Know",
            "Read more: How Much does Acupuncture Cost (Different Countries)",
            "Michael Zhang",
            "Articles:\u00a0701",
            "Leave a Reply",
        ],
    },
    "002_a2fc685c791a4402.txt": {
        "file": "why-acupuncture-is-a-game-changer-for-chronic-back-pain.txt",
        "title": "Why Acupuncture Is a Game Changer for Chronic Back Pain Relief",
        "author": "Camellia Wulansari",
        "publisher": "Healthusias.com",
        "drop": [],
    },
    "003_9dd448e11f95cb11.txt": {
        "file": "ubie-does-acupuncture-work-for-chronic-pain.txt",
        "title": "Does Acupuncture Really Work for Chronic Pain?",
        "title_inferred": "yes",
        "publisher": "Ubie Doctor's Note",
        "published": "2026-02-24",
        "drop": [
            "Our Services",
            "Medical Information",
            "Helpful Resources",
            "We would love to help them too.",
            "For First Time Users",
            "We provide a database of explanations from real doctors on a range of medical topics. Get started"
            " by exploring our library of questions and topics you want to learn more about.",
            "Was this page helpful?",
            "Purpose and positioning of servicesUbie Doctor's Note is a service for informational purposes."
            " The provision of information by physicians, medical professionals, etc. is not a medical"
            " treatment. If medical treatment is required, please consult your doctor or medical institution."
            " We strive to provide reliable and accurate information, but we do not guarantee the completeness"
            " of the content. If you find any errors in the information, please contact us.",
        ],
    },
    "004_63fe9823045f49b2.txt": {
        "file": "acupuncture-in-modern-pain-management.txt",
        "title": "Acupuncture in Modern Pain Management",
        "title_inferred": "yes",
        "drop": [],
    },
}


def convert(raw: str, spec: dict[str, object]) -> str:
    drop = set(spec["drop"])  # type: ignore[arg-type]
    missing = drop - set(raw.splitlines())
    if missing:
        raise SystemExit(f"debris lines not found in seed: {sorted(missing)}")
    lines = [line for line in raw.splitlines() if line not in drop]
    body = "\n".join(lines).strip("\n") + "\n"
    return header(spec) + body


def main(seeds: Path, corpus: Path) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    for name, spec in SEEDS.items():
        text = convert((seeds / name).read_text(encoding="utf-8"), spec)
        (corpus / str(spec["file"])).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
