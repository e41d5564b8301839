#!/bin/sh
# Builds the C SDK's tests and the C reference pen into OUT_DIR (never into the source tree).
#
#   sdk/c/build.sh OUT_DIR [tests|host|qemu|all]     (default: all)
#
#   tests → OUT_DIR/test_sdk, OUT_DIR/crosscheck   (gcc, C99, -Wall -Wextra -Werror, ASan+UBSan)
#   host  → OUT_DIR/pen-host                       (gcc, C99, serves a pty)
#   qemu  → OUT_DIR/pen-lm3s6965.elf               (arm-none-eabi-gcc, Cortex-M3, no C library)
#
# CC (default gcc) and ARM_CC (default arm-none-eabi-gcc) choose the compilers. Exits non-zero
# with the compiler's message when a build fails.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUT_DIR [tests|host|qemu|all]}
what=${2:-all}
cc=${CC:-gcc}
arm_cc=${ARM_CC:-arm-none-eabi-gcc}
mkdir -p "$out"
pen="$here/examples/pen"
warn="-std=c99 -Wall -Wextra -Werror -pedantic"
# No contraction of a*b+c into a fused multiply-add: the firmware's float arithmetic must
# round as the Rust reference's does.
fp="-ffp-contract=off"

build_tests() {
    # shellcheck disable=SC2086
    $cc $warn -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -I"$here" \
        "$here/needlebench.c" "$here/tests/test_sdk.c" -o "$out/test_sdk"
    # shellcheck disable=SC2086
    $cc $warn -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -I"$here" \
        "$here/needlebench.c" "$here/tests/crosscheck.c" -o "$out/crosscheck"
}

build_host() {
    # shellcheck disable=SC2086
    $cc $warn $fp -O2 -I"$here" -I"$pen" "$here/needlebench.c" "$pen/firmware.c" "$pen/pen.c" \
        "$pen/port_host.c" -o "$out/pen-host"
}

build_qemu() {
    arch="-mcpu=cortex-m3 -mthumb -ffreestanding -nostdlib"
    obj="$out/lm3s6965-obj"
    mkdir -p "$obj"
    for src in "$here/needlebench.c" "$pen/firmware.c" "$pen/pen.c" \
        "$pen/lm3s6965/startup.c" "$pen/lm3s6965/port_lm3s6965.c"; do
        # shellcheck disable=SC2086
        $arm_cc $warn $fp $arch -O2 -I"$here" -I"$pen" -c "$src" -o "$obj/$(basename "$src" .c).o"
    done
    # The string functions themselves: no builtins, or the loops become calls to themselves.
    # shellcheck disable=SC2086
    $arm_cc $warn $arch -O2 -fno-builtin -fno-tree-loop-distribute-patterns \
        -c "$pen/lm3s6965/mem.c" -o "$obj/mem.o"
    # libgcc (the compiler's own runtime: soft float, 64-bit division) is the only library.
    # shellcheck disable=SC2086
    $arm_cc $arch -T "$pen/lm3s6965/lm3s6965.ld" "$obj"/*.o -lgcc -o "$out/pen-lm3s6965.elf"
}

case "$what" in
tests) build_tests ;;
host) build_host ;;
qemu) build_qemu ;;
all) build_tests; build_host; build_qemu ;;
*) echo "build.sh: unknown target '$what' (tests, host, qemu or all)" >&2; exit 2 ;;
esac
