package io.voiceagent.core.vad;

import java.util.Objects;

/**
 * Energy-based voice activity detector with an adaptive noise floor, one frame at a time.
 *
 * <p>Per frame: the mean magnitude of the raw samples (app_amd's measure), then energy and zero-crossing rate after
 * a 150 Hz high-pass (hum and rumble carry no speech on a phone line). A frame is <em>active</em> when its mean
 * magnitude reaches {@link VadConfig#silenceThreshold()}, its energy is {@link VadConfig#marginDb()} above the noise
 * floor, and it is not a noise-like burst (zero-crossing rate above 0.45 with energy less than 6 dB beyond the
 * margin). Speech starts after {@link VadConfig#onsetMillis()} of consecutive active frames and ends after
 * {@link VadConfig#hangoverMillis()} of consecutive inactive ones.
 *
 * <p>The noise floor follows the quietest recent frame at once, creeps up 1 dB/s, and jumps to a new level when the
 * last 600 ms were steady within 5 dB (a noise source came on: speech is never that steady for that long).
 *
 * <p>Not thread-safe; allocation-free after construction; under a microsecond per 20 ms frame.
 */
public final class Vad {
  private static final double FULL_SCALE_SQ = 32768.0 * 32768.0;
  private static final double SILENT_DB = -100;
  private static final double RISE_DB_PER_SECOND = 1.0;
  private static final int STEADY_WINDOW_MILLIS = 600;
  private static final double STEADY_DB = 5.0;
  private static final double NOISY_ZCR = 0.45;
  private static final double NOISY_EXTRA_DB = 6.0;

  private final VadConfig config;
  private final int frame;
  private final float hpCoef;
  private final double risePerFrame;
  private final double initialFloorDb;
  private final int onsetFrames;
  private final int hangoverFrames;
  private final double[] recent; // energies of the last STEADY_WINDOW_MILLIS, a ring

  private float hpX;  // last input sample
  private float hpY;  // last high-pass output
  private double floorDb;
  private int recentCount;
  private int recentHead;
  private boolean speech;
  private int activeRun;
  private int inactiveRun;
  private int speechFrames;
  private long frames;
  private boolean lastActive;
  private int lastMagnitude;
  private double lastEnergyDb;
  private double lastZcr;

  public Vad(VadConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.frame = config.frameSamples();
    this.hpCoef = (float) Math.exp(-2 * Math.PI * 150.0 / config.sampleRateHz());
    this.risePerFrame = RISE_DB_PER_SECOND * config.frameMillis() / 1000.0;
    // a gaussian signal whose mean magnitude equals the threshold: the floor before anything is known
    double rms = Math.max(1, config.silenceThreshold()) * Math.sqrt(Math.PI / 2);
    this.initialFloorDb = 10 * Math.log10(rms * rms / FULL_SCALE_SQ);
    this.onsetFrames = Math.max(1, (config.onsetMillis() + config.frameMillis() - 1) / config.frameMillis());
    this.hangoverFrames = Math.max(1, (config.hangoverMillis() + config.frameMillis() - 1) / config.frameMillis());
    this.recent = new double[STEADY_WINDOW_MILLIS / config.frameMillis()];
    reset();
  }

  public VadConfig config() {
    return config;
  }

  /**
   * Classifies one frame: {@link VadConfig#frameSamples()} samples of {@code pcm} from {@code offset}.
   *
   * @return whether speech is on after this frame (with onset and hangover applied)
   */
  public boolean process(short[] pcm, int offset) {
    Objects.checkFromIndexSize(offset, frame, pcm.length);
    long magnitude = 0;
    double energy = 0;
    int crossings = 0;
    float x1 = hpX;
    float y1 = hpY;
    for (int i = 0; i < frame; i++) {
      int s = pcm[offset + i];
      magnitude += Math.abs(s);
      float y = hpCoef * (y1 + s - x1); // first-order high-pass
      energy += (double) y * y;
      if ((y >= 0) != (y1 >= 0)) crossings++;
      x1 = s;
      y1 = y;
    }
    hpX = x1;
    hpY = y1;
    frames++;
    lastMagnitude = (int) (magnitude / frame);
    lastEnergyDb = energy <= 0 ? SILENT_DB : Math.max(SILENT_DB, 10 * Math.log10(energy / frame / FULL_SCALE_SQ));
    lastZcr = (double) crossings / frame;

    boolean aboveFloor = lastEnergyDb >= floorDb + config.marginDb();
    boolean noiseLike = lastZcr > NOISY_ZCR && lastEnergyDb < floorDb + config.marginDb() + NOISY_EXTRA_DB;
    lastActive = lastMagnitude >= config.silenceThreshold() && aboveFloor && !noiseLike;
    trackFloor(lastEnergyDb);

    if (lastActive) {
      activeRun++;
      inactiveRun = 0;
      if (!speech && activeRun >= onsetFrames) {
        speech = true;
        speechFrames = activeRun - 1; // speech began with the first frame of the run
      }
    } else {
      inactiveRun++;
      activeRun = 0;
      if (speech && inactiveRun >= hangoverFrames) speech = false;
    }
    if (speech) speechFrames++;
    else speechFrames = 0;
    return speech;
  }

  private void trackFloor(double energyDb) {
    recent[recentHead] = energyDb;
    recentHead = (recentHead + 1) % recent.length;
    if (recentCount < recent.length) recentCount++;
    if (energyDb < floorDb) {
      floorDb = energyDb;
    } else {
      floorDb += risePerFrame;
    }
    if (recentCount == recent.length) {
      double min = Double.MAX_VALUE;
      double max = -Double.MAX_VALUE;
      for (double e : recent) {
        min = Math.min(min, e);
        max = Math.max(max, e);
      }
      if (max - min < STEADY_DB && min > floorDb) floorDb = min;
    }
  }

  /** Whether speech is on (after the last frame, onset and hangover applied). */
  public boolean isSpeech() {
    return speech;
  }

  /** The last frame's own decision, before onset and hangover. */
  public boolean lastFrameActive() {
    return lastActive;
  }

  /** Whether the last frame's mean magnitude reached the silence threshold: app_amd's plain speech/silence call. */
  public boolean lastFrameAboveThreshold() {
    return lastMagnitude >= config.silenceThreshold();
  }

  /** Mean |sample| of the last frame, 16-bit scale. */
  public int lastAverageMagnitude() {
    return lastMagnitude;
  }

  /** Energy of the last frame after the high-pass, dBFS. */
  public double lastEnergyDb() {
    return lastEnergyDb;
  }

  /** Zero crossings per sample of the last frame, after the high-pass. */
  public double lastZeroCrossingRate() {
    return lastZcr;
  }

  /** The tracked noise floor, dBFS. */
  public double noiseFloorDb() {
    return floorDb;
  }

  /** How long the current speech has lasted, from its first active frame; 0 when not speaking. */
  public int speechMillis() {
    return speechFrames * config.frameMillis();
  }

  /** How long since the last active frame: the trailing silence, counted even while the hangover holds speech. */
  public int silenceMillis() {
    return inactiveRun * config.frameMillis();
  }

  /** Frames processed since construction or {@link #reset()}. */
  public long frames() {
    return frames;
  }

  /** Back to the initial state: no speech, the initial noise floor, empty high-pass. */
  public void reset() {
    hpX = 0;
    hpY = 0;
    floorDb = initialFloorDb;
    recentCount = 0;
    recentHead = 0;
    speech = false;
    activeRun = 0;
    inactiveRun = 0;
    speechFrames = 0;
    frames = 0;
    lastActive = false;
    lastMagnitude = 0;
    lastEnergyDb = SILENT_DB;
    lastZcr = 0;
  }

  @Override public String toString() {
    return "Vad[" + (speech ? "speech" : "silence") + ", floor " + Math.round(floorDb) + " dBFS, " + config + "]";
  }
}
