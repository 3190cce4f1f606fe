#!/bin/sh
# Synthesizes the speech and noise clips the VAD tests read (voice-core/src/test/resources/audio/).
# Needs espeak-ng and sox (apt-get install -y espeak-ng sox); tests never run this, they read the committed files.
#
#   scripts/make-test-audio.sh
#
# Every clip: 8 kHz mono G.711 µ-law WAV (what a phone line carries), no dither (-D), fixed noise seed (-R).
# Speech clips are trimmed to the speech, then padded with PAD seconds of digital silence (or noise) both sides;
# clips.txt lists each clip with the speech start and end in milliseconds, the VAD tests' ground truth.
set -eu
out="$(dirname "$0")/../voice-core/src/test/resources/audio"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
PAD=0.8
SOX="sox -D -R -V1"

# say <name> <voice> <pitch> <peak dBFS> <text>: trimmed speech at 8 kHz, peak-normalized
say() {
  espeak-ng -v "$2" -p "$3" -s 150 -w "$tmp/$1.raw.wav" "$5"
  $SOX "$tmp/$1.raw.wav" -r 8000 -c 1 -b 16 "$tmp/$1.wav" \
    highpass 100 lowpass 3600 silence 1 0.02 -45d reverse silence 1 0.02 -45d reverse gain -n "$4"
}

# pad <name>: PAD s of silence both sides; appends ground truth to clips.txt
pad() {
  len=$(soxi -D "$tmp/$1.wav")
  $SOX "$tmp/$1.wav" -t wav -e u-law -b 8 "$out/$1.wav" pad $PAD $PAD
  awk -v n="$1" -v p="$PAD" -v l="$len" 'BEGIN { printf "%s %d %d\n", n, p * 1000, (p + l) * 1000 }' >> "$out/clips.txt"
}

# noisy <name> <source> <noise type> <noise level dB>: the padded source with noise under all of it
noisy() {
  len=$(soxi -D "$tmp/$2.wav")
  total=$(awk -v p="$PAD" -v l="$len" 'BEGIN { print 2 * p + l }')
  $SOX "$tmp/$2.wav" "$tmp/$2.padded.wav" pad $PAD $PAD
  $SOX -n -r 8000 -c 1 -b 16 "$tmp/$1.noise.wav" synth "$total" "$3" gain "$4"
  $SOX -m -v 1 "$tmp/$2.padded.wav" -v 1 "$tmp/$1.noise.wav" -t wav -e u-law -b 8 "$out/$1.wav"
  awk -v n="$1" -v p="$PAD" -v l="$len" 'BEGIN { printf "%s %d %d\n", n, p * 1000, (p + l) * 1000 }' >> "$out/clips.txt"
}

printf '# clip speech_start_ms speech_end_ms (made by scripts/make-test-audio.sh)\n' > "$out/clips.txt"

say ru-m-allo       ru       50 -6  "Алло? Да, слушаю вас."
say ru-f-greeting   ru+f3    60 -6  "Здравствуйте! Вы позвонили в компанию Ромашка. Все операторы заняты, оставайтесь на линии."
say en-us-hello     en-us    45 -6  "Hello? Yes, this is John."
say en-gb-voicemail en-gb+f2 55 -6  "Hi, you have reached Anna. I can't take your call right now, please leave a message after the tone."
say ru-m2-quiet     ru+m3    40 -36 "Да, я вас слушаю."

for c in ru-m-allo ru-f-greeting en-us-hello en-gb-voicemail ru-m2-quiet; do pad "$c"; done
# pink noise about 18 dB under the loudest speech (ru); brown noise (low rumble) only about 6 dB under it (en)
noisy ru-m-allo-pink15      ru-m-allo       pinknoise  -23
noisy en-gb-voicemail-brown en-gb-voicemail brownnoise -18

# speech-free clips: steady pink noise around -35 dBFS (above the 256 mean-magnitude silence threshold), and
# faint line hiss around -65 dBFS
$SOX -n -r 8000 -c 1 -b 16 -t wav -e u-law -b 8 "$out/noise-pink.wav" synth 3 pinknoise gain -21
$SOX -n -r 8000 -c 1 -b 16 -t wav -e u-law -b 8 "$out/line-hiss.wav" synth 3 whitenoise gain -58
printf 'noise-pink 0 0\nline-hiss 0 0\n' >> "$out/clips.txt"

for c in ru-m-allo en-gb-voicemail; do
  printf '%s active speech RMS %s dB\n' "$c" "$(sox "$tmp/$c.wav" -n stats 2>&1 | awk '/RMS Pk dB/ { print $4 }')"
done
for c in ru-m-allo-pink15 en-gb-voicemail-brown; do
  printf '%s noise RMS %s dB\n' "$c" "$(sox "$tmp/$c.noise.wav" -n stats 2>&1 | awk '/RMS lev dB/ { print $4 }')"
done
for f in "$out"/*.wav; do printf '%s %s s, RMS %s dB\n' "$(basename "$f")" "$(soxi -D "$f")" \
  "$(sox "$f" -n stats 2>&1 | awk '/RMS lev dB/ { print $4 }')"; done
