#!/usr/bin/env sh
# System packages the tests use for real (run before `npm test` as its `pretest`): heaptrack for
# native allocation sites, PostgreSQL's server binaries for the service's PostgreSQL store (the tests
# start a throwaway cluster). Installed with apt when missing; nothing happens when they are there.
set -eu
need=""
command -v heaptrack >/dev/null 2>&1 || need="$need heaptrack"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need="$need postgresql"
[ -z "$need" ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "memgate tests need:$need (Debian packages). Install them (apt-get install$need) and run npm test again." >&2
  exit 1
fi
echo "memgate: installing$need for the tests (apt-get)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update >/dev/null
apt-get install -y --no-install-recommends $need >/dev/null
