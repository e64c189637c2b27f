package io.leakscope.heap;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scan skips ahead where no value can start (a byte no value holds, {@link SecretScanner#MIN_TOKEN} - 1
 * characters on): it must find exactly what a look at every position finds, in bytes and in chars, on arrays of
 * zeros, binary noise and text with values planted in them, some cut short or run into neighbouring words.
 */
class SecretScannerTest {
    private static final String[] VALUES = {"sk-" + "a".repeat(20), "AKIA" + "B7".repeat(8), "ghp_" + "x".repeat(20),
            "github_pat_" + "0123456789".repeat(3), "xoxb-" + "1".repeat(10), "Bearer " + "t0k3n".repeat(5),
            "eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.SflKxwRJSMeKKF2QT4"};
    private static final String FILLER = " .-_eBsAgxoaz09\0\n:;/=+";

    @Test
    void skippingFindsWhatEveryPositionFinds() {
        Random rnd = new Random(15);
        int hits = 0;
        for (int iter = 0; iter < 20_000; iter++) {
            byte[] text = array(rnd);
            int step = rnd.nextBoolean() ? 1 : 2;
            byte[] b = step == 1 ? text : utf16(text, rnd);
            int off = rnd.nextInt(3);
            byte[] in = new byte[off + b.length + rnd.nextInt(3)];
            System.arraycopy(b, 0, in, off, b.length);
            SecretScanner skipping = new SecretScanner(true);
            SecretScanner every = new SecretScanner(true);
            skipping.scan(in, off, b.length, step, iter);
            every.scanEveryPosition(in, off, b.length, step, iter);
            SecretScanner.Hits got = skipping.done();
            SecretScanner.Hits want = every.done();
            String what = new String(text, StandardCharsets.ISO_8859_1) + " (step " + step + ")";
            assertTrue(Arrays.equals(want.kinds(), got.kinds()), what);
            assertEquals(want.values(), got.values(), what);
            assertEquals(want.maskedPrefixes(), got.maskedPrefixes(), what);
            hits += want.values().size();
        }
        assertTrue(hits > 5_000, "values found: " + hits); // the planted values are found, not only agreed on
    }

    /** Zeros, noise or text, 0 to 200 bytes, with up to three values planted (some cut or run together). */
    private static byte[] array(Random rnd) {
        byte[] b = new byte[rnd.nextInt(200)];
        int kind = rnd.nextInt(3);
        for (int i = 0; i < b.length; i++) {
            b[i] = switch (kind) {
                case 0 -> 0;
                case 1 -> (byte) rnd.nextInt(256);
                default -> (byte) FILLER.charAt(rnd.nextInt(FILLER.length()));
            };
        }
        for (int k = rnd.nextInt(4); k > 0 && b.length > 0; k--) {
            byte[] v = VALUES[rnd.nextInt(VALUES.length)].getBytes(StandardCharsets.US_ASCII);
            int at = rnd.nextInt(b.length);
            System.arraycopy(v, 0, b, at, Math.min(v.length, b.length - at));
        }
        return b;
    }

    /** Big-endian UTF-16, as a char[] is dumped; now and then a high byte that is not zero. */
    private static byte[] utf16(byte[] text, Random rnd) {
        byte[] b = new byte[2 * text.length];
        for (int i = 0; i < text.length; i++) {
            b[2 * i] = rnd.nextInt(20) == 0 ? (byte) 1 : 0;
            b[2 * i + 1] = text[i];
        }
        return b;
    }
}
