#!/usr/bin/env bash
# Installs the Debian packages that the protocol tests (npm run test:daemons), the
# browser tests and the emulated-network benchmark (iptables black holes) need; python3
# holds a full accept queue for the http black-hole test. Idempotent; run as root.
# Daemons are NOT started here: each test
# file starts its own on 127.0.0.1 with a non-standard port and a temp config.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

packages=(
  iputils-ping
  openssh-server openssh-client
  slapd ldap-utils
  dovecot-imapd dovecot-pop3d
  vsftpd
  opensmtpd
  dnsmasq-base
  samba smbclient
  inetutils-telnetd inetutils-inetd
  tigervnc-standalone-server tigervnc-tools
  xrdp
  chrony
  chromium
  iptables
  python3
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "test servers: all ${#packages[@]} packages present"
  exit 0
fi

# Keep apt from starting daemons on their default ports.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
fi
# slapd asks questions; answer them so the install is unattended.
echo "slapd slapd/no_configuration boolean true" | debconf-set-selections

echo "test servers: installing ${missing[*]}"
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "test servers: installed ${#missing[@]} packages"
