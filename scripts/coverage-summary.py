#!/usr/bin/env python3
"""Sums llvm-cov's per-file report into line coverage per source folder (Sources/<target>/<Stage>/)."""
import sys
from collections import defaultdict

def folder(path: str) -> str:
    parts = path.split("/")
    if "Sources" in parts:
        parts = parts[parts.index("Sources") + 1:]
    # AiShortsCore/<Stage>/file.swift → AiShortsCore/<Stage>; other targets by name.
    return "/".join(parts[:2]) if parts[0] == "AiShortsCore" and len(parts) > 2 else parts[0]

def main(report: str) -> None:
    lines = defaultdict(lambda: [0, 0])  # folder → [lines, missed]
    header = None
    for row in open(report, encoding="utf-8"):
        fields = row.split()
        if not fields:
            continue
        if fields[0] == "Filename":
            header = fields
            continue
        if header is None or not fields[0].endswith(".swift"):
            continue
        # Columns: Filename Regions Missed Cover Functions Missed Executed Lines Missed Cover Branches Missed Cover
        total, missed = int(fields[7]), int(fields[8])
        entry = lines[folder(fields[0])]
        entry[0] += total
        entry[1] += missed
    print(f"{'folder':<28} {'lines':>7} {'missed':>7} {'cover':>7}")
    all_total = all_missed = 0
    for name in sorted(lines):
        total, missed = lines[name]
        all_total += total
        all_missed += missed
        cover = 100.0 * (total - missed) / total if total else 100.0
        print(f"{name:<28} {total:>7} {missed:>7} {cover:>6.1f}%")
    cover = 100.0 * (all_total - all_missed) / all_total if all_total else 100.0
    print(f"{'all':<28} {all_total:>7} {all_missed:>7} {cover:>6.1f}%")

if __name__ == "__main__":
    main(sys.argv[1])
