#!/usr/bin/env bash
# Regenerates the wire code from proto/vigil/v1/agent.proto (npm run proto).
# The runtime module keeps only what Vigil calls (encode and decode): no
# verify/convert/delimited/create/service code and no comments, which an agent
# would otherwise hold in memory for months. The types come from a commented
# build with the same functions, so agent.d.ts matches agent.js exactly.
set -euo pipefail
out="${VIGIL_PROTO_OUT:-src/common/wire/generated}"
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
flags=(-t static-module -w es6 --dependency protobufjs/minimal.js --no-create --no-verify --no-convert --no-delimited --no-typeurl --no-service)
fix() { sed 's/^import [*] as [$]protobuf /import $protobuf /'; }
npx pbjs "${flags[@]}" proto/vigil/v1/agent.proto | fix >"$tmp/agent.js"
npx pbts -o "$out/agent.d.ts" "$tmp/agent.js"
npx pbjs "${flags[@]}" --no-comments proto/vigil/v1/agent.proto | fix >"$out/agent.js"
