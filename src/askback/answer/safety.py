"""Safety first: a message that describes red-flag symptoms gets the articles' "see a doctor now"
passages before anything about acupuncture.

The red flags are the standard list for back pain (NHS and NICE guidance on cauda equina syndrome
and serious causes): new weakness or numbness in the legs, numbness around the bottom or groin,
trouble passing urine or controlling the bowels, pain that is severe or getting worse, fever, weight
loss no one can explain, a recent fall or accident, a history of cancer (not "cancer pain", which
is a question's subject). They are medical facts, not
fitted to any question set, and the user's own words that matched are what the answer repeats.

An urgent passage is one whose own words send the reader to a doctor without delay ("speak to a
doctor immediately", "require immediate medical evaluation").
"""

from __future__ import annotations

import re

__all__ = ["asks_for_a_doctor", "red_flags", "urgent"]

_NEAR = r"[^.?!;]{0,40}?"  # within one clause
_LEGS = r"\b(legs?|feet|foot|thighs?)\b"
_WEAK = r"\b(weak|weakness|numb|numbness|tingl\w*|pins and needles|giving way|gives? way|can'?t feel)\b"
_SADDLE = r"\b(bottom|bum|buttocks?|groin|genitals?|saddle|back passage|anus|private parts)\b"
_BLADDER = r"\b(pee|peeing|wee|weeing|urinat\w*|passing (urine|water)|the toilet|bladder|bowels?|poo\w*)\b"
_TROUBLE = r"\b(trouble|difficulty|difficult|problems?|struggl\w*|can'?t|cannot|unable|lost|loss of|no control)\b"
_RED_FLAGS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"{_LEGS}{_NEAR}{_WEAK}",
        rf"{_WEAK}{_NEAR}{_LEGS}",
        rf"\bnumb\w*{_NEAR}{_SADDLE}",
        rf"{_SADDLE}{_NEAR}\bnumb\w*",
        rf"{_TROUBLE}{_NEAR}{_BLADDER}",
        r"\b(incontinen\w*|wet (myself|the bed))\b",
        r"\b(severe|unbearable|excruciating|agoni[sz]ing)\b[^.?!;]{0,20}\bpain\b|\bpain\b[^.?!;]{0,30}\b(severe|unbearable)\b",
        r"\b(getting|got|gets) (much |a lot |steadily )?worse\b|\bworsening\b",
        r"\b(fever|high temperature|night sweats)\b",
        r"\b(unexplained|losing|lost)\b[^.?!;]{0,20}\bweight\b",
        r"\b(fell|fall|fallen|car accident|crash|accident)\b[^.?!;]{0,30}\b(back|spine|since|ago)\b",
        r"\b(history of|had|have had|survivor of|treated for)\b[^.?!;]{0,15}\bcancer\b",
    )
]
_URGENT = re.compile(
    r"\b(immediately|urgent(ly)?|emergency|right away|straight away|life[- ]threatening|"
    r"immediate medical|medical (workup|attention))\b",
    re.IGNORECASE,
)


_DOCTOR = r"\b(doctors?|gp|physician|hospital|a&e|er|emergency room|urgent care|medical (help|attention|advice))\b"
# "When should I see a doctor?", not "should I see a doctor before trying it?": the first asks
# which symptoms need one, the second is a question about acupuncture.
_ASKS_DOCTOR = re.compile(
    rf"\b(when|what point|how (do|will|would) i know|how soon)\b[^.?!]{{0,40}}"
    rf"\b(see|get|visit|call|go to|check\w*|talk to|seek)\b[^.?!]{{0,30}}{_DOCTOR}(?![^.?!]*\bbefore\b)"
    r"|\bis (this|it|that|my \w+( \w+)?) (something )?serious\b"
    r"|\bwhen (should|do|would) i (worry|be worried)\b",
    re.IGNORECASE,
)


def asks_for_a_doctor(question: str) -> bool:
    """Does the question ask when to see a doctor ("when should I get this checked by a doctor?",
    "is this serious?", "when should I worry?")? Its answer is the articles' see-a-doctor passages,
    first. ("What are red flag symptoms?" is found by its words.)"""
    return bool(_ASKS_DOCTOR.search(question))


def red_flags(message: str) -> tuple[str, ...]:
    """The user's own words that describe red-flag symptoms, in the order they wrote them."""
    found = sorted({m.span() for pattern in _RED_FLAGS for m in pattern.finditer(message)})
    spans: list[tuple[int, int]] = []
    for a, b in found:
        if spans and a <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(b, spans[-1][1]))
        else:
            spans.append((a, b))
    return tuple(message[a:b] for a, b in spans)


def urgent(text: str) -> bool:
    """Does this passage tell the reader to see a doctor without delay?"""
    return bool(_URGENT.search(text))
