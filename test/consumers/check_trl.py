"""(d) TRL's SFTTrainer runs two optimisation steps on the hf export: a tiny Qwen2 model made from
a config here (random weights, nothing downloaded), the Qwen2.5 chat template from llama.cpp,
and the card's SFTConfig with only the sizes changed (steps, accumulation, max_length). Reports the losses and what the loss mask
covered, decoded, so the caller can see it is the assistant turns and nothing else."""
import math
import tempfile

import torch
from transformers import AutoTokenizer, Qwen2Config, Qwen2ForCausalLM
from trl import SFTConfig, SFTTrainer

from common import args, load_export, report

a = args()
torch.manual_seed(0)
torch.set_num_threads(2)
tokenizer = AutoTokenizer.from_pretrained(a["tokenizer"])
with open(a["template"], encoding="utf-8") as f:
    tokenizer.chat_template = f.read()
if tokenizer.pad_token is None:
    tokenizer.pad_token = tokenizer.eos_token
config = Qwen2Config(vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=a["max_length"], tie_word_embeddings=True)
model = Qwen2ForCausalLM(config)

ds = load_export(a["dir"])
with tempfile.TemporaryDirectory() as out:
    # The card's recipe, with sizes for a test: two steps of one row each, rows cut to max_length.
    recipe = dict(a["recipe"], output_dir=out, max_length=a["max_length"], max_steps=2, gradient_accumulation_steps=1, logging_steps=1, save_strategy="no", report_to="none", use_cpu=True, dataloader_num_workers=0, seed=0)
    trainer = SFTTrainer(model=model, args=SFTConfig(**recipe), train_dataset=ds["train"], processing_class=tokenizer)
    swapped = trainer.chat_template is not None and "{% generation %}" in trainer.chat_template
    # What the loss is computed on: TRL turned the assistant mask into labels (-100 elsewhere) and cut each row to max_length.
    masked, unmasked, trained_tokens = [], [], 0
    for example in trainer.train_dataset:
        pairs = list(zip(example["input_ids"], example["labels"]))
        trained_tokens += sum(label != -100 for _, label in pairs)
        masked.append(tokenizer.decode([t for t, label in pairs if label != -100]))
        unmasked.append(tokenizer.decode([t for t, label in pairs if label == -100]))
    trainer.train()
    losses = [h["loss"] for h in trainer.state.log_history if "loss" in h]

report({
    "losses": losses,
    "finite": bool(losses) and all(math.isfinite(x) for x in losses),
    "steps": trainer.state.global_step,
    "swapped_template": swapped,
    "trained_tokens": trained_tokens,
    "rows": len(masked),
    "masked": masked,
    "unmasked": unmasked,
})
