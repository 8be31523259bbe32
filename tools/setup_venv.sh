#!/usr/bin/env bash
# Makes .venv with a Python that plandocs runs on, and installs plandocs into it.
# Called by `make docs`, `make test`, `make serve` …; written in bash because the machine's default Python may be
# too old to run anything of ours (麒麟/统信 ship 3.7–3.10). Every message is for the office, in Chinese.
#   tools/setup_venv.sh [EXTRA]      EXTRA: "" (what the office needs) or "test" (the developers' tools too)
# With a wheelhouse/ folder beside it (made by `make offline`) it installs from there only: the intranet install.
set -uo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
EXTRA=${1:-}
WHEELHOUSE=wheelhouse
MIN_MINOR=11  # pyproject.toml: requires-python = ">=3.11"

say() { printf '%s\n' "$*" >&2; }

STAMP="$VENV/.installed${EXTRA:+-$EXTRA}"

# A Python is usable when it is 3.11 or newer and can make a venv with pip (Debian splits venv into python3-venv).
python_ok() {
  "$1" -c "import sys; sys.exit(0 if sys.version_info >= (3, $MIN_MINOR) else 1)" >/dev/null 2>&1
}

find_python() {
  local candidate
  for candidate in ${PYTHON:-} python3.14 python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

if ! PY=$(find_python); then
  found=$(python3 --version 2>&1 || echo "没有 python3")
  say "需要 Python 3.11 或更高版本，本机是：$found。"
  say "请先安装 Python 3.11 以上版本，例如："
  say "  麒麟 / 统信 / Debian / Ubuntu：sudo apt install python3.11 python3.11-venv"
  say "  其他系统：从 python.org 或系统软件商店安装 Python 3.11 以上版本"
  say "装好后重新运行 make docs（会自动找到 python3.11、python3.12……；也可以 make docs PYTHON=/路径/python3.11）。"
  exit 1
fi

# Nothing to do when this environment was installed after the last change of pyproject.toml and still runs.
if [ -f "$STAMP" ] && [ "$STAMP" -nt pyproject.toml ] && python_ok "$VENV/bin/python"; then
  exit 0
fi

# A .venv made earlier with a Python that is too old, or whose Python is gone or broken, is made again.
if [ -e "$VENV" ] && ! python_ok "$VENV/bin/python"; then
  say "$VENV 是用不合适的 Python 建的（或已损坏），用 $("$PY" --version 2>&1) 重新建立。"
  rm -rf "$VENV"
fi

if [ ! -x "$VENV/bin/python" ]; then
  if ! "$PY" -m venv "$VENV" >/dev/null 2>&1; then
    rm -rf "$VENV"
    say "无法用 $PY 建立虚拟环境（缺少 venv 模块）。"
    say "  麒麟 / 统信 / Debian / Ubuntu：sudo apt install python3-venv（或 python3.11-venv），然后重新运行。"
    exit 1
  fi
fi

target="."
[ -n "$EXTRA" ] && target=".[$EXTRA]"

if [ -d "$WHEELHOUSE" ]; then
  say "从 $WHEELHOUSE/ 离线安装（不连网）。"
  pip_args=(--no-index --find-links "$WHEELHOUSE")
  install=("$VENV/bin/pip" install -q "${pip_args[@]}" -e "$target")
else
  "$VENV/bin/pip" install -q --upgrade pip >/dev/null 2>&1 || true
  install=("$VENV/bin/pip" install -q -e "$target")
fi

# pip's own chatter (and setuptools' English warnings) is shown only when the install fails.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
say "安装 plandocs 及其依赖到 $VENV/ ……"
if ! "${install[@]}" >"$log" 2>&1; then
  cat "$log" >&2
  say "安装依赖失败（见上面 pip 的输出）。没有网络的内网电脑请用 make offline 在能上网的电脑上做好 $WHEELHOUSE/，"
  say "把整个项目文件夹拷过来后再运行 make docs。"
  # Leave no half-installed environment behind: the next run starts clean.
  rm -rf "$VENV"
  exit 1
fi
touch "$STAMP"
