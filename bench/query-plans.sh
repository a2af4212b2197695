#!/bin/bash
# query-plans.sh — SQLite's plan of every indicator of the catalogue (bimo indicators plan) on
# a filled store, written as bench/QUERY-PLANS.md: the plans the catalogue's speed relies on.
# Usage: bench/query-plans.sh STORE [BUILD_DIR]   (default build)
set -euo pipefail
cd "$(dirname "$0")/.."
STORE=${1:?usage: bench/query-plans.sh STORE [BUILD_DIR]}
BIMO=$PWD/${2:-build}/cli/bimo
header() { sed -n "s/^-- $2: *//p" "$1" | head -1; }
{
    echo "# Query plans of the indicator catalogue"
    echo
    echo "Written by \`bench/query-plans.sh\` ($(date -u +%Y-%m-%d)) with \`bimo indicators plan\`"
    echo "on the default sample district. What to look for: fact tables are read by"
    echo "\`INTEGER PRIMARY KEY (rowid>? AND rowid<?)\` (a snapshot is a rowid range), count tables"
    echo "by their \`PRIMARY KEY (snapshot_id=?...)\`, arrivals by the partial date indexes; an"
    echo "\`AUTOMATIC ... INDEX\` is a temporary index SQLite builds for one join."
    for f in indicators/*.sql; do
        id=$(header "$f" id)
        case "$(header "$f" period)" in
            schuljahr) p=2024/25 ;;
            *) p=2025 ;;
        esac
        echo
        echo "## $id ($p)"
        echo
        echo '```'
        "$BIMO" --db "$STORE" indicators plan "$id" --period "$p" | tail -n +2
        echo '```'
    done
} > bench/QUERY-PLANS.md.tmp
mv bench/QUERY-PLANS.md.tmp bench/QUERY-PLANS.md
echo "wrote bench/QUERY-PLANS.md"
