#!/usr/bin/env bash
# Writes the bash completion for dcrctl from the program's own help, so it cannot drift from the
# options the program accepts:
#   * the commands: the "Commands:" section of `dcrctl --help`;
#   * each command's options and whether they take a value: `dcrctl COMMAND --help`
#     (QCommandLineParser's "  --name <VALUE>" lines);
#   * the actions of a command whose argument is ACTION (history, profile, client): the quoted
#     words of its description ('list', 'show ID', ...), which is how those commands document them.
# Options whose value is a FILE or DIR complete file names; other values are left to the user.
#   gen-dcrctl-completion.sh DCRCTL OUTPUT
set -euo pipefail
dcrctl=$1
output=$2

# Run without a history or settings file being touched (help never opens them, but be sure).
export HOME=${TMPDIR:-/tmp}/dcrctl-completion-home.$$
trap 'rm -rf "$HOME"' EXIT

commands=$("$dcrctl" --help | awk '/^Commands:/ {on=1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on=0}')
[ -n "$commands" ] || { echo "gen-dcrctl-completion: no commands in '$dcrctl --help'" >&2; exit 1; }

{
  echo "# bash completion for dcrctl. Generated at build time from 'dcrctl --help' and"
  echo "# 'dcrctl COMMAND --help' by packaging/completion/gen-dcrctl-completion.sh: do not edit."
  echo
  echo "_dcrctl() {"
  echo "    local cur prev words cword"
  echo "    _init_completion || return"
  echo "    if ((cword == 1)); then"
  echo "        COMPREPLY=(\$(compgen -W '$(echo $commands) --help --version' -- \"\$cur\"))"
  echo "        return"
  echo "    fi"
  echo "    local options='' file_options='' value_options='' actions=''"
  echo "    case \${words[1]} in"
  for c in $commands; do
    help=$("$dcrctl" "$c" --help)
    # "  -h, --help   Displays..." / "  --key <FILE>   ..." -> "--help" / "--key <FILE>"
    opts=$(printf '%s\n' "$help" | sed -n -E 's/^  ((-[a-zA-Z?]), )*(--[a-z0-9-]+)(, --[a-z0-9-]+)*( <([^>]+)>)?  .*$/\3 \6/p')
    all=$(printf '%s\n' "$opts" | awk '{print $1}' | tr '\n' ' ' | sed 's/ $//')
    files=$(printf '%s\n' "$opts" | awk '$2 ~ /FILE|DIR/ {print $1}' | tr '\n' ' ' | sed 's/ $//')
    values=$(printf '%s\n' "$opts" | awk '$2 != "" && $2 !~ /FILE|DIR/ {print $1}' | tr '\n' ' ' | sed 's/ $//')
    actions=''
    if printf '%s\n' "$help" | grep -q -E '^Usage: .* ACTION'; then
      actions=$(printf '%s\n' "$help" | sed -n '2p' | grep -o -E "'[a-z]+" | tr -d "'" | tr '\n' ' ' | sed 's/ $//')
      [ -n "$actions" ] || { echo "gen-dcrctl-completion: no actions in 'dcrctl $c --help'" >&2; exit 1; }
    fi
    echo "    $c)"
    echo "        options='$all'"
    echo "        file_options='$files'"
    echo "        value_options='$values'"
    echo "        actions='$actions'"
    echo "        ;;"
  done
  echo "    *) return ;;"
  echo "    esac"
  echo "    if [[ \" \$file_options \" == *\" \$prev \"* ]]; then"
  echo "        _filedir"
  echo "        return"
  echo "    fi"
  echo "    if [[ \" \$value_options \" == *\" \$prev \"* ]]; then"
  echo "        return"
  echo "    fi"
  echo "    if [[ \$cur == -* ]]; then"
  echo "        COMPREPLY=(\$(compgen -W \"\$options\" -- \"\$cur\"))"
  echo "        return"
  echo "    fi"
  echo "    if [[ -n \$actions ]]; then"
  echo "        # The action is the first word after the command that is neither an option nor"
  echo "        # an option's value."
  echo "        local i have_action=''"
  echo "        for ((i = 2; i < cword; i++)); do"
  echo "            if [[ \${words[i]} != -* && \" \$file_options \$value_options \" != *\" \${words[i - 1]} \"* ]]; then"
  echo "                have_action=1"
  echo "                break"
  echo "            fi"
  echo "        done"
  echo "        if [[ -z \$have_action ]]; then"
  echo "            COMPREPLY=(\$(compgen -W \"\$actions\" -- \"\$cur\"))"
  echo "            return"
  echo "        fi"
  echo "    fi"
  echo "    _filedir"
  echo "}"
  echo "complete -F _dcrctl dcrctl"
} >"$output.tmp"
bash -n "$output.tmp"
mv "$output.tmp" "$output"
