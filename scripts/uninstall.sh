#!/bin/sh
# Removes what install.sh installed: the extension binary, its line in osqueryd's autoload file
# and the audit rules file; with --unload-rules also deletes those rules from the running kernel.
# Safe to run again. Run `scripts/uninstall.sh --help` for the options.
set -eu

EXT_NAME=process_terminations.ext
SCRIPT_DIR=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
DEST_DIR=/usr/local/lib/osquery/extensions
LOAD_FILE=/etc/osquery/extensions.load
RULES_FILE=/etc/audit/rules.d/process-terminations.rules
ROOT=''
DRY_RUN=0
UNLOAD_RULES=no

usage() {
  cat <<USAGE
Usage: uninstall.sh [options]
  --dest DIR          folder of the binary (default: $DEST_DIR)
  --extensions-load F osqueryd autoload file (default: $LOAD_FILE)
  --unload-rules      also delete the rules from the running kernel (auditctl -d)
  --root DIR          uninstall under DIR instead of / (never touches the kernel)
  --dry-run           print what would be done and change nothing
  -h, --help          this help
USAGE
}

die() {
  printf 'uninstall.sh: %s\n' "$*" >&2
  exit 1
}

need_arg() {
  [ "$#" -ge 2 ] && [ -n "$2" ] || die "$1 needs a value (see --help)"
}

while [ "$#" -gt 0 ]; do
  case "$1" in
    --dest) need_arg "$@"; DEST_DIR=$2; shift 2 ;;
    --extensions-load) need_arg "$@"; LOAD_FILE=$2; shift 2 ;;
    --root) need_arg "$@"; ROOT=$2; shift 2 ;;
    --unload-rules) UNLOAD_RULES=yes; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

. "$SCRIPT_DIR/package-lib.sh"

check_inputs
TARGET="$DEST_DIR/$EXT_NAME"
unload_rules
remove_binary
remove_autoload_line
remove_rules_file
say "osqueryd: remove --extensions_require=process_terminations from its flags before restarting it"
