#!/usr/bin/env bash
# make offline: gathers every package plandocs needs into wheelhouse/, so a computer on the intranet (内网) without
# access to the package index installs from the copied project folder alone (tools/setup_venv.sh finds wheelhouse/).
# Wheels are for this computer's system and Python; for another kind of computer name it:
#   make offline OFFLINE_PLATFORM=manylinux2014_aarch64 OFFLINE_PYTHON=3.11
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup_venv.sh
WHEELHOUSE=wheelhouse
mkdir -p "$WHEELHOUSE"
extra=()
if [ -n "${OFFLINE_PLATFORM:-}" ]; then
  extra+=(--only-binary=:all: --platform "$OFFLINE_PLATFORM")
fi
if [ -n "${OFFLINE_PYTHON:-}" ]; then
  extra+=(--only-binary=:all: --python-version "$OFFLINE_PYTHON")
fi
# setuptools builds plandocs itself (pyproject.toml's build backend); pip so the intranet venv can update itself.
.venv/bin/pip download -q -d "$WHEELHOUSE" "${extra[@]}" 'setuptools>=68' pip
# plandocs' own pinned dependencies (pyproject.toml), with theirs.
.venv/bin/pip download -q -d "$WHEELHOUSE" "${extra[@]}" .
rm -f "$WHEELHOUSE"/plandocs-*  # the project itself travels as its folder, not as a package
count=$(find "$WHEELHOUSE" -maxdepth 1 -type f | wc -l)
echo "已把 $count 个安装包放进 $WHEELHOUSE/。把整个项目文件夹（含 $WHEELHOUSE/）拷到内网电脑，在那里运行 make docs 即可离线安装。"
