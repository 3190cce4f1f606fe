#!/usr/bin/env bash
# Makes the labelled answering-machine-detection test set: espeak-ng speaks, sox shapes (telephone band,
# pauses, beeps, levels, noise) and writes 8 kHz G.711 µ-law raw clips plus manifest.tsv.
#
# Needs: apt-get install -y espeak-ng sox. The output is committed; the build never runs this.
#
# Pauses, speeds, pitches, levels and noise come from a fixed-seed generator over wide ranges chosen from
# how people and machines behave, not from the detector's thresholds, so the set does not mirror them.
# The same script on the same espeak-ng/sox versions gives the same files.
#
# manifest.tsv columns: file, label (human|machine), greeting_end_ms, lang, description.
# greeting_end_ms: for a human, the end of the first turn: the speech after which the person is silent
# for at least 1 s, waiting for a reply; for a machine, the end of the greeting, after its beep if it has one.
set -euo pipefail
export LC_ALL=C.UTF-8
out="$(cd "$(dirname "$0")/.." && pwd)/voice-core/src/test/resources/amd"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
rm -f "$out"/*.ul
manifest="$out/manifest.tsv"
printf 'file\tlabel\tgreeting_end_ms\tlang\tdescription\n' > "$manifest"

# ------------------------------------------------------------------ a reproducible random generator
seed=20240917
rnd() { # min max -> R, uniform
  seed=$(( (seed * 1103515245 + 12345) & 0x7fffffff ))
  R=$(( $1 + (seed >> 8) % ($2 - $1 + 1) ))
}
pick() { # items... -> P
  rnd 0 $(( $# - 1 ))
  local a=("$@")
  P="${a[$R]}"
}
secs() { printf '%d.%03d' $(( $1 / 1000 )) $(( $1 % 1000 )); }

# ------------------------------------------------------------------ one clip's pieces
parts=()
pos=0      # ms so far
gend=-1    # greeting end, ms
n=0
desc=""
begin() { parts=(); pos=0; gend=-1; n=0; desc=""; }
add() {
  parts+=("$1")
  pos=$(( pos + $(soxi -s "$1") / 8 ))
}
sil() { # ms
  local f="$tmp/p$((n++)).wav"
  sox -n -r 8000 -c 1 -b 16 "$f" trim 0 "$(secs "$1")"
  add "$f"
  desc+="sil $1; "
}
say() { # voice speed pitch wordgap text
  local raw="$tmp/raw.wav" f="$tmp/p$((n++)).wav"
  espeak-ng -v "$1" -s "$2" -p "$3" -g "$4" -w "$raw" "$5"
  # telephone band, leading and trailing silence cut so the manifest's times are where speech is
  sox "$raw" -r 8000 -c 1 -b 16 "$f" sinc 300-3400 \
    silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse norm -3
  add "$f"
  desc+="say $1 s$2 p$3 g$4 '$5'; "
}
beep() { # hz ms dB-below-speech
  local f="$tmp/p$((n++)).wav"
  sox -n -r 8000 -c 1 -b 16 "$f" synth "$(secs "$2")" sine "$1" norm -$(( 3 + $3 )) fade t 0.005 0 0.005
  add "$f"
  desc+="beep ${1}Hz ${2}ms; "
}
mark() { gend=$pos; }

# level: normal|quiet|loud; noise: none|white|pink, at 10-30 dB below the active speech level
finish() { # name label lang level noise
  local name="$1" label="$2" lang="$3" level="$4" noise="$5"
  local clean="$tmp/clean.wav" shaped="$tmp/shaped.wav" final="$tmp/final.wav"
  [ "$gend" -ge 0 ] || { echo "$name: no greeting end marked" >&2; exit 1; }
  sox "${parts[@]}" "$clean"
  case "$level" in
    normal) rnd 1 6; sox "$clean" "$shaped" norm "-$R"; desc+="level peak -${R} dBFS; " ;;
    quiet)  rnd 12 22; sox "$clean" "$shaped" norm "-$R"; desc+="quiet peak -${R} dBFS; " ;;
    loud)   rnd 3 9; sox -V1 "$clean" "$shaped" norm 0 gain "$R"; desc+="loud +${R} dB clipped; " ;;
  esac
  if [ "$noise" = none ]; then
    cp "$shaped" "$final"
  else
    rnd 10 30
    local snr=$R noisef="$tmp/noise.wav" noise2="$tmp/noise2.wav" len speech measured
    len=$(soxi -D "$shaped")
    # active speech level: the clip with its silences removed
    speech=$(sox "$shaped" -n silence 1 0.02 1% -1 0.05 1% stats 2>&1 | awk '/RMS lev dB/ {print $4}')
    # noise reaches us through the same telephone channel as the speech
    sox -R -n -r 8000 -c 1 -b 16 "$noisef" synth "$len" "${noise}noise" sinc 300-3400 norm -10
    measured=$(sox "$noisef" -n stats 2>&1 | awk '/RMS lev dB/ {print $4}')
    sox "$noisef" "$noise2" gain "$(awk -v m="$measured" -v s="$speech" -v snr="$snr" 'BEGIN {printf "%.2f", s - snr - m}')"
    sox -V1 -m -v 1 "$shaped" -v 1 "$noise2" "$final"
    desc+="${noise} noise ${snr} dB below speech (${speech} dBFS RMS); "
  fi
  sox -V1 "$final" -t raw -r 8000 -c 1 -e mu-law -b 8 "$out/$name.ul"
  printf '%s\t%s\t%d\t%s\t%s\n' "$name.ul" "$label" "$gend" "$lang" "${desc%; }" >> "$manifest"
  echo "$name $label greeting_end=${gend}ms total=${pos}ms"
}

ru_voices=(ru ru+f2 ru+f3 ru+m3 ru+m5 ru-lv ru+f4 ru+m2)
en_voices=(en-us en-gb en-us+f3 en-gb+f4 en-us+m4 en-gb-scotland en-us+f2 en-gb-x-rp)
levels=(normal normal quiet normal loud normal quiet loud)
noises=(none none pink none white none pink white none)
li=0
ni=0
next_level() { L="${levels[$(( li++ % ${#levels[@]} ))]}"; }
next_noise() { N="${noises[$(( ni++ % ${#noises[@]} ))]}"; }
voice() { # lang -> V
  if [ "$1" = ru ]; then pick "${ru_voices[@]}"; else pick "${en_voices[@]}"; fi
  V="$P"
}
speech() { # lang text   (random voice, speed 130..190, pitch 25..75, word gap 0..2)
  voice "$1"; rnd 130 190; local s=$R; rnd 25 75; local p=$R; rnd 0 2
  say "$V" "$s" "$p" "$R" "$2"
}

# ------------------------------------------------------------------ humans: one short answer
# A person picks up and speaks 0.15-2 s later, then waits for a reply (tail of silence).
i=0
human_one() { # lang text
  i=$((i + 1)); begin
  rnd 150 2000; sil "$R"
  speech "$1" "$2"; mark
  rnd 1500 2500; sil "$R"
  next_level; next_noise
  finish "$(printf 'human-%02d-%s' "$i" "$1")" human "$1" "$L" "$N"
}
for t in "Алло?" "Да?" "Алло, да?" "Слушаю." "Да, слушаю." "Алло, кто это?" "Алё." "Да, говорите." \
    "Алло, здравствуйте." "Кто это?" "Да, я слушаю вас." "Алло?" "Да." "Слушаю вас." "Алло, говорите." \
    "Здравствуйте." "Алло, слушаю." "Да-да?"; do
  human_one ru "$t"
done
for t in "Hello?" "Yes?" "Hi." "Yes, speaking." "Hello, who is this?" "Hey." "Speaking." "Hello, yes?" \
    "Hi, who's calling?" "Good morning." "Hello?" "Yeah?" "This is Anna." "Hello, Smith residence." "Hi there." \
    "Who's this?"; do
  human_one en "$t"
done

# ------------------------------------------------------------------ humans: two short phrases
# Hears nothing back and speaks again after 0.25-2 s ("Алло? … Алло?").
human_two() { # lang first second
  i=$((i + 1)); begin
  rnd 150 1500; sil "$R"
  speech "$1" "$2"
  local firstEnd=$pos
  rnd 250 2000; local gap=$R; sil "$gap"
  speech "$1" "$3"
  # the first turn ends where the person falls silent for ≥ 1 s
  if [ "$gap" -ge 1000 ]; then gend=$firstEnd; else mark; fi
  rnd 1500 2500; sil "$R"
  next_level; next_noise
  finish "$(printf 'human-%02d-%s-two' "$i" "$1")" human "$1" "$L" "$N"
}
human_two ru "Алло?" "Алло?"
human_two ru "Да?" "Говорите."
human_two ru "Алло?" "Вас не слышно."
human_two ru "Алло." "Алло, кто это?"
human_two ru "Да?" "Да?"
human_two ru "Алло?" "Слышите меня?"
human_two ru "Слушаю." "Алло?"
human_two ru "Алё?" "Кто это?"
human_two en "Hello?" "Hello?"
human_two en "Yes?" "Who is it?"
human_two en "Hello?" "Anyone there?"
human_two en "Hi." "Hello?"
human_two en "Hello?" "Can you hear me?"
human_two en "Yeah?" "Hello?"
human_two en "Hi." "Who's calling?"
human_two en "Hello?" "Yes?"

# ------------------------------------------------------------------ machines
# Voicemail and announcements start 0-1.2 s after the answer; one espeak call per greeting so its own
# sentence and comma pauses (varying with speed and word gap) separate the words.
j=0
machine() { # lang beep(yes|no) text
  j=$((j + 1)); begin
  rnd 0 1200; sil "$R"
  speech "$1" "$3"
  if [ "$2" = yes ]; then
    rnd 100 800; sil "$R"
    rnd 400 1500; local hz=$R; rnd 200 1000; local ms=$R; rnd 0 10
    beep "$hz" "$ms" "$R"
  fi
  mark
  rnd 1500 2500; sil "$R"
  next_level; next_noise
  finish "$(printf 'machine-%02d-%s%s' "$j" "$1" "$([ "$2" = yes ] && echo -beep || true)")" machine "$1" "$L" "$N"
}
machine ru no  "Здравствуйте! Вы позвонили в компанию Ромашка. К сожалению, сейчас никто не может ответить."
machine ru yes "Здравствуйте! Вы позвонили в компанию Ромашка. Оставьте, пожалуйста, сообщение после звукового сигнала."
machine ru yes "Привет, это Дима. Я сейчас не могу ответить. Оставь сообщение, и я перезвоню."
machine ru no  "Добрый день. Вы дозвонились до службы поддержки. Все операторы заняты, пожалуйста, оставайтесь на линии."
machine ru yes "Здравствуйте, абонент, которому вы звоните, не может ответить. Оставьте голосовое сообщение после сигнала."
machine ru yes "Вас приветствует автоответчик. Говорите после сигнала."
machine ru no  "Привет! Это Маша. Перезвоню позже."
machine ru no  "Абонент временно недоступен. Пожалуйста, перезвоните позднее."
machine ru no  "Аппарат абонента выключен или находится вне зоны действия сети."
machine ru no  "Номер, который вы набрали, не существует."
machine ru yes "Оставьте сообщение."
machine ru no  "Здравствуйте. Для продолжения на русском языке нажмите один."
machine ru yes "Здравствуйте, вы позвонили Ивану. Оставьте сообщение."
machine ru no  "Ваш звонок очень важен для нас. Пожалуйста, оставайтесь на линии."
machine en yes "Hi, you've reached Sarah. I can't take your call right now. Please leave a message after the tone."
machine en yes "The person you are calling is not available. Please leave your message after the beep."
machine en no  "Hello, you have reached the office of Doctor Brown. Our office hours are nine to five, Monday through Friday."
machine en yes "Thanks for calling. Please leave your name and number, and we'll get back to you."
machine en yes "Leave a message."
machine en yes "Hey, it's Mike. Leave a message."
machine en no  "The number you have dialed is not in service. Please check the number and try again."
machine en no  "Your call has been forwarded to an automatic voice message system."
machine en yes "You have reached voicemail. Record your message at the tone."
machine en no  "Welcome. Para español, oprima dos. For English, stay on the line."
machine en yes "Sorry I missed your call. Leave a message."
machine en no  "Please hold. Your call is important to us."

# Voicemail platforms that answer and only then start the greeting, 2.6-4 s later.
machine_late() { # lang text
  j=$((j + 1)); begin
  rnd 2600 4000; sil "$R"
  speech "$1" "$2"; mark
  rnd 1500 2500; sil "$R"
  next_level; next_noise
  finish "$(printf 'machine-%02d-%s-late' "$j" "$1")" machine "$1" "$L" "$N"
}
machine_late ru "Вы позвонили на голосовую почту. Оставьте сообщение."
machine_late en "Please leave a message."

# The hard case every energy detector misses: a greeting that opens like a person, then pauses.
j=$((j + 1)); begin
rnd 200 900; sil "$R"
speech ru "Алло?"
rnd 900 1500; sil "$R"
speech ru "Это автоответчик. Оставьте сообщение после сигнала."
rnd 100 500; sil "$R"
rnd 400 1500; hz=$R; rnd 200 1000; beep "$hz" "$R" 3
mark
rnd 1500 2500; sil "$R"
next_level; next_noise
finish "$(printf 'machine-%02d-ru-trick' "$j")" machine ru "$L" "$N"

echo "$(( i + j )) clips in $out ($(du -sh "$out" | cut -f1))"
