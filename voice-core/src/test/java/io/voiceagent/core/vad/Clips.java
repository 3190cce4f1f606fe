package io.voiceagent.core.vad;

import io.voiceagent.core.audio.G711;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The committed test clips (scripts/make-test-audio.sh): 8 kHz µ-law or PCM WAV files and their ground truth. */
final class Clips {
  record Clip(String name, short[] pcm, int speechStartMs, int speechEndMs) {
    boolean hasSpeech() {
      return speechEndMs > speechStartMs;
    }
  }

  private Clips() {}

  static Map<String, Clip> all() throws IOException {
    Map<String, Clip> clips = new LinkedHashMap<>();
    for (String line : new String(read("clips.txt"), StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      String[] f = line.trim().split("\\s+");
      clips.put(f[0], new Clip(f[0], wav(read(f[0] + ".wav")), Integer.parseInt(f[1]), Integer.parseInt(f[2])));
    }
    return clips;
  }

  static byte[] read(String name) throws IOException {
    try (InputStream in = Clips.class.getResourceAsStream("/audio/" + name)) {
      if (in == null) throw new IOException("missing test resource /audio/" + name);
      return in.readAllBytes();
    }
  }

  /** Decodes a mono 8 kHz WAV: 16-bit PCM (format 1) or µ-law (format 7). */
  static short[] wav(byte[] file) {
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    if (b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) throw new IllegalArgumentException("not RIFF/WAVE");
    int pos = 12;
    int format = -1;
    int bits = 0;
    while (pos + 8 <= file.length) {
      int id = b.getInt(pos);
      int size = b.getInt(pos + 4);
      if (id == 0x20746d66) { // "fmt "
        format = b.getShort(pos + 8);
        if (b.getShort(pos + 10) != 1 || b.getInt(pos + 12) != 8000) throw new IllegalArgumentException("not 8 kHz mono");
        bits = b.getShort(pos + 22);
      } else if (id == 0x61746164) { // "data"
        if (format == 7 && bits == 8) {
          short[] pcm = new short[size];
          G711.decode(G711.Law.ULAW, file, pos + 8, pcm, 0, size);
          return pcm;
        }
        if (format == 1 && bits == 16) {
          short[] pcm = new short[size / 2];
          for (int i = 0; i < pcm.length; i++) pcm[i] = b.getShort(pos + 8 + 2 * i);
          return pcm;
        }
        throw new IllegalArgumentException("WAV format " + format + " with " + bits + " bits");
      }
      pos += 8 + size + (size & 1);
    }
    throw new IllegalArgumentException("no data chunk");
  }
}
