"""The Python environment for making adapters, and nothing else: LocoLLM itself never needs it.

Each training script calls `ensure()` first. It re-runs the script inside a venv under
~/.cache/locollm/ holding exactly the pinned packages below (from PyPI), creating it on first use
(about 75 s and 5.6 GB: torch brings its CUDA libraries, and uses them where a GPU exists).
"""
import hashlib, os, subprocess, sys

PINS = [
    "torch==2.15.0",
    "transformers==5.24.0",
    "peft==0.21.2",
    "accelerate==1.15.0",
    "gguf==0.19.0",
    "sentencepiece==0.2.3",
    "safetensors==0.8.0",
    "pyarrow==26.0.1",
    "numpy==2.4.6",
    "pyyaml==6.0.4",
]


def venv_dir():
    key = hashlib.sha256("\n".join(PINS).encode()).hexdigest()[:12]
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(cache, "locollm", f"train-venv-{key}")


def ensure():
    target = venv_dir()
    python = os.path.join(target, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(target):
        return
    if not os.path.exists(os.path.join(target, ".complete")):
        print(f"{os.path.basename(sys.argv[0])}: setting up the training environment in {target} (one time, a few minutes)", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", "--clear", target], check=True)
        subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *PINS], check=True)
        open(os.path.join(target, ".complete"), "w").close()
    os.execv(python, [python, *sys.argv])
