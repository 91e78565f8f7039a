"""Runs notebooks through Jupyter's protocol (nbclient) on ONE kernel, in order.

    python3 run_notebooks.py PLAN.json

PLAN.json: {"kernel": "hallmark-java", "timeout": 600,
            "runs": [{"notebook": "in.ipynb", "out": "out.ipynb", "setup": ["%reset", "..."]}, ...]}

The kernel is started once, with one client (a JVM with Spark is slow to start); before each notebook the run's setup
cells are executed (e.g. %reset, which gives the Hallmark kernel a fresh JShell) and are not stored in
the output. Each executed notebook is written to its "out" path, also when a cell fails, so the caller
can read the outputs. Exit 0 when every cell of every notebook ran, 1 on the first cell error (one line
on stderr naming notebook and cell), 2 on bad usage.
"""
import json
import sys

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def code_cell_number(nb, index):
    return sum(1 for c in nb.cells[: index + 1] if c.cell_type == "code")


def main(argv):
    if len(argv) != 2:
        print("usage: run_notebooks.py PLAN.json", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        plan = json.load(f)
    km = KernelManager(kernel_name=plan["kernel"])
    km.start_kernel(cwd=plan.get("cwd"))
    client = None
    try:
        for run in plan["runs"]:
            nb = nbformat.read(run["notebook"], as_version=4)
            setup = [nbformat.v4.new_code_cell(source) for source in run.get("setup", [])]
            nb.cells = setup + nb.cells
            if client is None:
                client = NotebookClient(nb, km=km, timeout=plan.get("timeout", 600), allow_errors=False,
                                        kernel_name=plan["kernel"], startup_timeout=300)
            else:
                # one client for all runs: a second client's channels would share (and lose) the first's zmq context
                client.nb = nb
            failed = None
            try:
                client.execute()
            except CellExecutionError as e:
                failed = e
            index = next((i for i, c in enumerate(nb.cells)
                          if c.cell_type == "code" and any(o.get("output_type") == "error" for o in c.get("outputs", []))),
                         None)
            nb.cells = nb.cells[len(setup):]
            nbformat.write(nb, run["out"])
            if failed is not None:
                if index is not None and index < len(setup):
                    where = "setup cell %d" % (index + 1)
                elif index is not None:
                    where = "code cell %d" % code_cell_number(nb, index - len(setup))
                else:
                    where = "a cell"
                error = next((o for o in nb.cells[index - len(setup)].outputs if o.get("output_type") == "error"),
                             None) if index is not None and index >= len(setup) else None
                said = "%s: %s" % (error["ename"], error["evalue"]) if error else str(failed).strip().splitlines()[-1]
                print("FAILED %s, %s: %s" % (run["notebook"], where, said.replace("\n", " | ")), file=sys.stderr)
                return 1
            print("ran %s" % run["notebook"], file=sys.stderr)
    finally:
        if client is not None and client.kc is not None:
            client.kc.stop_channels()
        try:
            km.shutdown_kernel(now=False)
        except Exception as e:  # the kernel may be gone already; the result above stands
            print("kernel shutdown: %s" % e, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
