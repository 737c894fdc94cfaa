#!/usr/bin/env bash
# Builds the container image from the root Dockerfile with podman and runs it: health (through the
# image's own HEALTHCHECK too), a signed query for every vendor on 127.0.0.1, a non-root user, the
# image under 200 MB; then stops it. No registry is needed: the debian:12-slim base is made with
# debootstrap from the apt mirror this machine is configured with. Needs root (apt, debootstrap).
#   scripts/test-container.sh [--keep-image]
set -euo pipefail
cd "$(dirname "$0")/.."
keep_image=false
[ "${1:-}" = "--keep-image" ] && keep_image=true

image=localhost/cdrsim:test
build_image=localhost/cdrsim-build:test
base=docker.io/library/debian:12-slim
max_bytes=$((200 * 1000 * 1000))
work=$(mktemp -d "${TMPDIR:-/tmp}/cdrsim-container.XXXXXX")
name="cdrsim-test-$$"
fail() { echo "test-container: FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
missing=()
for p in podman runc debootstrap curl; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "installing ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# What podman needs in this sandbox: no ulimits of its own, cgroupfs, runc.
printf '[containers]\ndefault_ulimits = []\n[engine]\ncgroup_manager = "cgroupfs"\n' >"$work/containers.conf"
export CONTAINERS_CONF="$work/containers.conf"
pod() { $sudo env CONTAINERS_CONF="$CONTAINERS_CONF" podman --runtime runc --cgroup-manager=cgroupfs "$@"; }

cleanup() {
  pod rm -f "$name" >/dev/null 2>&1 || true
  $keep_image || pod rmi -f "$image" >/dev/null 2>&1 || true
  pod rmi -f "$build_image" >/dev/null 2>&1 || true
  $sudo rm -rf "$work"
}
trap cleanup EXIT

# The Debian mirror apt already uses here (deb822 .sources first, then sources.list).
debian_mirror() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -e "$f" ] || continue
    awk 'BEGIN { RS = ""; FS = "\n" }
      {
        types = uris = suites = ""
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^Types:/) types = $i
          if ($i ~ /^URIs:/) uris = $i
          if ($i ~ /^Suites:/) suites = $i
          if ($i ~ /^Enabled: *no/) types = ""
        }
        if (types ~ /[ :]deb( |$)/ && suites ~ /[ :]bookworm( |$)/) {
          sub(/^URIs: */, "", uris); split(uris, u, " "); print u[1]; exit
        }
      }' "$f"
  done | head -n 1
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -e "$f" ] || continue
    sed -n 's/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\) bookworm .*/\2/p' "$f"
  done | head -n 1
}

# What debian:12-slim leaves out of a Debian root: downloaded packages and indexes, and (now and
# in every later apt-get install) documentation, man pages and translations.
slim_rootfs() {
  local r=$1
  $sudo rm -rf "$r"/var/cache/apt/archives/*.deb "$r"/var/cache/apt/*.bin "$r"/var/lib/apt/lists/*
  $sudo find "$r/usr/share/doc" -mindepth 1 -not -type d -not -name copyright -delete
  $sudo rm -rf "$r"/usr/share/man/* "$r"/usr/share/info/* "$r"/usr/share/locale/* \
    "$r"/usr/share/groff/* "$r"/usr/share/lintian/*
  printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
    'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' \
    'path-exclude /usr/share/locale/*' 'path-exclude /usr/share/groff/*' \
    'path-exclude /usr/share/lintian/*' | $sudo tee "$r/etc/dpkg/dpkg.cfg.d/slim" >/dev/null
  printf '%s\n' 'APT::Keep-Downloaded-Packages "false";' 'Acquire::Languages "none";' |
    $sudo tee "$r/etc/apt/apt.conf.d/slim" >/dev/null
}

if ! pod image exists "$base"; then
  mirror=$(debian_mirror | head -n 1)
  [ -n "$mirror" ] || fail "no Debian bookworm mirror in /etc/apt/sources.list[.d]"
  step "base image $base: debootstrap bookworm from $mirror"
  start=$SECONDS
  $sudo debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -n 20 "$work/debootstrap.log" >&2; fail "debootstrap"; }
  slim_rootfs "$work/rootfs"
  $sudo tar -C "$work/rootfs" -c . | pod import - "$base" >/dev/null
  $sudo rm -rf "$work/rootfs"
  echo "base image made in $((SECONDS - start)) s"
fi

step "build $image"
start=$SECONDS
# The build stage tagged first, so that removing the tag removes it (the full build reuses its
# layers); docker format, as OCI images drop HEALTHCHECK.
for target in "--target=build -t $build_image" "-t $image"; do
  # shellcheck disable=SC2086 # two words each
  pod build --pull=never --network=host --format docker $target . >>"$work/build.log" 2>&1 ||
    { tail -n 40 "$work/build.log" >&2; fail "podman build"; }
done
echo "built in $((SECONDS - start)) s"

step "the image: size, user, entrypoint, health check"
size=$(pod image inspect --format '{{.Size}}' "$image")
echo "image size: $size bytes ($((size / 1000 / 1000)) MB)"
[ "$size" -lt "$max_bytes" ] || fail "the image is $size bytes, over 200 MB"
user=$(pod image inspect --format '{{.Config.User}}' "$image")
case "$user" in "" | 0 | 0:* | root | root:*) fail "the image runs as root (User '$user')" ;; esac
entrypoint=$(pod image inspect --format '{{join .Config.Entrypoint " "}}' "$image")
[ "$entrypoint" = "cdrsim-mock --bind 0.0.0.0 --port 8080" ] || fail "entrypoint: $entrypoint"
healthcheck=$(pod image inspect --format '{{json .Config.Healthcheck}}' "$image")
echo "$healthcheck" | grep -q '/__cdrsim/health' || fail "no HEALTHCHECK on /__cdrsim/health: $healthcheck"

# A free loopback port for the host network (the image's 8080 may be taken on a shared machine);
# the image's HEALTHCHECK asks 8080, so it runs only when the default port is free.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
default_free=true
(exec 3<>/dev/tcp/127.0.0.1/8080) 2>/dev/null && default_free=false
if $default_free; then
  port=8080
  args=()
  how="the image defaults, 0.0.0.0:8080"
else
  args=(--bind 127.0.0.1 --port "$port")
  how="${args[*]}"
fi
url="http://127.0.0.1:$port"

step "run: $how"
# No health timer (podman would ask systemd for one): the check is run by hand below.
pod run -d --name "$name" --network=host --health-interval=disable "$image" "${args[@]}" >/dev/null
for _ in $(seq 1 100); do
  curl -fsS "$url/__cdrsim/health" >/dev/null 2>&1 && break
  sleep 0.2
done
health=$(curl -fsS "$url/__cdrsim/health") || { pod logs "$name" >&2; fail "no health answer on $url"; }
echo "$health" | grep -q '"status":"ok"' || fail "health: $health"
for v in itnio yunfu huawei aliyun; do
  echo "$health" | grep -q "\"id\":\"$v\"" || fail "health does not list $v"
done
echo "health: ok, every vendor served"
if $default_free; then
  pod healthcheck run "$name" >/dev/null || fail "the image's HEALTHCHECK failed"
  echo "the image's HEALTHCHECK passes"
fi
uid=$(pod exec "$name" id -u)
[ "$uid" != 0 ] || fail "cdrsim-mock runs as root in the container"
echo "runs as uid $uid"

step "signed queries on 127.0.0.1"
# ITNIO from the host with curl: Sign = md5(key + secret + Timestamp).
ts=$(date +%s)
sign=$(printf '%s' "bDqJFiq97bz1lzh9$ts" | md5sum | cut -c1-32)
itnio=$(curl -fsS -X POST "$url/v3/cc/record/query" -H 'Content-Type: application/json;charset=UTF-8' \
  -H 'Api-Key: bDqJFiq9' -H "Timestamp: $ts" -H "Sign: $sign" \
  -d '{"current":1,"size":2,"params":{"startTime":"2025-01-01 00:00:00","endTime":"2025-01-31 23:59:59"}}')
echo "$itnio" | grep -q '"keyId"' || fail "ITNIO's signed query: $itnio"
echo "itnio (curl from the host): records"
# Every vendor through the image's own cdrsim-client (same loopback: the host network).
count() { pod exec "$name" cdrsim-client "$@" | wc -l; }
n=$(count fetch itnio --base-url "$url" --api-key bDqJFiq9 --api-secret 7bz1lzh9 \
  --from 2025-01-01T00:00:00Z --to 2025-01-31T23:59:59Z)
[ "$n" -gt 0 ] || fail "itnio: no record"; echo "itnio: $n records"
n=$(count fetch yunfu --base-url "$url" --token demo-yunfu-token \
  --user-id 4d99d91c-f5d9-49da-88da-758977cc58a9 --task-id 287e19c4-1966-49d6-8f02-b53ef11c0a55)
[ "$n" -gt 0 ] || fail "yunfu: no record"; echo "yunfu: $n records"
n=$(count fetch aliyun --base-url "$url" --access-key-id testid --access-key-secret testsecret \
  --instance-id ccc_xp_pre-cn-demo001)
[ "$n" -gt 0 ] || fail "aliyun: no record"; echo "aliyun: $n records"
n=$(count fetch huawei --base-url "$url" --agent-id 291 --password demo-pass-291)
[ "$n" -gt 0 ] || fail "huawei: no call"; echo "huawei: $n call"

step "stop"
pod stop -t 10 "$name" >/dev/null
status=$(pod inspect --format '{{.State.ExitCode}}' "$name")
[ "$status" = 0 ] || { pod logs "$name" >&2; fail "cdrsim-mock exited with $status on SIGTERM"; }
echo "test-container: the image builds, answers and stops cleanly ($((size / 1000 / 1000)) MB)"
