#!/usr/bin/env bash
# Writes SPEC.md for a corpus writer: the schema, categories, labelling conventions and
# personal-number rules of tests/data/corpus/README.md (from "## Schema" up to "## Counts").
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
awk '/^## Schema/{p=1} /^## Counts/{p=0} p' "$here/../../tests/data/corpus/README.md" > "${1:-$here/SPEC.md}"
