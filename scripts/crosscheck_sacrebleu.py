#!/usr/bin/env python3
"""Cross-check `mtc eval` against sacreBLEU on real WMT / Multi30k files.

Needs sacreBLEU 2.x importable (e.g. a venv: python3 -m venv /opt/sb && /opt/sb/bin/pip install sacrebleu)
and ../shared beside the checkout. Not run by the test suite (the unit tests carry baked-in numbers).

    /opt/sb/bin/python scripts/crosscheck_sacrebleu.py [--shared ../shared] [--work /tmp/mtc-crosscheck]

For every configuration it scores the same files with sacreBLEU's Python API and with `./mtc eval --json`
and compares full-precision scores, the BLEU counts/lengths, and the printed 2- and 4-decimal strings;
paired tests compare p-values, bootstrap means and CIs. Exit status 1 when anything differs.
"""
import argparse
import gzip
import json
import os
import random
import subprocess
import sys

import sacrebleu
from sacrebleu.metrics import BLEU, CHRF
from sacrebleu.significance import PairedTest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

WORDS = ["der", "die", "und", "Haus", "„Test“", "–", "…", "€", "5,5", "2014-2015", "&quot;", "U.S.",
         "(Klammer)", "z.B.", "naïve", "Straße", "ÄÖÜ", "l'été", "%", "$3.50", "—", "«quote»", "x²", "½"]


def perturb(lines, rate, seed):
    """Deterministic word-level noise: drops, swaps, case flips, insertions, punctuation edits, empty lines."""
    rnd = random.Random(seed)
    out = []
    for line in lines:
        if rnd.random() < rate * 0.02:
            out.append("")
            continue
        w = line.split(" ")
        ops = max(1, int(len(w) * rate))
        for _ in range(ops):
            op = rnd.random()
            if not w:
                break
            i = rnd.randrange(len(w))
            if op < 0.25 and len(w) > 1:
                del w[i]
            elif op < 0.45 and i + 1 < len(w):
                w[i], w[i + 1] = w[i + 1], w[i]
            elif op < 0.6:
                w[i] = w[i].lower() if rnd.random() < 0.5 else w[i].upper()
            elif op < 0.8:
                w.insert(i, rnd.choice(WORDS))
            elif op < 0.9:
                w[i] = w[i].replace(".", ",").replace('"', "“")
            else:
                w[i] = w[i] + rnd.choice([".", ",", "!", "?", ":", ";", "-", "'"])
        out.append(" ".join(w))
    return out


def read(path):
    op = gzip.open if path.endswith(".gz") else open
    with op(path, "rt", encoding="utf-8", newline="\n") as f:
        return [l.rstrip() for l in f]


def write(path, lines):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for l in lines:
            f.write(l + "\n")


def mtc(args):
    r = subprocess.run([os.path.join(ROOT, "mtc"), "eval", "--json"] + args, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"mtc eval failed: {r.stderr.strip()}")
    return json.loads(r.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(ROOT), "shared"))
    ap.add_argument("--work", default="/tmp/mtc-crosscheck")
    ap.add_argument("--wmt17", help="sacreBLEU's test/wmt17_en_de_systems.pkl.bz2 (16 real WMT17 en-de systems): "
                                    "paired tests over all of them as in sacreBLEU's test_significance.py")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    print(f"sacreBLEU {sacrebleu.__version__}")

    corpora = {
        "newstest2014": os.path.join(a.shared, "wmt/newstest/newstest2014.de"),
        "newstest2017": os.path.join(a.shared, "wmt/newstest/newstest2017.de"),
        "newstest2009": os.path.join(a.shared, "wmt/newstest/newstest2009.de"),  # has U+0085 / U+00A0
        "multi30k": os.path.join(a.shared, "multi30k/test_2016_flickr.de.gz"),
    }
    failures = 0
    checks = 0
    worst = 0.0

    def compare(label, expected, got_row, counts=None):
        nonlocal failures, checks, worst
        checks += 1
        got = got_row["score_exact"]
        diff = abs(expected - got)
        worst = max(worst, diff)
        ok = f"{expected:.2f}" == f"{got:.2f}" and f"{expected:.4f}" == f"{got:.4f}" and diff < 1e-9
        if counts is not None:
            ok &= [int(c) for c in counts[0]] == [int(c) for c in got_row["counts"]]
            ok &= [int(c) for c in counts[1]] == [int(c) for c in got_row["totals"]]
            ok &= counts[2] == got_row["hyp_len"] and counts[3] == got_row["ref_len"]
        print(f"  {'OK ' if ok else 'BAD'} {label:58s} sacreBLEU {expected:.6f}  mtc {got:.6f}  |diff| {diff:.1e}")
        if not ok:
            failures += 1

    for cname, path in corpora.items():
        ref = read(path)
        ref_file = os.path.join(a.work, cname + ".ref")
        write(ref_file, ref)
        hyp_files = []
        hyps = []
        for rate in (0.1, 0.4):
            h = perturb(ref, rate, seed=int(rate * 100))
            f = os.path.join(a.work, f"{cname}.hyp{int(rate * 100)}")
            write(f, h)
            hyp_files.append(f)
            hyps.append(h)
        print(f"{cname}: {len(ref)} lines, perturbed at 10% and 40%")
        for tok in ("13a", "intl", "none"):
            for lc in (False, True):
                args = ["--ref", ref_file, "--metrics", "bleu", "--tokenize", tok]
                for f in hyp_files:
                    args += ["--hyp", f]
                if lc:
                    args.append("--lowercase")
                rows = mtc(args)
                for k, h in enumerate(hyps):
                    s = BLEU(tokenize=tok, lowercase=lc).corpus_score(h, [ref])
                    compare(f"BLEU tok={tok} lc={lc} hyp{k}", s.score, rows[k],
                            (s.counts, s.totals, s.sys_len, s.ref_len))
                    sig = BLEU(tokenize=tok, lowercase=lc)
                    sig.corpus_score(h, [ref])
                    if rows[k]["signature"] != str(sig.get_signature()):
                        print(f"  BAD signature {rows[k]['signature']} vs {sig.get_signature()}")
                        failures += 1
        for sm in ("floor", "add-k", "none"):
            rows = mtc(["--ref", ref_file, "--hyp", hyp_files[1], "--smooth-method", sm])
            s = BLEU(smooth_method=sm).corpus_score(hyps[1], [ref])
            compare(f"BLEU smooth={sm}", s.score, rows[0])
        for lc in (False, True):
            args = ["--ref", ref_file, "--metrics", "chrf,chrf++"] + sum((["--hyp", f] for f in hyp_files), [])
            if lc:
                args.append("--lowercase")
            rows = mtc(args)
            for k, h in enumerate(hyps):
                compare(f"chrF lc={lc} hyp{k}", CHRF(lowercase=lc).corpus_score(h, [ref]).score, rows[2 * k])
                compare(f"chrF++ lc={lc} hyp{k}", CHRF(word_order=2, lowercase=lc).corpus_score(h, [ref]).score,
                        rows[2 * k + 1])
        # multiple references: the 10% copy serves as a second reference for the 40% copy
        rows = mtc(["--ref", ref_file, "--ref", hyp_files[0], "--hyp", hyp_files[1], "--metrics", "bleu,chrf,chrf++"])
        s = BLEU().corpus_score(hyps[1], [ref, hyps[0]])
        compare("BLEU 2 refs", s.score, rows[0], (s.counts, s.totals, s.sys_len, s.ref_len))
        compare("chrF 2 refs", CHRF().corpus_score(hyps[1], [ref, hyps[0]]).score, rows[1])
        compare("chrF++ 2 refs", CHRF(word_order=2).corpus_score(hyps[1], [ref, hyps[0]]).score, rows[2])

    # sentence BLEU on 300 lines of newstest2014
    ref = read(corpora["newstest2014"])[:300]
    hyp = perturb(ref, 0.4, seed=7)
    write(os.path.join(a.work, "sent.ref"), ref)
    write(os.path.join(a.work, "sent.hyp"), hyp)
    rows = mtc(["--ref", os.path.join(a.work, "sent.ref"), "--hyp", os.path.join(a.work, "sent.hyp"), "--sentence-level"])
    bad = 0
    for h, r, row in zip(hyp, ref, rows):
        e = sacrebleu.sentence_bleu(h, [r]).score
        if abs(e - row["score_exact"]) > 1e-9 or f"{e:.2f}" != f"{row['score_exact']:.2f}":
            bad += 1
    checks += 1
    print(f"  {'OK ' if bad == 0 else 'BAD'} sentence BLEU, 300 lines: {bad} differ")
    failures += bad > 0

    # paired tests on newstest2014: baseline = 10% copy, systems = 40% copy and a close copy
    ref = read(corpora["newstest2014"])
    base = read(os.path.join(a.work, "newstest2014.hyp10"))
    sys1 = read(os.path.join(a.work, "newstest2014.hyp40"))
    # a close competitor: the baseline with every 300th line taken from the 40% copy (p-values well above 0)
    sys2 = [s if i % 300 else t for i, (s, t) in enumerate(zip(base, sys1))]
    write(os.path.join(a.work, "newstest2014.hyp12"), sys2)
    for test in ("bs", "ar"):
        rows = mtc(["--ref", os.path.join(a.work, "newstest2014.ref"), "--metrics", "bleu,chrf",
                    "--hyp", os.path.join(a.work, "newstest2014.hyp10"),
                    "--hyp", os.path.join(a.work, "newstest2014.hyp40"),
                    "--hyp", os.path.join(a.work, "newstest2014.hyp12"), "--paired-" + test])
        ps = PairedTest([("base", base), ("sys1", sys1), ("sys2", sys2)],
                        {"BLEU": BLEU(references=[ref]), "chrF": CHRF(references=[ref])},
                        references=None, test_type=test)
        sigs, scores = ps()
        k = 0
        for metric in ("BLEU", "chrF2"):
            for res in scores[metric]:
                row = rows[k]
                k += 1
                checks += 1
                fields = [("score", res.score, row["score_exact"]), ("p", res.p_value, row["p_value"]),
                          ("mean", res.mean, row["mean"]), ("ci", res.ci, row["ci"])]
                ok = True
                txt = []
                for name, e, g in fields:
                    if e is None or g is None:
                        ok &= e is None and g is None
                        continue
                    ok &= abs(float(e) - g) < 1e-9 and f"{float(e):.4f}" == f"{g:.4f}"
                    txt.append(f"{name} {float(e):.4f}/{g:.4f}")
                sig_ok = row["signature"] == str(sigs[metric])
                ok &= sig_ok
                print(f"  {'OK ' if ok else 'BAD'} paired-{test} {metric} {row['system'][-5:]}: " + ", ".join(txt)
                      + ("" if sig_ok else f"  signature {row['signature']} vs {sigs[metric]}"))
                failures += not ok

    if a.wmt17:
        import bz2
        import pickle
        with bz2.BZ2File(a.wmt17, "rb") as f:
            named = pickle.load(f)
        _, refs17 = named.pop()
        files = []
        for k, r in enumerate(refs17):
            write(os.path.join(a.work, f"wmt17.ref{k}"), r)
        for name, hyp in named:
            fn = os.path.join(a.work, name)
            write(fn, hyp)
            files.append(fn)
        print(f"WMT17 en-de: {len(named)} systems, {len(refs17[0])} lines, tokenize none (as sacreBLEU's tests)")
        for test in ("bs", "ar"):
            args = ["--metrics", "bleu", "--tokenize", "none", "--paired-" + test]
            for k in range(len(refs17)):
                args += ["--ref", os.path.join(a.work, f"wmt17.ref{k}")]
            for fn in files:
                args += ["--hyp", fn]
            rows = mtc(args)
            ps = PairedTest(named, {"BLEU": BLEU(references=refs17, tokenize="none")}, references=None,
                            test_type=test)
            sigs, scores = ps()
            for row, res in zip(rows, scores["BLEU"]):
                checks += 1
                ok = abs(res.score - row["score_exact"]) < 1e-9
                for e, g in ((res.p_value, row["p_value"]), (res.mean, row["mean"]), (res.ci, row["ci"])):
                    ok &= (e is None and g is None) or (e is not None and g is not None and abs(float(e) - g) < 1e-9)
                print(f"  {'OK ' if ok else 'BAD'} wmt17 paired-{test} {os.path.basename(row['system']):42s} "
                      f"BLEU {row['score_exact']:.2f} p {row['p_value']} / sacreBLEU p {res.p_value}")
                failures += not ok

    print(f"{checks} checks, {failures} failed; largest |score difference| {worst:.2e}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
