#!/bin/sh
# Install every Debian package libportability needs to build, test and run.
# Safe to run more than once. Needs root (or sudo).
# --browser also installs what `make check-browser` needs (optional: headless
# Chromium to print the HTML report, poppler-utils to read page 1 of the PDF).
set -e
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
PACKAGES="build-essential autoconf automake libtool autoconf-archive pkg-config
  libgmp-dev libxml2-dev libjansson-dev libxml2-utils libxslt1-dev xsltproc nettle-dev libcmocka-dev
  gettext iso-codes
  python3 python3-dev python3-jsonschema python3-setuptools python3-wheel python3-venv python3-pip
  valgrind clang libclang-rt-14-dev"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $PACKAGES
if [ "${1:-}" = "--browser" ]; then
    $SUDO apt-get install -y -qq --no-install-recommends chromium poppler-utils fonts-dejavu-core
fi
