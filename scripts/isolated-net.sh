#!/usr/bin/env bash
# Runs a command inside the network namespace it is started in (scripts/test.mjs starts it with
# `unshare -n`): a private loopback plus a veth pair whose one end, 10.77.0.1, is the media address
# for browser tests. Firefox never pairs a loopback ICE candidate, so its media needs an address that
# is not loopback; this one exists only inside this namespace, and nothing here reaches any network
# outside it (the default route ends at the veth's other end, in the same namespace).
set -euo pipefail
ip link set lo up
ip link add parley0 type veth peer name parley1
ip addr add 10.77.0.1/24 dev parley0
ip link set parley0 up
ip link set parley1 up
ip route add default dev parley0
export PARLEY_TEST_MEDIA_IP=10.77.0.1
exec "$@"
