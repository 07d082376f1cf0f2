#!/usr/bin/env python3
"""Runs FERLab and the reference pipeline on the same data, in one run, and
prints their times side by side (called by Scripts/bench; standard library only).

    side_by_side.py --data CSV [--gzip CSV.GZ] [--reference PYTHON] [--repeat 3] [--quick] [--scale]

Every measured program runs as its own process, so its peak resident memory
is its own (from wait4). Times are medians over --repeat runs, except the
reference's end-to-end run (and with it the grid and figures), which runs once.
The grid and the figures are those of the seed-v2 experiment on both sides
(the grid on the training rows' PCA scores); FERLab's come from its run log.
With --scale it also runs the default experiment on 150,000 and 1,000,000
built-in faces written as CSV files (`ferlab synth`), once each, for time and
peak memory (FERLab only: the reference would take hours).
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
    ("end_to_end", "seed-v2 end to end, every output", 50),
]

# Targets on FERLab's own times (seconds): key, row, most.
LIMITS = [
    ("cache_load", "second load, from FERLab's cache", 0.1),
    ("rerun_unchanged", "rerun, nothing changed", None),
    ("rerun_figure_option", "rerun after a figure option", 1),
    ("rerun_clusters", "rerun after the number of clusters", 3),
]

# The scale runs: faces, target seconds, target peak memory in GB.
SCALE = [(150_000, 45, None), (1_000_000, 300, 4)]


def verdict(ok, args):
    return "" if args.quick else " met" if ok else " NOT met"


def scale_side(work):
    """The default experiment on built-in faces as CSV files of growing size: wall seconds, peak GB and the peak
    the run estimated before it started (its run log's), which must not be below the peak."""
    result = []
    for count, _, _ in SCALE:
        data = os.path.join(work, f"faces-{count}.csv")
        measured([FERLAB, "synth", "-c", str(count), "-o", data], f"FERLab: writing {count:,} built-in faces")
        wall, rss, _ = measured([FERLAB, "run", "--data", data, "--out", os.path.join(work, f"scale-{count}"),
                                 "--cache", os.path.join(work, f"scale-cache-{count}")],
                                f"FERLab: the default experiment on {count:,} faces, empty cache")
        with open(os.path.join(work, f"scale-{count}", "run.json")) as file:
            estimate = json.load(file).get("estimated_memory_bytes", 0) / (1 << 30)
        result.append({"rows": count, "seconds": wall, "peak_gb": rss / 1024, "estimated_gb": estimate})
        os.remove(data)
    return result


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
                     f"{seconds(landmarks['landmarks'])} | - | - | < 20 s"
                     f"{verdict(landmarks['landmarks'] < 20, args)} |")
    tsne = ours["tsne"]
    lines.append(f"| t-SNE of all {tsne['rows']:,} images (50 PCA components), both cores | "
                 f"{seconds(tsne['tsne'])} | - | - | < 60 s"
                 f"{'' if args.quick else ' met' if tsne['tsne'] < 60 else ' NOT met'} |")
    for key, label, most in LIMITS:
        target = "-" if most is None else f"< {most:g} s{verdict(ours[key] < most, args)}"
        lines.append(f"| {label} | {seconds(ours[key])} | - | - | {target} |")
    peak, other = ours["peak_mb"], theirs.get("peak_mb")
    below = peak < 1024 and (other is None or peak < other)
    lines.append(f"| peak memory, seed-v2 run | {peak:.0f} MB | {f'{other:.0f} MB' if other else '-'} | - | "
                 f"< 1 GB and < reference{verdict(below, args)} |")
    for run, (count, most, memory) in zip(ours.get("scale", []), SCALE):
        ok = run["seconds"] < most and (memory is None or run["peak_gb"] < memory)
        lines.append(f"| default experiment, {count:,} built-in faces (peak {run['peak_gb']:.1f} GB, "
                     f"estimated {run['estimated_gb']:.1f} GB) | "
                     f"{seconds(run['seconds'])} | - | - | < {most} s"
                     f"{'' if memory is None else f' and < {memory} GB'}{verdict(ok, args)} |")
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
    print(f"\nMachine: {os.cpu_count()} cores, {platform.machine()}, {processor_name()}, {platform.platform()}")


def processor_name():
    """The processor's model name as Linux reports it (which differs between machines of one architecture)."""
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "processor unnamed"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="the plain CSV both sides read")
    parser.add_argument("--gzip", help="the same data gzipped, to time FERLab reading it")
    parser.add_argument("--reference", help="the Python with the reference's packages (none: FERLab only)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="no scaling runs")
    parser.add_argument("--scale", action="store_true", help="also 150,000 and 1,000,000 built-in faces")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="ferlab-bench-")
    try:
        ours = ferlab_side(args, work)
        if args.scale:
            ours["scale"] = scale_side(work)
        theirs = reference_side(args) if args.reference else {}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    table(ours, theirs, args)


if __name__ == "__main__":
    main()
