# Shared steps of install.sh and uninstall.sh (sourced, POSIX sh). Every change goes through
# `run` or a helper that honours DRY_RUN; paths under ROOT are written, paths without ROOT are
# what osqueryd and auditd will see. No input is ever evaluated by the shell.

IS_ROOT=0
[ "$(id -u)" -eq 0 ] && IS_ROOT=1

say() {
  printf '%s\n' "$*"
}

# Runs a command, or prints it under --dry-run.
run() {
  if [ "$DRY_RUN" -eq 1 ]; then
    printf 'would run: %s\n' "$*"
  else
    "$@"
  fi
}

check_path() {
  case "$2" in
    /*) ;;
    *) die "$1 must be an absolute path, got '$2'" ;;
  esac
  case "$2" in
    *'
'*) die "$1 must not contain a newline" ;;
  esac
}

check_inputs() {
  check_path --dest "$DEST_DIR"
  check_path --extensions-load "$LOAD_FILE"
  if [ -n "$ROOT" ]; then
    check_path --root "$ROOT"
    [ -d "$ROOT" ] || die "--root $ROOT is not a directory: create it first"
    ROOT=${ROOT%/}
  elif [ "$IS_ROOT" -ne 1 ] && [ "$DRY_RUN" -ne 1 ]; then
    die "run as root (sudo $0), or pass --root DIR or --dry-run"
  fi
}

check_source() {
  [ -f "$SRC" ] || die "no extension binary at $SRC: build it with 'npm run package' or pass --ext FILE"
  [ -x "$SRC" ] || die "$SRC is not executable: chmod 0755 it or rebuild with 'npm run package'"
}

# Owner root:root where we can; in a --root tree as a normal user the owner stays ours.
own_root() {
  if [ "$IS_ROOT" -eq 1 ]; then run chown 0:0 "$@"; fi
}

install_binary() {
  dir="$ROOT$DEST_DIR"
  if [ ! -d "$dir" ]; then
    run mkdir -p "$dir"
  fi
  run chmod 0755 "$dir"
  own_root "$dir"
  if [ -f "$ROOT$TARGET" ] && cmp -s "$SRC" "$ROOT$TARGET"; then
    say "up to date: $TARGET"
  else
    # Copy then rename: a running extension keeps its old file, no "text file busy".
    run cp "$SRC" "$ROOT$TARGET.new"
    run chmod 0755 "$ROOT$TARGET.new"
    own_root "$ROOT$TARGET.new"
    run mv -f "$ROOT$TARGET.new" "$ROOT$TARGET"
    if [ "$DRY_RUN" -eq 0 ]; then say "installed: $TARGET"; fi
  fi
}

add_autoload_line() {
  file="$ROOT$LOAD_FILE"
  if [ -f "$file" ] && grep -qxF -- "$TARGET" "$file"; then
    say "already listed in $LOAD_FILE"
    return
  fi
  if [ ! -d "$(dirname -- "$file")" ]; then run mkdir -p "$(dirname -- "$file")"; fi
  if [ "$DRY_RUN" -eq 1 ]; then
    say "would append to $LOAD_FILE: $TARGET"
    return
  fi
  # Keep one path a line even if the file lacks a final newline.
  if [ -s "$file" ] && [ "$(tail -c 1 -- "$file" | od -An -c | tr -d ' ')" != '\n' ]; then
    printf '\n' >>"$file"
  fi
  printf '%s\n' "$TARGET" >>"$file"
  chmod 0644 "$file"
  say "added to $LOAD_FILE: $TARGET"
}

install_rules() {
  file="$ROOT$RULES_FILE"
  if [ -n "$ARCH" ]; then
    rules=$("$SRC" rules --arch "$ARCH") || die "'$SRC rules --arch $ARCH' failed"
  else
    rules=$("$SRC" rules) || die "'$SRC rules' failed: is $SRC a process_terminations build?"
  fi
  if [ -f "$file" ] && [ "$(cat -- "$file")" = "$rules" ]; then
    say "up to date: $RULES_FILE"
    RULES_CHANGED=0
    return
  fi
  RULES_CHANGED=1
  if [ "$DRY_RUN" -eq 1 ]; then
    say "would write $RULES_FILE:"
    printf '%s\n' "$rules" | sed 's/^/    /'
    return
  fi
  mkdir -p -- "$(dirname -- "$file")"
  printf '%s\n' "$rules" >"$file.new"
  chmod 0640 "$file.new"
  mv -f -- "$file.new" "$file"
  say "wrote: $RULES_FILE"
}

load_command() {
  if command -v augenrules >/dev/null 2>&1; then
    say "augenrules --load"
  else
    say "auditctl -R $RULES_FILE"
  fi
}

# augenrules rebuilds the kernel's rules from every file in rules.d (the persistent way);
# auditctl -R only adds ours, for hosts without augenrules.
load_rules() {
  cmd=$(load_command)
  if [ -n "$ROOT" ] || [ "$LOAD_RULES" = no ]; then
    say "audit rules not loaded now; to load them: $cmd"
    return
  fi
  if [ "$LOAD_RULES" = ask ]; then
    if [ -t 0 ] && [ "$DRY_RUN" -ne 1 ]; then
      printf 'Load the audit rules now with "%s"? [y/N] ' "$cmd"
      read -r answer || answer=n
      case "$answer" in y | Y | yes) ;; *) say "not loaded; later: $cmd"; return ;; esac
    else
      say "audit rules not loaded (no terminal to ask; pass --load-rules); to load them: $cmd"
      return
    fi
  fi
  if command -v augenrules >/dev/null 2>&1; then run augenrules --load; else run auditctl -R "$RULES_FILE"; fi
}

print_flags() {
  cat <<FLAGS

Add these flags to osqueryd (e.g. /etc/osquery/osquery.flags), then restart it:
  --extensions_autoload=$LOAD_FILE
  --extensions_require=process_terminations
  --extensions_timeout=10
Check the host with: $TARGET doctor
FLAGS
}

remove_binary() {
  if [ -e "$ROOT$TARGET" ]; then
    run rm -f -- "$ROOT$TARGET"
    if [ "$DRY_RUN" -eq 0 ]; then say "removed: $TARGET"; fi
  else
    say "not installed: $TARGET"
  fi
}

remove_autoload_line() {
  file="$ROOT$LOAD_FILE"
  if ! { [ -f "$file" ] && grep -qxF -- "$TARGET" "$file"; }; then
    say "not listed in $LOAD_FILE"
    return
  fi
  if [ "$DRY_RUN" -eq 1 ]; then
    say "would remove from $LOAD_FILE: $TARGET"
    return
  fi
  grep -vxF -- "$TARGET" "$file" >"$file.new" || true
  chmod 0644 "$file.new"
  mv -f -- "$file.new" "$file"
  say "removed from $LOAD_FILE: $TARGET"
}

# Deletes exactly our rules from the running kernel: each `-a ...` line as `auditctl -d ...`.
unload_rules() {
  file="$ROOT$RULES_FILE"
  if [ -n "$ROOT" ] || [ "$UNLOAD_RULES" != yes ] || [ ! -f "$file" ]; then
    say "loaded audit rules left as they are; to drop them: auditctl -d <each rule> or augenrules --load"
    return
  fi
  set -f # no globbing while a rule line is split into arguments
  grep '^-a ' "$file" | while IFS= read -r line; do
    # Word splitting is wanted here: a rule line is a list of auditctl arguments.
    # shellcheck disable=SC2086
    set -- ${line#-a }
    run auditctl -d "$@" || say "rule was not loaded: $line"
  done
  set +f
}

remove_rules_file() {
  if [ -f "$ROOT$RULES_FILE" ]; then
    run rm -f -- "$ROOT$RULES_FILE"
    if [ "$DRY_RUN" -eq 0 ]; then say "removed: $RULES_FILE"; fi
  else
    say "no rules file: $RULES_FILE"
  fi
}
