#!/usr/bin/env python3
"""Cross-validation of the matcher on the knowledge base's own examples.

Builds K copies of knowledge/ with every K-th example held out, classifies the
held-out examples with `her2bot classify --knowledge DIR`, and prints how
answer/clarify/fallback split at the configured thresholds, plus the score and
margin distribution of right and wrong top picks, to calibrate config/bot.toml
without touching any evaluation set.

Usage: python3 tools/cv_scores.py [--folds 5] [--bin target/release/her2bot]
"""
import argparse, json, shutil, subprocess, tempfile, tomllib
from pathlib import Path

ap = argparse.ArgumentParser()
ap.add_argument("--folds", type=int, default=5)
ap.add_argument("--bin", default="target/release/her2bot")
ap.add_argument("--extra", help="also classify this jsonl set (q/expect/kind) with the full knowledge")
a = ap.parse_args()

root = Path("knowledge")
rows = []
for fold in range(a.folds):
    with tempfile.TemporaryDirectory() as tmp:
        dst = Path(tmp) / "knowledge"
        shutil.copytree(root, dst)
        held = []
        for f in sorted((dst / "intents").glob("*.toml")):
            text = f.read_text()
            d = tomllib.loads(text)
            keep = [x for i, x in enumerate(d["examples"]) if i % a.folds != fold]
            held += [(x, d["id"], d.get("equivalent", [])) for i, x in enumerate(d["examples"]) if i % a.folds == fold]
            start = text.index("examples = [")
            end = text.index("\n]", start) + 2
            text = text[:start] + "examples = " + json.dumps(keep, ensure_ascii=False) + text[end:]
            f.write_text(text)
        out = subprocess.run([a.bin, "--knowledge", str(dst), "classify"], input="".join(q.replace("\n", " ") + "\n" for q, _, _ in held), capture_output=True, text=True, check=True).stdout.splitlines()
        for (q, want, eq), line in zip(held, out):
            rows.append((q, {want, *eq}, json.loads(line)))

n = len(rows)
dec = {}
right_scores, wrong_scores = [], []
for q, want, o in rows:
    c = o["candidates"]
    top = c[0]["intent"] if c else None
    key = o["decision"] + ("+" if o["intent"] in want else ("-" if o["decision"] == "answer" else ""))
    dec[key] = dec.get(key, 0) + 1
    if c:
        margin = c[0]["score"] - (c[1]["score"] if len(c) > 1 else 0)
        (right_scores if top in want else wrong_scores).append((c[0]["score"], margin, q, top, sorted(want)))
print(f"{n} held-out examples; decisions:", {k: f"{v} ({100*v/n:.1f}%)" for k, v in sorted(dec.items())})
print(f"top-1 right {len(right_scores)} ({100*len(right_scores)/n:.1f}%), wrong {len(wrong_scores)}")
def pct(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(p * len(xs)))] if xs else None
for name, xs in (("right", right_scores), ("wrong", wrong_scores)):
    s = [x[0] for x in xs]; m = [x[1] for x in xs]
    print(f"{name:5} score p10 {pct(s,.1):.3f} p50 {pct(s,.5):.3f} p90 {pct(s,.9):.3f} | margin p10 {pct(m,.1):.3f} p50 {pct(m,.5):.3f} p90 {pct(m,.9):.3f}")
print("wrong top-1 picks:")
for s, m, q, top, want in sorted(wrong_scores, reverse=True)[:25]:
    print(f"  {s:.3f} {m:.3f} {q!r} -> {top} (want {want})")

# Threshold sweep: share answered right / wrong if the bot answered when
# top score >= t and lead over the runner-up >= m (ignores equivalents).
print("\nsweep (answer threshold, margin): right% wrong%")
for t in (0.35, 0.40, 0.45, 0.50, 0.55):
    line = []
    for m in (0.05, 0.10, 0.15, 0.20, 0.25):
        r = w = 0
        for q, want, o in rows:
            c = o["candidates"]
            if o["decision"] in ("emergency", "smalltalk") or not c:
                continue
            lead = c[0]["score"] - (c[1]["score"] if len(c) > 1 else 0)
            if c[0]["score"] >= t and lead >= m:
                if c[0]["intent"] in want: r += 1
                else: w += 1
        line.append(f"m{m:.2f}: {100*r/n:4.1f}/{100*w/n:3.1f}")
    print(f"  t{t:.2f}  " + "  ".join(line))
