#!/usr/bin/env bash
# Writes a program's man page from its own --help and --version with help2man, so the page
# cannot drift from the program. For a program with subcommands, each "PROGRAM COMMAND --help"
# is added as a COMMANDS section; the commands are read from the "Commands:" section of
# "PROGRAM --help" when the list is "auto".
#   gen-man.sh PROGRAM NAME SUMMARY OUTPUT.1.gz [auto | COMMAND...]
set -euo pipefail
program=$1
name=$2
summary=$3
output=$4
shift 4
commands=("$@")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The programs never touch the user's files for --help, but keep any side effect in the temp dir.
# Default paths in the help (e.g. the sandbox kit's) are shown relative to "~", not to this
# temporary home.
export HOME=$work/home XDG_RUNTIME_DIR=$work/runtime
unset XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME
mkdir -p "$HOME" && mkdir -m 700 "$XDG_RUNTIME_DIR"
help_of() { "$program" "$@" --help | sed "s|$HOME|~|g"; }

if [ "${commands[0]:-}" = auto ]; then
  mapfile -t commands < <("$program" --help |
    awk '/^Commands:/ {on=1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on=0}')
  [ ${#commands[@]} -gt 0 ] || { echo "gen-man: no commands in '$name --help'" >&2; exit 1; }
fi

# Plain text as roff: escape backslashes, keep lines from being read as requests, and write
# hyphens as minus signs (they are options to type).
roff() { sed -e 's/\\/\\e/g' -e "s/^\([.']\)/\\\\\&\1/" -e 's/-/\\-/g'; }

include=$work/include.h2m
: >"$include"
if [ ${#commands[@]} -gt 0 ]; then
  {
    echo "[COMMANDS]"
    for c in "${commands[@]}"; do
      echo ".SS \"$name $c\""
      echo ".nf"
      # The usage line is shown as the subsection's first line; drop the executable's path.
      help_of "$c" | roff
      echo ".fi"
    done
  } >>"$include"
fi
# The other two programs of the package.
others=()
for p in dcr-console dcrctl dcr-sandbox; do
  [ "$p" = "$name" ] || others+=("$p")
done
printf '[SEE ALSO]\n.BR %s (1),\n.BR %s (1)\n' "${others[@]}" >>"$include"

# help2man runs "$program --help" and "--version" itself; it reads SOURCE_DATE_EPOCH for the
# page's date, which keeps the package reproducible.
help2man --no-info --section=1 --name="$summary" --include="$include" \
  --output="$work/page.1" "$program"
# help2man names the page after the file it ran; the build tree's path must not leak into it.
sed -i -e "s|$(dirname "$program")/||g" -e "s|$HOME|~|g" "$work/page.1"
gzip -9n -c "$work/page.1" >"$output.tmp"
mv "$output.tmp" "$output"
