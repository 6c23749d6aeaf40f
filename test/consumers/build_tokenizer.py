"""Builds a transformers tokenizer from a llama.cpp vocabulary GGUF and saves it: python build_tokenizer.py VOCAB.gguf OUT_DIR."""
import os
import sys

from transformers import AutoTokenizer

gguf, out = sys.argv[1], sys.argv[2]
tokenizer = AutoTokenizer.from_pretrained(os.path.dirname(gguf), gguf_file=os.path.basename(gguf))
# The vocabulary files carry no chat template of their own; each check sets the one it renders.
tokenizer.chat_template = None
tokenizer.save_pretrained(out)
