"""Shared by the consumer checks: arguments in, one JSON object out, and the run's own trajectories."""
import json
import os
import sys
import warnings

warnings.filterwarnings("ignore")


def args():
    """The checks take one JSON object as their only argument."""
    return json.loads(sys.argv[1])


def report(result):
    """The last line of stdout is the result; anything the libraries print goes before it."""
    sys.stdout.write("\n" + json.dumps(result) + "\n")


def load_export(folder):
    """The export as a training stack sees it: `datasets` reading the folder and its card."""
    from datasets import load_dataset

    return load_dataset(folder)


def rows(dataset_dict):
    for split in dataset_dict:
        for row in dataset_dict[split]:
            yield row


def trajectory(run_dir, row):
    which = "r1" if row["trajectory"] == "t1" else "r2"
    with open(os.path.join(run_dir, "trajectories", f"{row['sample_id']}.{which}.json"), encoding="utf-8") as f:
        return json.load(f)


def source_calls(traj):
    """The trajectory's calls in order, each as (name, arguments object)."""
    calls = []
    for m in traj["messages"]:
        for c in m.get("tool_calls") or []:
            calls.append((c["function"]["name"], json.loads(c["function"]["arguments"] or "{}")))
    return calls
