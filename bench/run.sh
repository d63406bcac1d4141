#!/usr/bin/env bash
# The benchmark: news-search against tantivy-cli, SQLite FTS5 and ripgrep in one run.
# Usage: bench/run.sh [--rounds N] [--query-rounds N] [--scale ARTICLES] [--only reuters,chronam,scale]
# Installs what is missing (Debian sqlite3, ripgrep; tantivy-cli from crates.io, about
# 20 minutes once, into $PEERS_DIR), unpacks the data into $BENCH_DIR (a temporary
# folder by default) and prints a Markdown report.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED_DIR:-$root/../shared}
peers=${PEERS_DIR:-$HOME/.cache/news-search-peers}
work=${BENCH_DIR:-$(mktemp -d /tmp/news-search-bench.XXXXXX)}

need_apt=()
command -v sqlite3 >/dev/null || need_apt+=(sqlite3)
command -v rg >/dev/null || need_apt+=(ripgrep)
command -v zstd >/dev/null || need_apt+=(zstd)
[ -x /usr/bin/time ] || need_apt+=(time)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq "${need_apt[@]}"
fi
if [ ! -x "$peers/bin/tantivy" ]; then
  # tantivy-cli's lockfile pins a crate that no longer builds: install without --locked.
  cargo install tantivy-cli --root "$peers"
fi
cargo build --release --manifest-path "$root/Cargo.toml"

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "commit: $(git -C "$root" rev-parse --short HEAD); data in $work" >&2
python3 "$root/bench/bench.py" --shared "$shared" --work "$work" \
  --news "$root/target/release/news-search" --tantivy "$peers/bin/tantivy" "$@"
