#!/usr/bin/env bash
# Start or stop a private code-server (for `npm start` and the end-to-end tests).
#
# Usage:
#   launch-code-server.sh start --state DIR --workspace DIR [--port N] [--vsix FILE]... [--code-server-dir DIR]
#   launch-code-server.sh stop  --state DIR
#
# start: makes DIR/{user-data,extensions,xdg-config,xdg-data}, writes test-friendly
#        user settings, installs each --vsix into the private extensions dir,
#        starts code-server on 127.0.0.1 with auth disabled, waits until it answers,
#        and writes DIR/server.pid, DIR/server.log, DIR/url.txt (base URL).
#        Prints the base URL on stdout.
# stop:  kills the server's process group (started with setsid) by the PID in DIR/server.pid.
#
# Env: CODE_SERVER_DIR (default ./.vscode-e2e/code-server, as install-code-server.sh),
#      E2E_PORT (default: a free port), E2E_START_TIMEOUT (seconds, default 60).
# An extension folder under development needs no vsix: the test opens the
# workbench with ?payload=[["extensionDevelopmentPath","vscode-remote://HOST:PORT/abs/path"]]
# (see vscode-e2e.mjs).
set -euo pipefail

log() { printf '[launch-code-server] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

CMD="${1:-}"; shift || true
STATE=""; WORKSPACE=""; PORT="${E2E_PORT:-}"; VSIXES=()
CS_DIR="${CODE_SERVER_DIR:-./.vscode-e2e/code-server}"
while [ $# -gt 0 ]; do
  case "$1" in
    --state) STATE="$2"; shift 2 ;;
    --workspace) WORKSPACE="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --vsix) VSIXES+=("$2"); shift 2 ;;
    --code-server-dir) CS_DIR="$2"; shift 2 ;;
    *) die "unknown argument: $1" ;;
  esac
done
[ -n "$STATE" ] || die "--state DIR is required"

stop_server() {
  local pidfile="$STATE/server.pid"
  [ -f "$pidfile" ] || { log "no $pidfile, nothing to stop"; return 0; }
  local pid; pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    # The server was started with setsid, so its PID is also its process group id:
    # this ends code-server, its VS Code server child and the extension hosts.
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL -- "-$pid" 2>/dev/null || true; fi
    log "stopped server (pgid $pid)"
  else
    log "server $pid was not running"
  fi
  rm -f "$pidfile"
  if [ -f "$STATE/runtime-dir.txt" ]; then
    rm -rf "$(cat "$STATE/runtime-dir.txt")"
    rm -f "$STATE/runtime-dir.txt"
  fi
}

case "$CMD" in
  stop) stop_server; exit 0 ;;
  start) ;;
  *) die "usage: $0 start|stop --state DIR [...]" ;;
esac

[ -n "$WORKSPACE" ] || die "--workspace DIR is required"
[ -d "$WORKSPACE" ] || die "workspace $WORKSPACE does not exist"
CS_DIR=$(cd "$CS_DIR" && pwd) || die "code-server dir not found (run install-code-server.sh)"
ENTRY="$CS_DIR/node_modules/code-server/out/node/entry.js"
[ -f "$ENTRY" ] || die "$ENTRY missing (run install-code-server.sh)"
command -v setsid >/dev/null || die "setsid not found (util-linux)"

mkdir -p "$STATE"
STATE=$(cd "$STATE" && pwd)
WORKSPACE=$(cd "$WORKSPACE" && pwd)
if [ -f "$STATE/server.pid" ] && kill -0 "$(cat "$STATE/server.pid")" 2>/dev/null; then
  die "a server from $STATE is already running (pid $(cat "$STATE/server.pid")); stop it first"
fi
mkdir -p "$STATE/user-data/User" "$STATE/extensions" "$STATE/xdg-config" "$STATE/xdg-data" "$STATE/xdg-cache"
: > "$STATE/config.yaml"   # private, empty config file: nothing read from or written to ~/.config

SETTINGS="$STATE/user-data/User/settings.json"
if [ ! -f "$SETTINGS" ]; then
  cat > "$SETTINGS" <<'JSON'
{
  "workbench.colorTheme": "Default Dark Modern",
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "telemetry.telemetryLevel": "off",
  "security.workspace.trust.enabled": false,
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "extensions.ignoreRecommendations": true,
  "update.mode": "none",
  "git.enabled": false,
  "window.restoreWindows": "none",
  "files.hotExit": "off"
}
JSON
fi

# Same environment for the CLI install and the server: keep everything inside STATE,
# except Unix sockets, which go to a short private runtime dir (socket paths must
# stay under ~107 bytes, so they cannot live under a deep STATE path). VS Code puts
# its IPC sockets in XDG_RUNTIME_DIR (else TMPDIR); the stop command deletes the dir.
RUNTIME_DIR=$(mktemp -d "${E2E_RUNTIME_PARENT:-${TMPDIR:-/tmp}}/vsce2e.XXXXXX")
echo "$RUNTIME_DIR" > "$STATE/runtime-dir.txt"
# Until the server is up, any failure removes the runtime dir again.
trap 'rm -rf "$RUNTIME_DIR"; rm -f "$STATE/runtime-dir.txt"' EXIT
# pip reads its user config under XDG_CONFIG_HOME (else ~/.config): keep the machine's (its package
# index) visible to the server's Python processes, as it is to the user's own editor.
if [ -z "${PIP_CONFIG_FILE:-}" ] && [ -f "${XDG_CONFIG_HOME:-$HOME/.config}/pip/pip.conf" ]; then
  export PIP_CONFIG_FILE="${XDG_CONFIG_HOME:-$HOME/.config}/pip/pip.conf"
fi
export XDG_CONFIG_HOME="$STATE/xdg-config" XDG_DATA_HOME="$STATE/xdg-data" XDG_CACHE_HOME="$STATE/xdg-cache"
export XDG_RUNTIME_DIR="$RUNTIME_DIR" TMPDIR="$RUNTIME_DIR"
COMMON=(--config "$STATE/config.yaml" --user-data-dir "$STATE/user-data" --extensions-dir "$STATE/extensions")

for vsix in ${VSIXES[@]+"${VSIXES[@]}"}; do
  [ -f "$vsix" ] || die "vsix $vsix not found"
  log "installing $vsix into $STATE/extensions"
  node "$ENTRY" "${COMMON[@]}" --force --install-extension "$vsix" >>"$STATE/install-extension.log" 2>&1 \
    || { cat "$STATE/install-extension.log" >&2; die "installing $vsix failed"; }
done

if [ -z "$PORT" ]; then
  PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
fi

T0=$(date +%s.%N)
setsid node "$ENTRY" "${COMMON[@]}" \
  --bind-addr "127.0.0.1:$PORT" \
  --session-socket "$RUNTIME_DIR/session.sock" \
  --auth none \
  --disable-telemetry \
  --disable-update-check \
  --disable-workspace-trust \
  --disable-getting-started-override \
  --ignore-last-opened \
  "$WORKSPACE" >"$STATE/server.log" 2>&1 < /dev/null &
PID=$!
echo "$PID" > "$STATE/server.pid"

URL="http://127.0.0.1:$PORT"
DEADLINE=$(( $(date +%s) + ${E2E_START_TIMEOUT:-60} ))
until node -e '
  require("http").get(process.argv[1] + "/healthz", r => process.exit(r.statusCode === 200 ? 0 : 1))
    .on("error", () => process.exit(1));' "$URL"; do
  kill -0 "$PID" 2>/dev/null || { cat "$STATE/server.log" >&2; stop_server; die "code-server exited"; }
  [ "$(date +%s)" -lt "$DEADLINE" ] || { cat "$STATE/server.log" >&2; stop_server; die "code-server did not answer in time"; }
  sleep 0.2
done
trap - EXIT
echo "$URL" > "$STATE/url.txt"
log "code-server pid $PID up at $URL in $(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}')s (log: $STATE/server.log)"
echo "$URL"
