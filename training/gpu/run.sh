#!/usr/bin/env bash
# Device side of GPU training (see training/gpu/README.md): bash training/gpu/run.sh PACK_DIR [PACK_DIR ...]
# Trains both models with train_torch.py and leaves weights, summary and log in $OUT (8 files at most come back).
set -uo pipefail
out=${OUT:?OUT must name the folder for the results}
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader || echo "run.sh: no nvidia-smi"
for d in "$@"; do ls -la "$d" || { echo "run.sh: pack folder $d is missing" >&2; exit 3; }; done
PYTHONUNBUFFERED=1 python3 "$(dirname "$0")/train_torch.py" --pack "$@" --out "$out" --budget-s "${BUDGET_S:-250}" 2>&1 | tee "$out/train.log"
