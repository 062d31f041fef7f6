#!/usr/bin/env bash
# build-old.sh [REV]: the release binary of REV (default main, where a
# refactor branch starts) as target/same-output/day23-old, for
# run.py to compare with the current one. REV is checked out in a temporary
# git worktree under target/same-output/ and built there with a target dir of
# its own (kept between runs, so a second build is incremental); the worktree
# is removed afterwards. Idempotent: when day23-old is already REV's build
# (target/same-output/day23-old.rev), nothing is done.
set -euo pipefail

rev=${1:-main}
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
out=$root/target/same-output
wt=$out/worktree
commit=$(git -C "$root" rev-parse --verify --quiet "$rev^{commit}") || {
  echo "build-old.sh: '$rev' is not a commit of this repository" >&2
  exit 2
}
mkdir -p "$out"

if [[ -x $out/day23-old && -f $out/day23-old.rev && $(cat "$out/day23-old.rev") == "$commit" ]]; then
  echo "build-old.sh: $out/day23-old is already $rev ($commit)"
  exit 0
fi

remove_worktree() {
  if [[ -e $wt ]]; then
    git -C "$root" worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"
  fi
  git -C "$root" worktree prune
}
# A worktree left behind by an interrupted run goes first.
remove_worktree
trap remove_worktree EXIT

git -C "$root" worktree add --detach --quiet "$wt" "$commit"
echo "build-old.sh: building $rev ($commit) in $wt"
(cd "$wt" && CARGO_TARGET_DIR=$out/cargo-target cargo build --release --locked)
cp "$out/cargo-target/release/day23" "$out/day23-old.tmp"
mv "$out/day23-old.tmp" "$out/day23-old"
echo "$commit" > "$out/day23-old.rev"
echo "build-old.sh: $out/day23-old is $rev ($commit)"
