package io.leakscope.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8NamesTest {
    /** Names as HPROF's UTF8 records give them: many (past every initial size), one id given twice, non-ASCII. */
    @Test
    void keepsEveryNameAsItsBytesAndMakesTheStringWhenAsked() {
        Utf8Names names = new Utf8Names();
        byte[] record = new byte[64];
        for (long id = 1; id <= 100_000; id++) {
            byte[] name = ("java/lang/Name" + id).getBytes(StandardCharsets.UTF_8);
            System.arraycopy(name, 0, record, 3, name.length); // at an offset in a bigger buffer, as in the reader's
            assertTrue(names.add(id * 8, record, 3, name.length));
        }
        byte[] again = "größe€".getBytes(StandardCharsets.UTF_8);
        names.add(8 * 500, again, 0, again.length);
        assertEquals("java/lang/Name1", names.get(8));
        assertEquals("java/lang/Name99999", names.get(8 * 99_999));
        assertEquals("größe€", names.get(8 * 500)); // the later record wins, as it did in a map
        assertEquals("java/lang/Name100000", names.get(8 * 100_000));
        assertNull(names.get(12345)); // no such id
        assertEquals("", emptyName());
    }

    private static String emptyName() {
        Utf8Names names = new Utf8Names();
        names.add(7, new byte[0], 0, 0);
        return names.get(7);
    }
}
