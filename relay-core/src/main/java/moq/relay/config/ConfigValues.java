package moq.relay.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one parser of the relay's properties: every setting of {@link RelayConfiguration} is read through it, so every
 * setting of a kind takes the same syntax.
 * <ul>
 * <li>count: a whole number, {@code _} may separate digits ({@code 10_000}); no suffix (a count is not a size);</li>
 * <li>size: bytes, optionally with a binary suffix {@code k}, {@code m} or {@code g} (also written {@code kb},
 * {@code KiB}, ...), {@code _} may separate digits ({@code 65_536}, {@code 64k}, {@code 16m});</li>
 * <li>duration: a whole number and a unit, {@code ns}, {@code us}, {@code ms}, {@code s}, {@code m}, {@code h} or
 * {@code d} ({@code 500ms}, {@code 30s}); a bare number is refused, as its unit would be a guess;</li>
 * <li>boolean: {@code true} or {@code false}; a list: comma-separated, blanks dropped; a choice: one of a fixed set,
 * any case.</li>
 * </ul>
 * Values are trimmed and units and suffixes are case-insensitive. A property that is not set yields the default; one
 * set to an empty string is a value like any other (refused where a number, duration or boolean is expected). Every
 * refusal is a {@link ConfigurationException} naming the property, the value and what to write instead.
 */
final class ConfigValues
{
    private static final String DIGITS = "(\\d(?:_*\\d)*)";
    private static final Pattern COUNT = Pattern.compile(DIGITS);
    private static final Pattern SIZE = Pattern.compile(DIGITS + "\\s*(?:([kmg])(?:i?b)?|b)?");
    private static final Pattern DURATION = Pattern.compile(DIGITS + "\\s*(ns|us|ms|s|m|h|d)");

    private final Map<?, ?> properties;

    /** @param properties property name to value (its {@code toString()}); copied. */
    ConfigValues(final Map<?, ?> properties)
    {
        this.properties = Map.copyOf(properties);
    }

    /** Whether {@code name} is set (to anything, even an empty string). */
    boolean isSet(final String name)
    {
        return properties.get(name) != null;
    }

    /** The value of {@code name}, trimmed, or {@code null} when it is not set. */
    String raw(final String name)
    {
        final Object value = properties.get(name);
        return value == null ? null : value.toString().trim();
    }

    String string(final String name, final String defaultValue)
    {
        final String value = raw(name);
        return value == null ? defaultValue : value;
    }

    /** Comma-separated items, trimmed, blanks dropped; unmodifiable. */
    List<String> list(final String name, final String defaultValue)
    {
        final List<String> items = new ArrayList<>();
        for (final String item : string(name, defaultValue).split(","))
        {
            if (!item.isBlank())
            {
                items.add(item.trim());
            }
        }
        return Collections.unmodifiableList(items);
    }

    boolean bool(final String name, final boolean defaultValue)
    {
        final String value = raw(name);
        if (value == null)
        {
            return defaultValue;
        }
        return switch (value.toLowerCase(Locale.ROOT))
        {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigurationException(name, value, "write true or false; the default is " +
                defaultValue);
        };
    }

    int count(final String name, final int defaultValue, final int min, final int max)
    {
        return (int)longCount(name, defaultValue, min, max);
    }

    long longCount(final String name, final long defaultValue, final long min, final long max)
    {
        final String value = raw(name);
        if (value == null)
        {
            return defaultValue;
        }
        final Matcher m = COUNT.matcher(value);
        final long parsed = m.matches() ? digits(m.group(1)) : -1;
        if (parsed < 0 || parsed < min || parsed > max)
        {
            throw new ConfigurationException(name, value, "write a whole number between " + min + " and " + max +
                " (_ may separate digits); the default is " + defaultValue);
        }
        return parsed;
    }

    long size(final String name, final long defaultValue, final long min, final long max)
    {
        final String value = raw(name);
        if (value == null)
        {
            return defaultValue;
        }
        final long parsed = parseSize(value);
        if (parsed < 0 || parsed < min || parsed > max)
        {
            throw new ConfigurationException(name, value, "write a size in bytes between " + formatSize(min) +
                " and " + formatSize(max) + ", such as 65536, 64k, 16m or 1g (binary suffixes; _ may separate " +
                "digits); the default is " + formatSize(defaultValue));
        }
        return parsed;
    }

    Duration duration(final String name, final Duration defaultValue, final Duration min)
    {
        return duration(name, defaultValue, min, null);
    }

    /** @param max the longest allowed, or {@code null} for no bound. */
    Duration duration(final String name, final Duration defaultValue, final Duration min, final Duration max)
    {
        final String value = raw(name);
        if (value == null)
        {
            return defaultValue;
        }
        final Duration parsed = parseDuration(value);
        if (parsed == null || parsed.compareTo(min) < 0 || (max != null && parsed.compareTo(max) > 0))
        {
            throw new ConfigurationException(name, value, "write a duration with a unit, ns, us, ms, s, m, h or d " +
                "(e.g. 500ms, 30s), at least " + formatDuration(min) +
                (max == null ? "" : " and at most " + formatDuration(max)) + "; the default is " +
                formatDuration(defaultValue));
        }
        return parsed;
    }

    <E extends Enum<E>> E choice(final String name, final Class<E> type, final E defaultValue)
    {
        final String value = raw(name);
        if (value == null)
        {
            return defaultValue;
        }
        final List<String> names = new ArrayList<>();
        for (final E constant : type.getEnumConstants())
        {
            if (constant.name().equalsIgnoreCase(value))
            {
                return constant;
            }
            names.add(constant.name());
        }
        throw new ConfigurationException(name, value, "write one of " + String.join(", ", names) +
            "; the default is " + defaultValue.name());
    }

    /** One of {@code allowed}, matched in any case and returned as spelled there. */
    String choice(final String name, final String defaultValue, final List<String> allowed)
    {
        final String value = string(name, defaultValue);
        for (final String candidate : allowed)
        {
            if (candidate.equalsIgnoreCase(value))
            {
                return candidate;
            }
        }
        throw new ConfigurationException(name, value, "write one of " + String.join(", ", allowed) +
            "; the default is " + defaultValue);
    }

    /** Bytes, or -1 when {@code value} is not a size or too large for a long. */
    static long parseSize(final String value)
    {
        final Matcher m = SIZE.matcher(value.toLowerCase(Locale.ROOT));
        if (!m.matches())
        {
            return -1;
        }
        final long amount = digits(m.group(1));
        final int shift = m.group(2) == null ? 0 : 10 * ("kmg".indexOf(m.group(2)) + 1);
        return amount < 0 || amount > Long.MAX_VALUE >> shift ? -1 : amount << shift;
    }

    /** The duration, or {@code null} when {@code value} is not one (no unit, say) or too long for a Duration. */
    static Duration parseDuration(final String value)
    {
        final Matcher m = DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (!m.matches())
        {
            return null;
        }
        final long amount = digits(m.group(1));
        if (amount < 0)
        {
            return null;
        }
        try
        {
            return switch (m.group(2))
            {
                case "ns" -> Duration.ofNanos(amount);
                case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1000L));
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        catch (final ArithmeticException ex)
        {
            return null;
        }
    }

    /** {@code bytes} in the syntax sizes take, with the largest suffix that is exact: 65536 is {@code 64k}. */
    static String formatSize(final long bytes)
    {
        if (bytes > 0)
        {
            for (int i = 2; i >= 0; i--)
            {
                final int shift = 10 * (i + 1);
                if ((bytes & ((1L << shift) - 1)) == 0)
                {
                    return (bytes >> shift) + "kmg".substring(i, i + 1);
                }
            }
        }
        return Long.toString(bytes);
    }

    /** {@code d} in the syntax durations take, with the largest unit that is exact: 30,000 ms is {@code 30s}. */
    static String formatDuration(final Duration d)
    {
        final long nanos;
        try
        {
            nanos = d.toNanos();
        }
        catch (final ArithmeticException ex)
        {
            return d.toSeconds() + "s";
        }
        final long[] unitNanos = {86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L,
            1_000_000L, 1_000L};
        final String[] units = {"d", "h", "m", "s", "ms", "us"};
        for (int i = 0; i < units.length; i++)
        {
            if (nanos != 0 && nanos % unitNanos[i] == 0)
            {
                return nanos / unitNanos[i] + units[i];
            }
        }
        return nanos == 0 ? "0s" : nanos + "ns";
    }

    /** Digits with optional {@code _} separators, or -1 when they do not fit a long. */
    private static long digits(final String digits)
    {
        try
        {
            return Long.parseLong(digits.replace("_", ""));
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }
}
