#!/usr/bin/env python3
"""Designs the fixed FIR filters of io.voiceagent.core.audio.Resampler (run once; output pasted into
FilterCoefficients.java). Needs numpy + scipy.

  python3 scripts/design-filters.py

Specs (media.md section 6): passband 0-3400 Hz, stopband from 4600 Hz, >= 80 dB, ripple <= 0.01 dB, group
delay <= 2 ms. Half-band for 8<->16 kHz; weighted Parks-McClellan (stopband weighted 10x, so the ripple budget is
spent in the passband where 0.01 dB is loose) for the integer 8<->24 and 8<->48 kHz stages. The fractional
48 <-> 22.05/44.1 kHz stage is a Kaiser window designed at run time (FirDesign.java).
"""
import numpy as np
from scipy import signal

def report(name, h, fs, gain=1.0):
    w, H = signal.freqz(h / gain, worN=1 << 16, fs=fs)
    pb = np.abs(H[w <= 3400])
    sb = np.abs(H[w >= 4600])
    ripple_db = 20 * np.log10(pb.max() / pb.min())
    stop_db = -20 * np.log10(sb.max())
    delay_ms = (len(h) - 1) / 2 / fs * 1000
    print(f"// {name}: {len(h)} taps at {fs} Hz, stopband {stop_db:.1f} dB, passband ripple {ripple_db:.4f} dB,"
          f" group delay {delay_ms:.3f} ms")
    return stop_db, ripple_db, delay_ms

def java(name, h):
    body = ", ".join(f"{v:.10e}f" for v in h)
    print(f"static final float[] {name} = {{{body}}};")

# half-band, 63 taps at 16 kHz: equal weights give an exact half-band up to rounding; force the structure
hb = signal.remez(63, [0, 3400, 4600, 8000], [1, 0], fs=16000, maxiter=200)
c = len(hb) // 2
for k in range(len(hb)):
    d = k - c
    if d != 0 and d % 2 == 0:
        hb[k] = 0.0
hb[c] = 0.5
report("HALF_BAND", hb, 16000)
java("HALF_BAND", hb)

# lengths and weights: the longest filter whose delay, plus the 0.08 ms of the fractional 48 <-> 22.05/44.1 kHz
# stage after the x6 one, stays under 2 ms; the weights trade passband ripple (budget 0.01 dB, round trip) for stopband
for L, taps, wt in ((3, 87, 6), (6, 181, 4)):
    fs = 8000 * L
    h = signal.remez(taps, [0, 3400, 4600, fs / 2], [1, 0], weight=[1, wt], fs=fs, maxiter=500)
    report(f"UP_DOWN_{L}", h, fs)
    java(f"X{L}", h)
