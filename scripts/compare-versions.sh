#!/usr/bin/env bash
# Feeds the same log files to the tailer of another revision (default: the one before issue 18's work) and to
# this checkout's, and compares every line each makes (seq, ts, level, cont, cut, text). Exit 0: the same.
#   bash scripts/compare-versions.sh [REV]
set -euo pipefail
rev=${1:-ef41d35}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/tw-compare-XXXXXX)
trap 'git -C "$here" worktree remove --force "$work/old" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git -C "$here" worktree add --detach -q "$work/old" "$rev"
ln -s "$here/node_modules" "$work/old/node_modules"
cp "$here/scripts/line-dump.ts" "$work/old/line-dump.ts"
sed -i "s#'\.\./#'./#" "$work/old/line-dump.ts"
(cd "$here" && node --import tsx scripts/line-corpus.ts "$work/corpus")
files=("$work"/corpus/*.log)
(cd "$work/old" && node --import tsx line-dump.ts "$work/old.jsonl" "${files[@]}")
(cd "$here" && node --import tsx scripts/line-dump.ts "$work/new.jsonl" "${files[@]}")
echo "lines: $(wc -l < "$work/old.jsonl") before ($rev), $(wc -l < "$work/new.jsonl") now"
if cmp -s "$work/old.jsonl" "$work/new.jsonl"; then
  echo "the same: every line, with its seq, time, level, cont and cut"
else
  echo "DIFFERENT (first differences):"
  diff "$work/old.jsonl" "$work/new.jsonl" | head -20
  exit 1
fi
