#!/usr/bin/env bash
# Installs Debian's Java runtime for the Spark engine (`oversight derive --engine spark` and its
# tests): pyspark ships Spark itself but needs a JVM, which pip cannot provide.
set -euo pipefail
if command -v java >/dev/null 2>&1 || { [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; }; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "java is missing and this user cannot apt-get install it; Spark tests will skip" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# the headless runtime's post-install step needs the man page folder that slim images drop
mkdir -p /usr/share/man/man1
apt-get install -y -qq openjdk-17-jre-headless >/dev/null
