package io.voiceagent.rtp;

/**
 * Counts durations in 10 µs buckets up to 200 ms (longer ones land in the last bucket, the maximum is kept
 * exactly). One writer thread; readers get an approximate, never torn, view.
 */
final class MicrosHistogram {
  private static final int BUCKET_NANOS = 10_000;
  private static final int BUCKETS = 20_000;

  private final long[] counts = new long[BUCKETS];
  private volatile long total;
  private volatile long maxNanos;

  void record(long nanos) {
    if (nanos < 0) nanos = -nanos;
    long b = nanos / BUCKET_NANOS;
    counts[b >= BUCKETS ? BUCKETS - 1 : (int) b]++;
    total = total + 1;
    if (nanos > maxNanos) maxNanos = nanos;
  }

  /** Writer thread only. */
  void reset() {
    java.util.Arrays.fill(counts, 0);
    total = 0;
    maxNanos = 0;
  }

  long count() {
    return total;
  }

  long maxMicros() {
    return maxNanos / 1000;
  }

  /** Upper edge of the bucket holding the {@code fraction} quantile, in µs (0 when empty). */
  long percentileMicros(double fraction) {
    long n = total;
    if (n == 0) return 0;
    long rank = (long) Math.ceil(fraction * n);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) return Math.min((long) (i + 1) * BUCKET_NANOS / 1000, maxMicros());
    }
    return maxMicros();
  }
}
