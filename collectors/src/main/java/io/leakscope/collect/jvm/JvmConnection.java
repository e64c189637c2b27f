package io.leakscope.collect.jvm;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.leakscope.io.InputException;

import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * One attach session to a HotSpot JVM: the Attach API for system properties and agent loading, and the
 * target's DiagnosticCommand MBean (over the local management agent) for what jcmd would do. A jcmd process
 * is started only for a JDK 21+ target's heap dumps, which only the attach listener can ask to be written on
 * several threads ({@link #dumpHeap}). Closing detaches and closes the JMX connection; the local management
 * agent the JDK started in the target stays (the JDK offers no way to stop it) but holds nothing of ours.
 */
public final class JvmConnection implements Closeable {
    private static final String[] STRING_ARRAY_SIGNATURE = {String[].class.getName()};

    private final long pid;
    private final VirtualMachine vm;
    private final Properties systemProperties;
    private JMXConnector jmx;
    private MBeanServerConnection mbeans;
    private final ObjectName diagnosticCommand;

    private JvmConnection(long pid, VirtualMachine vm, Properties props) {
        this.pid = pid;
        this.vm = vm;
        this.systemProperties = props;
        try {
            this.diagnosticCommand = new ObjectName("com.sun.management:type=DiagnosticCommand");
        } catch (MalformedObjectNameException e) {
            throw new AssertionError(e);
        }
    }

    /** True when the process has a JVM mapped (libjvm.so), whatever its attach settings. */
    public static boolean isJvm(Path proc, long pid) {
        try (var lines = Files.lines(proc.resolve(Long.toString(pid)).resolve("maps"))) {
            return lines.anyMatch(l -> l.endsWith("/libjvm.so"));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /** The path of a library mapped into the process whose file name contains {@code name}, or null. */
    public static String mappedLibrary(Path proc, long pid, String name) throws IOException {
        try (var lines = Files.lines(proc.resolve(Long.toString(pid)).resolve("maps"))) {
            return lines.map(l -> l.indexOf('/') < 0 ? "" : l.substring(l.indexOf('/')))
                    .filter(p -> p.substring(p.lastIndexOf('/') + 1).contains(name))
                    .findFirst().orElse(null);
        }
    }

    /**
     * Attaches to the JVM and opens the JMX connection.
     *
     * @throws InputException one line naming the PID when the JVM refuses to be attached
     */
    public static JvmConnection open(long pid) {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException e) {
            throw new InputException("PID " + pid + ": JVM not attachable (" + why(e)
                    + "; was it started with -XX:+DisableAttachMechanism, or by another user?)");
        } catch (IOException | RuntimeException e) {
            throw new InputException("PID " + pid + ": could not attach to the JVM (" + why(e) + ")");
        }
        JvmConnection c = null;
        try {
            c = new JvmConnection(pid, vm, vm.getSystemProperties());
            String address = vm.startLocalManagementAgent();
            c.jmx = JMXConnectorFactory.connect(new JMXServiceURL(address));
            c.mbeans = c.jmx.getMBeanServerConnection();
            return c;
        } catch (IOException | RuntimeException e) {
            if (c != null) {
                c.close();
            } else {
                try {
                    vm.detach();
                } catch (IOException ignored) {
                    // we are failing anyway
                }
            }
            throw new InputException("PID " + pid + ": attached, but the JVM's management agent is not reachable ("
                    + why(e) + ")");
        }
    }

    private static String why(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    public long pid() {
        return pid;
    }

    public Properties systemProperties() {
        return systemProperties;
    }

    /** The Java feature version of the target (17, 25, ...); 0 when unknown. */
    public int featureVersion() {
        String v = systemProperties.getProperty("java.specification.version", "0");
        try {
            return v.startsWith("1.") ? Integer.parseInt(v.substring(2)) : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Runs a diagnostic command, e.g. {@code dcmd("vmNativeMemory", "summary")}, and returns its text.
     *
     * @param operation the DiagnosticCommand MBean's operation name (jfrStart, gcClassHistogram, ...)
     */
    public String dcmd(String operation, String... args) throws IOException {
        try {
            Object r = mbeans.invoke(diagnosticCommand, operation, new Object[]{args}, STRING_ARRAY_SIGNATURE);
            return r == null ? "" : r.toString();
        } catch (IOException e) {
            throw e;
        } catch (javax.management.MBeanException | javax.management.ReflectionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException(operation + " failed in PID " + pid + ": " + why(cause), e);
        } catch (javax.management.JMException | RuntimeException e) {
            throw new IOException(operation + " failed in PID " + pid + ": " + why(e), e);
        }
    }

    /**
     * Writes a heap dump of live objects (a full GC first); the target writes the file, which must end in .hprof.
     * Returns how: "on up to N threads", "on one thread", or "on one thread (jcmd: WHY)" when jcmd failed.
     * <p>
     * A JDK 21+ target writes it on several threads when asked (GC.heap_dump -parallel=N; HotSpot takes at most
     * its collector's active workers), which shortens the stop: a 1.2 GB dump of a JDK 25 target on this 2-core
     * machine stopped it 1.2-1.5 s on two threads against 1.9-4.0 s on one. Only the attach listener takes
     * that command (the DiagnosticCommand MBean does not offer GC.heap_dump, and the HotSpotDiagnostic MBean
     * dumps on one thread), so it goes through this JDK's jcmd, which attaches as this process did. Older
     * targets, a JDK without jcmd, or a jcmd that fails get the HotSpotDiagnostic MBean's dump.
     */
    public String dumpHeap(Path file) throws IOException {
        int threads = featureVersion() >= 21 ? availableProcessors() : 1;
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        String failed = "";
        if (threads > 1 && Files.isExecutable(jcmd)) {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.heap_dump", "-parallel=" + threads,
                    file.toString()).redirectErrorStream(true).start();
            String said;
            try (var in = p.getInputStream()) {
                said = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while PID " + pid + " wrote its heap dump");
            }
            if (p.exitValue() == 0 && said.contains("Heap dump file created") && Files.isRegularFile(file)) {
                return "on up to " + threads + " threads";
            }
            Files.deleteIfExists(file); // then the one-thread dump below
            failed = " (jcmd: " + said.lines().filter(l -> !l.isBlank() && !l.startsWith(pid + ":")).findFirst()
                    .orElse("exit " + p.exitValue()) + ")";
        }
        dumpHeapThroughMBean(file);
        return "on one thread" + failed;
    }

    /** The target's processor count as its JVM sees it (its cgroup's CPU limit included); 1 when unknown. */
    private int availableProcessors() {
        try {
            Object n = mbeans.getAttribute(new ObjectName("java.lang:type=OperatingSystem"), "AvailableProcessors");
            return n instanceof Integer i ? Math.max(1, i) : 1;
        } catch (IOException | javax.management.JMException | RuntimeException e) {
            return 1;
        }
    }

    /**
     * Writes a heap dump of live objects through the HotSpotDiagnostic MBean, on one thread: GC.heap_dump is not
     * offered by the DiagnosticCommand MBean.
     */
    private void dumpHeapThroughMBean(Path file) throws IOException {
        try {
            mbeans.invoke(new ObjectName("com.sun.management:type=HotSpotDiagnostic"), "dumpHeap",
                    new Object[]{file.toString(), true}, new String[]{String.class.getName(), boolean.class.getName()});
        } catch (IOException e) {
            throw e;
        } catch (javax.management.JMException | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException("heap dump failed in PID " + pid + ": " + why(cause), e);
        }
    }

    /** The target's non-default flags (VM.flags), one per element, e.g. {@code -XX:MaxHeapSize=268435456}. */
    public List<String> flags() throws IOException {
        List<String> out = new ArrayList<>();
        for (String f : dcmd("vmFlags").trim().split("\\s+")) {
            if (!f.isEmpty()) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * Loads a native agent (async-profiler) into the target or sends a command to one already loaded.
     *
     * @return the agent's return value (0 on success)
     */
    public int loadAgentPath(String library, String options) throws IOException {
        try {
            vm.loadAgentPath(library, options);
            return 0;
        } catch (AgentInitializationException e) {
            return e.returnValue();
        } catch (AgentLoadException e) {
            // a JDK 8 target answers with the agent's return code alone, which this JDK's client does not expect
            String m = e.getMessage() == null ? "" : e.getMessage().strip();
            if (m.matches("-?\\d{1,9}")) {
                return Integer.parseInt(m);
            }
            throw new IOException("PID " + pid + ": could not load " + library + ": " + why(e), e);
        }
    }

    @Override
    public void close() {
        try {
            if (jmx != null) {
                jmx.close();
            }
        } catch (IOException ignored) {
            // the target may be gone
        }
        try {
            vm.detach();
        } catch (IOException ignored) {
            // the target may be gone
        }
    }
}
