#!/bin/sh
# Instructions per parsed head (callgrind, load-independent): two runs of parse-bench.mjs that
# differ only in the number of heads parsed after warm-up; the difference over the count.
#   sh tools/perf/parse-instructions.sh ROOT [browser|repeated]
root=$1; scenario=${2:-browser}; here=$(dirname "$0")
ir() {
  PARSE_COUNT=$1 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    node "$here/parse-bench.mjs" "$root" "$scenario" 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
a=$(ir 10000); b=$(ir 40000)
echo "$scenario $(basename "$(realpath "$root")"): $(( (b - a) / 30000 )) instructions per head"
