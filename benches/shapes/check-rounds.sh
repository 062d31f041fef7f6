#!/usr/bin/env bash
# The per-round figures of the bit grid on the shape suite, today against a
# later kernel: for every shape in rounds.sha256, the sha256 of the stdout of
#   day23 -i SHAPE -c bitgrid -s pingpong -b BUFFER
# (every `Round i memuse` line and both answers) must equal the recorded one.
#
#   bash benches/shapes/check-rounds.sh            check (builds release first)
#   bash benches/shapes/check-rounds.sh --update   rewrite the hashes after a
#                                                  change meant to alter them
#   DAY23=path/to/day23 ...                        use that binary, no build
#
# Exit 0 when every hash matches, 1 otherwise (each differing shape named).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
LIST="$HERE/rounds.sha256"
update=0
[[ ${1:-} == --update ]] && update=1

if [[ -z ${DAY23:-} ]]; then
  (cd "$ROOT" && cargo build --release --quiet)
  DAY23="$ROOT/target/release/day23"
fi
# The runs start in this folder: make a relative path absolute.
[[ $DAY23 == */* && $DAY23 != /* ]] && DAY23="$PWD/$DAY23"

failed=0
out=()
while read -r file buffer want; do
  [[ -z $file || $file == \#* ]] && { out+=("$file${buffer:+ $buffer}${want:+ $want}"); continue; }
  got=$(cd "$HERE" && "$DAY23" -i "$file" -c bitgrid -s pingpong -b "$buffer" --color never | sha256sum | cut -d' ' -f1)
  out+=("$file $buffer $got")
  if [[ $got == "$want" ]]; then
    printf 'same      %s\n' "$file"
  else
    printf 'DIFFERENT %s (-b %s): %s, recorded %s\n' "$file" "$buffer" "$got" "$want"
    failed=1
  fi
done <"$LIST"

if ((update)); then
  printf '%s\n' "${out[@]}" >"$LIST"
  echo "rewrote $LIST"
  exit 0
fi
((failed == 0)) || { echo "per-round figures changed (see above)" >&2; exit 1; }
echo "per-round figures: every shape identical to rounds.sha256"
