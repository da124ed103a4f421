#!/usr/bin/env bash
# Collects a release `ngd`, the shared libraries it loads here (ldd) and a wrapper into DEST/ngd-bundle, for
# benchmarks/device-bench.sh on a machine without Swift, OpenBLAS or cairo; packs it as ngd-bundle.tar.gz when
# it is larger than ~50 MB. The C library and the dynamic loader stay the remote machine's own.
#
#   benchmarks/make-device-bundle.sh DEST [BINARY]      (BINARY default: .build/release/ngd)
set -eu
dest=${1:?usage: make-device-bundle.sh DEST [BINARY]}
binary=${2:-.build/release/ngd}
bundle="$dest/ngd-bundle"
rm -rf "$bundle" "$dest/ngd-bundle.tar.gz"
mkdir -p "$bundle/bin" "$bundle/lib/glibc"
cp "$binary" "$bundle/bin/ngd"
ldd "$binary" | awk '/=> \// { print $3 } /ld-linux/ { print $1 }' | while read -r library; do
    case "$(basename "$library")" in
        # glibc apart: the remote's own is used when it is new enough, this one (with its loader) otherwise.
        libc.so.*|libm.so.*|libpthread.so.*|libdl.so.*|librt.so.*|ld-linux*) cp -L "$library" "$bundle/lib/glibc/" ;;
        *) cp -L "$library" "$bundle/lib/" ;;
    esac
done
strip --strip-unneeded "$bundle/bin/ngd" "$bundle"/lib/*.so* 2>/dev/null || true
# OpenBLAS loads its per-core kernels from itself (DYNAMIC_ARCH); resources the binary opens sit beside it.
for resources in "$(dirname "$binary")"/*.resources; do [ -e "$resources" ] && cp -R "$resources" "$bundle/bin/"; done
cat > "$bundle/ngd" <<'WRAP'
#!/bin/sh
here=$(dirname "$(readlink -f "$0")")
export LD_LIBRARY_PATH="$here/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# With the remote's glibc when it loads the bundle; else under the bundled loader and glibc (then ngd cannot
# re-execute itself, so the automatic BLAS core choice is off: OPENBLAS_CORETYPE can still be set by hand).
if NGD_BLAS_CORE=keep "$here/bin/ngd" --version > /dev/null 2>&1; then exec "$here/bin/ngd" "$@"; fi
exec "$here/lib/glibc/ld-linux-x86-64.so.2" --library-path "$here/lib/glibc:$here/lib" "$here/bin/ngd" "$@"
WRAP
chmod +x "$bundle/ngd"
cp "$(dirname "$0")/device-bench.sh" "$dest/device-bench.sh"
size=$(du -sm "$bundle" | cut -f1)
if [ "$size" -gt 50 ]; then
    tar -czf "$dest/ngd-bundle.tar.gz" -C "$dest" ngd-bundle && rm -rf "$bundle"
fi
du -sh "$dest"/*
