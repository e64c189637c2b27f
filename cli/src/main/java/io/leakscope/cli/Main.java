package io.leakscope.cli;

import io.leakscope.io.InputException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;

/**
 * Entry point. Maps every failure to one line on stderr and an exit code: 2 for what the user gave us
 * (bad file, gone PID, full disk) and for our own bugs; the stack trace only with --verbose.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new LeakscopeCommand());
        cl.setExecutionExceptionHandler(Main::handle);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean verbose = LeakscopeCommand.verbose(parsed);
        err.println("leakscope: " + message(e));
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCode.INPUT_ERROR;
    }

    static String message(Throwable e) {
        Throwable t = e;
        while ((t instanceof UncheckedIOException || t.getClass() == RuntimeException.class) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof InputException) {
            return t.getMessage();
        }
        if (t instanceof FileSystemException fse) {
            String reason = fse.getReason() != null ? fse.getReason() : t.getClass().getSimpleName();
            return (fse.getFile() != null ? fse.getFile() + ": " : "") + reason;
        }
        if (t instanceof IOException) {
            return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
        }
        return "internal error: " + t + " (run with --verbose for the stack trace)";
    }
}
