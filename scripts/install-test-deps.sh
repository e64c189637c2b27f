#!/usr/bin/env bash
# Installs what the test suite needs beyond the JDK and Maven. Idempotent; quiet when all is there.
# chromium: the report's browser test opens the HTML report headless (it skips without it, fails under CI=true).
# JDKs 8, 11 and 21: the heap engine's tests dump JVMs of each LTS (17 runs them, Temurin 25 sits beside it), and
# of JDK 26 and 27, the newest releases, while Debian sid or forky has them (27: compact object headers by default;
# 26 and 27: ZGC's dump order; 26: a Shenandoah dump whose neighbouring records tell the layout less often than any
# other). Debian bookworm has none of them, so OpenJDK 21 is unpacked from trixie and OpenJDK 8 and 11 from sid or
# forky (no stable Debian release carries them any more), with trixie's C library (they need glibc 2.38), into
# $LEAKSCOPE_TEST_JDKS (default ~/.cache/leakscope/test-jdks)/jdk-N; nothing is installed into the system.
# JDK 13, 16, 18 and 24, releases between the LTS ones that no Debian suite keeps, come from Ubuntu's archive
# (focal's, jammy's and plucky's updates, signed by Ubuntu's key, which Debian's ubuntu-keyring package carries),
# where it answers: JDK 13 lays fields out as before 15, JDK 16 as from 15 with Thread's @Contended padding (as
# 18, the last with it), JDK 24 is the first with compact object headers (experimental there).
# JDK 11, 13, 16, 18, 21, 24, 26 and 27 run through trixie's loader (bin/ holds wrappers). JDK 8's launcher finds its home
# from /proc/self/exe, which is then the loader: its programs are patched instead (patchelf, unpacked from this
# machine's own release) to name that loader and library. Without the LTS JDKs the tests skip, and fail under
# CI=true; without the others theirs skip.
set -euo pipefail
need=()
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "install-test-deps: missing ${need[*]}; install them (apt-get install ${need[*]})" >&2
    exit 1
  fi
fi

jdks="${LEAKSCOPE_TEST_JDKS:-$HOME/.cache/leakscope/test-jdks}"
# where each is taken from, the first suite that has it (forky's, or bullseye's JDK 11, should sid drop it)
declare -A suite=([8]="sid forky" [11]="sid forky bullseye" [13]="focal-updates" [16]="focal-updates"
                  [18]="jammy-updates" [21]="trixie sid" [24]="plucky-updates plucky" [26]="sid forky"
                  [27]="sid forky")
optional=" 13 16 18 24 26 27 "
missing=()
for v in 8 11 13 16 18 21 24 26 27; do
  if [ ! -x "$jdks/jdk-$v/bin/jcmd" ] || ! "$jdks/jdk-$v/bin/java" -version >/dev/null 2>&1; then missing+=("$v"); fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs" "$work/patchelf"
own="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
for s in trixie forky sid bullseye "$own"; do
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $s main"
done | sort -u > "$work/sources.list"
apt=(-qq -o Dir::Etc::sourcelist="$work/sources.list" -o Dir::Etc::sourceparts=- -o Dir::State::Lists="$work/lists"
     -o Dir::Cache="$work/cache" -o Debug::NoLocking=1 -o APT::Sandbox::User="$(id -un)")
# a suite Debian has moved to its archive fails the update; the others still serve what they have
apt-get "${apt[@]}" update || echo "install-test-deps: some Debian suites could not be read" >&2
(cd "$work/debs" && apt-get "${apt[@]}" download libc6/trixie zlib1g/trixie)
if [[ " ${missing[*]} " =~ \ (13|16|18|24)\  ]] \
  && (cd "$work" && apt-get "${apt[@]}" download ubuntu-keyring/trixie 2>/dev/null); then
  dpkg-deb -x "$work"/ubuntu-keyring_*.deb "$work/keyring"
  key="$work/keyring/usr/share/keyrings/ubuntu-archive-keyring.gpg"
  for s in focal-updates jammy-updates plucky-updates plucky; do
    echo "deb [arch=amd64 signed-by=$key] http://archive.ubuntu.com/ubuntu $s universe"
  done >> "$work/sources.list"
  # a machine that cannot reach Ubuntu's archive gives up in seconds, not after apt's two minutes a connection
  apt-get "${apt[@]}" -o Acquire::http::Timeout=15 -o Acquire::Retries=0 update 2>/dev/null \
    || echo "install-test-deps: Ubuntu's archive could not be read" >&2
fi
# unpacks JDK $1 from the debs in $work/jdk-$1 into $jdks/jdk-$1 (beside it until done, then moved there)
unpack() {
  local v="$1"
  local jdk="$jdks/jdk-$v" root libs home patchelf
  rm -rf "$jdk.tmp" && mkdir -p "$jdk.tmp/root" "$jdk.tmp/bin"
  for deb in "$work"/debs/*.deb "$work/jdk-$v"/*.deb; do dpkg-deb -x "$deb" "$jdk.tmp/root" 2> "$work/unpack.err"; done
  root="$jdk/root"
  libs="$root/usr/lib/x86_64-linux-gnu"
  home="$root/usr/lib/jvm/java-$v-openjdk-amd64"
  # Debian keeps the JDK's configuration in /etc; point its links at the unpacked copy
  find "$jdk.tmp/root/usr/lib/jvm" -type l -lname '/etc/*' | while read -r link; do
    ln -sfn "$root$(readlink "$link")" "$link"
  done
  if [ "$v" = 8 ]; then
    if [ ! -x "$work/patchelf/usr/bin/patchelf" ]; then
      (cd "$work/debs" && apt-get "${apt[@]}" download "patchelf/$own" && mv patchelf_*.deb ..)
      dpkg-deb -x "$work"/patchelf_*.deb "$work/patchelf"
    fi
    patchelf="$work/patchelf/usr/bin/patchelf"
    # the paths patched in are where the JDK ends up, after the move below
    find "$jdk.tmp/root/usr/lib/jvm/java-8-openjdk-amd64" -path '*/bin/*' -type f -perm -u+x | while read -r f; do
      if "$patchelf" --print-interpreter "$f" >/dev/null 2>&1; then
        "$patchelf" --set-interpreter "$libs/ld-linux-x86-64.so.2" --force-rpath \
          --set-rpath "$("$patchelf" --print-rpath "$f"):$libs" "$f"
      fi
    done
    for tool in java javac jcmd; do ln -s "$home/bin/$tool" "$jdk.tmp/bin/$tool"; done
    echo "JAVA_VERSION=\"1.8.0\"" > "$jdk.tmp/release"
  else
    cp "$jdk.tmp/root/usr/lib/jvm/java-$v-openjdk-amd64/release" "$jdk.tmp/release"
    for tool in java javac jcmd; do
      printf '#!/bin/sh\nexec "%s" --library-path "%s" "%s" "$@"\n' "$libs/ld-linux-x86-64.so.2" \
        "$libs:$home/lib:$home/lib/server" "$home/bin/$tool" > "$jdk.tmp/bin/$tool"
      chmod +x "$jdk.tmp/bin/$tool"
    done
  fi
  # the tests run java, javac and jcmd: the modules for jlink (a quarter of a gigabyte a JDK) are not kept
  rm -rf "$jdk.tmp/root/usr/lib/jvm/java-$v-openjdk-amd64/jmods"
  rm -rf "$jdk" && mv "$jdk.tmp" "$jdk"
  "$jdk/bin/java" -version 2>&1 | head -1
}
for v in "${missing[@]}"; do
  mkdir -p "$work/jdk-$v"
  got=""
  for s in ${suite[$v]}; do
    if (cd "$work/jdk-$v" && rm -f ./*.deb && apt-get "${apt[@]}" download "openjdk-$v-jre-headless/$s" \
      "openjdk-$v-jdk-headless/$s" 2>/dev/null); then got="$s"; break; fi
  done
  if [ -z "$got" ]; then
    # the releases between the LTS ones are tested where an archive has them; the LTS releases are required
    if [[ "$optional" == *" $v "* ]]; then echo "install-test-deps: no OpenJDK $v in ${suite[$v]}: its tests skip" >&2; continue; fi
    echo "install-test-deps: no OpenJDK $v in Debian ${suite[$v]}" >&2
    exit 1
  fi
  # in a subshell of its own, so that a failure (a full disk) stops it; an optional JDK's then only skips its tests
  set +e
  (set -e; unpack "$v")
  rc=$?
  set -e
  rm -rf "$work/jdk-$v"
  if [ "$rc" -ne 0 ]; then
    rm -rf "$jdks/jdk-$v.tmp"
    why="$(grep -v '^dpkg-deb\|^tar: Exiting' "$work/unpack.err" 2>/dev/null | tail -1)"
    if [[ "$optional" == *" $v "* ]]; then
      echo "install-test-deps: OpenJDK $v could not be unpacked into $jdks (${why:-exit $rc}): its tests skip" >&2
      continue
    fi
    echo "install-test-deps: OpenJDK $v could not be unpacked into $jdks (${why:-exit $rc})" >&2
    exit "$rc"
  fi
done
