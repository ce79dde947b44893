#!/usr/bin/env bash
# Installs what Cadet needs beyond the Swift toolchain, or says exactly what to install.
#   --run   bubblewrap and python3: what serving and grading need
#   --test  the above, plus aiosmtpd from PyPI (the SMTP tests talk to a real server)
#   --ci    the above, plus postgresql, chromium, chromium-driver, Korean fonts, selenium and schemathesis
set -euo pipefail
mode=${1:---test}

debs=(bubblewrap python3 curl)
pips=()
case "$mode" in
  --run) ;;
  --test) pips+=(aiosmtpd) ;;
  --ci) debs+=(postgresql chromium chromium-driver fonts-noto-cjk); pips+=(aiosmtpd selenium schemathesis) ;;
  *) echo "usage: $0 [--run|--test|--ci]" >&2; exit 2 ;;
esac

missing=()
for package in "${debs[@]}"; do
  dpkg -s "$package" > /dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo > /dev/null && sudo -n true 2>/dev/null; then sudo="sudo"; else sudo="none"; fi
  if [ "$sudo" = none ] || ! command -v apt-get > /dev/null; then
    echo "Cadet needs these Debian packages, which are not installed: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q > /dev/null
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" > /dev/null
fi

for package in "${pips[@]}"; do
  python3 -c "import $package" 2> /dev/null && continue
  echo "Installing from PyPI: $package"
  python3 -m pip install -q "$package" 2> /dev/null || python3 -m pip install -q --user "$package" || {
    echo "Cadet's tests need the Python package $package: python3 -m pip install $package" >&2
    exit 1
  }
done
