package dev.handoff.checker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Spec;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code handoff man}: the manual page, generated from the command-line model itself (every
 * command, option, default and exit code as --help shows them), in man(7) roff.
 */
@Command(name = "man", mixinStandardHelpOptions = true,
        header = "Prints the manual page (roff), generated from the command line itself.",
        description = {"Prints handoff(1) in man(7) format: every command with its options and exit codes. Install it with"
                + " './handoff man > ~/.local/share/man/man1/handoff.1' or read it with './handoff man | man -l -'."})
final class ManCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandSpec root = spec.root();
        spec.commandLine().getOut().print(page(root, VersionProvider.version()));
        spec.commandLine().getOut().flush();
        return ExitCode.HOLDS;
    }

    static String page(CommandSpec root, String version) {
        StringBuilder sb = new StringBuilder();
        sb.append(".TH HANDOFF 1 \"\" \"handoff ").append(esc(version)).append("\" \"User Commands\"\n");
        sb.append(".SH NAME\nhandoff \\- ").append(esc(lower(root.usageMessage().description()[0]))).append('\n');
        sb.append(".SH SYNOPSIS\n.B handoff\n[\\fIOPTIONS\\fR] [\\fICOMMAND\\fR] [\\fIARGS\\fR]\n");
        sb.append(".SH DESCRIPTION\n");
        for (String line : root.usageMessage().description()) {
            sb.append(esc(line)).append("\n.PP\n");
        }
        sb.append(".SH GLOBAL OPTIONS\n");
        options(sb, root);
        sb.append(".SH COMMANDS\n");
        for (Map.Entry<String, CommandLine> e : root.subcommands().entrySet()) {
            CommandSpec c = e.getValue().getCommandSpec();
            if (c.usageMessage().hidden() || e.getKey().equals("help")) {
                continue;
            }
            sb.append(".SS ").append(esc(e.getKey())).append('\n');
            String[] header = c.usageMessage().header();
            if (header.length > 0) {
                sb.append(esc(header[0])).append("\n.PP\n");
            }
            sb.append(".B handoff ").append(esc(e.getKey())).append('\n');
            for (PositionalParamSpec p : c.positionalParameters()) {
                sb.append("[\\fI").append(esc(p.paramLabel())).append("\\fR]\n");
            }
            sb.append("[\\fIOPTIONS\\fR]\n.PP\n");
            for (String line : c.usageMessage().description()) {
                sb.append(esc(line)).append("\n.PP\n");
            }
            for (PositionalParamSpec p : c.positionalParameters()) {
                sb.append(".TP\n.I ").append(esc(p.paramLabel())).append('\n').append(esc(String.join(" ", p.description())))
                        .append('\n');
            }
            options(sb, c);
            if (c.usageMessage().exitCodeList().size() > 0) {
                sb.append(".PP\nExit codes:\n");
                c.usageMessage().exitCodeList().forEach((k, v) -> sb.append(".TP\n.B ").append(esc(k.trim())).append('\n')
                        .append(esc(v)).append('\n'));
            }
        }
        sb.append(".SH EXIT STATUS\n");
        root.usageMessage().exitCodeList().forEach((k, v) -> sb.append(".TP\n.B ").append(esc(k.trim())).append('\n')
                .append(esc(v)).append('\n'));
        sb.append(".SH ENVIRONMENT\n.TP\n.B HANDOFF_JAVA_OPTS\nExtra JVM options for the ./handoff launcher, e.g. \\-Xmx16g.\n");
        sb.append(".SH SEE ALSO\nThe README in the source tree; \\fBhandoff schema\\fR for the JSON formats;"
                + " \\fBhandoff generate\\-completion\\fR for bash and zsh completion.\n");
        return sb.toString();
    }

    private static void options(StringBuilder sb, CommandSpec c) {
        for (OptionSpec o : c.options()) {
            if (o.hidden() || (c.parent() != null && o.inherited())) {
                continue;
            }
            sb.append(".TP\n.B ").append(esc(String.join(", ", o.names())));
            if (o.typeInfo().isBoolean()) {
                sb.append('\n');
            } else {
                sb.append(" \\fI").append(esc(o.paramLabel())).append("\\fR\n");
            }
            String text = String.join(" ", o.description());
            String def = o.defaultValue();
            text = text.replace("${DEFAULT-VALUE}", def == null ? "" : def)
                    .replace("${COMPLETION-CANDIDATES}", "")
                    // values of this machine (core count, heap) have no place in a manual
                    .replaceAll("all [0-9]+ cores", "all cores").replaceAll(", now [0-9]+m\\)", ")");
            sb.append(esc(text)).append('\n');
        }
    }

    private static String lower(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }

    /** Escapes text for roff: backslashes, hyphens, and a leading dot or quote. */
    static String esc(String s) {
        String t = s.replace("\\", "\\e").replace("-", "\\-");
        if (t.startsWith(".") || t.startsWith("'")) {
            t = "\\&" + t;
        }
        return t.replace("\n", "\n.br\n");
    }
}
