"""What changed in a report's text, clause by clause.

Chinese is written without spaces, so a character-by-character diff of two versions of a
paragraph interleaves single characters and cannot be read. The text is cut into sentences and
clauses instead: after 。！？；; (closing quotes and brackets stay with their clause) and at line
breaks; the two sequences of clauses are compared with difflib.SequenceMatcher, and each clause
comes out unchanged, removed or added. A replaced clause shows as the old one removed and the new
one added, next to each other.
"""

import difflib

CLAUSE_ENDS = frozenset("。！？；;")
CLOSERS = frozenset("”’」』）)》】")
LINE_BREAK = "\n"


def split_clauses(text: str) -> list[str]:
    """The clauses of ``text``, each with its closing punctuation; a line break is a clause of
    its own (so that the paragraphs stay where they are). Joined, they give ``text`` back."""
    clauses: list[str] = []
    start, i, n = 0, 0, len(text)
    while i < n:
        char = text[i]
        if char == LINE_BREAK:
            if start < i:
                clauses.append(text[start:i])
            clauses.append(LINE_BREAK)
            start = i = i + 1
            continue
        if char in CLAUSE_ENDS:
            i += 1
            while i < n and (text[i] in CLAUSE_ENDS or text[i] in CLOSERS):
                i += 1
            clauses.append(text[start:i])
            start = i
            continue
        i += 1
    if start < n:
        clauses.append(text[start:])
    return clauses


def _key(clause: str) -> str:
    """What two clauses must share to count as the same: the words, not the spaces around them
    nor the mark that ends them (a sentence cut in two at its 。 keeps its first half)."""
    return clause.strip().rstrip("".join(CLAUSE_ENDS)) or clause


def clause_diff(old: str, new: str) -> list[tuple[str, str]]:
    """``(op, text)`` pairs that read as the new text with the removed clauses struck through:
    op is "same", "removed" or "added". Clauses that differ only in surrounding spaces or in
    their closing mark count as the same (the new wording is shown); a removed line break is
    dropped, so the layout shown is the new one."""
    a, b = split_clauses(old), split_clauses(new)
    matcher = difflib.SequenceMatcher(
        a=[_key(c) for c in a], b=[_key(c) for c in b], autojunk=False
    )
    ops: list[tuple[str, str]] = []

    def add(op: str, text: str) -> None:
        if ops and ops[-1][0] == op:  # one run per kind, so the markup stays simple
            ops[-1] = (op, ops[-1][1] + text)
        else:
            ops.append((op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("same", "".join(b[j1:j2]))
            continue
        removed = "".join(c for c in a[i1:i2] if c != LINE_BREAK)
        if removed.strip():
            add("removed", removed)
        for clause in b[j1:j2]:
            # a new line break is layout, shown as is; a new clause is marked as added
            add("same" if clause == LINE_BREAK else "added", clause)
    return ops
