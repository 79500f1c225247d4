#!/usr/bin/env bash
# The one command that runs every test: installs what is missing, builds,
# then runs the whole suite through ctest, the cluster test and the package
# test. .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
(cd build && ctest --output-on-failure -j"$(nproc)" --timeout 600)
# Three processes and nginx on one PostgreSQL (issue 7), then the .deb.
scripts/cluster-test.sh build
scripts/deb-test.sh build
