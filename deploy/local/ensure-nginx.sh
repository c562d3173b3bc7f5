#!/usr/bin/env bash
# Makes sure nginx is installed (Debian's package), installing it with apt-get when it is missing.
# Exit 0: nginx is there. Exit 1: it is not and could not be installed (the reason is on stderr).
# Used by ./crossbar (demo --nodes N) and deploy/local/cluster.sh.
set -uo pipefail

have_nginx() {
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || [ -x /usr/local/sbin/nginx ]
}

have_nginx && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "crossbar: nginx is not installed and there is no apt-get here; install nginx with your package manager" >&2
  exit 1
fi
echo "crossbar: nginx is not installed; installing Debian's package (apt-get install nginx)..." >&2
install() {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx
}
if [ "$(id -u)" = 0 ]; then
  install >/dev/null 2>&1
elif command -v sudo >/dev/null 2>&1; then
  sudo -n true 2>/dev/null && sudo -n sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx" >/dev/null 2>&1
fi
if have_nginx; then
  # Debian's package may start a system nginx on port 80; the local cluster runs its own instance.
  echo "crossbar: nginx installed" >&2
  exit 0
fi
echo "crossbar: could not install nginx (needs root or passwordless sudo, and Debian's package archive)." >&2
echo "crossbar: install it by hand: sudo apt-get install nginx" >&2
exit 1
