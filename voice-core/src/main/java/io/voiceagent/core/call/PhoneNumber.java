package io.voiceagent.core.call;

import java.util.Objects;

/**
 * An E.164 number as SPEC accepts it: digits with an optional leading {@code +}, 10 to 15 digits; stored
 * without the {@code +}.
 */
public record PhoneNumber(String digits) {
  public PhoneNumber {
    Objects.requireNonNull(digits, "digits");
    if (!isValidDigits(digits)) {
      throw new InvalidCallRequestException("phone_number", "phone_number must be 10-15 digits");
    }
  }

  /** Parses what a user typed: {@code +79123456789} or {@code 79123456789}; nothing else is accepted. */
  public static PhoneNumber parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new InvalidCallRequestException("phone_number", "phone_number is required");
    }
    String digits = text.startsWith("+") ? text.substring(1) : text;
    if (!isValidDigits(digits)) {
      throw new InvalidCallRequestException("phone_number",
          "phone_number '" + printable(text) + "' is not valid: expected 10-15 digits with an optional leading +");
    }
    return new PhoneNumber(digits);
  }

  private static boolean isValidDigits(String s) {
    if (s.length() < 10 || s.length() > 15) return false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return false;
    }
    return true;
  }

  private static String printable(String s) {
    String cut = s.length() > 40 ? s.substring(0, 40) + "…" : s;
    StringBuilder b = new StringBuilder(cut.length());
    for (int i = 0; i < cut.length(); i++) {
      char c = cut.charAt(i);
      b.append(Character.isISOControl(c) ? '?' : c);
    }
    return b.toString();
  }

  @Override public String toString() {
    return digits;
  }
}
