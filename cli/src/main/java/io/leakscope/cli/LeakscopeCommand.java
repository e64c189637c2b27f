package io.leakscope.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

@Command(name = "leakscope", mixinStandardHelpOptions = true, versionProvider = LeakscopeCommand.Version.class,
        description = "Finds out why a long-running process keeps growing in memory.",
        subcommands = {AttachCommand.class, AnalyzeCommand.class, DiffCommand.class, ReportCommand.class,
                GateCommand.class, DemoCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 success / no regression, 1 leak or regression found (gate),",
                "2 usage or input error, 3 inconclusive (not enough data to decide)."})
public final class LeakscopeCommand implements Runnable {
    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Show stack traces and progress details.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static boolean verbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    public static String version() {
        Properties p = new Properties();
        try (InputStream in = LeakscopeCommand.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown"
        }
        return p.getProperty("version", "unknown");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"leakscope " + version(),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.vendor") + ")"};
        }
    }
}
