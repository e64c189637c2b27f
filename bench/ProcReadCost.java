import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What one sample of the process collector costs: reading /proc/PID/status, smaps_rollup and the full smaps
 * of a target, in-process as leakscope does (no fork). Run by bench/proc-read-cost.sh.
 *
 *   java bench/ProcReadCost.java PID [ROUNDS]
 */
public class ProcReadCost {
    public static void main(String[] args) throws Exception {
        String pid = args[0];
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        long maps = Files.readAllLines(Path.of("/proc", pid, "maps")).size();
        System.out.printf("PID %s: %d mappings%n", pid, maps);
        for (String f : new String[] {"status", "smaps_rollup", "smaps"}) {
            Path p = Path.of("/proc", pid, f);
            for (int i = 0; i < 50; i++) {
                Files.readString(p, StandardCharsets.ISO_8859_1); // warm-up
            }
            long[] t = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                long s = System.nanoTime();
                Files.readString(p, StandardCharsets.ISO_8859_1);
                t[i] = System.nanoTime() - s;
            }
            java.util.Arrays.sort(t);
            System.out.printf("  %-13s median %7.1f us, p90 %7.1f us%n", f, t[rounds / 2] / 1e3, t[rounds * 9 / 10] / 1e3);
        }
    }
}
