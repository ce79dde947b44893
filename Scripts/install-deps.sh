#!/usr/bin/env bash
# Installs what Cadet needs beyond the Swift toolchain, or says exactly what to install.
#   --run   bubblewrap, python3, libqrencode-dev, cairo, pango and Korean fonts (Noto CJK for pages,
#           Nanum Myeongjo for certificates): what building,
#           serving, grading and printing certificates need
#   --test  the above, plus zbar-tools (the tests decode the QR codes Cadet draws), poppler-utils
#           (they read the PDFs it prints), and from PyPI aiosmtpd (the SMTP tests talk to a real
#           server), PyJWT (it checks the signed credentials independently) and scikit-learn
#           (the leaderboard metrics are checked against it)
#   --ci    the above, plus postgresql, chromium, chromium-driver, selenium and schemathesis
set -euo pipefail
mode=${1:---test}

debs=(bubblewrap python3 curl libqrencode-dev pkg-config libcairo2-dev libpango1.0-dev fonts-noto-cjk fonts-nanum)
# PyPI packages as module:requirement (what `import` names, what pip installs).
pips=()
case "$mode" in
  --run) ;;
  --test) debs+=(zbar-tools poppler-utils); pips+=(aiosmtpd:aiosmtpd "jwt:pyjwt[crypto]" sklearn:scikit-learn) ;;
  --ci) debs+=(zbar-tools poppler-utils postgresql chromium chromium-driver); pips+=(aiosmtpd:aiosmtpd "jwt:pyjwt[crypto]" selenium:selenium schemathesis:schemathesis sklearn:scikit-learn) ;;
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

for entry in "${pips[@]}"; do
  module=${entry%%:*}
  package=${entry#*:}
  python3 -c "import $module" 2> /dev/null && continue
  echo "Installing from PyPI: $package"
  python3 -m pip install -q "$package" 2> /dev/null || python3 -m pip install -q --user "$package" || {
    echo "Cadet's tests need the Python package $package: python3 -m pip install $package" >&2
    exit 1
  }
done
