"""(b) Every row of the hf export renders through real model chat templates with transformers'
own apply_chat_template, and every tool call of the row comes out in the template's own call
syntax with its arguments as an object, never as a quoted JSON string.

The same check runs on the openai export as a control: there the arguments are strings, and the
check must catch each template raising or printing them quoted."""
import json
import os

from transformers import AutoTokenizer

from common import args, load_export, report, rows


def tojson(value):
    return json.dumps(value, ensure_ascii=False)


def hermes(name, a):  # Qwen2.5 and Hermes 2 Pro: a JSON object inside <tool_call>
    return '{"name": "%s", "arguments": %s}' % (name, tojson(a))


def llama31(name, a):
    return '{"name": "%s", "parameters": %s}' % (name, tojson(a))


def gpt_oss(name, a):
    return "to=functions.%s<|channel|>commentary json<|message|>%s<|call|>" % (name, tojson(a))


def qwen3_coder(name, a):
    def value(v):
        return tojson(v) if isinstance(v, (dict, list)) else str(v)

    return "<function=%s>\n%s</function>" % (name, "".join("<parameter=%s>\n%s\n</parameter>\n" % (k, value(v)) for k, v in a.items()))


def glm(name, a):
    return "<tool_call>%s%s</tool_call>" % (name, "".join("<arg_key>%s</arg_key><arg_value>%s</arg_value>" % (k, v if isinstance(v, str) else tojson(v)) for k, v in a.items()))


# name: (llama.cpp template file, tokenizer vocabulary, how the template writes one call).
# gpt-oss's template prints only the first call of a turn (tool_calls[0]); its check looks for
# those and counts the calls it leaves out.
FIRST_CALL_ONLY = {"gpt-oss"}
TEMPLATES = {
    "Qwen2.5": ("Qwen-Qwen2.5-7B-Instruct.jinja", "qwen2", hermes),
    "Qwen3-Coder": ("Qwen3-Coder.jinja", "qwen2", qwen3_coder),
    "GLM-4.7-Flash": ("GLM-4.7-Flash.jinja", "qwen2", glm),
    "Llama 3.1": ("meta-llama-Llama-3.1-8B-Instruct.jinja", "llama-bpe", llama31),
    "gpt-oss": ("openai-gpt-oss-120b.jinja", "llama-bpe", gpt_oss),
    "Hermes-2-Pro": ("NousResearch-Hermes-2-Pro-Llama-3-8B-tool_use.jinja", "llama-bpe", hermes),
}


def calls_of(messages, first_only=False):
    out = []
    for m in messages:
        for c in (m.get("tool_calls") or [])[: 1 if first_only else None]:
            a = c["function"]["arguments"]
            out.append((c["function"]["name"], json.loads(a) if isinstance(a, str) else a))
    return out


def check_row(tokenizer, template, expect, row, first_only):
    messages, tools = row["messages"], row["tools"]
    try:
        text = tokenizer.apply_chat_template(messages, tools=tools, chat_template=template, tokenize=False)
    except Exception as error:
        parallel = any(len(m.get("tool_calls") or []) > 1 for m in messages)
        return {"status": "raised", "error": f"{type(error).__name__}: {error}"[:300], "parallel": parallel}
    tokens = len(tokenizer(text, add_special_tokens=False)["input_ids"])
    problems, at = [], 0
    expected = calls_of(messages, first_only)
    for name, a in expected:
        for quoted in {tojson(tojson(a)), tojson(json.dumps(a, separators=(",", ":"), ensure_ascii=False))}:
            if quoted in text:
                problems.append(f"{name}: arguments printed as a quoted string")
        found = text.find(expect(name, a), at)
        if found < 0:
            problems.append(f"{name}: call not found in the template's syntax after offset {at}")
        else:
            at = found + 1
    left_out = len(calls_of(messages)) - len(expected)
    return {"status": "problems" if problems else "ok", "problems": problems[:5], "tokens": tokens, "calls": len(expected), "left_out": left_out}


def run(folder, templates_dir, tokenizers_dir, names):
    dataset = list(rows(load_export(folder)))
    out = {}
    for name in names:
        file, vocab, expect = TEMPLATES[name]
        with open(os.path.join(templates_dir, file), encoding="utf-8") as f:
            template = f.read()
        tokenizer = AutoTokenizer.from_pretrained(os.path.join(tokenizers_dir, vocab))
        results = [dict(check_row(tokenizer, template, expect, row, name in FIRST_CALL_ONLY), id=row["id"]) for row in dataset]
        out[name] = {"template": file, "vocab": f"ggml-vocab-{vocab}.gguf", "rows": results}
    return out


a = args()
report({
    "hf": run(a["hf"], a["templates"], a["tokenizers"], list(TEMPLATES)),
    "control": run(a["openai"], a["templates"], a["tokenizers"], ["Qwen2.5", "Qwen3-Coder", "GLM-4.7-Flash"]),
})
