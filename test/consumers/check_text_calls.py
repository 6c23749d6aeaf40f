"""(c) Every <tool_call> block in the text formats (hermes JSON, XML <function=...>) parses back,
with a parser written here from the formats' description, to the trajectory's own call."""
import json
import re

from common import args, load_export, report, rows, source_calls, trajectory

HERMES = re.compile(r"<tool_call>\n(.*?)\n</tool_call>", re.S)
XML = re.compile(r"<tool_call>\n<function=([^>\n]+)>\n(.*?)</function>\n</tool_call>", re.S)
PARAM = re.compile(r"<parameter=([^>\n]+)>\n(.*?)\n</parameter>\n(?=<parameter=|$)", re.S)


def schema_types(tools):
    return {t["function"]["name"]: {k: v.get("type") for k, v in (t["function"].get("parameters") or {}).get("properties", {}).items()} for t in tools}


def parse(text, style, types):
    if style == "hermes":
        return [(c["name"], c["arguments"]) for c in map(json.loads, HERMES.findall(text))]
    calls = []
    for name, body in XML.findall(text):
        a = {}
        for key, raw in PARAM.findall(body):
            a[key] = raw if types.get(name, {}).get(key, "string") == "string" else json.loads(raw)
        calls.append((name, a))
    return calls


def model_texts(row):
    if "messages" in row:
        return [m["content"] for m in row["messages"] if m["role"] == "assistant"]
    return [t["value"] for t in row["conversations"] if t["from"] == "gpt"]


a = args()
result = {}
for fmt, spec in a["exports"].items():
    checked, mismatched = 0, []
    for row in rows(load_export(spec["dir"])):
        tools = row["tools"]
        got = [c for text in model_texts(row) for c in parse(text, spec["style"], schema_types(tools))]
        want = source_calls(trajectory(a["run"], row))
        checked += len(got)
        if got != want:
            mismatched.append({"id": row["id"], "got": len(got), "want": len(want)})
    result[fmt] = {"calls": checked, "mismatched": mismatched}
report(result)
