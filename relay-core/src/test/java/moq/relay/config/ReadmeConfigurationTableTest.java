package moq.relay.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The README's configuration table is the user's view of {@link RelayConfiguration}: every property the class
 * defines is listed with its default, and nothing else is listed.
 */
class ReadmeConfigurationTableTest
{
    /** A table row: {@code | `moq.relay.x` | `default` | meaning |} (and Netty's own property the relay sets). */
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`((?:moq\\.relay|io\\.netty)\\.[a-zA-Z0-9.]+)`\\s*\\|\\s*([^|]*?)\\s*\\|");
    private static final Pattern SIZE = Pattern.compile("(\\d+)([kmg]?)");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    @Test
    void everyPropertyIsInTheReadmeWithItsDefaultAndNoOtherIs() throws Exception
    {
        final Map<String, Object> defaults = propertiesOfTheConfigurationClass();
        final Map<String, String> documented = readmeTable();
        assertThat(defaults).as("properties of RelayConfiguration").isNotEmpty();
        assertThat(documented.keySet()).as("properties in the README table").isEqualTo(defaults.keySet());
        for (final Map.Entry<String, Object> e : defaults.entrySet())
        {
            final String text = documented.get(e.getKey());
            assertThat(matches(e.getValue(), text))
                .as("README default of %s is %s, the code's is %s", e.getKey(), text, e.getValue())
                .isTrue();
        }
    }

    private static Map<String, Object> propertiesOfTheConfigurationClass() throws IllegalAccessException
    {
        final Map<String, Object> result = new TreeMap<>();
        for (final Field f : RelayConfiguration.class.getFields())
        {
            if (!Modifier.isStatic(f.getModifiers()) || !f.getName().endsWith("_PROP_NAME"))
            {
                continue;
            }
            final String base = f.getName().substring(0, f.getName().length() - "_PROP_NAME".length());
            try
            {
                result.put((String)f.get(null), RelayConfiguration.class.getField(base + "_DEFAULT").get(null));
            }
            catch (final NoSuchFieldException e)
            {
                fail(f.getName() + " has no " + base + "_DEFAULT");
            }
        }
        return result;
    }

    private static Map<String, String> readmeTable() throws IOException
    {
        final Path readme = Path.of("..", "README.md");
        assertThat(readme).exists();
        final Map<String, String> rows = new LinkedHashMap<>();
        for (final String line : Files.readAllLines(readme))
        {
            final Matcher m = ROW.matcher(line);
            if (m.find())
            {
                assertThat(rows.put(m.group(1), m.group(2).replace("`", "").trim()))
                    .as("%s listed twice", m.group(1)).isNull();
            }
        }
        return rows;
    }

    /** README defaults use the syntax the properties accept; "unset" stands for an empty string. */
    private static boolean matches(final Object value, final String text)
    {
        if (value instanceof String)
        {
            return text.equals(((String)value).isEmpty() ? "unset" : value);
        }
        if (value instanceof Boolean)
        {
            return text.equals(value.toString());
        }
        if (value instanceof Enum)
        {
            return text.equalsIgnoreCase(((Enum<?>)value).name());
        }
        if (value instanceof Duration)
        {
            final Matcher m = DURATION.matcher(text);
            if (!m.matches())
            {
                return false;
            }
            final long n = Long.parseLong(m.group(1));
            final Duration d;
            switch (m.group(2))
            {
                case "ms": d = Duration.ofMillis(n); break;
                case "s": d = Duration.ofSeconds(n); break;
                case "m": d = Duration.ofMinutes(n); break;
                case "h": d = Duration.ofHours(n); break;
                default: d = Duration.ofDays(n); break;
            }
            return d.equals(value);
        }
        if (value instanceof Number)
        {
            final Matcher m = SIZE.matcher(text.toLowerCase(Locale.ROOT));
            if (!m.matches())
            {
                return false;
            }
            final int shift = m.group(2).isEmpty() ? 0 : "kmg".indexOf(m.group(2)) * 10 + 10;
            return (Long.parseLong(m.group(1)) << shift) == ((Number)value).longValue();
        }
        return text.equals(String.valueOf(value));
    }
}
