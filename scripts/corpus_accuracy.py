#!/usr/bin/env python3
"""Accuracy of ``explain``'s classifier on the corpus of real error texts: the part the
rules are written against (``tests/corpus/errors.jsonl``) and the part only measured
(``tests/corpus/heldout.jsonl``, when present), each with a confusion table per category
(expected x got) and the texts it gets wrong.

Usage: python scripts/corpus_accuracy.py [--misses] [FILE.jsonl ...]
(files given are measured as parts of their own, after the two above). Every text it
prints is redacted.

It also prints each measured batch's first measure, the honest figure: a batch is measured
once before any rule is written for it; the texts read right stay in the measured part
(their ``batch``), the misread ones move to the rules part with a note naming the batch.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claude_doctor.classify import classify  # noqa: E402
from claude_doctor.model import Category  # noqa: E402
from claude_doctor.redact import Redactor  # noqa: E402

PARTS = (
    ("rules", ROOT / "tests" / "corpus" / "errors.jsonl"),
    ("measured", ROOT / "tests" / "corpus" / "heldout.jsonl"),
)


def load(path: Path) -> list[dict[str, str]]:
    """The corpus entries of one JSON-lines file (blank lines skipped)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rows.append(json.loads(line))
    return rows


def measure(rows: list[dict[str, str]]) -> tuple[Counter[tuple[str, str]], list[dict[str, str]]]:
    """(expected, got) counts and the entries classified wrongly (with ``got``)."""
    table: Counter[tuple[str, str]] = Counter()
    misses = []
    for row in rows:
        signal = classify(row["text"])
        got = signal.category.value
        table[(row["category"], got)] += 1
        if got != row["category"]:
            misses.append({**row, "got": got, "got_kind": signal.kind or ""})
    return table, misses


def print_part(name: str, rows: list[dict[str, str]], show_misses: bool) -> None:
    table, misses = measure(rows)
    total = len(rows)
    right = total - len(misses)
    print(f"== {name}: {right}/{total} = {right / total:.1%}")
    cats = [c.value for c in Category]
    print(f"{'expected':<20} {'n':>4} {'acc':>6}  got (where not all right)")
    for cat in cats:
        n = sum(v for (e, _), v in table.items() if e == cat)
        if not n:
            continue
        ok = table[(cat, cat)]
        wrong = ", ".join(
            f"{g} {v}" for (e, g), v in sorted(table.items()) if e == cat and g != cat
        )
        print(f"{cat:<20} {n:>4} {ok / n:>6.0%}  {wrong}")
    if show_misses:
        redactor = Redactor.patterns_only()
        for m in misses:
            text = redactor.text(m["text"]).replace("\n", " / ")[:240]
            print(
                f"  MISS {m['category']} -> {m['got']} ({m['got_kind']}) {m['source']}\n    {text}"
            )


def print_batches(rules: list[dict[str, str]], measured: list[dict[str, str]]) -> None:
    """Each batch's first measure: its texts read right then over all its texts."""
    right = Counter(int(row["batch"]) for row in measured if "batch" in row)
    missed: Counter[int] = Counter()
    for row in rules:
        m = re.search(r"measured batch (\d+)", row.get("note", ""))
        if m:
            missed[int(m.group(1))] += 1
    if not right:
        return
    print("== first measure of each batch (before any rule was written for it)")
    total_right = total = 0
    for batch in sorted(set(right) | set(missed)):
        n = right[batch] + missed[batch]
        total_right += right[batch]
        total += n
        print(f"batch {batch:<3} {right[batch]:>4}/{n:<4} = {right[batch] / n:.1%}")
    print(f"all       {total_right:>4}/{total:<4} = {total_right / total:.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--misses", action="store_true", help="print every text got wrong")
    args = parser.parse_args()
    for name, path in (*PARTS, *((str(p), p) for p in args.files)):
        if not path.is_file():
            print(f"== {name}: {path.name} absent")
            continue
        rows = load(path)
        if rows:
            print_part(name, rows, args.misses)
    if all(path.is_file() for _, path in PARTS):
        print_batches(load(PARTS[0][1]), load(PARTS[1][1]))


if __name__ == "__main__":
    main()
