#!/bin/bash
# Behaviour check for refactors: asks the same CLI questions of the code at BASE (a commit) and of this
# checkout, on the demo workspace and on one workspace per sample family in ../shared/datasets, and
# diffs the answers once run ids, timestamps and file hashes are normalised (they differ by design).
#
#   bash test/tools/compare-outputs.sh BASE [OUT]     e.g. bash test/tools/compare-outputs.sh 4a34e5a
#
# Exits 0 when every answer is identical, 1 when one differs (each difference is printed), 2 on misuse.
set -u
BASE=${1:-}
OUT=${2:-$(mktemp -d /tmp/valdrix-compare-XXXXXX)}
[ -n "$BASE" ] || { echo "usage: compare-outputs.sh BASE_COMMIT [OUT_DIR]" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")/../.." && pwd)
DATASETS=${VALDRIX_DATASETS:-$HERE/../shared/datasets}
[ -d "$DATASETS" ] || { echo "no datasets at $DATASETS (set VALDRIX_DATASETS)" >&2; exit 2; }

ask() { # REPO DIR: every question, answers as DIR/*.json
  local repo=$1 out=$2 ws=$2/ws
  local v="node $repo/electron/cli/valdrix.mjs --as-of 2026-11-21T12:00:00Z"
  mkdir -p "$ws"
  dump() { # WORKSPACE [NAME]
    local name=${2:-$1}
    for dim in provider billing_account sub_account service service_category region resource charge_category day month tag:env; do
      $v -w "$ws/$1" --json costs --by "$dim" >"$out/$name.costs.$dim.json" 2>&1
    done
    $v -w "$ws/$1" --json costs --by service,month --status final >"$out/$name.costs.final.json" 2>&1
    $v -w "$ws/$1" --json restatements >"$out/$name.restatements.json" 2>&1
    $v -w "$ws/$1" --json alerts >"$out/$name.alerts.json" 2>&1
  }
  imp() { # NAME ARGS…
    local name=$1
    shift
    $v -w "$ws/$name" init >/dev/null 2>&1
    $v -w "$ws/$name" --json import "$@" >"$out/$name.import.json" 2>&1
    dump "$name"
  }
  $v -w "$ws/demo" --json demo >"$out/demo.create.json" 2>&1
  dump demo
  imp focus "$DATASETS/focus-sample-data/FOCUS-1.0/focus_sample.csv"
  imp cur "$DATASETS/focus-converters/aws/sample-anonymous-aws-export-dataset.csv"
  imp azure-ea "$DATASETS/focus-converters/azure/sample-anonymous-ea-export-dataset.csv" --currency USD
  imp toolkit-ea "$DATASETS/finops-toolkit/azure-ea/EA_ActualCost_Small.csv" --currency USD
  imp koku-aws "$DATASETS/koku/aws/November-2023-None.csv" --skip-bad-rows
  imp koku-azure "$DATASETS/koku/azure/azure_version_2.csv" --skip-bad-rows
  imp keboola "$DATASETS/keboola-cur-mock"
  imp gcp "$DATASETS/gcp-legacy-billing-export" --billing-account 0000-GCP
  imp commitments "$DATASETS/focus-spec/commitment_discount_scenarios" --currency USD --skip-bad-rows
  # A restated re-import (every 7th billed cost of the FOCUS sample raised by 1.5): restatements and an alert.
  python3 - "$DATASETS/focus-sample-data/FOCUS-1.0/focus_sample.csv" "$out/focus-restated.csv" <<'PY'
import csv, sys
from decimal import Decimal
rows = csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8-sig'))
out = csv.DictWriter(open(sys.argv[2], 'w', newline=''), fieldnames=rows.fieldnames)
out.writeheader()
for i, row in enumerate(rows):
    if i % 7 == 0 and row['BilledCost']:
        row['BilledCost'] = str(Decimal(row['BilledCost']) + Decimal('1.5'))
    out.writerow(row)
PY
  $v -w "$ws/focus" --json import "$out/focus-restated.csv" --source focus --confirm-replace >"$out/focus.reimport.json" 2>&1
  dump focus focus-restated
  rm -rf "$ws"
}

normalise() { # FILE: run ids, instants, file hashes and the answer folders vary by design
  sed -E -e 's/[0-9A-HJKMNP-TV-Z]{26}/<ULID>/g' \
    -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z/<TS>/g' \
    -e 's/"sha256": *"[0-9a-f]{64}"/"sha256":"<H>"/g' \
    -e "s#$OUT/(base|head)#<OUT>#g" "$1"
}

git -C "$HERE" worktree add -q --detach "$OUT/base-src" "$BASE" || exit 2
ln -s "$HERE/node_modules" "$OUT/base-src/node_modules"
ask "$OUT/base-src" "$OUT/base" &
ask "$HERE" "$OUT/head"
wait
git -C "$HERE" worktree remove --force "$OUT/base-src"

differ=0
total=0
for answer in "$OUT"/base/*.json; do
  name=$(basename "$answer")
  total=$((total + 1))
  if ! diff <(normalise "$answer") <(normalise "$OUT/head/$name") >"$OUT/$name.diff"; then
    differ=$((differ + 1))
    echo "DIFFERS: $name"
    head -20 "$OUT/$name.diff"
  fi
done
echo "$((total - differ)) of $total answers identical (answers in $OUT)"
[ "$differ" -eq 0 ]
