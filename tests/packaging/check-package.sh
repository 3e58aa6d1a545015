#!/usr/bin/env bash
# Builds the Debian package from the current build tree (cpack into a temp dir of its own, so
# parallel ctest runs and scripts/package.sh's output are not touched) and checks it as a user
# would meet it: its file list, lintian, the desktop entry, the metainfo, the MIME type, the man
# pages, the bash completion against the help, and the unpacked programs' --help and --version
# without a display.
#   check-package.sh BUILD_DIR PROJECT_VERSION APP_ID KEYCHAIN_MODULE
# KEYCHAIN_MODULE: the desktop keychain module's path under /usr (lib/<multiarch>/dcr-console/…).
set -euo pipefail
build=$1
version=$2
app_id=$3
keychain_module=/usr/$4

work=$(mktemp -d "${TMPDIR:-/tmp}/dcr-package-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
step() { echo "--- $*"; }

step "cpack"
cpack --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log" >&2; echo "FAIL: cpack" >&2; exit 1; }
mapfile -t debs < <(find "$work/out" -maxdepth 1 -name '*.deb')
[ ${#debs[@]} -eq 1 ] || { echo "FAIL: expected one .deb, found ${#debs[@]}" >&2; exit 1; }
deb=${debs[0]}
echo "$(basename "$deb")"

step "control fields"
[ "$(dpkg-deb -f "$deb" Package)" = dcr-console ] || fail "Package is not dcr-console"
[ "$(dpkg-deb -f "$deb" Version)" = "$version-1" ] || fail "Version $(dpkg-deb -f "$deb" Version) is not $version-1"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
# dpkg-shlibdeps must have found the Qt 6 and OpenSSL libraries; the SQLite driver is added by hand.
for lib in libqt6core6 libqt6gui6 libqt6widgets6 libqt6network6 libqt6sql6 libqt6httpserver6 \
  libssl3 libc6 libqt6sql6-sqlite libqt6keychain1; do
  [[ ", $depends," == *", $lib "* || ", $depends," == *", $lib,"* ]] || fail "Depends lacks $lib"
done
recommends=$(dpkg-deb -f "$deb" Recommends)
echo "Recommends: $recommends"
# Hardware-token keys are dlopen'ed (the pkcs11 engine, the p11-kit proxy), and so is the QPSQL
# driver of a shared history and QtKeychain's libsecret: shlibdeps cannot see them.
for pkg in libengine-pkcs11-openssl p11-kit-modules libqt6sql6-psql libsecret-1-0; do
  [[ ", $recommends," == *", $pkg,"* ]] || fail "Recommends lacks $pkg"
done

step "contents"
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$work/contents"
expected=(
  /usr/bin/dcr-console /usr/bin/dcrctl /usr/bin/dcr-sandbox
  "/usr/share/applications/$app_id.desktop"
  "/usr/share/metainfo/$app_id.metainfo.xml"
  "/usr/share/mime/packages/$app_id.xml"
  "/usr/share/icons/hicolor/scalable/apps/$app_id.svg"
  /usr/share/man/man1/dcr-console.1.gz /usr/share/man/man1/dcrctl.1.gz
  /usr/share/man/man1/dcr-sandbox.1.gz
  /usr/share/bash-completion/completions/dcrctl
  /usr/share/doc/dcr-console/copyright /usr/share/doc/dcr-console/changelog.Debian.gz
  "$keychain_module"
)
for size in 16 24 32 48 64 128 256; do
  expected+=("/usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png")
done
for f in "${expected[@]}"; do
  grep -qxF "$f" "$work/contents" || fail "package lacks $f"
done
# Nothing but the three programs in /usr/bin, and no test, benchmark or fuzzer anywhere.
extra_bin=$(grep '^/usr/bin/.' "$work/contents" | grep -vxE '/usr/bin/(dcr-console|dcrctl|dcr-sandbox)' || true)
[ -z "$extra_bin" ] || fail "unexpected programs: $extra_bin"
stray=$(grep -E 'tst_|bench|fuzz|history_child|/include/|\.a$' "$work/contents" || true)
[ -z "$stray" ] || fail "build-only files in the package: $stray"

step "lintian"
# Errors fail the test; warnings and info are printed. Nothing is suppressed. lintian refuses
# nothing as root but says so; --allow-root keeps that note out of the output.
if ! lintian --allow-root --fail-on error --display-info "$deb" >"$work/lintian.log" 2>&1; then
  cat "$work/lintian.log" >&2
  fail "lintian reports errors"
else
  cat "$work/lintian.log"
fi

step "unpack"
root=$work/root
dpkg-deb -x "$deb" "$root"

step "keychain module"
# Only the module links QtKeychain (#26): the programs load it when a shared history is opened,
# from ../lib/<multiarch>/dcr-console/ beside /usr/bin (tst_dcrctl_postgres runs that layout).
# dcr-console maps QtDBus through QtGui all the same; dcrctl and dcr-sandbox load neither.
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
needed "$root$keychain_module" | grep -qx 'libqt6keychain.so.1' || fail "$keychain_module does not link libqt6keychain.so.1"
for p in dcr-console dcrctl dcr-sandbox; do
  ! needed "$root/usr/bin/$p" | grep -q keychain || fail "$p links QtKeychain"
done
for p in dcrctl dcr-sandbox; do
  ! needed "$root/usr/bin/$p" | grep -q DBus || fail "$p links QtDBus"
done
mode=$(dpkg-deb -c "$deb" | awk -v f=".$keychain_module" '$6 == f {print $1}')
[ "$mode" = "-rw-r--r--" ] || fail "$keychain_module is $mode, not -rw-r--r-- (a shared object is not executable)"

step "desktop entry"
desktop=$root/usr/share/applications/$app_id.desktop
desktop-file-validate "$desktop" || fail "desktop-file-validate"
grep -qx 'Exec=dcr-console %F' "$desktop" || fail "Exec is not 'dcr-console %F'"
grep -qx "Icon=$app_id" "$desktop" || fail "Icon is not $app_id"
grep -q '^MimeType=.*application/jwt;' "$desktop" || fail "MimeType lacks application/jwt"
grep -q '^MimeType=.*application/json;' "$desktop" || fail "MimeType lacks application/json (claims files open in the composer)"

step "metainfo"
metainfo=$root/usr/share/metainfo/$app_id.metainfo.xml
appstreamcli validate --no-net "$metainfo" || fail "appstreamcli validate"
grep -q "<id>$app_id</id>" "$metainfo" || fail "metainfo id is not $app_id"
grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$metainfo" ||
  fail "metainfo does not launch $app_id.desktop"
# A version bump needs its release entry (the release notes software centres show).
grep -q "<release version=\"$version\"" "$metainfo" || fail "metainfo has no <release version=\"$version\">"

step "MIME type"
mkdir -p "$work/mime/packages"
cp "$root/usr/share/mime/packages/$app_id.xml" "$work/mime/packages/"
update-mime-database "$work/mime" >"$work/mime.log" 2>&1 || { cat "$work/mime.log" >&2; fail "update-mime-database"; }
grep -q '^application/jwt:\*\.jwt$' "$work/mime/globs" || fail "*.jwt is not application/jwt"

step "programs without a display"
bin=$root/usr/bin
run() { env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM HOME="$work/home" "$@"; }
mkdir -p "$work/home"
for p in dcr-console dcrctl dcr-sandbox; do
  out=$(run "$bin/$p" --version 2>"$work/stderr") || { cat "$work/stderr" >&2; fail "$p --version exits non-zero"; }
  [ "$out" = "$p $version" ] || fail "$p --version printed '$out', not '$p $version'"
  help=$(run "$bin/$p" --help 2>"$work/stderr") || { cat "$work/stderr" >&2; fail "$p --help exits non-zero"; }
  grep -q "^Usage: " <<<"$help" || fail "$p --help prints no usage"
done
console_help=$(run "$bin/dcr-console" --help 2>/dev/null || true)
for opt in --help --version; do
  grep -q -- "$opt" <<<"$console_help" || fail "dcr-console --help does not list $opt"
done

step "man pages"
for p in dcr-console dcrctl dcr-sandbox; do
  page=$(MANWIDTH=100 man -l "$root/usr/share/man/man1/$p.1.gz" 2>"$work/man.err" | col -b) ||
    fail "man -l $p.1.gz"
  [ ! -s "$work/man.err" ] || { cat "$work/man.err" >&2; fail "man reports problems in $p.1.gz"; }
  grep -q "$p $version" <<<"$page" || fail "$p.1 does not show version $version"
  grep -q -- "--help" <<<"$page" || fail "$p.1 has no options"
  ! grep -q "$build" <<<"$page" || fail "$p.1 names the build directory"
done
dcrctl_page=$(MANWIDTH=100 man -l "$root/usr/share/man/man1/dcrctl.1.gz" 2>/dev/null | col -b)
commands=$(run "$bin/dcrctl" --help | awk '/^Commands:/ {on=1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on=0}')
[ -n "$commands" ] || fail "no commands in dcrctl --help"
for c in $commands; do
  grep -q "dcrctl $c" <<<"$dcrctl_page" || fail "dcrctl.1 has no section for '$c'"
done

step "bash completion"
# The packaged completion, run by bash-completion as a shell would, must offer exactly the
# commands of 'dcrctl --help' and, for each command, exactly the options of 'dcrctl CMD --help'.
complete_words() { # complete_words WORD... (the last one is being completed)
  bash -c '
    source /usr/share/bash-completion/bash_completion
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _dcrctl dcrctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf "%s\n" "${COMPREPLY[@]}" | sort
  ' complete "$root/usr/share/bash-completion/completions/dcrctl" "$@"
}
sorted() { tr ' ' '\n' | sed '/^$/d' | sort; }
[ "$(complete_words dcrctl '')" = "$(echo "$commands --help --version" | sorted)" ] ||
  fail "completion of 'dcrctl ' is not the commands: $(complete_words dcrctl '' | tr '\n' ' ')"
for c in $commands; do
  want=$(run "$bin/dcrctl" "$c" --help | grep -oE '^  (-[a-zA-Z?], )*--[a-z0-9-]+' | grep -oE -- '--[a-z0-9-]+$' | sort)
  got=$(complete_words dcrctl "$c" --)
  [ -n "$want" ] && [ "$got" = "$want" ] ||
    fail "completion of 'dcrctl $c --' differs from 'dcrctl $c --help': got [$(echo $got)] want [$(echo $want)]"
done
[ "$(complete_words dcrctl history '')" = "$(echo export list rm show | sorted)" ] ||
  fail "completion of 'dcrctl history ' is not its actions"
[ "$(complete_words dcrctl client --json '')" = "$(echo delete get list update | sorted)" ] ||
  fail "completion of 'dcrctl client --json ' is not its actions"
touch "$work/home/claims-example.json"
(cd "$work/home" && [ "$(complete_words dcrctl sign --claims claims-ex)" = claims-example.json ]) ||
  fail "completion of 'dcrctl sign --claims FILE' does not complete file names"

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "package checks passed"
