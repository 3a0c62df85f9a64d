package moq.relay.config;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One syntax for every setting, engine and transport alike (README: "Sizes take k, m, g (binary) suffixes; durations
 * need a unit"), checked over every property of {@link RelayConfiguration} rather than a sample.
 */
class ConfigurationSyntaxTest
{
    @Test
    void everyNumberAcceptsUnderscoreSeparators() throws Exception
    {
        final Map<String, Object> expected = accessors(RelayConfiguration.defaults());
        for (final Map.Entry<String, Object> e : defaults().entrySet())
        {
            if (e.getValue() instanceof Number)
            {
                final String value = withUnderscores(((Number)e.getValue()).longValue());
                assertThat(accessors(RelayConfiguration.from(Map.of(e.getKey(), value))))
                    .as("-D%s=%s", e.getKey(), value).isEqualTo(expected);
            }
        }
    }

    @Test
    void everyDurationAcceptsUnderscoresAndNeedsAUnit() throws Exception
    {
        final Map<String, Object> expected = accessors(RelayConfiguration.defaults());
        for (final Map.Entry<String, Object> e : defaults().entrySet())
        {
            if (e.getValue() instanceof Duration)
            {
                final long millis = ((Duration)e.getValue()).toMillis();
                final String value = withUnderscores(millis) + "ms";
                assertThat(accessors(RelayConfiguration.from(Map.of(e.getKey(), value))))
                    .as("-D%s=%s", e.getKey(), value).isEqualTo(expected);
                final String bare = Long.toString(millis);
                assertThatThrownBy(() -> accessors(RelayConfiguration.from(Map.of(e.getKey(), bare))))
                    .as("-D%s=%s", e.getKey(), bare)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-D" + e.getKey() + "=" + bare).hasMessageContaining("unit");
            }
        }
    }

    @Test
    void everyTimeIsADurationNotANumberWithTheUnitInItsName() throws Exception
    {
        for (final Map.Entry<String, Object> e : defaults().entrySet())
        {
            assertThat(e.getKey()).as("a unit in a property name").doesNotEndWith(".ms").doesNotEndWith(".millis")
                .doesNotEndWith(".seconds");
            if (e.getKey().matches(".*\\.(timeout|wait|grace|validity|before)(\\..*)?"))
            {
                assertThat(e.getValue()).as("default of %s", e.getKey()).isInstanceOf(Duration.class);
            }
        }
    }

    @Test
    void theTrackIdleTimeoutIsNotASize()
    {
        // It used to be parsed as a size, so 1k meant 1,024 ms.
        assertThatThrownBy(() -> RelayConfiguration.from(Map.of("moq.relay.track.idle.timeout.ms", "1k")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("moq.relay.track.idle.timeout");
        assertThatThrownBy(() -> RelayConfiguration.from(Map.of("moq.relay.track.idle.timeout", "1k")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("-Dmoq.relay.track.idle.timeout=1k").hasMessageContaining("unit");
    }

    @Test
    void countsTakeNoSizeSuffix()
    {
        assertThatThrownBy(() -> RelayConfiguration.from(Map.of(RelayConfiguration.MAX_TRACKS_PROP_NAME, "10k")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("-D" + RelayConfiguration.MAX_TRACKS_PROP_NAME + "=10k")
            .hasMessageContaining("whole number");
    }

    @Test
    void engineAndTransportSettingsFailWithOneMessageFormat()
    {
        assertThatThrownBy(() -> RelayConfiguration.from(Map.of(RelayConfiguration.RING_SIZE_PROP_NAME, "lots")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("invalid -D" + RelayConfiguration.RING_SIZE_PROP_NAME +
                "=lots: write a whole number");
        assertThatThrownBy(() -> RelayConfiguration.from(Map.of(RelayConfiguration.PORT_PROP_NAME, "lots")).port())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("invalid -D" + RelayConfiguration.PORT_PROP_NAME + "=lots: write a whole number");
        assertThatThrownBy(() -> RelayConfiguration.from(Map.of(RelayConfiguration.STORE_MAX_BYTES_PROP_NAME, "1t")))
            .hasMessageStartingWith("invalid -D" + RelayConfiguration.STORE_MAX_BYTES_PROP_NAME + "=1t: write a size");
        assertThatThrownBy(() -> RelayConfiguration.from(Map.of(RelayConfiguration.UDP_SO_RCVBUF_PROP_NAME, "1t"))
            .udpSoRcvbuf())
            .hasMessageStartingWith("invalid -D" + RelayConfiguration.UDP_SO_RCVBUF_PROP_NAME + "=1t: write a size");
    }

    /** 65536 as {@code 65_536}; 4 as {@code 0_4}, so even one digit is written with a separator. */
    private static String withUnderscores(final long value)
    {
        final String digits = Long.toString(value);
        final StringBuilder b = new StringBuilder(digits.length() < 4 ? "0_" + digits : "");
        if (digits.length() >= 4)
        {
            for (int i = 0; i < digits.length(); i++)
            {
                if (i > 0 && (digits.length() - i) % 3 == 0)
                {
                    b.append('_');
                }
                b.append(digits.charAt(i));
            }
        }
        return b.toString();
    }

    /** Property name to default value, for every {@code *_PROP_NAME} of the configuration class. */
    private static Map<String, Object> defaults() throws Exception
    {
        final Map<String, Object> result = new TreeMap<>();
        for (final Field f : RelayConfiguration.class.getFields())
        {
            if (Modifier.isStatic(f.getModifiers()) && f.getName().endsWith("_PROP_NAME"))
            {
                final String base = f.getName().substring(0, f.getName().length() - "_PROP_NAME".length());
                result.put((String)f.get(null), RelayConfiguration.class.getField(base + "_DEFAULT").get(null));
            }
        }
        return result;
    }

    /** Every public accessor's value, so a setting is checked whichever accessor reads it (and reads it eagerly). */
    private static Map<String, Object> accessors(final RelayConfiguration c) throws Exception
    {
        final Map<String, Object> values = new TreeMap<>();
        for (final Method m : RelayConfiguration.class.getDeclaredMethods())
        {
            if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()) &&
                m.getParameterCount() == 0 && !m.getName().equals("toString"))
            {
                try
                {
                    values.put(m.getName(), m.invoke(c));
                }
                catch (final InvocationTargetException ex)
                {
                    if (ex.getCause() instanceof RuntimeException)
                    {
                        throw (RuntimeException)ex.getCause();
                    }
                    throw ex;
                }
            }
        }
        return values;
    }
}
