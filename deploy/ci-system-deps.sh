#!/bin/sh
# Install the Debian packages the deploy tests need, when missing:
#   prometheus               -> /usr/bin/prometheus, /usr/bin/promtool
#   prometheus-alertmanager  -> /usr/bin/prometheus-alertmanager, /usr/bin/amtool
#   systemd                  -> /usr/bin/systemd-analyze (verifies the unit file)
#   chromium, chromium-driver -> /usr/bin/chromium, /usr/bin/chromedriver (the console's browser test)
# Idempotent: does nothing when every binary is already there. Needs root
# (or sudo) only when something must be installed. Called from .ci/run.
set -eu

missing=""
command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1 || missing="$missing prometheus"
command -v amtool >/dev/null 2>&1 && command -v prometheus-alertmanager >/dev/null 2>&1 \
    || missing="$missing prometheus-alertmanager"
command -v systemd-analyze >/dev/null 2>&1 || missing="$missing systemd"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v chromedriver >/dev/null 2>&1 || missing="$missing chromium-driver"

if [ -z "$missing" ]; then
    echo "ci-system-deps: prometheus, prometheus-alertmanager, systemd and chromium already installed"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "ci-system-deps: need root to install:$missing" >&2
    exit 1
fi

echo "ci-system-deps: installing$missing"
$SUDO apt-get update -q
# The packages' postinst would start the daemons; CI does not want them
# running. A policy-rc.d answering 101 stops invoke-rc.d from starting them;
# we only add (and then remove) one when there is none already.
if [ ! -e /usr/sbin/policy-rc.d ]; then
    $SUDO sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod 0755 /usr/sbin/policy-rc.d'
    trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
# shellcheck disable=SC2086  # $missing is a list of package names
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
echo "ci-system-deps: installed$missing"
