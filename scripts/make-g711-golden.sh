#!/bin/sh
# Regenerates the G.711 golden files that G711SoxGoldenTest compares against (SoX 14.4.2; apt-get install sox).
# -D: no dither. Without it sox dithers when reducing to 8 bits, and its output is not even repeatable.
#
#   scripts/make-g711-golden.sh
#
# Writes voice-core/src/test/resources/g711/:
#   sox-ulaw-encode.bin.gz  sox's µ-law code of every 16-bit input, -32768..32767 in order (65536 bytes, gzipped)
#   sox-alaw-encode.bin.gz  the same for A-law
#   sox-ulaw-decode.s16     sox's 16-bit little-endian level of every µ-law code 0..255 (512 bytes)
#   sox-alaw-decode.s16     the same for A-law
set -eu
out="$(dirname "$0")/../voice-core/src/test/resources/g711"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
perl -e 'print pack("s<*", -32768 .. 32767)' > "$tmp/all.s16"
perl -e 'print pack("C*", 0 .. 255)' > "$tmp/codes.bin"
# sox warns that 2 (µ-law) and 4 (A-law) samples clipped: the +32767 end, see the test
sox -D -t raw -e signed-integer -b 16 -r 8000 -c 1 "$tmp/all.s16" -t raw -e u-law -b 8 "$tmp/ulaw.bin"
sox -D -t raw -e signed-integer -b 16 -r 8000 -c 1 "$tmp/all.s16" -t raw -e a-law -b 8 "$tmp/alaw.bin"
sox -D -t raw -e u-law -b 8 -r 8000 -c 1 "$tmp/codes.bin" -t raw -e signed-integer -b 16 -L "$out/sox-ulaw-decode.s16"
sox -D -t raw -e a-law -b 8 -r 8000 -c 1 "$tmp/codes.bin" -t raw -e signed-integer -b 16 -L "$out/sox-alaw-decode.s16"
gzip -9n < "$tmp/ulaw.bin" > "$out/sox-ulaw-encode.bin.gz"
gzip -9n < "$tmp/alaw.bin" > "$out/sox-alaw-encode.bin.gz"
ls -l "$out"
