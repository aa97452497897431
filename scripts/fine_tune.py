#!/usr/bin/env python3
"""Trains a LoRA adapter on the packaged 4-bit base model, then exports the GGUF LoRA that
llama-server and Ollama load.

    python3 scripts/fine_tune.py adapters/sentiment            # reads training/train_config.yaml

Reads ADAPTER/training/dataset.jsonl ({prompt, completion} per line: the exact prompt the adapter
sees at run time and the answer to learn) and ADAPTER/training/train_config.yaml. The base is the
GGUF the engine runs, dequantized by transformers, so training goes through the same 4-bit weights
as inference (QLoRA-like; the LoRA itself trains in float32). Loss is on the completion tokens only,
and the 262k-token output layer is applied only at those positions, which is what makes CPU
training affordable. Writes ADAPTER/adapter.gguf, ADAPTER/adapter_config.json,
ADAPTER/training/loss.tsv and ADAPTER/training/TRAINING_LOG.md. Same data, config and seed give the
same loss curve on the same machine.

Runs on the CPU here (2 cores: 26 minutes for two epochs over 772 short examples, load included)
and on a GPU where torch finds one. Its Python packages are pinned in scripts/train_env.py and installed on first use.
"""
import argparse, hashlib, json, math, os, platform, random, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_env  # noqa: E402

train_env.ensure()
import torch  # noqa: E402
import yaml  # noqa: E402
from peft import LoraConfig, get_peft_model  # noqa: E402
from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: E402

import export_adapter  # noqa: E402

DEFAULT_GGUF = os.path.expanduser("~/.cache/locollm/models/gemma-3-270m-q4_k_m.gguf")


def load_config(path):
    defaults = {"rank": 8, "alpha": 16, "dropout": 0.05, "target_modules": ["q_proj", "v_proj"],
                "learning_rate": 2e-4, "epochs": 1, "batch_size": 8, "max_tokens": 256, "seed": 1,
                "warmup_steps": 10, "batching": "shuffled"}
    with open(path) as f:
        given = yaml.safe_load(f) or {}
    unknown = set(given) - set(defaults)
    if unknown:
        sys.exit(f"fine_tune: {path}: unknown setting(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(defaults))}")
    return {**defaults, **given}


def load_examples(path, tokenizer, max_tokens):
    examples = []
    with open(path) as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                prompt, completion = row["prompt"], row["completion"]
            except (ValueError, KeyError, TypeError) as error:
                sys.exit(f"fine_tune: {path}:{number}: needs a JSON object with string 'prompt' and 'completion' ({error})")
            # The engine adds BOS to a raw prompt; the answer ends with EOS so the adapter learns to stop.
            prompt_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
            answer_ids = tokenizer(completion, add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id]
            ids = [tokenizer.bos_token_id] + prompt_ids + answer_ids
            if len(ids) > max_tokens:
                continue
            examples.append((ids, len(ids) - len(answer_ids)))
    return examples


def batches(examples, size, rng, batching="shuffled"):
    """Batches of `size` example indices. `shuffled`: any examples together. `by_length`: examples
    of similar length together (the batches in shuffled order), so little of each batch is padding:
    on a CPU, where a step costs what its longest example costs, about twice as fast on a mix of
    short and long examples."""
    order = list(range(len(examples)))
    rng.shuffle(order)
    if batching == "by_length":
        order.sort(key=lambda i: len(examples[i][0]))
        groups = [order[i:i + size] for i in range(0, len(order), size)]
        rng.shuffle(groups)
        return groups
    if batching != "shuffled":
        sys.exit(f"fine_tune: batching must be shuffled or by_length, not '{batching}'")
    return [order[i:i + size] for i in range(0, len(order), size)]


def completion_loss(model, lm_head, examples, indices, pad_id, device):
    """Cross-entropy on the answer tokens, with the output layer applied only where it counts."""
    rows = [examples[i] for i in indices]
    width = max(len(ids) for ids, _ in rows)
    input_ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    attention = torch.zeros((len(rows), width), dtype=torch.long)
    positions, targets = [], []
    for r, (ids, answer_start) in enumerate(rows):
        input_ids[r, :len(ids)] = torch.tensor(ids)
        attention[r, :len(ids)] = 1
        for t in range(answer_start, len(ids)):
            positions.append((r, t - 1))
            targets.append(ids[t])
    hidden = model(input_ids=input_ids.to(device), attention_mask=attention.to(device)).last_hidden_state
    rows_index = torch.tensor([p[0] for p in positions], device=device)
    cols_index = torch.tensor([p[1] for p in positions], device=device)
    logits = lm_head(hidden[rows_index, cols_index]).float()
    return torch.nn.functional.cross_entropy(logits, torch.tensor(targets, device=device)), len(targets)


def sparkline(values, width=60):
    if not values:
        return ""
    step = max(1, len(values) // width)
    points = [sum(values[i:i + step]) / len(values[i:i + step]) for i in range(0, len(values), step)]
    low, high = min(points), max(points)
    bars = "▁▂▃▄▅▆▇█"
    return "".join(bars[0 if high == low else int((p - low) / (high - low) * 7)] for p in points)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("adapter", help="the adapter's folder, e.g. adapters/sentiment")
    parser.add_argument("--gguf", default=os.environ.get("LOCO_GGUF", DEFAULT_GGUF), help="the base model GGUF (default: the packaged one)")
    parser.add_argument("--base-model", help="the base model's name for the registry and adapter_config.json, e.g. qwen3:4b "
                        "(default: google/gemma-3-270m for the packaged GGUF, else the GGUF's file name)")
    parser.add_argument("--max-steps", type=int, help="stop after this many steps (a quick check)")
    args = parser.parse_args()

    folder = os.path.abspath(args.adapter)
    packaged = os.path.abspath(args.gguf) == os.path.abspath(DEFAULT_GGUF)
    base_model = args.base_model or ("google/gemma-3-270m" if packaged else os.path.splitext(os.path.basename(args.gguf))[0])
    name = os.path.basename(folder)
    training = os.path.join(folder, "training")
    config = load_config(os.path.join(training, "train_config.yaml"))
    dataset = os.path.join(training, "dataset.jsonl")
    if not os.path.exists(args.gguf):
        sys.exit(f"fine_tune: no base model at {args.gguf}; run scripts/setup-engine.sh or pass --gguf")

    random.seed(config["seed"])
    torch.manual_seed(config["seed"])
    torch.set_num_threads(os.cpu_count() or 1)
    started = time.time()
    gguf_dir, gguf_file = os.path.split(os.path.abspath(args.gguf))
    print(f"fine_tune: loading {gguf_file} (dequantized for training)", file=sys.stderr)
    tokenizer = AutoTokenizer.from_pretrained(gguf_dir, gguf_file=gguf_file)
    model = AutoModelForCausalLM.from_pretrained(gguf_dir, gguf_file=gguf_file, dtype=torch.float32)
    examples = load_examples(dataset, tokenizer, config["max_tokens"])
    if not examples:
        sys.exit(f"fine_tune: {dataset}: no usable examples")

    lora = LoraConfig(r=config["rank"], lora_alpha=config["alpha"], lora_dropout=config["dropout"],
                      target_modules=config["target_modules"], bias="none", task_type="CAUSAL_LM")
    model = get_peft_model(model, lora)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model.to(device)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    body = model.base_model.model.model
    lm_head = model.base_model.model.lm_head
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=config["learning_rate"])
    rng = random.Random(config["seed"])
    plan = [b for _ in range(config["epochs"]) for b in batches(examples, config["batch_size"], rng, config["batching"])]
    if args.max_steps:
        plan = plan[:args.max_steps]
    schedule = lambda step: min(1.0, (step + 1) / max(1, config["warmup_steps"])) * 0.5 * (1 + math.cos(math.pi * step / len(plan)))
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)

    print(f"fine_tune: {name}: {len(examples)} examples, {len(plan)} steps, {trainable:,} trainable parameters", file=sys.stderr)
    model.train()
    losses = []
    with open(os.path.join(training, "loss.tsv"), "w") as log:
        log.write("step\tloss\tanswer_tokens\tseconds\n")
        for step, indices in enumerate(plan, 1):
            loss, counted = completion_loss(body, lm_head, examples, indices, tokenizer.pad_token_id or 0, device)
            loss.backward()
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            losses.append(loss.item())
            elapsed = time.time() - started
            log.write(f"{step}\t{loss.item():.4f}\t{counted}\t{elapsed:.1f}\n")
            log.flush()
            if step % 10 == 0 or step == len(plan):
                eta = elapsed / step * (len(plan) - step)
                print(f"fine_tune: step {step}/{len(plan)} loss {sum(losses[-10:]) / len(losses[-10:]):.4f} ({elapsed:.0f} s, about {eta:.0f} s left)", file=sys.stderr)
    duration = time.time() - started

    model.eval()
    weights = os.path.join(folder, "adapter.gguf")
    state = {k: v.detach() for k, v in model.state_dict().items() if "lora_" in k}
    export_adapter.write_gguf(state, weights, alpha=config["alpha"], rank=config["rank"], name=name)
    digest = hashlib.sha256(open(weights, "rb").read()).hexdigest()
    adapter_config = {"name": name, "base_model": base_model, "base_gguf": gguf_file, "peft_type": "LORA",
                      "r": config["rank"], "lora_alpha": config["alpha"], "lora_dropout": config["dropout"],
                      "target_modules": config["target_modules"], "weights": "adapter.gguf", "weights_sha256": digest,
                      "weights_bytes": os.path.getsize(weights)}
    with open(os.path.join(folder, "adapter_config.json"), "w") as f:
        json.dump(adapter_config, f, indent=2)
        f.write("\n")
    write_log(folder, name, config, examples, plan, losses, duration, trainable, digest, dataset, gguf_file)
    print(f"fine_tune: wrote {weights} ({os.path.getsize(weights):,} bytes, sha256 {digest}) in {duration:.0f} s", file=sys.stderr)


def write_log(folder, name, config, examples, plan, losses, duration, trainable, digest, dataset, gguf_file):
    data_sha = hashlib.sha256(open(dataset, "rb").read()).hexdigest()
    sources = sorted({json.loads(line).get("source", "unknown") for line in open(dataset) if line.strip()})
    every = max(1, len(losses) // 10)
    rows = "\n".join(f"| {i + 1} | {sum(losses[max(0, i + 1 - every):i + 1]) / len(losses[max(0, i + 1 - every):i + 1]):.4f} |"
                     for i in range(every - 1, len(losses), every))
    text = f"""# Training log: {name}

Written by `scripts/fine_tune.py` at the end of a run; re-run it to reproduce (same data, config
and seed give the same curve on the same machine).

| | |
|---|---|
| Data | `training/dataset.jsonl`, {len(examples)} examples, sha256 `{data_sha}` |
| Source | {"; ".join(sources)} |
| Base | `{gguf_file}` (the engine's 4-bit weights, dequantized for training) |
| LoRA | rank {config['rank']}, alpha {config['alpha']}, dropout {config['dropout']}, on {', '.join(config['target_modules'])}: {trainable:,} trainable parameters |
| Optimiser | AdamW, learning rate {config['learning_rate']}, {config['warmup_steps']} warm-up steps then cosine decay |
| Steps | {len(plan)} ({config['epochs']} epoch(s) of batches of {config['batch_size']}, {config['batching'].replace('_', ' ')}), seed {config['seed']} |
| Loss | cross-entropy on the answer tokens only |
| Duration | {duration:.0f} s on {platform.machine()} {"CUDA" if torch.cuda.is_available() else f"CPU, {os.cpu_count()} threads"}, torch {torch.__version__} |
| Output | `adapter.gguf`, sha256 `{digest}` |

## Loss curve

`{sparkline(losses)}` from {losses[0]:.3f} to {sum(losses[-10:]) / len(losses[-10:]):.3f} (mean of the last 10 steps); every step is in `training/loss.tsv`.

| step | mean loss over the last {every} steps |
|---|---|
{rows}
"""
    with open(os.path.join(folder, "training", "TRAINING_LOG.md"), "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
