#!/usr/bin/env bash
# npm run fuzz -- TARGET|all [--time S] [--seed N]: compiles the fuzz runner and the
# sources it reads (test/fuzz/tsconfig.json) and runs test/fuzz/run.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
out=node_modules/.cache/vigil-fuzz
npx tsc -p test/fuzz/tsconfig.json
mkdir -p "$out/src/common/wire/generated"
cp src/common/wire/generated/*.js "$out/src/common/wire/generated/"
exec node "$out/test/fuzz/run.js" "$@"
