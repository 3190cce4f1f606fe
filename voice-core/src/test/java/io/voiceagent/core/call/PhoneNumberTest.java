package io.voiceagent.core.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PhoneNumberTest {
  @Test void givenE164_whenParsed_thenStoredWithoutPlus() {
    assertEquals("79123456789", PhoneNumber.parse("+79123456789").digits());
    assertEquals("79123456789", PhoneNumber.parse("79123456789").digits());
    assertEquals("1234567890", PhoneNumber.parse("1234567890").digits());
    assertEquals("123456789012345", PhoneNumber.parse("+123456789012345").digits());
  }

  @Test void givenBadNumbers_whenParsed_thenClearError() {
    for (String bad : new String[] {"", "+", "123456789", "1234567890123456", "+7 912 345 67 89", "79123x56789",
        "++79123456789", "７９１２３４５６７８９", "7912345678\n9"}) {
      InvalidCallRequestException e = assertThrows(InvalidCallRequestException.class, () -> PhoneNumber.parse(bad), bad);
      assertEquals("phone_number", e.field());
      assertFalse(e.getMessage().contains("\n"), "no control characters echoed");
    }
    assertTrue(assertThrows(InvalidCallRequestException.class, () -> PhoneNumber.parse(null)).getMessage()
        .contains("required"));
  }
}
