#!/usr/bin/env bash
# The system packages the tests need, checked before every `npm test` and by .ci/run (one list, so
# the two never drift): PostgreSQL 15's server binaries (the postgres and reliability projects
# start their own server with initdb and pg_ctl), poppler-utils (pdftotext and pdftoppm read the
# PDFs back), Debian's Chromium (playwright-core drives it for the console's browser tests; it
# never downloads a browser) and openssl (the transport test makes a self-signed certificate).
#
# Nothing missing: silent. Something missing, as root: one line saying what is installed, then
# apt-get. Something missing, as another user: stops at once, before any test, with the command to
# run. Everything it looks at comes from the environment, with the real defaults, so that its
# decision can be tested on a machine that has it all (test/unit/systemPackages.test.ts):
#   SYSTEM_PACKAGES_INITDB    default /usr/lib/postgresql/15/bin/initdb
#   SYSTEM_PACKAGES_CHROMIUM  default /usr/bin/chromium
#   PATH                      where pdftotext, pdftoppm and openssl are looked for
#   SYSTEM_PACKAGES_ROOT      yes / no; default: whether the effective user id is 0
#   SYSTEM_PACKAGES_DRY_RUN   yes: print the decision, install nothing
set -euo pipefail

initdb="${SYSTEM_PACKAGES_INITDB:-/usr/lib/postgresql/15/bin/initdb}"
chromium="${SYSTEM_PACKAGES_CHROMIUM:-/usr/bin/chromium}"
if [ "${EUID:-$(id -u)}" = 0 ]; then as_root="${SYSTEM_PACKAGES_ROOT:-yes}"; else as_root="${SYSTEM_PACKAGES_ROOT:-no}"; fi
dry_run="${SYSTEM_PACKAGES_DRY_RUN:-no}"

missing=()
[ -x "$initdb" ] || missing+=(postgresql)
{ command -v pdftotext && command -v pdftoppm; } >/dev/null 2>&1 || missing+=(poppler-utils)
[ -x "$chromium" ] || missing+=(chromium)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ ${#missing[@]} -eq 0 ] && exit 0

install="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$as_root" != yes ]; then
  {
    echo "npm test needs system packages that are not installed: ${missing[*]}."
    echo "Install them as root, then run npm test again:"
    echo "  sudo apt-get update && sudo env DEBIAN_FRONTEND=noninteractive $install"
  } >&2
  exit 1
fi

echo "== installing ${missing[*]} for the tests (apt-get, as root)"
if [ "$dry_run" = yes ]; then
  echo "dry run: apt-get update && DEBIAN_FRONTEND=noninteractive $install"
  exit 0
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive $install -qq

# The postgresql package of another Debian release brings another major version than 15.
[ -x "$initdb" ] || { echo "apt-get installed postgresql, but $initdb is still missing: install PostgreSQL 15 (postgresql-15)" >&2; exit 1; }
