#!/usr/bin/python3
"""Independent check of results files written by the Swift Results code against docs/FORMAT.md.

Usage: /usr/bin/python3 scripts/check_results.py DIR docs/FORMAT.md

Run by ExperimentsTests.ResultsInteropTests, which writes into DIR:

  metrics.h5, weights.h5, checkpoint.h5   checked against FORMAT.md's format tables: every
                                          group, dataset and attribute matches exactly one row
                                          (kind, numpy dtype, rank); required rows occur;
                                          string attributes are str; JSON ones json.loads
  torch_<variant>/weights.h5 + logits.h5  with torch importable: the FORMAT.md PyTorch recipe
                                          (executed as written) loads weights.h5, and its logits
                                          on logits.h5's inputs match the engine's to 1e-5

Needs h5py and numpy; torch optional ("torch: skipped" when missing). Exits 0 when every
check passes, 1 with a message otherwise.
"""
import glob
import json
import os
import re
import sys

import h5py
import numpy as np

PLACEHOLDERS = {"{NNNN}": "[0-9]{4,}", "{layer}": "[PS][0-9]+", "{quantity}": "[A-Za-z0-9_.-]+",
                "{counter}": "[A-Za-z0-9_.-]+"}
JSON_ATTRIBUTES = {"config_json", "blas", "datasets"}


def tables(text):
    """{file name: [row dict]} from the <!-- format-table: NAME --> tables."""
    result = {}
    lines = text.split("\n")
    for i, line in enumerate(lines):
        m = re.fullmatch(r"<!-- format-table: (\S+) -->", line)
        if not m:
            continue
        rows = []
        for row in lines[i + 3:]:
            if not row.startswith("|"):
                break
            cells = [c.strip() for c in row.split("|")[1:]]
            obj = cells[0].replace("`", "")
            pattern = re.escape(obj)
            for placeholder, regex in PLACEHOLDERS.items():
                pattern = pattern.replace(re.escape(placeholder), regex)
            ranks = None if cells[3] == "—" else [
                0 if not s.strip("() ") else len(s.strip("() ").split(",")) for s in cells[3].split(" or ")]
            rows.append(dict(object=obj, regex=re.compile("^" + pattern + "$"), kind=cells[1], type=cells[2],
                             ranks=ranks, required=cells[4] == "yes"))
        result[m.group(1)] = rows
    return result


def attribute_type(value):
    if isinstance(value, str):
        return "string", 0
    value = np.asarray(value)
    return str(value.dtype), value.ndim


def entries(path):
    """(path, kind, numpy type, rank) of every group, dataset and attribute."""
    found = []

    def attributes(obj):
        prefix = "" if obj.name == "/" else obj.name
        for name, value in obj.attrs.items():
            kind, rank = attribute_type(value)
            found.append((f"{prefix}@{name}", "attribute", kind, rank))
            if name in JSON_ATTRIBUTES:
                json.loads(value)  # raises on bad JSON

    with h5py.File(path, "r") as f:
        attributes(f)

        def visit(name, obj):
            if isinstance(obj, h5py.Group):
                found.append(("/" + name, "group", "—", None))
            else:
                found.append(("/" + name, "dataset", str(obj.dtype), obj.ndim))
            attributes(obj)
        f.visititems(visit)
    return found


def check_file(path, rows):
    problems, used = [], set()
    for entry_path, kind, dtype, rank in entries(path):
        matches = [r for r in rows if r["kind"] == kind and r["regex"].match(entry_path)]
        if len(matches) != 1:
            problems.append(f"{path}: {kind} {entry_path} matches {len(matches)} rows")
            continue
        row = matches[0]
        used.add(row["object"])
        if row["type"] != dtype or (row["ranks"] is not None and rank not in row["ranks"]):
            problems.append(f"{path}: {kind} {entry_path} is {dtype} rank {rank}, FORMAT.md says {row['type']} {row['ranks']}")
    problems += [f"{path}: required {r['object']} missing" for r in rows if r["required"] and r["object"] not in used]
    return problems


def recipe(text):
    m = re.search(r"<!-- recipe: pytorch -->\n```python\n(.*?)```", text, re.S)
    if not m:
        raise AssertionError("FORMAT.md has no <!-- recipe: pytorch --> python block")
    return m.group(1)


def check_torch(directory, text):
    try:
        import torch
    except ImportError:
        print("torch: skipped (not installed)")
        return []
    namespace = {}
    exec(compile(recipe(text), "FORMAT.md recipe", "exec"), namespace)
    problems = []
    variants = sorted(glob.glob(os.path.join(directory, "torch_*")))
    if not variants:
        problems.append("no torch_* directories to check")
    for variant in variants:
        model = namespace["load_weights"](os.path.join(variant, "weights.h5"))
        with h5py.File(os.path.join(variant, "logits.h5"), "r") as f:
            images, expected = f["images"][()], f["logits"][()]
        with torch.no_grad():
            logits = model(torch.from_numpy(images)).numpy()
        difference = float(np.max(np.abs(logits - expected)))
        scale = max(1.0, float(np.max(np.abs(expected))))
        print(f"torch {os.path.basename(variant)}: max |logits - engine| = {difference:.3g}")
        if logits.shape != expected.shape or difference > 1e-5 * scale:
            problems.append(f"{variant}: PyTorch logits differ from the engine's by {difference}")
    return problems


def main():
    directory, document = sys.argv[1], sys.argv[2]
    text = open(document, encoding="utf-8").read()
    problems = []
    for name, rows in tables(text).items():
        path = os.path.join(directory, name)
        if os.path.exists(path):
            problems += check_file(path, rows)
            print(f"checked {name}")
    problems += check_torch(directory, text)
    if problems:
        print("\n".join(problems))
        return 1
    print("ok results")
    return 0


if __name__ == "__main__":
    sys.exit(main())
