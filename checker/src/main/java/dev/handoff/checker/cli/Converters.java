package dev.handoff.checker.cli;

import picocli.CommandLine;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Typed option converters with messages that say what is allowed. */
final class Converters {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");
    /** The longest time limit: a year (the engine counts in nanoseconds from now, 292 years at most). */
    static final Duration LONGEST = Duration.ofDays(365);
    private static final Pattern SIZE = Pattern.compile("(\\d+)([kmgt]?)(i?b)?");

    private Converters() {
    }

    /** {@code 90}, {@code 90s}, {@code 500ms}, {@code 5m}, {@code 2h}; a bare number is seconds. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new CommandLine.TypeConversionException("'" + value
                        + "' is not a duration (allowed: a whole number of seconds, or one with unit ms, s, m or h, e.g. 90s or 5m)");
            }
            long n = number(value, m.group(1));
            Duration d = switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
            if (d.isZero()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a positive duration");
            }
            if (d.compareTo(LONGEST) > 0) {
                throw new CommandLine.TypeConversionException("'" + value + "' is too long (at most 8760h, a year)");
            }
            return d;
        }
    }

    /** The digits of {@code value} as a long, or the message a user sees when there are too many. */
    private static long number(String value, String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is too large");
        }
    }

    /** {@code 512m}, {@code 4g}, {@code 1048576}; units are binary (k = 1024). */
    static final class SizeConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new CommandLine.TypeConversionException("'" + value
                        + "' is not a size (allowed: a whole number of bytes with unit k, m, g or t, e.g. 512m or 4g)");
            }
            int shift = switch (m.group(2)) {
                case "k" -> 10;
                case "m" -> 20;
                case "g" -> 30;
                case "t" -> 40;
                default -> 0;
            };
            long n = number(value, m.group(1));
            if (n > Long.MAX_VALUE >> shift) {
                throw new CommandLine.TypeConversionException("'" + value + "' is too large");
            }
            return n << shift;
        }
    }
}
