#!/usr/bin/env bash
# Installs what the test suite needs beyond the JDK and Maven. Idempotent; quiet when all is there.
# chromium: the report's browser test opens the HTML report headless (it skips without it, fails under CI=true).
# JDK 21: the heap engine's layout tests dump JVMs of each LTS (17 runs them, Temurin 25 sits beside it); Debian
# bookworm has no JDK 21, so trixie's OpenJDK 21 is unpacked, with trixie's C library (it needs glibc 2.38), into
# $LEAKSCOPE_TEST_JDKS (default ~/.cache/leakscope/test-jdks), run through that library's loader; nothing is
# installed into the system. The tests skip without it, and fail under CI=true.
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
jdk21="$jdks/jdk-21"
if [ ! -x "$jdk21/bin/jcmd" ] || ! "$jdk21/bin/java" -version >/dev/null 2>&1; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" \
    > "$work/sources.list"
  apt=(-qq -o Dir::Etc::sourcelist="$work/sources.list" -o Dir::Etc::sourceparts=- -o Dir::State::Lists="$work/lists"
       -o Dir::Cache="$work/cache" -o Debug::NoLocking=1 -o APT::Sandbox::User="$(id -un)")
  apt-get "${apt[@]}" update
  (cd "$work/debs" && apt-get "${apt[@]}" download openjdk-21-jre-headless openjdk-21-jdk-headless libc6 zlib1g)
  rm -rf "$jdk21.tmp" && mkdir -p "$jdk21.tmp/root/bin"
  for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$jdk21.tmp/root"; done
  root="$jdk21/root"
  home="$root/usr/lib/jvm/java-21-openjdk-amd64"
  # Debian keeps the JDK's configuration in /etc; point its links at the unpacked copy
  find "$jdk21.tmp/root/usr/lib/jvm" -type l -lname '/etc/*' | while read -r link; do
    ln -sfn "$root$(readlink "$link")" "$link"
  done
  cp "$jdk21.tmp/root/usr/lib/jvm/java-21-openjdk-amd64/release" "$jdk21.tmp/release"
  mkdir -p "$jdk21.tmp/bin"
  for tool in java javac jcmd; do
    printf '#!/bin/sh\nexec "%s" --library-path "%s" "%s" "$@"\n' "$root/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" \
      "$root/usr/lib/x86_64-linux-gnu:$home/lib:$home/lib/server" "$home/bin/$tool" > "$jdk21.tmp/bin/$tool"
    chmod +x "$jdk21.tmp/bin/$tool"
  done
  rm -rf "$jdk21" && mv "$jdk21.tmp" "$jdk21"
  "$jdk21/bin/java" -version 2>&1 | head -1
fi
