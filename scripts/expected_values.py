#!/usr/bin/env python3
"""Prints the sacreBLEU numbers baked into src/test/java/org/mtcompress/eval/*Test.java.

Run with sacreBLEU 2.6.0 (NumPy 2.4.6) from the project root, ../shared beside it:
    /opt/sb/bin/python scripts/expected_values.py
The tests must not need Python, so they carry these numbers; rerun this to regenerate them.
"""
import os
import sys

import numpy as np
import sacrebleu
from sacrebleu.metrics import BLEU, CHRF
from sacrebleu.significance import PairedTest

SHARED = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "..", "shared")


def perturb(line, ln, k):
    """Deterministic noise that the Java tests reproduce (see EvalFixtures.perturb)."""
    words = line.split(" ")
    out = []
    for i, w in enumerate(words):
        if (i + ln) % k == 0:
            continue
        if (3 * i + ln) % 11 == 0:
            w = w.lower()
        out.append(w)
    if ln % 5 == 0 and len(out) > 2:
        out[0], out[1] = out[1], out[0]
    return " ".join(out)


def read(path):
    with open(path, encoding="utf-8", newline="\n") as f:
        return [l.rstrip() for l in f]


def main():
    print("sacrebleu", sacrebleu.__version__, "numpy", np.__version__)
    ref = read(os.path.join(SHARED, "wmt/newstest/newstest2014.de"))
    hyp7 = [perturb(l, i, 7) for i, l in enumerate(ref)]
    hyp4 = [perturb(l, i, 4) for i, l in enumerate(ref)]
    # close competitor of hyp7: every 300th line from hyp4
    close = [b if i % 300 else h for i, (b, h) in enumerate(zip(hyp7, hyp4))]
    for name, h in (("hyp7", hyp7), ("hyp4", hyp4), ("close", close)):
        for tok in ("13a", "intl", "none"):
            for lc in (False, True):
                s = BLEU(tokenize=tok, lowercase=lc).corpus_score(h, [ref])
                print(f"BLEU {name} tok={tok} lc={lc}: {s.score!r} counts={s.counts} totals={s.totals} "
                      f"sys={s.sys_len} ref={s.ref_len}")
        for lc in (False, True):
            print(f"chrF {name} lc={lc}: {CHRF(lowercase=lc).corpus_score(h, [ref]).score!r}")
            print(f"chrF++ {name} lc={lc}: {CHRF(word_order=2, lowercase=lc).corpus_score(h, [ref]).score!r}")
    s = BLEU().corpus_score(hyp4, [ref, hyp7])
    print(f"BLEU hyp4 refs=[ref,hyp7]: {s.score!r} {s}")
    print(f"chrF hyp4 refs=[ref,hyp7]: {CHRF().corpus_score(hyp4, [ref, hyp7]).score!r}")
    print(f"chrF++ hyp4 refs=[ref,hyp7]: {CHRF(word_order=2).corpus_score(hyp4, [ref, hyp7]).score!r}")
    for test in ("bs", "ar"):
        ps = PairedTest([("base", hyp7), ("hyp4", hyp4), ("close", close)],
                        {"BLEU": BLEU(references=[ref]), "chrF": CHRF(references=[ref])},
                        references=None, test_type=test)
        sigs, scores = ps()
        for m in ("BLEU", "chrF2"):
            print(test, m, sigs[m])
            for r in scores[m]:
                print("   ", repr(r.score), repr(r.p_value), None if r.mean is None else repr(float(r.mean)),
                      None if r.ci is None else repr(float(r.ci)))


if __name__ == "__main__":
    sys.exit(main())
