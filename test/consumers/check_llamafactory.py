"""(e) LLaMA-Factory does not install from this machine's index, so its loader cannot run here.
This checks the sharegpt export against what LLaMA-Factory's documentation and its sharegpt
converter require: dataset_info.json entries naming existing files with the sharegpt columns and
tags; a system string and a tools JSON string holding function schemas; turns that alternate
human/observation then gpt/function_call and end on the model's; function_call values that are
JSON (after an optional <think> thought) matching the trajectory's calls; one observation per
run of tool results."""
import json
import os
import re

from datasets import load_dataset

from common import args, report, source_calls, trajectory

THOUGHT = re.compile(r"^<think>\n(.*?)\n</think>\n\n", re.S)
TAGS = {"role_tag": "from", "content_tag": "value", "user_tag": "human", "assistant_tag": "gpt", "observation_tag": "observation", "function_tag": "function_call"}

a = args()
folder = a["dir"]
problems = []
with open(os.path.join(folder, "dataset_info.json"), encoding="utf-8") as f:
    registry = json.load(f)
checked = {"rows": 0, "calls": 0, "observations": 0}
for name, entry in registry.items():
    if entry.get("formatting") != "sharegpt":
        problems.append(f"{name}: formatting is not sharegpt")
    if entry.get("columns") != {"messages": "conversations", "system": "system", "tools": "tools"}:
        problems.append(f"{name}: columns {entry.get('columns')}")
    if {k: entry.get("tags", {}).get(k) for k in TAGS} != TAGS:
        problems.append(f"{name}: tags {entry.get('tags')}")
    # LLaMA-Factory loads a file dataset with the json builder, as here.
    data = load_dataset("json", data_files=os.path.join(folder, entry["file_name"]), split="train")
    for row in data:
        checked["rows"] += 1
        turns = row["conversations"]
        if not isinstance(row["system"], str) or not row["system"]:
            problems.append(f"{row['id']}: no system prompt")
        tools = json.loads(row["tools"])
        if not all(t["type"] == "function" and "name" in t["function"] for t in tools):
            problems.append(f"{row['id']}: tools are not function schemas")
        if len(turns) % 2:
            problems.append(f"{row['id']}: odd number of turns")
        calls = []
        for i, t in enumerate(turns):
            allowed = ("gpt", "function_call") if i % 2 else ("human", "observation")
            if t["from"] not in allowed:
                problems.append(f"{row['id']}: turn {i} is {t['from']}")
            if t["from"] == "function_call":
                parsed = json.loads(THOUGHT.sub("", t["value"], count=1))
                calls.extend((c["name"], c["arguments"]) for c in (parsed if isinstance(parsed, list) else [parsed]))
            checked["observations"] += t["from"] == "observation"
        want = source_calls(trajectory(a["run"], row))
        checked["calls"] += len(calls)
        if calls != want:
            problems.append(f"{row['id']}: {len(calls)} calls, the trajectory has {len(want)}")
report({"entries": sorted(registry), "checked": checked, "problems": problems[:20]})
