#!/usr/bin/env python3
"""Writes a GGUF LoRA (what llama-server's --lora and Ollama's ADAPTER load) from LoRA weights.

    python3 scripts/export_adapter.py PEFT_DIR OUT.gguf     # a PEFT folder (adapter_model.safetensors)

scripts/fine_tune.py calls write_gguf() itself. The file holds, per adapted weight,
`blk.N.<tensor>.weight.lora_a` (rank x in) and `.lora_b` (out x rank) in float32, with
general.type=adapter, adapter.type=lora and adapter.lora.alpha, for the gemma3 architecture.
"""
import json, os, re, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_env  # noqa: E402

train_env.ensure()
import gguf  # noqa: E402
import numpy as np  # noqa: E402

TENSOR_NAMES = {"self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k", "self_attn.v_proj": "attn_v",
                "self_attn.o_proj": "attn_output", "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up",
                "mlp.down_proj": "ffn_down"}
KEY = re.compile(r"layers\.(\d+)\.(self_attn\.[qkvo]_proj|mlp\.(?:gate|up|down)_proj)\.lora_([AB])(?:\.default)?\.weight$")


def gguf_name(peft_key):
    match = KEY.search(peft_key)
    if not match:
        raise ValueError(f"export_adapter: no llama.cpp tensor for '{peft_key}'")
    layer, module, which = match.groups()
    return f"blk.{layer}.{TENSOR_NAMES[module]}.weight.lora_{which.lower()}"


def write_gguf(state, path, alpha, rank, name, architecture="gemma3"):
    writer = gguf.GGUFWriter(path, architecture)
    writer.add_type(gguf.GGUFType.ADAPTER)
    writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
    writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, float(alpha))
    writer.add_name(name)
    for key in sorted(state, key=lambda k: (int(KEY.search(k).group(1)), k) if KEY.search(k) else (-1, k)):
        tensor = state[key]
        array = tensor.float().cpu().numpy() if hasattr(tensor, "cpu") else np.asarray(tensor, dtype=np.float32)
        writer.add_tensor(gguf_name(key), np.ascontiguousarray(array, dtype=np.float32))
    tmp = path + ".tmp"
    writer.path = tmp
    writer.write_header_to_file(path=tmp)
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    os.replace(tmp, path)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().split("\n\n")[1])
    peft_dir, out = sys.argv[1:]
    from safetensors.numpy import load_file
    config = json.load(open(os.path.join(peft_dir, "adapter_config.json")))
    state = load_file(os.path.join(peft_dir, "adapter_model.safetensors"))
    write_gguf(state, out, alpha=config["lora_alpha"], rank=config["r"], name=os.path.basename(os.path.normpath(peft_dir)))
    print(f"export_adapter: wrote {out} ({len(state)} tensors)", file=sys.stderr)


if __name__ == "__main__":
    main()
