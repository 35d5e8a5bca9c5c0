#!/usr/bin/env bash
# Installs DIALS (dials.import, dials.find_spots, dials.index, dxtbx for
# /usr/bin/python3) and fabio from Debian when dials.import is missing and
# apt-get can be used. It never fails the build: when DIALS cannot be
# installed it says why, and the DIALS tests then skip with a message.
set -u
if command -v dials.import >/dev/null 2>&1; then
	echo "install-dials: $(command -v dials.import) is already installed"
	exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-dials: no apt-get here; install DIALS by hand (https://dials.github.io/installation.html); the DIALS tests will skip"
	exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		sudo="sudo -n"
	else
		echo "install-dials: not root and no password-less sudo; run: sudo apt-get install dials python3-fabio (the DIALS tests will skip)"
		exit 0
	fi
fi
echo "install-dials: apt-get install dials python3-fabio (Debian's DIALS; a few minutes)"
if ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q dials python3-fabio; then
	$sudo apt-get update -q && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q dials python3-fabio ||
		echo "install-dials: apt-get could not install dials; the DIALS tests will skip"
fi
exit 0
