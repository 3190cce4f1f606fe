#!/usr/bin/env bash
# Makes the sandbox's recorded clips: espeak-ng speaks, sox turns it into 8 kHz G.711 µ-law, raw.
# Needs: apt-get install -y espeak-ng sox. Output is committed; the build never runs this.
set -euo pipefail
out="$(dirname "$0")/../voice-app/src/main/resources/sandbox"
mkdir -p "$out"
say() { # name voice text
  local wav; wav=$(mktemp --suffix=.wav)
  espeak-ng -v "$2" -s 165 -w "$wav" "$3"
  sox -D "$wav" -r 8000 -c 1 -e mu-law -t raw "$out/$1.ul" norm -3
  rm -f "$wav"
}
say agent-greeting ru+f3 "Здравствуйте! Это демонстрация голосового агента. Как у вас дела?"
say agent-reply ru+f3 "Понимаю. Спасибо, что ответили."
say callee-hello ru+m3 "Алло?"
say callee-reply ru+m3 "Да, всё хорошо, спасибо."
