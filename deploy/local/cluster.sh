#!/usr/bin/env bash
# A local Crossbar cluster: N node processes (one Hazelcast cluster over TCP-IP on 127.0.0.1), the mock
# providers, and nginx in front on one port. Runs in the background until `cluster.sh stop`.
#
#   deploy/local/cluster.sh start [--config examples/demo.yaml] [--nodes 3] [--port 8080]
#                                 [--member-port 5701] [--mock-port 9090 | --no-mock]
#   deploy/local/cluster.sh status
#   deploy/local/cluster.sh stop
#
# nginx listens on --port, the nodes on the ports above it (8081, 8082, ...), the members on
# --member-port and up. Per-node configs, logs and pid files go to .crossbar/cluster (or
# $CROSSBAR_CLUSTER_DIR). Node configs keep the ${ENV} placeholders of the source config: export the
# secrets it names before `start`. `./crossbar demo --nodes N` runs the same cluster in the foreground.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="${CROSSBAR_CLUSTER_DIR:-$ROOT/.crossbar/cluster}"

usage() {
  sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit "${1:-2}"
}

# GET http://127.0.0.1:PORT/PATH without curl: prints the status code and the body.
http_get() {
  local port=$1 path=$2 reply
  reply=$( (exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$path" >&3 \
    && timeout 3 cat <&3) 2>/dev/null) || return 1
  printf '%s %s\n' "$(printf '%s' "$reply" | head -1 | cut -d' ' -f2)" "$(printf '%s' "$reply" | tail -1)"
}

alive() {
  [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

node_pids() {
  ls "$DIR"/node-*.pid 2>/dev/null || true
}

cmd_start() {
  local config="$ROOT/examples/demo.yaml" nodes=3 port=8080 member_port=5701 mock_port=9090 mock=true
  while [ $# -gt 0 ]; do
    case "$1" in
      --config) config="$2"; shift 2 ;;
      --nodes) nodes="$2"; shift 2 ;;
      --port) port="$2"; shift 2 ;;
      --member-port) member_port="$2"; shift 2 ;;
      --mock-port) mock_port="$2"; shift 2 ;;
      --no-mock) mock=false; shift ;;
      -h|--help) usage 0 ;;
      *) echo "cluster.sh: unknown option $1" >&2; usage ;;
    esac
  done
  config="$(cd "$(dirname "$config")" && pwd)/$(basename "$config")"
  for pid in "$DIR"/*.pid; do
    if alive "$pid"; then
      echo "cluster.sh: a cluster is already running from $DIR ($(basename "$pid")); run 'cluster.sh stop' first" >&2
      exit 1
    fi
  done
  mkdir -p "$DIR"
  rm -f "$DIR"/*.pid "$DIR"/node-*.yaml

  local with_nginx=true
  if ! "$ROOT/deploy/local/ensure-nginx.sh"; then
    with_nginx=false
    echo "cluster.sh: going on without nginx; clients must call the nodes directly" >&2
  fi

  if $mock; then
    export MOCK_BASE_URL="http://127.0.0.1:$mock_port"
  fi
  echo "cluster.sh: writing $nodes node configs from $config to $DIR"
  "$ROOT/crossbar" cluster-files --config "$config" --nodes "$nodes" --port "$port" \
    --member-port "$member_port" --dir "$DIR" >/dev/null

  if $mock; then
    nohup "$ROOT/crossbar" mock --port "$mock_port" >"$DIR/mock.log" 2>&1 &
    echo $! >"$DIR/mock.pid"
  fi
  local demo_secrets=""
  if [[ "$config" == "$ROOT/examples/demo.yaml" ]]; then
    demo_secrets="--allow-demo-secrets"   # the demo's well-known tokens, on loopback
  fi
  for ((i = 1; i <= nodes; i++)); do
    nohup "$ROOT/crossbar" run --config "$DIR/node-$i.yaml" $demo_secrets >"$DIR/node-$i.log" 2>&1 &
    echo $! >"$DIR/node-$i.pid"
  done

  echo "cluster.sh: waiting for $nodes nodes to join one cluster (logs: $DIR/node-*.log)"
  local deadline=$((SECONDS + 180))
  for ((i = 1; i <= nodes; i++)); do
    local node_port=$((port + i)) answer=""
    while true; do
      if ! alive "$DIR/node-$i.pid"; then
        echo "cluster.sh: node $i exited; the end of its log:" >&2
        tail -20 "$DIR/node-$i.log" >&2
        cmd_stop
        exit 1
      fi
      answer=$(http_get "$node_port" /health/ready || true)
      if [[ "$answer" == 200* && "$answer" == *"\"members\":$nodes"* ]]; then
        break
      fi
      if [ $SECONDS -ge $deadline ]; then
        echo "cluster.sh: node $i not ready with $nodes members after 180 s (last answer: ${answer:-none})" >&2
        cmd_stop
        exit 1
      fi
      sleep 0.5
    done
  done

  if $with_nginx; then
    local nginx
    nginx="$(command -v nginx || echo /usr/sbin/nginx)"
    "$nginx" -p "$DIR" -c "$DIR/nginx.conf" -e "$DIR/nginx-error.log"
  fi

  echo
  if $with_nginx; then
    echo "Crossbar cluster is up: $nodes nodes behind nginx on http://127.0.0.1:$port (nodes on $((port + 1))-$((port + nodes)))"
  else
    echo "Crossbar cluster is up without a load balancer: nodes on http://127.0.0.1:$((port + 1)) to http://127.0.0.1:$((port + nodes))"
    port=$((port + 1))
  fi
  if $mock; then
    echo "Mock providers on $MOCK_BASE_URL"
  fi
  cat <<EOF

Try it:
  curl http://127.0.0.1:$port/v1/chat/completions -H 'Authorization: Bearer crossbar-demo' \\
    -H 'Content-Type: application/json' \\
    -d '{"model":"demo-openai","messages":[{"role":"user","content":"hello"}]}'

(the client key and models are those of the demo config). Stop with: deploy/local/cluster.sh stop
EOF
}

cmd_stop() {
  if alive "$DIR/nginx.pid"; then
    kill -QUIT "$(cat "$DIR/nginx.pid")" 2>/dev/null || true
    echo "cluster.sh: nginx stopping"
  fi
  local pids=()
  for pid in $(node_pids) "$DIR/mock.pid"; do
    if alive "$pid"; then
      pids+=("$(cat "$pid")")
      kill -TERM "$(cat "$pid")" 2>/dev/null || true
    fi
  done
  if [ ${#pids[@]} -gt 0 ]; then
    echo "cluster.sh: stopping ${#pids[@]} processes (nodes drain their requests, return their leases, leave)"
  fi
  local deadline=$((SECONDS + 60))
  for p in "${pids[@]}"; do
    while kill -0 "$p" 2>/dev/null; do
      if [ $SECONDS -ge $deadline ]; then
        echo "cluster.sh: process $p still running after 60 s; killing it" >&2
        kill -KILL "$p" 2>/dev/null || true
        break
      fi
      sleep 0.2
    done
  done
  rm -f "$DIR"/node-*.pid "$DIR/mock.pid"
  echo "cluster.sh: stopped"
}

cmd_status() {
  local any=false
  for pid in "$DIR/nginx.pid" "$DIR/mock.pid" $(node_pids); do
    [ -f "$pid" ] || continue
    any=true
    local name state
    name=$(basename "$pid" .pid)
    if alive "$pid"; then state="running (pid $(cat "$pid"))"; else state="not running"; fi
    if [[ "$name" == node-* ]] && alive "$pid"; then
      local port
      port=$(sed -n 's/^  port: \([0-9]*\)$/\1/p' "$DIR/$name.yaml" | head -1)
      state="$state, :$port /health/ready: $(http_get "$port" /health/ready || echo 'no answer')"
    fi
    printf '%-8s %s\n' "$name" "$state"
  done
  $any || echo "cluster.sh: no cluster in $DIR"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  -h|--help|help) usage 0 ;;
  *) usage ;;
esac
