package io.leakscope.bundle;

import io.leakscope.findings.Series;
import io.leakscope.io.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeriesCsvTest {
    @TempDir
    Path tmp;

    @Test
    void aKilledWritersLastPartialLineIsDropped() throws IOException {
        Path f = tmp.resolve("s.csv");
        Files.writeString(f, SeriesCsv.MAGIC + "\ntime_ms,a|bytes|total|,b|count|total|\n1,10,20\n2,11,21\n3,1");
        List<Series> s = SeriesCsv.read(f, "x");
        assertArrayEquals(new double[] {10, 11}, s.get(0).values());
    }

    @Test
    void damageInTheMiddleIsAnError() throws IOException {
        Path f = tmp.resolve("s.csv");
        Files.writeString(f, SeriesCsv.MAGIC + "\ntime_ms,a|bytes|total|\n1,10\n2,xx\n3,12\n");
        InputException e = assertThrows(InputException.class, () -> SeriesCsv.read(f, "x"));
        assertTrue(e.getMessage().contains("line 4"), e.getMessage());
    }

    @Test
    void notASeriesFile() throws IOException {
        Path f = tmp.resolve("s.csv");
        Files.writeString(f, "a,b\n1,2\n");
        assertThrows(InputException.class, () -> SeriesCsv.read(f, "x"));
    }
}
