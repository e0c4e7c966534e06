#!/bin/sh
# Regenerates samples/demo/ from real programs traced with real strace.
# Needs: strace (apt-get install -y strace), python3, Linux (ptrace allowed).
# Writes samples/demo/strace.txt (strace -f -ttt -T -y) and samples/demo/app-log.jsonl (the
# programs' own log). Keep the outputs small: they are committed and shipped.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/demo"
command -v strace >/dev/null || { echo "make-sample.sh needs strace (apt-get install -y strace)" >&2; exit 1; }
mkdir -p "$out"
rm -f "$out/strace.txt" "$out/app-log.jsonl"
port=${DEMO_PORT:-15020}
# The real interpreter, not a version-manager shim (a shell script that would bloat the trace).
python=$(python3 -c "import sys; print(sys.executable)")
cd "$here/scenario"
# -e trace limits the capture to the calls an analyst reads (files, network, processes, reads and
# writes) so the sample stays small; python's memory management calls are left out.
DEMO_APP_LOG="$out/app-log.jsonl" PYTHONDONTWRITEBYTECODE=1 \
  strace -f -ttt -T -y -s 64 -e trace=execve,openat,unlink,unlinkat,rename,%network,%process,read,write,pipe2 \
  -o "$out/strace.txt" "$python" -S plant.py "$port"
wc -c "$out/strace.txt" "$out/app-log.jsonl"
