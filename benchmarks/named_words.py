"""The word each unsure answer names as missing ("None of the articles mentions “beers”..."), for
every question of the three sets that gets one: to read, not to score (no set says which word a
reader would want named).

    python benchmarks/named_words.py
"""

from __future__ import annotations

import json

from fit import SETS

import askback


def main() -> None:
    for path in SETS.values():
        for line in path.read_text().splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            answer = askback.ask(item["question"], history=item.get("history", []))
            named = [p.missing for p in answer.parts if p.missing] or ([answer.missing] if answer.missing else [])
            if named:
                print(f"{item['id']:>4} {item['kind']:<15} {', '.join(named):<16} {item['question'][-80:]!r}")


if __name__ == "__main__":
    main()
