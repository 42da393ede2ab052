#!/usr/bin/env python3
"""Run the Python cells of a Jupytext markdown notebook written by `exp report`.

Usage: /usr/bin/python3 scripts/run_notebook_cells.py NOTEBOOK.md [--results DIR]

Extracts every fenced ```python block in order and executes them in one namespace, with the
working directory set to the notebook's folder (as Jupyter does) and matplotlib's Agg backend
(no display). --results sets EXP_RESULTS, which the notebook's first cell reads. Needs Debian's
python3-h5py, python3-numpy and python3-matplotlib (visible to /usr/bin/python3). Exit status 0
when every cell ran, 1 with the failing cell's number and traceback otherwise, 2 for bad usage.
"""
import argparse
import os
import re
import sys
import traceback

CELL = re.compile(r"^(`{3,})python[ \t]*\n(.*?)\n\1[ \t]*$", re.MULTILINE | re.DOTALL)


def cells(text):
    """The python cells' code, in order."""
    return [match.group(2) for match in CELL.finditer(text)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook")
    parser.add_argument("--results", help="results directory (sets EXP_RESULTS)")
    args = parser.parse_args()
    if args.results:
        os.environ["EXP_RESULTS"] = os.path.abspath(args.results)
    os.environ["MPLBACKEND"] = "Agg"
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import warnings
    warnings.filterwarnings("ignore", message=".*non-GUI backend.*")  # plt.show() under Agg

    path = os.path.abspath(args.notebook)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if not text.startswith("---\njupyter:\n"):
        print(f"{path}: no Jupytext YAML header", file=sys.stderr)
        return 1
    code = cells(text)
    if not code:
        print(f"{path}: no python cells", file=sys.stderr)
        return 1
    os.chdir(os.path.dirname(path))
    namespace = {"__name__": "__main__"}
    for number, source in enumerate(code, 1):
        try:
            exec(compile(source, f"{os.path.basename(path)}:cell{number}", "exec"), namespace)
        except Exception:
            print(f"{path}: python cell {number} of {len(code)} failed:", file=sys.stderr)
            traceback.print_exc()
            return 1
        finally:
            plt.close("all")
    print(f"{path}: {len(code)} python cells ran")
    return 0


if __name__ == "__main__":
    sys.exit(main())
