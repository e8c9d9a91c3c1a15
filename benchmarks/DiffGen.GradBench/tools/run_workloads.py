#!/usr/bin/env python3
"""Plays GradBench's default workloads (SPEC §2) against a tool and prints the mean evaluate time
of the primal and the derivative per workload, and their ratio, as a Markdown table; then the median
and range of the ratios per eval.

    python3 run_workloads.py TOOL_COMMAND... [--evals lse,gmm] [--min-seconds 1] [--reference DIR]

With --reference DIR (a build of GradBench's hand-written C++ tool: DIR/bin/<eval> INPUT FUNCTION),
each output is also compared with the reference's by GradBench's rule (same JSON shape, reals within
|x - y| / max(1, |x| + |y|) <= 1e-4) and the reference's own mean times and ratio are printed beside.

Inputs follow the SPEC's shapes and distributions, drawn with Python's random module (seed 31337),
not NumPy's generator: the values differ from GradBench's, the sizes and the work do not. ba uses
ba1's camera, point, weight and feature for every size (only n, m, p change the work); lstm uses
random bits instead of the sonnets' text (the loss does the same work for any bits).
"""
import argparse
import json
import random
import os
import subprocess
import sys
import tempfile


def uniform(rng, count):
    return [rng.random() for _ in range(count)]


def rows(values, width):
    return [values[i:i + width] for i in range(0, len(values), width)]


def lse(rng):
    for k in range(10):
        n = 2500 * 2 ** k
        yield f"n={n}", {"x": uniform(rng, n)}


def llsq(rng):
    for n in [16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8196, 16392]:
        yield f"n={n},m=128", {"x": uniform(rng, 128), "n": n}


def det(rng):
    for ell in range(5, 12):
        yield f"{ell}", {"A": uniform(rng, ell * ell), "ell": ell}


def ode(rng):
    sizes = sorted(((n, s) for n in [1000, 10000, 100000] for s in [1, 10, 100]), key=lambda p: p[0] * p[1])
    for n, s in sizes:
        yield f"n={n},s={s}", {"x": uniform(rng, n), "s": s}


def kmeans(rng):
    sizes = sorted(((k, n, d) for k in [10, 100, 1000] for n in [1000, 10000] for d in [8, 16]), key=lambda t: t[0] * t[1] * t[2])
    for k, n, d in sizes:
        points = rows(uniform(rng, n * d), d)
        yield f"k={k},n={n},d={d}", {"points": points, "centroids": points[-k:]}


def gmm(rng):
    sizes = sorted(((d, k) for d in [2, 10, 20, 32, 64] for k in [5, 10, 25, 50, 100]), key=lambda p: p[0] * p[1])
    n = 1000
    for d, k in sizes:
        normal = lambda count: [rng.gauss(0, 1) for _ in range(count)]
        yield f"{d}_{k}_{n}", {
            "d": d, "k": k, "n": n, "m": 0, "gamma": 1.0,
            "x": rows(normal(n * d), d), "alpha": normal(k), "mu": rows(uniform(rng, k * d), d),
            "q": rows(normal(k * d), d), "l": rows(normal(k * d * (d - 1) // 2), d * (d - 1) // 2) if d > 1 else [[] for _ in range(k)],
        }


BA_SIZES = [(49, 7776, 31843), (21, 11315, 36455), (161, 48126, 182072), (372, 47423, 204472), (257, 65132, 225911),
            (539, 65220, 277273), (93, 61203, 287451), (88, 64298, 383937), (810, 88814, 393775), (1197, 126327, 563734),
            (1723, 156502, 678718), (253, 163691, 899155), (245, 198739, 1091386), (356, 226730, 1255268)]


def ba(rng):
    for i, (n, m, p) in enumerate(BA_SIZES, start=1):
        yield f"ba{i}", {"n": n, "m": m, "p": p,
                         "cam": [-0.758453, -1.109613, -0.845551, 34.556073, 39.676747, 53.881673, 419.194514, 5.864426, -8.51887, 0.087812, 0.002739],
                         "x": [7.203245, 0.001144, 3.023326], "w": 0.417022, "feat": [271.760969, 834.209256]}


def lstm(rng):
    b = 14
    for l, c in sorted(((l, c) for l in [2, 4, 6] for c in [1024, 4096, 8192]), key=lambda p: p[0] * p[1]):
        yield f"l={l},c={c}", {"main_params": rows(uniform(rng, 8 * l * b), 4 * b), "extra_params": rows(uniform(rng, 3 * b), b),
                               "state": rows(uniform(rng, 2 * l * b), b), "sequence": [[float(rng.getrandbits(1)) for _ in range(b)] for _ in range(c)]}


def mismatch(tool, reference, path="output"):
    """GradBench's comparison: None when the values match, else where they differ."""
    if isinstance(reference, bool) or isinstance(tool, bool):
        return None if tool == reference else path
    if isinstance(reference, (int, float)) and isinstance(tool, (int, float)):
        return None if abs(tool - reference) / max(1.0, abs(tool) + abs(reference)) <= 1e-4 else f"{path}: {tool} vs {reference}"
    if isinstance(reference, list) and isinstance(tool, list):
        if len(tool) != len(reference):
            return f"{path}: length {len(tool)} vs {len(reference)}"
        return next((m for i, (a, b) in enumerate(zip(tool, reference)) if (m := mismatch(a, b, f"{path}[{i}]"))), None)
    if isinstance(reference, dict) and isinstance(tool, dict):
        if set(tool) != set(reference):
            return f"{path}: keys {sorted(tool)} vs {sorted(reference)}"
        return next((m for k in reference if (m := mismatch(tool[k], reference[k], f"{path}.{k}"))), None)
    return None if tool == reference else f"{path}: {tool!r} vs {reference!r}"


def run_reference(directory, name, function, data):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(data, file)
    try:
        lines = subprocess.run([os.path.join(directory, "bin", name), file.name, function], capture_output=True, text=True, check=True).stdout.splitlines()
    finally:
        os.unlink(file.name)
    runs = [t["nanoseconds"] for t in map(json.loads, lines[1:]) if t["name"] == "evaluate"]
    return json.loads(lines[0]), sum(runs) / len(runs) / 1e6


EVALS = {"lse": (lse, "primal", "gradient"), "llsq": (llsq, "primal", "gradient"), "det": (det, "primal", "gradient"),
         "ode": (ode, "primal", "gradient"), "kmeans": (kmeans, "cost", "dir"), "gmm": (gmm, "objective", "jacobian"),
         "ba": (ba, "objective", "jacobian"), "lstm": (lstm, "objective", "jacobian")}


def ratio(means):
    return f"{means[1] / means[0]:.2f}" if len(means) == 2 and None not in means and means[0] > 0 else "—"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("tool", nargs="+")
    parser.add_argument("--evals", default=",".join(EVALS))
    parser.add_argument("--min-seconds", type=float, default=1.0)
    parser.add_argument("--reference")
    args = parser.parse_args()
    tool = subprocess.Popen(args.tool, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1 << 20)
    next_id = 0

    def send(message):
        nonlocal next_id
        message = {"id": next_id, **message}
        next_id += 1
        tool.stdin.write(json.dumps(message) + "\n")
        tool.stdin.flush()
        response = json.loads(tool.stdout.readline())
        assert response["id"] == message["id"], response
        return response

    summary = {}
    header = "| eval | workload | primal (ms) | derivative (ms) | ratio |"
    if args.reference:
        header += " reference primal (ms) | reference derivative (ms) | reference ratio | valid |"
    print(header)
    print("|---" * (header.count("|") - 1) + "|")
    for name in args.evals.split(","):
        workloads, primal, derivative = EVALS[name]
        send({"kind": "start", "eval": name})
        assert send({"kind": "define", "module": name})["success"]
        for description, data in workloads(random.Random(31337)):
            data = {**data, "min_runs": 1, "min_seconds": args.min_seconds}
            means, reference_means, problems = [], [], []
            for function in (primal, derivative):
                response = send({"kind": "evaluate", "module": name, "function": function, "input": data, "description": description})
                if not response["success"]:
                    means.append(None)
                    problems.append(f"{function} failed")
                    print(f"{name} {description} {function}: {response['error']}", file=sys.stderr)
                    continue
                runs = [t["nanoseconds"] for t in response["timings"] if t["name"] == "evaluate"]
                means.append(sum(runs) / len(runs) / 1e6)
                if args.reference:
                    output, mean = run_reference(args.reference, name, function, data)
                    reference_means.append(mean)
                    if (problem := mismatch(response["output"], output)):
                        problems.append(f"{function} {problem}")
            cells = [name, description] + [f"{m:.4g}" if m is not None else "failed" for m in means] + [ratio(means)]
            if args.reference:
                cells += [f"{m:.4g}" for m in reference_means] + [ratio(reference_means), "; ".join(problems)[:200] or "yes"]
            print("| " + " | ".join(cells) + " |", flush=True)
            ratios = summary.setdefault(name, ([], []))
            for values, into in ((means, ratios[0]), (reference_means, ratios[1])):
                if len(values) == 2 and None not in values and values[0] > 0:
                    into.append(values[1] / values[0])
    tool.stdin.close()
    tool.wait()
    print()
    print("| eval | ratio, median (range) |" + (" reference ratio, median (range) |" if args.reference else ""))
    print("|---|---|" + ("---|" if args.reference else ""))
    for name, (ratios, reference_ratios) in summary.items():
        print(f"| {name} | {spread(ratios)} |" + (f" {spread(reference_ratios)} |" if args.reference else ""))


def spread(ratios):
    """The median and range of a list of ratios, as the docs print them."""
    if not ratios:
        return "—"
    ordered = sorted(ratios)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return f"{median:.2f} ({ordered[0]:.2f}–{ordered[-1]:.2f})"


if __name__ == "__main__":
    main()
