"""Time every widget of every chapter: the draw call (compute + artists) and draw + render.

Run by hand:  .venv/bin/python benchmarks/bench_widgets.py
Each chapter is executed headless with ROSETTA_WIDGET_TIMING=1, so rosetta.widgets.interact
times its draw function over seven slider positions (the defaults first, then random ones
within the declared ranges) and prints the medians. Also prints each notebook's run time.
"""
import glob
import os
import time

import nbformat
from nbclient import NotebookClient

here = os.path.dirname(os.path.abspath(__file__))
book = os.path.join(here, "..", "book")
os.environ["ROSETTA_HEADLESS"] = "1"
os.environ["ROSETTA_WIDGET_TIMING"] = "1"

for path in sorted(glob.glob(os.path.join(book, "*.ipynb"))):
    nb = nbformat.read(path, as_version=4)
    t0 = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": book}}).execute()
    elapsed = time.perf_counter() - t0
    print(f"{os.path.basename(path)}: executed in {elapsed:.1f} s (with widget timing sweeps)")
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                for line in out["text"].splitlines():
                    if line.startswith("WIDGET-TIMING"):
                        print("  " + line[len("WIDGET-TIMING "):])
