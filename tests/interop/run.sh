#!/usr/bin/env bash
# The CDS Hooks interop harness in its own virtual environment
# (target/interop-venv, packages pinned in requirements.txt, from PyPI).
# Skips with a message when PyPI cannot be reached and the environment is
# not there yet. Usage: tests/interop/run.sh [path/to/gh-dose]
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-target/debug/gh-dose}
VENV=target/interop-venv
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import jwt, cryptography, fhir.resources' 2> /dev/null; then
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    if ! "$VENV/bin/pip" install -q --disable-pip-version-check -r tests/interop/requirements.txt; then
        echo "note: the CDS Hooks interop harness is SKIPPED: PyPI could not be reached to install tests/interop/requirements.txt"
        rm -rf "$VENV"
        exit 0
    fi
fi
"$VENV/bin/python" tests/interop/harness.py "$BIN"
