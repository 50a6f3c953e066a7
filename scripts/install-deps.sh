#!/bin/sh
# Installs the Debian packages ikzreg needs to build and test, if missing.
# Run as root on Debian 12; as another user it only reports what is missing.
set -eu
PKGS="build-essential pkg-config libetpan-dev libcurl4-gnutls-dev libsqlite3-dev
libical-dev libxml2-dev libgnutls28-dev libpsl-dev libcmocka-dev
dovecot-imapd python3 python3-aiosmtpd openssl ca-certificates tzdata sqlite3
man-db clang libclang-rt-14-dev libpython3.11-testsuite libreoffice-calc-nogui
libcairo2-dev libpango1.0-dev fonts-dejavu-core poppler-utils
libmicrohttpd-dev libcrypt-dev curl chromium chromium-driver python3-selenium
apache2-utils systemd"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
	    missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages:$missing (run as root to install)" >&2
	exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Dovecot's post-install cannot start the service in containers; that is fine.
apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
    apt-get install -y -qq --no-install-recommends $missing
