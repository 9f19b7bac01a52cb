#!/usr/bin/env bash
# Install code-server (a real VS Code, served to a browser) from the npm registry
# on an offline machine: no GitHub, no Microsoft download servers.
# (Embedding Lab's copy of the offline e2e recipe; used by `npm start` and `npm run test:e2e`.)
#
# Usage: install-code-server.sh [INSTALL_DIR]
#   INSTALL_DIR  default: $CODE_SERVER_DIR or ./.vscode-e2e/code-server
# Env:
#   CODE_SERVER_VERSION  default 4.100.3 (the newest release whose engines say node 20)
#   RG_BIN               ripgrep binary to use (default: `command -v rg`, Debian package ripgrep)
#   SKIP_KERBEROS=1      do not build the kerberos addon (auto when the krb5 headers are missing)
#   FORCE_REINSTALL=1    ignore the "already installed" marker
#   npm_config_cache     npm's own variable, honoured as usual
#
# Why not a plain `npm install code-server`: its postinstall (a) refuses root
# without unsafe-perm, (b) runs `npm install` in lib/vscode whose
# @vscode/ripgrep postinstall downloads rg from GitHub (fails offline) and whose
# kerberos/argon2 installers try prebuilt downloads first. So we install with
# --ignore-scripts and redo the postinstall steps by hand.
set -euo pipefail

VERSION="${CODE_SERVER_VERSION:-4.100.3}"
DEST="${1:-${CODE_SERVER_DIR:-./.vscode-e2e/code-server}}"
JOBS="${JOBS:-$(nproc 2>/dev/null || echo 2)}"

log() { printf '[install-code-server] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s.%N; }
T0=$(now)

# ---------- preconditions ----------
command -v node >/dev/null || die "node not found"
command -v npm >/dev/null || die "npm not found"
NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]')
if [ "$NODE_MAJOR" != "20" ]; then
  log "WARNING: code-server $VERSION is built for node 20, this is node $NODE_MAJOR; native addons are built for the running node, but expect trouble."
fi
for tool in make g++ python3; do
  command -v "$tool" >/dev/null || die "$tool not found (needed by node-gyp to build native addons)"
done
RG_BIN="${RG_BIN:-$(command -v rg || true)}"
if [ -z "$RG_BIN" ] || [ ! -x "$RG_BIN" ]; then
  log "WARNING: ripgrep not found (apt-get install -y ripgrep); VS Code's search in files will not work"
  RG_BIN=""
fi

# node-gyp must find node's headers locally, or it tries to download them.
if [ -z "${npm_config_nodedir:-}" ]; then
  NODE_PREFIX=$(dirname "$(dirname "$(node -p 'process.execPath')")")
  if [ -f "$NODE_PREFIX/include/node/node.h" ]; then
    export npm_config_nodedir="$NODE_PREFIX"
  else
    NODEDIR_FROM_NPMRC=$(npm config get nodedir 2>/dev/null || true)
    if [ -n "$NODEDIR_FROM_NPMRC" ] && [ "$NODEDIR_FROM_NPMRC" != "undefined" ]; then
      export npm_config_nodedir="$NODEDIR_FROM_NPMRC"
    else
      log "WARNING: node headers not found under $NODE_PREFIX/include/node; node-gyp may try to download them"
    fi
  fi
fi
log "node $(node -v), npm $(npm -v 2>/dev/null), nodedir=${npm_config_nodedir:-<unset>}, jobs=$JOBS"

if [ -z "${SKIP_KERBEROS:-}" ]; then
  if ! { pkg-config --exists krb5-gssapi 2>/dev/null || [ -f /usr/include/gssapi/gssapi.h ]; }; then
    log "WARNING: krb5 headers missing (apt-get install -y libkrb5-dev); skipping the kerberos addon (only used for Kerberos proxy auth)"
    SKIP_KERBEROS=1
  fi
fi

# npm's own node-gyp, so nothing has to be fetched to build addons.
NPM_CLI=$(readlink -f "$(command -v npm)")
NPM_DIR=$(cd "$(dirname "$NPM_CLI")/.." && pwd)
NODE_GYP_JS="$NPM_DIR/node_modules/node-gyp/bin/node-gyp.js"
if [ ! -f "$NODE_GYP_JS" ]; then
  NODE_GYP_JS="$(npm root -g 2>/dev/null)/npm/node_modules/node-gyp/bin/node-gyp.js"
fi
[ -f "$NODE_GYP_JS" ] || die "cannot find npm's bundled node-gyp (looked next to $NPM_CLI)"

mkdir -p "$DEST"
DEST=$(cd "$DEST" && pwd)
MARKER="$DEST/.installed-code-server-$VERSION"
if [ -f "$MARKER" ] && [ -z "${FORCE_REINSTALL:-}" ]; then
  log "code-server $VERSION already installed in $DEST (remove $MARKER or set FORCE_REINSTALL=1 to redo)"
  exit 0
fi
rm -f "$DEST"/.installed-code-server-*

# ---------- 1. the package itself, no scripts ----------
log "1/6 npm install code-server@$VERSION --ignore-scripts"
cd "$DEST"
[ -f package.json ] || printf '{\n  "name": "code-server-host",\n  "private": true\n}\n' > package.json
npm install --ignore-scripts --no-audit --no-fund --loglevel=error "code-server@$VERSION"
CS="$DEST/node_modules/code-server"
VS="$CS/lib/vscode"
[ -f "$VS/package.json" ] || die "unexpected layout: $VS/package.json missing"

# ---------- 2. what postinstall.sh would do: lib/vscode and its extensions ----------
log "2/6 npm install --omit=dev --ignore-scripts in lib/vscode and lib/vscode/extensions"
(cd "$VS" && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
(cd "$VS/extensions" && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
# The extensions' postinstall only trims the bundled typescript; harmless and offline.
(cd "$VS/extensions" && node postinstall.mjs >/dev/null)

# ---------- 3. native addons, built from source ----------
log "3/6 building native addons with node-gyp"
build_addon() {
  local dir="$VS/node_modules/$1"
  [ -f "$dir/binding.gyp" ] || die "$1 has no binding.gyp"
  local t; t=$(now)
  (cd "$dir" && node "$NODE_GYP_JS" rebuild --jobs="$JOBS" --loglevel=error >"$dir/.e2e-build.log" 2>&1) \
    || { tail -40 "$dir/.e2e-build.log" >&2; die "building $1 failed (log: $dir/.e2e-build.log)"; }
  log "   built $1 in $(awk -v a="$t" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}')s"
}
build_addon node-pty
build_addon @vscode/spdlog
build_addon native-watchdog
build_addon @vscode/deviceid
if [ -z "${SKIP_KERBEROS:-}" ]; then build_addon kerberos; else log "   skipped kerberos"; fi
# @parcel/watcher: its prebuilt binary comes as an npm optional dependency
# (@parcel/watcher-linux-x64-glibc), nothing to build.
# argon2 (code-server's password hashing) uses node-pre-gyp: build from source, no download.
# (Called directly rather than through `npm rebuild`, so npm's install-script
# approval rules cannot get in the way.)
t=$(now)
ARGON2="$DEST/node_modules/argon2"
(cd "$ARGON2" && npm_config_node_gyp="$NODE_GYP_JS" npm_config_jobs="$JOBS" \
   node "$DEST/node_modules/@mapbox/node-pre-gyp/bin/node-pre-gyp" rebuild >"$ARGON2/.e2e-build.log" 2>&1) \
  || { tail -40 "$ARGON2/.e2e-build.log" >&2; die "building argon2 failed"; }
log "   built argon2 in $(awk -v a="$t" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}')s"

# ---------- 4. ripgrep from the system instead of GitHub ----------
mkdir -p "$VS/node_modules/@vscode/ripgrep/bin"
if [ -n "$RG_BIN" ]; then
  log "4/6 ripgrep: $RG_BIN -> @vscode/ripgrep/bin/rg"
  cp -f "$RG_BIN" "$VS/node_modules/@vscode/ripgrep/bin/rg"
  chmod +x "$VS/node_modules/@vscode/ripgrep/bin/rg"
else
  log "4/6 ripgrep: skipped (not installed)"
fi

# ---------- 5. the symlinks postinstall.sh makes ----------
log "5/6 symlinks (node_modules.asar, remote-cli, browser helper)"
ln -sfn node_modules "$VS/node_modules.asar"
ln -sfn code-linux.sh "$VS/bin/remote-cli/code-server"
ln -sfn browser-linux.sh "$VS/bin/helpers/browser.sh"

# ---------- 6. smoke check ----------
log "6/6 smoke check"
(cd "$VS" && node -e '
  for (const m of ["node-pty", "@vscode/spdlog", "native-watchdog"]) require(m);
  require("@vscode/ripgrep");
') || die "a native addon does not load"
if [ -z "${SKIP_KERBEROS:-}" ]; then (cd "$VS" && node -e 'require("kerberos")') || die "kerberos does not load"; fi
(cd "$DEST" && node -e 'require("argon2")') || die "argon2 does not load"
if [ -n "$RG_BIN" ]; then "$VS/node_modules/@vscode/ripgrep/bin/rg" --version >/dev/null || die "rg does not run"; fi
SMOKE="$DEST/.smoke"; rm -rf "$SMOKE"; mkdir -p "$SMOKE"; : > "$SMOKE/config.yaml"
VERSION_LINE=$(XDG_CONFIG_HOME="$SMOKE" XDG_DATA_HOME="$SMOKE" node "$CS/out/node/entry.js" --config "$SMOKE/config.yaml" --version | grep -m1 'with Code' || true)
rm -rf "$SMOKE"
[ -n "$VERSION_LINE" ] || die "code-server --version printed nothing useful"
log "OK: $VERSION_LINE"
touch "$MARKER"
log "installed in $(awk -v a="$T0" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}')s; entry point: $CS/out/node/entry.js"
