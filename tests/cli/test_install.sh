#!/usr/bin/env bash
# Installs the build that holds $COSEVAL_BIN into a temporary prefix (cmake --install --prefix) and checks the
# result: the files are there, the installed command runs, libcoseval.so exports only the coseval_* functions
# under SONAME libcoseval.so.1 and no build-tree RUNPATH, and tests/install/consumer.c builds and runs against
# it both with pkg-config and with find_package(coseval); the Python module too, when it is installed.
set -u
. "$(dirname "$0")/lib.sh"

SRC=${COSEVAL_SOURCE:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=$(cd "$(dirname "$COSEVAL")" && pwd)
CACHE=$BUILD/CMakeCache.txt
[ -f "$CACHE" ] || fail "no CMakeCache.txt in $BUILD (the directory of COSEVAL_BIN)"

# cache NAME: the value of a CMake cache entry of the build.
cache() {
	sed -n "s/^$1:[A-Z]*=//p" "$CACHE" | head -n 1
}

# The install directories of the build, relative to the prefix; an absolute one would write outside $T.
LIBDIR=$(cache CMAKE_INSTALL_LIBDIR)
BINDIR=$(cache CMAKE_INSTALL_BINDIR)
INCLUDEDIR=$(cache CMAKE_INSTALL_INCLUDEDIR)
DATAROOTDIR=$(cache CMAKE_INSTALL_DATAROOTDIR)
DATADIR=$(cache CMAKE_INSTALL_DATADIR)
MANDIR=$(cache CMAKE_INSTALL_MANDIR)
PYDIR=$(cache COSEVAL_PYTHON_INSTALL_DIR)
CMAKEDIR=$(cache COSEVAL_CMAKE_INSTALL_DIR)
[ -n "$DATADIR" ] || DATADIR=$DATAROOTDIR
[ -n "$MANDIR" ] || MANDIR=$DATAROOTDIR/man
for d in "$LIBDIR" "$BINDIR" "$INCLUDEDIR" "$DATADIR" "$MANDIR" "$PYDIR" "$CMAKEDIR"; do
	case $d in
	"") fail "the build has no install directories in $CACHE (reconfigure it)" ;;
	/*)
		echo "SKIP [$TEST_NAME]: install directory $d is absolute; cmake --install --prefix cannot move it"
		exit 0
		;;
	esac
done

# A sanitized build's library needs the sanitizer runtime first: the consumers are built the same way, and
# Python (which cannot load it) is left out.
CC=$(cache CMAKE_C_COMPILER)
[ -n "$CC" ] || CC=cc
SAN_FLAGS=
if [ "$(cache COSEVAL_SANITIZE)" = ON ] || [ "$(cache COSEVAL_FUZZ)" = ON ]; then
	SAN_FLAGS="-fsanitize=address,undefined"
fi
CMAKE=$(cache CMAKE_COMMAND)
[ -n "$CMAKE" ] || CMAKE=cmake

P=$T/prefix
expect_status 0 "$CMAKE" --install "$BUILD" --prefix "$P"
ok "cmake --install $BUILD --prefix <tmp>"

LIB=$P/$LIBDIR
for f in "$BINDIR/coseval" "$LIBDIR/libcoseval.so.1" "$LIBDIR/libcoseval.so" "$INCLUDEDIR/coseval.h" \
	"$LIBDIR/pkgconfig/coseval.pc" "$CMAKEDIR/coseval-config.cmake" "$CMAKEDIR/coseval-config-version.cmake" \
	"$CMAKEDIR/coseval-targets.cmake"; do
	[ -e "$P/$f" ] || fail "not installed: $f (installed: $(cd "$P" && find . -type f -o -type l | sort | paste -sd' '))"
done
expect_eq "libcoseval.so.1 links to" "libcoseval.so.$(sed -n 's/^Version: //p' "$LIB/pkgconfig/coseval.pc")" \
	"$(readlink "$LIB/libcoseval.so.1")"
expect_eq "libcoseval.so links to" "libcoseval.so.1" "$(readlink "$LIB/libcoseval.so")"
[ -z "$(find "$P" -name '*.a')" ] || fail "a static archive was installed: $(find "$P" -name '*.a')"
ok "installed: the command, libcoseval.so with its links, coseval.h, coseval.pc, the CMake package, no archive"

# The man page and the completion come from docs/CMakeLists.txt; they are checked once its rules install
# something, so that this test does not fail before they exist.
if grep -q 'install(' "$SRC/docs/CMakeLists.txt" 2>/dev/null; then
	[ -f "$P/$MANDIR/man1/coseval.1" ] || fail "not installed: $MANDIR/man1/coseval.1"
	[ -f "$P/$DATADIR/bash-completion/completions/coseval" ] ||
		fail "not installed: $DATADIR/bash-completion/completions/coseval"
	ok "installed: the man page and the bash completion"
fi

expect_status 0 "$P/$BINDIR/coseval" check 1/2 0.5 --profile math
expect_stdout_contains "equal"
expect_status 1 "$P/$BINDIR/coseval" check 1/2 0.6 --profile math
ok "the installed command runs: check 1/2 0.5 is equal, 1/2 0.6 is not"

# The library: SONAME, no RUNPATH into the build or the sources, and exactly the functions of coseval.h.
objdump -p "$LIB/libcoseval.so.1" >"$T/dyn" || fail "objdump -p libcoseval.so.1"
expect_eq "SONAME" "libcoseval.so.1" "$(awk '$1 == "SONAME" { print $2 }' "$T/dyn")"
for f in "$LIB/libcoseval.so.1" "$P/$BINDIR/coseval"; do
	if objdump -p "$f" | grep -E '^ *(RPATH|RUNPATH) ' | grep -qF -e "$BUILD" -e "$SRC"; then
		fail "$f keeps a RUNPATH into the build: $(objdump -p "$f" | grep -E 'RPATH|RUNPATH')"
	fi
done
nm -D --defined-only "$LIB/libcoseval.so.1" | awk '{ sub(/@.*/, "", $3); print $3 }' |
	grep -v '^COSEVAL_1$' | sort >"$T/exported"
grep -oE '^[a-z].*[^a-z_]coseval_[a-z_]+\(' "$P/$INCLUDEDIR/coseval.h" | grep -oE 'coseval_[a-z_]+' | sort -u \
	>"$T/declared"
[ -s "$T/declared" ] || fail "no functions found in the installed coseval.h"
grep -v '^coseval_' "$T/exported" && fail "libcoseval.so.1 exports symbols outside coseval_* (above)"
diff "$T/declared" "$T/exported" >"$T/diff" ||
	fail "the exports differ from the functions of coseval.h (< declared, > exported): $(cat "$T/diff")"
ok "libcoseval.so.1: SONAME libcoseval.so.1, no build RUNPATH, exports the $(wc -l <"$T/declared") functions of coseval.h"

# pkg-config: the flags name the install prefix; consumer.c builds with them and runs.
export PKG_CONFIG_PATH=$LIB/pkgconfig
PC_FLAGS=$(pkg-config --cflags --libs coseval) || fail "pkg-config --cflags --libs coseval failed"
case " $PC_FLAGS " in
*" -I$P/$INCLUDEDIR "*) ;;
*) fail "pkg-config --cflags does not name the installed include directory: $PC_FLAGS" ;;
esac
HEADER_VERSION=$(sed -n 's/^#define COSEVAL_VERSION_STRING "\(.*\)"$/\1/p' "$P/$INCLUDEDIR/coseval.h")
expect_eq "pkg-config --modversion" "$HEADER_VERSION" "$(pkg-config --modversion coseval)"
expect_status 0 "$P/$BINDIR/coseval" --version
expect_stdout_contains "$HEADER_VERSION"
# shellcheck disable=SC2086 # the flags are words
expect_status 0 "$CC" -std=c11 -pedantic -Wall -Wextra -Werror $SAN_FLAGS -o "$T/consumer-pc" \
	"$SRC/tests/install/consumer.c" $PC_FLAGS
expect_status 0 env LD_LIBRARY_PATH="$LIB" "$T/consumer-pc"
expect_stdout_contains "verdict correct"
expect_stdout_contains "consumer ok"
LD_LIBRARY_PATH=$LIB ldd "$T/consumer-pc" | grep -qF "$LIB/libcoseval.so.1" ||
	fail "consumer-pc does not load the installed libcoseval.so.1: $(LD_LIBRARY_PATH=$LIB ldd "$T/consumer-pc")"
ok "pkg-config: consumer.c builds with $PC_FLAGS and runs: $(head -n 1 "$OUT"), $(sed -n 3p "$OUT")"
if command -v c++ >/dev/null; then
	# shellcheck disable=SC2046
	echo '#include <coseval.h>' | c++ -x c++ -fsyntax-only -Wall -Wextra -Werror $(pkg-config --cflags coseval) - ||
		fail "coseval.h does not compile as C++"
	ok "coseval.h compiles as C++"
fi
unset PKG_CONFIG_PATH

# find_package(coseval): tests/install/CMakeLists.txt, with the build RPATH CMake gives it (no LD_LIBRARY_PATH).
expect_status 0 "$CMAKE" -S "$SRC/tests/install" -B "$T/consumer-build" -DCMAKE_PREFIX_PATH="$P" \
	-DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="$SAN_FLAGS" -DCMAKE_BUILD_TYPE=Release
expect_status 0 "$CMAKE" --build "$T/consumer-build"
expect_status 0 env -u LD_LIBRARY_PATH "$T/consumer-build/consumer"
expect_stdout_contains "verdict correct"
expect_stdout_contains "consumer ok"
env -u LD_LIBRARY_PATH ldd "$T/consumer-build/consumer" | grep -qF "$LIB/libcoseval.so.1" ||
	fail "the CMake-built consumer does not load the installed library: $(ldd "$T/consumer-build/consumer")"
ok "find_package(coseval): consumer.c builds against coseval::coseval and runs without LD_LIBRARY_PATH"

# The Python module, when it is installed: it finds the library of the same prefix by itself.
if [ -z "$SAN_FLAGS" ] && command -v python3 >/dev/null && [ -f "$P/$PYDIR/coseval/__init__.py" ]; then
	expect_status 0 env -u COSEVAL_LIBRARY -u COSEVAL_BUILD PYTHONPATH="$P/$PYDIR" python3 -c '
import sys
import coseval
r = coseval.check("1/2", "0.5", profile="math")
assert r.equal, "1/2 and 0.5 are not equal: %r" % (r,)
maps = [l.split()[-1] for l in open("/proc/self/maps") if "libcoseval.so" in l]
assert maps and all(m.startswith(sys.argv[1]) for m in maps), "loaded %r, not from %s" % (maps, sys.argv[1])
print("equal", r.reason)
' "$(cd "$LIB" && pwd -P)/"
	ok "python: coseval.check(\"1/2\", \"0.5\", profile=\"math\") is equal ($(cat "$OUT")), with the installed library"
fi
