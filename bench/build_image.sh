#!/usr/bin/env bash
# Build the Docker image with buildah (no Docker engine needed), run it, and check it answers.
#
#   sudo bench/build_image.sh               # base, build, run, check; prints the figures
#   bench/build_image.sh --dry-run          # prints the commands it would run, runs none
#
# 1. base: a minimal Debian bookworm (Python 3.11 + venv) made with debootstrap and imported into
#    buildah as localhost/quoteframe-base:bookworm, the Dockerfile's PYTHON_IMAGE (kept for the next
#    run; --base IMAGE uses another one, e.g. python:3.11-slim-bookworm where a registry is reachable);
# 2. build: `buildah build` of the Dockerfile, torch from a wheel folder when the PyTorch index is out
#    of reach, the default model trained in the image unless --model gives a trained one;
# 3. run: the image's own entrypoint in a working container on 127.0.0.1 (chroot isolation shares
#    the host's network), with a token; checks the user is not root, the image's HEALTHCHECK command
#    passes, /readyz answers 200, and a seed article comes back with the expected tag;
# 4. stop: the service and the container are removed whatever happened; the image stays (--clean
#    removes it, the base and the build cache too).
#
# Needs: root (debootstrap, buildah), buildah and debootstrap (apt-get install -y buildah debootstrap),
# python3 on the host. Exit status: 0 all checks passed, 1 a check or a step failed, 2 bad options.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE_IMAGE=localhost/quoteframe-base:bookworm
TORCH_INDEX=https://download.pytorch.org/whl/cpu/torch/

usage() {
    cat <<EOF
usage: bench/build_image.sh [options]
  --tag NAME            image name (default localhost/quoteframe:latest)
  --base IMAGE          PYTHON_IMAGE to build on instead of the debootstrapped one
  --rebuild-base        debootstrap the base again even when $BASE_IMAGE exists
  --mirror URL          Debian mirror for debootstrap (default http://deb.debian.org/debian)
  --torch-wheels DIR    folder holding the torch wheel (default: the PyTorch CPU index when it answers,
                        else pip's find-links folder when it holds a torch wheel)
  --model DIR           trained model folder to copy into the image instead of training one (~5 min)
  --ca-bundle FILE      CA bundle pip trusts during the build (default: pip's configured cert, if any)
  --article FILE        article to post (default: the seed 000_4e24e01c82df98ec.txt in ../shared/seeds)
  --expect TAG          tag the article must get (default "Belarus blames Poland")
  --port N              port on 127.0.0.1 for the service (default: a free one)
  --build-timeout S     bound on the build (default 5400: training under load took 38 min)
  --ready-timeout S     bound on the wait for /readyz (default 300)
  --no-cache            rebuild every layer (a cold build, for timing)
  --clean               afterwards remove the image, the base image and buildah's dangling layers
  --dry-run             print the commands, run nothing
EOF
}

die() { echo "build_image.sh: $1" >&2; exit "${2:-1}"; }
say() { echo "== $*"; }

# -- options ------------------------------------------------------------------------------------
parse_options() {
    TAG=localhost/quoteframe:latest BASE="" REBUILD_BASE=0 MIRROR=http://deb.debian.org/debian
    TORCH_WHEELS="" MODEL="" CA_BUNDLE="" ARTICLE="" EXPECT="Belarus blames Poland" PORT=""
    BUILD_TIMEOUT=5400 READY_TIMEOUT=300 NO_CACHE=0 CLEAN=0 DRY=0
    while [ $# -gt 0 ]; do
        case "$1" in
            --tag) TAG="$(value "$@")"; shift ;;
            --base) BASE="$(value "$@")"; shift ;;
            --rebuild-base) REBUILD_BASE=1 ;;
            --mirror) MIRROR="$(value "$@")"; shift ;;
            --torch-wheels) TORCH_WHEELS="$(value "$@")"; shift ;;
            --model) MODEL="$(value "$@")"; shift ;;
            --ca-bundle) CA_BUNDLE="$(value "$@")"; shift ;;
            --article) ARTICLE="$(value "$@")"; shift ;;
            --expect) EXPECT="$(value "$@")"; shift ;;
            --port) PORT="$(value "$@")"; shift ;;
            --build-timeout) BUILD_TIMEOUT="$(value "$@")"; shift ;;
            --ready-timeout) READY_TIMEOUT="$(value "$@")"; shift ;;
            --no-cache) NO_CACHE=1 ;;
            --clean) CLEAN=1 ;;
            --dry-run) DRY=1 ;;
            -h|--help) usage; exit 0 ;;
            *) usage >&2; die "unknown option '$1' (see the list above)" 2 ;;
        esac
        shift
    done
}

value() {
    if [ $# -lt 2 ] || [ -z "$2" ]; then die "$1 needs a value (see --help)" 2; fi
    printf '%s' "$2"
}

check_options() {
    for n in "$BUILD_TIMEOUT" "$READY_TIMEOUT" ${PORT:+"$PORT"}; do
        [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "'$n' is not a positive whole number (timeouts in seconds, --port)" 2
    done
    if [ -n "$TORCH_WHEELS" ] && ! compgen -G "$TORCH_WHEELS/torch-*.whl" >/dev/null; then
        die "--torch-wheels $TORCH_WHEELS holds no torch-*.whl: pass the folder with the torch wheel" 2
    fi
    if [ -n "$MODEL" ] && [ ! -f "$MODEL/config.json" ]; then
        die "--model $MODEL has no config.json: pass a trained model folder (quoteframe train --out DIR)" 2
    fi
    if [ -n "$CA_BUNDLE" ] && [ ! -f "$CA_BUNDLE" ]; then
        die "--ca-bundle $CA_BUNDLE is not a file: pass the PEM bundle pip should trust" 2
    fi
    [ -n "$ARTICLE" ] || ARTICLE="$(default_article)"
    [ -f "$ARTICLE" ] || die "no article at '$ARTICLE': pass --article FILE (a .txt news article)" 2
}

default_article() {
    local name=000_4e24e01c82df98ec.txt place
    for place in "$REPO/../shared/seeds" /work/shared/seeds; do
        if [ -f "$place/$name" ]; then echo "$(cd "$place" && pwd)/$name"; return; fi
    done
    echo "$REPO/../shared/seeds/$name"
}

# -- defaults read from the host's pip set-up ---------------------------------------------------
pip_setting() {  # the first value pip has for a setting (find-links, cert), from its env or files
    python3 -m pip config list 2>/dev/null | sed -n "s/^[^=]*\.$1='\(.*\)'\$/\1/p" | head -n 1
}

torch_index_answers() {
    python3 - "$TORCH_INDEX" <<'EOF'
import sys, urllib.request
try:
    urllib.request.urlopen(urllib.request.Request(sys.argv[1], method="HEAD"), timeout=10)
except Exception:
    sys.exit(1)
EOF
}

choose_sources() {
    if [ -z "$TORCH_WHEELS" ] && ! torch_index_answers; then
        local links
        for links in $(pip_setting find-links); do
            if compgen -G "$links/torch-*.whl" >/dev/null; then TORCH_WHEELS="$links"; break; fi
        done
        [ -n "$TORCH_WHEELS" ] || die "$TORCH_INDEX does not answer and pip's find-links hold no torch wheel: pass --torch-wheels DIR" 2
    fi
    if [ -z "$CA_BUNDLE" ]; then
        CA_BUNDLE="${PIP_CERT:-$(pip_setting cert)}"
    fi
}

# -- running (or printing) commands ----------------------------------------------------------------
show() {  # a command as it could be pasted into a shell (fd 3 is the script's stdout)
    local line
    line="$(printf '%q ' "$@")"
    echo "+ ${line% }" >&3
}

run() {  # a command with side effects: printed, and run unless --dry-run
    show "$@"
    [ "$DRY" = 1 ] || "$@"
}

capture() {  # a command whose output is needed: printed; on --dry-run it answers with a placeholder
    show "$@"
    if [ "$DRY" = 1 ]; then echo "${CAPTURE_PLACEHOLDER:-DRY-RUN}"; else "$@"; fi
}

result() {  # a figure or a check's outcome: only what really happened is reported
    [ "$DRY" = 1 ] || say "$@"
}

need_tools() {
    [ "$DRY" = 1 ] && return
    [ "$(id -u)" = 0 ] || die "run as root (sudo bench/build_image.sh): debootstrap and buildah need it" 2
    local tool tools=(buildah python3)
    [ -n "$BASE" ] || tools+=(debootstrap)
    for tool in "${tools[@]}"; do
        command -v "$tool" >/dev/null || die "$tool is not installed: apt-get install -y buildah debootstrap python3" 2
    done
}

# -- 1. the base image ------------------------------------------------------------------------------
make_base() {
    if [ -n "$BASE" ]; then PYTHON_IMAGE="$BASE"; return; fi
    PYTHON_IMAGE="$BASE_IMAGE"
    if [ "$REBUILD_BASE" = 0 ] && [ "$DRY" = 0 ] && buildah inspect --type image "$BASE_IMAGE" >/dev/null 2>&1; then
        say "base: $BASE_IMAGE exists (--rebuild-base makes it again)"
        return
    fi
    say "base: debootstrap Debian bookworm (python3, python3-venv) into $WORK/rootfs"
    local t0=$SECONDS
    run nice -n 10 debootstrap --variant=minbase --include=python3,python3-venv,python-is-python3,ca-certificates \
        bookworm "$WORK/rootfs" "$MIRROR"
    # apt's package cache and lists are of no use in an image.
    run find "$WORK/rootfs/var/cache/apt" "$WORK/rootfs/var/lib/apt/lists" -type f -delete
    run tar -C "$WORK/rootfs" --numeric-owner -cf "$WORK/rootfs.tar" .
    run rm -rf "$WORK/rootfs"
    local ctr
    ctr="$(capture buildah from scratch)"
    CONTAINERS+=("$ctr")
    run buildah add --quiet "$ctr" "$WORK/rootfs.tar" /
    # What the official python image sets: a UTF-8 locale and the usual PATH.
    run buildah config --env LANG=C.UTF-8 --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        --cmd python "$ctr"
    run buildah commit --quiet --rm "$ctr" "$BASE_IMAGE"
    CONTAINERS=()
    run rm -f "$WORK/rootfs.tar"
    result "base: built in $((SECONDS - t0)) s"
}

# -- 2. the build ---------------------------------------------------------------------------------------
build_image() {
    local args=(--layers --force-rm --format docker --build-arg "PYTHON_IMAGE=$PYTHON_IMAGE" -t "$TAG")
    [ "$NO_CACHE" = 1 ] && args+=(--no-cache)
    [ -n "$TORCH_WHEELS" ] && args+=(--build-context "torch-wheels=$(realpath "$TORCH_WHEELS")")
    [ -n "$MODEL" ] && args+=(--build-context "default-model=$(realpath "$MODEL")")
    [ -n "$CA_BUNDLE" ] && args+=(--secret "id=pip-cert,src=$CA_BUNDLE" --build-arg PIP_CERT=/run/secrets/pip-cert)
    say "build: $TAG from $PYTHON_IMAGE (torch: ${TORCH_WHEELS:-the PyTorch CPU index}; model: ${MODEL:-trained in the image})"
    local t0=$SECONDS
    # --format docker: the OCI format has no HEALTHCHECK, buildah would drop it.
    run nice -n 10 timeout -k 120 "$BUILD_TIMEOUT" buildah build "${args[@]}" "$REPO" \
        || die "the build failed or ran past --build-timeout $BUILD_TIMEOUT s (its log is above)"
    BUILD_S=$((SECONDS - t0))
    result "build: $BUILD_S s"
}

# -- 3. run and check ------------------------------------------------------------------------------------
image_argv() {  # a command of the image's config (Entrypoint, Cmd, Healthcheck), NUL-separated words
    local config
    config="$(CAPTURE_PLACEHOLDER="$2" capture buildah inspect --type image "$TAG")"
    # buildah 1.28's --format has no json function: the whole config is read here instead. A
    # HEALTHCHECK's ["CMD", ...] is unwrapped and ["CMD-SHELL", "..."] becomes sh -c "...".
    python3 -c '
import json, sys
config = json.loads(sys.argv[1])
config = config.get("Docker", {}).get("config", config)
argv = config.get(sys.argv[2]) or []
if isinstance(argv, dict):
    argv = argv.get("Test") or []
if argv[:1] == ["CMD"]: argv = argv[1:]
elif argv[:1] == ["CMD-SHELL"]: argv = ["/bin/sh", "-c", argv[1]]
sys.stdout.write("".join(a + "\0" for a in argv))' "$config" "$1"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_service() {
    local cmd
    readarray -d '' ENTRYPOINT < <(image_argv Entrypoint '{"Entrypoint": ["quoteframe", "serve"]}')
    readarray -d '' cmd < <(image_argv Cmd '{}')
    [ "${#ENTRYPOINT[@]}" -gt 0 ] || die "the image has no ENTRYPOINT: is $TAG built from this Dockerfile?"
    CTR="$(CAPTURE_PLACEHOLDER=CONTAINER capture buildah from --pull=false "$TAG")"
    CONTAINERS+=("$CTR")
    PORT="${PORT:-$(free_port)}"
    TOKEN="$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')"
    LOG="$WORK/service.log"
    say "run: the image's entrypoint and command on 127.0.0.1:$PORT (log $LOG)"
    show setsid buildah run --env QUOTEFRAME_HOST=127.0.0.1 --env "QUOTEFRAME_PORT=$PORT" \
        --env "QUOTEFRAME_API_TOKEN=(random)" "$CTR" -- "${ENTRYPOINT[@]}" "${cmd[@]}"
    [ "$DRY" = 1 ] && return
    # Its own process group, so that stopping it stops buildah's runtime and the server together.
    setsid buildah run --env QUOTEFRAME_HOST=127.0.0.1 --env "QUOTEFRAME_PORT=$PORT" \
        --env "QUOTEFRAME_API_TOKEN=$TOKEN" "$CTR" -- "${ENTRYPOINT[@]}" "${cmd[@]}" >"$LOG" 2>&1 &
    SERVICE_PID=$!
}

http() {  # http METHOD URL [JSON-BODY-FILE] -> prints "STATUS BODY"
    python3 - "$@" <<'EOF'
import json, sys, urllib.error, urllib.request
method, url = sys.argv[1], sys.argv[2]
data = None
if len(sys.argv) > 3:
    with open(sys.argv[3], encoding="utf-8") as f:
        data = json.dumps({"id": "seed", "text": f.read()}).encode()
request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
try:
    with urllib.request.urlopen(request, timeout=120) as answer:
        print(answer.status, answer.read().decode())
except urllib.error.HTTPError as err:
    print(err.code, err.read().decode())
except OSError as err:
    print(0, err)
EOF
}

wait_ready() {
    show wait-for-200 "http://127.0.0.1:$PORT/readyz" --within "$READY_TIMEOUT"
    [ "$DRY" = 1 ] && return
    local deadline=$((SECONDS + READY_TIMEOUT)) t0=$SECONDS
    until [ "$(http GET "http://127.0.0.1:$PORT/readyz" | cut -d' ' -f1)" = 200 ]; do
        if ! kill -0 "$SERVICE_PID" 2>/dev/null; then
            tail -n 30 "$LOG" >&2
            die "the service exited before it was ready (its log is above)"
        fi
        [ $SECONDS -lt $deadline ] || { tail -n 30 "$LOG" >&2; die "/readyz not 200 after $READY_TIMEOUT s (--ready-timeout)"; }
        sleep 2
    done
    say "readyz: 200 after $((SECONDS - t0)) s"
}

check_listens_on_loopback_only() {
    if [ "$DRY" = 1 ] || ! command -v ss >/dev/null; then return; fi
    local addresses
    addresses="$(ss -Hltn "sport = :$PORT" | awk '{print $4}' | sort -u | tr '\n' ' ')"
    say "listens on: $addresses"
    [ "$addresses" = "127.0.0.1:$PORT " ] || die "the service listens on '$addresses', not on 127.0.0.1:$PORT only"
}

check_refuses_without_token() {
    # 192.0.2.1 (TEST-NET-1) is not loopback, as 0.0.0.0 is not, but no interface has it: were the
    # refusal missing, the bind would fail too, and nothing would listen beyond loopback.
    local out status=0
    out="$(run timeout 120 buildah run --env QUOTEFRAME_HOST=192.0.2.1 "$CTR" -- "${ENTRYPOINT[@]}" 2>&1)" || status=$?
    [ "$DRY" = 1 ] && return
    if [ "$status" = 0 ] || [[ "$out" != *QUOTEFRAME_API_TOKEN* ]]; then
        die "without a token the image should refuse a non-loopback host, naming QUOTEFRAME_API_TOKEN; it said: ${out: -300}"
    fi
    result "without a token: refused (exit $status)"
}

check_user() {
    local uid
    uid="$(CAPTURE_PLACEHOLDER=10001 capture buildah run "$CTR" -- id -u)"
    result "user id in the container: $uid"
    [ "$uid" != 0 ] || die "the container runs as root: the Dockerfile's USER is missing"
}

check_healthcheck() {
    local test
    readarray -d '' test < <(image_argv Healthcheck '{"Healthcheck": {"Test": ["CMD", "python", "-m", "service.healthcheck"]}}')
    [ "${#test[@]}" -gt 0 ] || die "the image has no HEALTHCHECK (was it built with --format docker?)"
    run buildah run --env "QUOTEFRAME_PORT=$PORT" "$CTR" -- "${test[@]}" || die "the image's HEALTHCHECK (${test[*]}) failed"
    result "healthcheck: passed (${test[*]})"
}

check_article() {
    show POST "http://127.0.0.1:$PORT/v1/analyze" "$ARTICLE" --expect-tag "$EXPECT"
    [ "$DRY" = 1 ] && return
    local answer tags
    answer="$(http POST "http://127.0.0.1:$PORT/v1/analyze" "$ARTICLE")"
    [ "${answer%% *}" = 200 ] || die "POST /v1/analyze answered ${answer:0:300}"
    tags="$(python3 -c 'import json, sys; print(json.dumps([q["tag"] for q in json.loads(sys.argv[1])["quotes"] if q.get("tag")]))' "${answer#* }")"
    say "tags: $tags"
    python3 -c 'import json, sys; sys.exit(sys.argv[2] not in json.loads(sys.argv[1]))' "$tags" "$EXPECT" \
        || die "'$EXPECT' is not among the article's tags"
}

report_image() {
    local size
    size="$(CAPTURE_PLACEHOLDER=SIZE capture buildah images --format '{{.Size}}' "$TAG")"
    result "image: $TAG, $size; build ${BUILD_S:-?} s; CPU $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores"
}

# -- 4. stopping, whatever happened -----------------------------------------------------------------
stop_service() {
    [ -n "${SERVICE_PID:-}" ] || return 0
    kill -TERM -- "-$SERVICE_PID" 2>/dev/null || true
    local deadline=$((SECONDS + 20))
    while kill -0 "$SERVICE_PID" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 1; done
    kill -KILL -- "-$SERVICE_PID" 2>/dev/null || true
    wait "$SERVICE_PID" 2>/dev/null || true
    SERVICE_PID=""
}

cleanup() {
    local status=$?
    stop_service
    local ctr
    for ctr in "${CONTAINERS[@]}"; do
        [ "$DRY" = 1 ] || buildah rm "$ctr" >/dev/null 2>&1 || true
    done
    if [ "$CLEAN" = 1 ]; then
        run buildah rmi "$TAG" || true
        [ -n "$BASE" ] || run buildah rmi "$BASE_IMAGE" || true
        run buildah rmi --prune || true
    fi
    [ "$DRY" = 1 ] || rm -rf "$WORK"
    exit "$status"
}

main() {
    parse_options "$@"
    check_options
    need_tools
    choose_sources
    CONTAINERS=() SERVICE_PID=""
    WORK="$(if [ "$DRY" = 1 ]; then echo /var/tmp/quoteframe-image.DRY; else mktemp -d /var/tmp/quoteframe-image.XXXXXX; fi)"
    trap cleanup EXIT
    trap 'exit 1' INT TERM
    export BUILDAH_ISOLATION=chroot
    exec 3>&1
    make_base
    build_image
    start_service
    wait_ready
    check_listens_on_loopback_only
    check_user
    check_refuses_without_token
    check_healthcheck
    check_article
    report_image
    if [ "$DRY" = 1 ]; then say "dry run: nothing was run"; else say "all checks passed"; fi
}

main "$@"
