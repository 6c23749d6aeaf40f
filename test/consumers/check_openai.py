"""The OpenAI fine-tuning API cannot be reached from here. This checks the file the card's
one-liner makes from the openai export against the API's documented chat format with tools:
only `messages` and `tools` on a line; known roles and message keys; tool calls of type
function whose `arguments` is a string holding a JSON object; every tool message answering a
call made before it."""
import json

from common import args, report

a = args()
problems, lines = [], 0
with open(a["file"], encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        lines += 1
        row = json.loads(line)
        if set(row) - {"messages", "tools", "parallel_tool_calls"}:
            problems.append(f"line {n}: extra keys {sorted(set(row) - {'messages', 'tools'})}")
        if not all(t["type"] == "function" for t in row.get("tools", [])):
            problems.append(f"line {n}: a tool that is not a function")
        called = set()
        for i, m in enumerate(row["messages"]):
            if m["role"] not in ("system", "user", "assistant", "tool"):
                problems.append(f"line {n} message {i}: role {m['role']}")
            allowed = {"role", "content", "tool_calls"} if m["role"] == "assistant" else {"role", "content", "tool_call_id"} if m["role"] == "tool" else {"role", "content"}
            if set(m) - allowed:
                problems.append(f"line {n} message {i}: keys {sorted(set(m) - allowed)}")
            for c in m.get("tool_calls") or []:
                if c["type"] != "function" or not isinstance(c["function"]["arguments"], str) or not isinstance(json.loads(c["function"]["arguments"] or "{}"), dict):
                    problems.append(f"line {n} message {i}: a call whose arguments are not a JSON-object string")
                called.add(c["id"])
            if m["role"] == "tool" and m.get("tool_call_id") not in called:
                problems.append(f"line {n} message {i}: answers no call made before it")
report({"lines": lines, "problems": problems[:20]})
