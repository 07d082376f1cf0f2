#!/usr/bin/env python3
"""Runs FERLab and the reference pipeline on the same data, in one run, and
prints their times side by side (called by Scripts/bench; standard library only).

    side_by_side.py --data CSV [--gzip CSV.GZ] [--reference PYTHON] [--repeat 3] [--quick]

Every measured program runs as its own process, so its peak resident memory
is its own (from wait4). Times are medians over --repeat runs, except the
reference's end-to-end run (and with it the grid and figures), which runs once.
The grid and the figures are those of the seed-v2 experiment on both sides
(the grid on the training rows' PCA scores); FERLab's come from its run log.
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FERLAB = os.path.join(ROOT, ".build", "release", "ferlab")
BENCH = os.path.join(ROOT, ".build", "release", "ferlab-bench")
PIPELINE = os.path.join(ROOT, "Scripts", "reference", "pipeline.py")
CONFIG = os.path.join(ROOT, "Reports", "seed-v2.yaml")
LANDMARK_MODEL = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat"


def measured(command, label):
    """Runs `command`; returns (wall seconds, peak RSS in MB, stdout)."""
    print(f"  {label}", file=sys.stderr, flush=True)
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        errors = process.stderr.read().decode(errors="replace")
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode()
    if process.returncode != 0:
        sys.exit(f"bench: {' '.join(command)} failed ({process.returncode}):\n{errors[-2000:]}")
    return wall, usage.ru_maxrss / 1024, text


def ferlab_side(args, work):
    result = {}
    # FERLab's steps take well under a second each: time them at least five times.
    steps_repeat = str(max(5, args.repeat))
    _, _, text = measured([BENCH, "steps", args.data, "--repeat", steps_repeat]
                            + ([] if args.quick else ["--scaling"]), "FERLab: steps")
    result.update(json.loads(text))
    if args.gzip:
        _, _, text = measured([BENCH, "steps", args.gzip, "--repeat", steps_repeat, "--load-only"],
                              "FERLab: reading the .gz")
        result["load_gzip"] = json.loads(text)["load"]
    if os.path.exists(LANDMARK_MODEL):
        _, _, text = measured([BENCH, "landmarks", args.data, "--model", LANDMARK_MODEL],
                              "FERLab: dlib's landmarks of every image")
        result["landmarks"] = json.loads(text)
    _, _, text = measured([BENCH, "tsne", args.data], "FERLab: t-SNE of every image")
    result["tsne"] = json.loads(text)
    runs, peaks, figures, grids = [], [], [], []
    site = os.path.join(work, "site")
    for run in range(args.repeat):
        cache = os.path.join(work, f"cache-{run}")
        wall, rss, _ = measured([FERLAB, "run", CONFIG, "--data", args.data, "--out", site, "--cache", cache],
                                f"FERLab: seed-v2 end to end, empty cache ({run + 1}/{args.repeat})")
        runs.append(wall)
        peaks.append(rss)
        log = json.load(open(os.path.join(site, "run.json")))
        figures.append(log["figure_seconds"])
        grids.append(next(stage["seconds"] for stage in log["stages"] if stage["name"] == "grid"))
    result["end_to_end"], result["figures"] = statistics.median(runs), statistics.median(figures)
    result["grid"] = statistics.median(grids)
    result["peak_mb"] = max(peaks)

    cache = os.path.join(work, "cache-0")

    def rerun(label, changes):
        """Median wall time and load-stage time of one rerun per list of overrides."""
        walls, loads = [], []
        for overrides in changes:
            command = [FERLAB, "run", CONFIG, "--data", args.data, "--out", site, "--cache", cache]
            for override in overrides:
                command += ["--set", override]
            wall, _, _ = measured(command, f"FERLab: rerun, {label}")
            walls.append(wall)
            stages = json.load(open(os.path.join(site, "run.json")))["stages"]
            loads.append(next(stage["seconds"] for stage in stages if stage["name"] == "load"))
        return statistics.median(walls), statistics.median(loads)

    repetitions = range(args.repeat)
    result["rerun_unchanged"], result["cache_load"] = rerun("nothing changed", [[] for _ in repetitions])
    # Each rerun asks for values not computed before, so none is served whole from the cache.
    result["rerun_figure_option"], _ = rerun(
        "a figure option changed", [[f"figures.point_alpha={0.3 + 0.05 * run:.2f}"] for run in repetitions])
    result["rerun_clusters"], _ = rerun(
        "the number of clusters changed", [[f"models.clusters={8 + run}"] for run in repetitions])
    return result


def reference_side(args):
    result = {}
    _, _, text = measured([args.reference, PIPELINE, "steps", args.data, "--repeat", str(args.repeat)],
                          "reference: steps")
    result.update(json.loads(text))
    _, rss, text = measured([args.reference, PIPELINE, "end-to-end", args.data],
                            "reference: seed-v2 end to end (the grid alone takes minutes on FER2013)")
    whole = json.loads(text)
    result.update(grid=whole["grid"], figures=whole["figures"], end_to_end=whole["end_to_end"], peak_mb=rss)
    if not args.quick:
        _, _, text = measured([args.reference, PIPELINE, "scaling", args.data, "--repeat", "1"],
                              "reference: k-means and silhouette at growing sizes")
        result.update(json.loads(text))
    return result


def seconds(value):
    if value is None:
        return "-"
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


ROWS = [
    ("load", "read the CSV", 40),
    ("sample_scale", "sample and min-max scale", None),
    ("pca2", "PCA, 2 components", 3),
    ("svd2", "TruncatedSVD, 2 components", 3),
    ("kmeans7", "k-means, k = 7, n_init = 10", None),
    ("silhouette", "one exact silhouette", 30),
    ("grid", "grid: 44 k-means + silhouette fits", 50),
    ("figures", "all figures", 7),
    ("end_to_end", "seed-v2 end to end", 20),
]


def table(ours, theirs, args):
    lines = ["| step | FERLab | reference | ratio | target |", "|---|---|---|---|---|"]
    for key, label, target in ROWS:
        mine, other = ours.get(key), theirs.get(key)
        ratio = f"{other / mine:.1f}x" if mine and other else "-"
        judged = target is not None and mine and other and not args.quick
        met = "" if not judged else (" met" if other / mine >= target else " NOT met")
        lines.append(f"| {label} | {seconds(mine)} | {seconds(other)} | {ratio} | "
                     f"{f'{target}x' if target else '-'}{met} |")
    if "load_gzip" in ours:
        lines.append(f"| read the .csv.gz | {seconds(ours['load_gzip'])} | - | - | - |")
    if "landmarks" in ours:
        landmarks = ours["landmarks"]
        lines.append(f"| read dlib's 68-point model (100 MB) | {seconds(landmarks['model_load'])} | - | - | - |")
        lines.append(f"| dlib's landmarks of all {landmarks['rows']:,} images, both cores | "
                     f"{seconds(landmarks['landmarks'])} | - | - | < 60 s"
                     f"{'' if args.quick else ' met' if landmarks['landmarks'] < 60 else ' NOT met'} |")
    tsne = ours["tsne"]
    lines.append(f"| t-SNE of all {tsne['rows']:,} images (50 PCA components), both cores | "
                 f"{seconds(tsne['tsne'])} | - | - | < 60 s"
                 f"{'' if args.quick else ' met' if tsne['tsne'] < 60 else ' NOT met'} |")
    cache = ours["cache_load"]
    lines.append(f"| second load, from FERLab's cache | {seconds(cache)} | - | - | < 0.1 s"
                 f"{'' if args.quick else ' met' if cache < 0.1 else ' NOT met'} |")
    for key, label in (("rerun_unchanged", "rerun, nothing changed"),
                       ("rerun_figure_option", "rerun after a figure option"),
                       ("rerun_clusters", "rerun after the number of clusters")):
        lines.append(f"| {label} | {seconds(ours[key])} | - | - | - |")
    peak, other = ours["peak_mb"], theirs.get("peak_mb")
    below = peak < 1024 and (other is None or peak < other)
    lines.append(f"| peak memory, seed-v2 run | {peak:.0f} MB | {f'{other:.0f} MB' if other else '-'} | - | "
                 f"< 1 GB and < reference{'' if args.quick else ' met' if below else ' NOT met'} |")
    print("\n".join(lines))
    print(f"\n{int(ours['rows'])} rows of the final model's input; medians of {args.repeat} runs (FERLab's single "
          f"steps: {max(5, args.repeat)}; the reference's end to end, grid and figures: one run); "
          f"ratio = reference / FERLab.")
    if args.quick:
        print("Quick run on synthetic faces: the targets are for FER2013 (Scripts/bench without --quick).")
    if "scaling" in ours:
        print("\nHow k-means (k = 7, n_init = 10) and one exact silhouette grow with the rows (all rows, PCA 2):\n")
        print("| rows | FERLab k-means | FERLab silhouette | reference k-means | reference silhouette |")
        print("|---|---|---|---|---|")
        reference = {entry["rows"]: entry for entry in theirs.get("scaling", [])}
        for entry in ours["scaling"]:
            other = reference.get(int(entry["rows"]), {})
            print(f"| {int(entry['rows'])} | {seconds(entry['kmeans7'])} | {seconds(entry['silhouette'])} | "
                  f"{seconds(other.get('kmeans7'))} | {seconds(other.get('silhouette'))} |")
    print(f"\nMachine: {os.cpu_count()} cores, {platform.machine()}, {platform.platform()}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="the plain CSV both sides read")
    parser.add_argument("--gzip", help="the same data gzipped, to time FERLab reading it")
    parser.add_argument("--reference", help="the Python with the reference's packages (none: FERLab only)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="no scaling runs")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="ferlab-bench-")
    try:
        ours = ferlab_side(args, work)
        theirs = reference_side(args) if args.reference else {}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    table(ours, theirs, args)


if __name__ == "__main__":
    main()
