package moq.relay.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one parser every setting goes through. */
class ConfigValuesTest
{
    private static final String NAME = "moq.relay.test.value";

    private static ConfigValues of(final String value)
    {
        return new ConfigValues(Map.of(NAME, value));
    }

    private static long size(final String value)
    {
        return of(value).size(NAME, 7, 0, Long.MAX_VALUE);
    }

    private static Duration duration(final String value)
    {
        return of(value).duration(NAME, Duration.ofSeconds(7), Duration.ZERO);
    }

    @Test
    void unsetYieldsTheDefault()
    {
        final ConfigValues none = new ConfigValues(Map.of());
        assertThat(none.isSet(NAME)).isFalse();
        assertThat(none.size(NAME, 64L << 10, 0, Long.MAX_VALUE)).isEqualTo(64L << 10);
        assertThat(none.count(NAME, 5, 1, 10)).isEqualTo(5);
        assertThat(none.duration(NAME, Duration.ofSeconds(3), Duration.ZERO)).isEqualTo(Duration.ofSeconds(3));
        assertThat(none.bool(NAME, true)).isTrue();
        assertThat(none.list(NAME, "a, b")).containsExactly("a", "b");
        assertThat(none.string(NAME, "x")).isEqualTo("x");
    }

    @Test
    void sizesTakeBinarySuffixesAndUnderscores()
    {
        assertThat(size("65536")).isEqualTo(65536);
        assertThat(size("65_536")).isEqualTo(65536);
        assertThat(size(" 64k ")).isEqualTo(64L << 10);
        assertThat(size("64K")).isEqualTo(64L << 10);
        assertThat(size("64kb")).isEqualTo(64L << 10);
        assertThat(size("512KiB")).isEqualTo(512L << 10);
        assertThat(size("16m")).isEqualTo(16L << 20);
        assertThat(size("1_024m")).isEqualTo(1L << 30);
        assertThat(size("2g")).isEqualTo(2L << 30);
        assertThat(size("100b")).isEqualTo(100);
        assertThat(size("0")).isZero();
    }

    @Test
    void badSizesAreRefusedNamingThePropertyTheValueAndTheSyntax()
    {
        for (final String bad : new String[] {"", "-1", "1t", "1.5m", "k", "_1", "1_", "64 kilobytes",
            "99999999999g", "9223372036854775808"})
        {
            assertThatThrownBy(() -> size(bad)).as("size %s", bad)
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("invalid -D" + NAME + "=" + bad.trim() + ": write a size in bytes")
                .hasMessageContaining("64k, 16m or 1g")
                .hasMessageContaining("the default is 7");
        }
        assertThatThrownBy(() -> of("2k").size(NAME, 65536, 4096, 1 << 20))
            .hasMessage("invalid -D" + NAME + "=2k: write a size in bytes between 4k and 1m, such as 65536, 64k, 16m " +
                "or 1g (binary suffixes; _ may separate digits); the default is 64k");
        assertThat(((ConfigurationException)catchThrowable(() -> size("1t"))).property()).isEqualTo(NAME);
    }

    @Test
    void durationsTakeEveryUnitAndUnderscores()
    {
        assertThat(duration("250ns")).isEqualTo(Duration.ofNanos(250));
        assertThat(duration("250us")).isEqualTo(Duration.ofNanos(250_000));
        assertThat(duration("1_500ms")).isEqualTo(Duration.ofMillis(1500));
        assertThat(duration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(duration("30 S")).isEqualTo(Duration.ofSeconds(30));
        assertThat(duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(duration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(duration("13d")).isEqualTo(Duration.ofDays(13));
        assertThat(duration("0s")).isZero();
    }

    @Test
    void durationsWithoutAUnitOrOutOfBoundsAreRefused()
    {
        for (final String bad : new String[] {"30", "", "30sec", "1.5s", "-1s", "s", "99999999999999999999d"})
        {
            assertThatThrownBy(() -> duration(bad)).as("duration %s", bad)
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("invalid -D" + NAME + "=" + bad + ": write a duration with a unit")
                .hasMessageContaining("the default is 7s");
        }
        assertThatThrownBy(() -> of("500us").duration(NAME, Duration.ofSeconds(5), Duration.ofMillis(1)))
            .hasMessageContaining("at least 1ms");
        assertThatThrownBy(() -> of("15d").duration(NAME, Duration.ofDays(13), Duration.ZERO, Duration.ofDays(14)))
            .hasMessageContaining("at most 14d").hasMessageContaining("the default is 13d");
    }

    @Test
    void countsAreWholeNumbersWithUnderscoresAndNoSuffix()
    {
        assertThat(of("10_000").count(NAME, 1, 1, Integer.MAX_VALUE)).isEqualTo(10_000);
        assertThat(of("0").count(NAME, 1, 0, 10)).isZero();
        assertThat(of("1_000_000_000_000").longCount(NAME, 1, 0, Long.MAX_VALUE)).isEqualTo(1_000_000_000_000L);
        for (final String bad : new String[] {"10k", "lots", "-1", "1.0", "", "11", "99999999999999999999"})
        {
            assertThatThrownBy(() -> of(bad).count(NAME, 4, 0, 10)).as("count %s", bad)
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("invalid -D" + NAME + "=" + bad + ": write a whole number between 0 and 10 (_ may " +
                    "separate digits); the default is 4");
        }
    }

    @Test
    void booleansListsAndChoices()
    {
        assertThat(of("TRUE").bool(NAME, false)).isTrue();
        assertThat(of("false").bool(NAME, true)).isFalse();
        assertThatThrownBy(() -> of("yes").bool(NAME, false))
            .hasMessage("invalid -D" + NAME + "=yes: write true or false; the default is false");
        assertThat(of(" a , ,b ").list(NAME, "")).containsExactly("a", "b");
        assertThat(of("").list(NAME, "x")).isEmpty();
        assertThat(of("bbr").choice(NAME, RelayConfiguration.CongestionControl.class,
            RelayConfiguration.CongestionControl.CUBIC)).isEqualTo(RelayConfiguration.CongestionControl.BBR);
        assertThatThrownBy(() -> of("vegas").choice(NAME, RelayConfiguration.CongestionControl.class,
            RelayConfiguration.CongestionControl.CUBIC))
            .hasMessage("invalid -D" + NAME + "=vegas: write one of RENO, CUBIC, BBR; the default is CUBIC");
        assertThat(of("warn").choice(NAME, "INFO", List.of("DEBUG", "INFO", "WARN"))).isEqualTo("WARN");
        assertThatThrownBy(() -> of("LOUD").choice(NAME, "INFO", List.of("DEBUG", "INFO", "WARN")))
            .hasMessage("invalid -D" + NAME + "=LOUD: write one of DEBUG, INFO, WARN; the default is INFO");
    }

    @Test
    void formatsUseTheSyntaxTheParserTakes()
    {
        assertThat(ConfigValues.formatSize(65536)).isEqualTo("64k");
        assertThat(ConfigValues.formatSize(1L << 30)).isEqualTo("1g");
        assertThat(ConfigValues.formatSize(1350)).isEqualTo("1350");
        assertThat(ConfigValues.formatSize(0)).isEqualTo("0");
        assertThat(ConfigValues.formatDuration(Duration.ofDays(13))).isEqualTo("13d");
        assertThat(ConfigValues.formatDuration(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(ConfigValues.formatDuration(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(ConfigValues.formatDuration(Duration.ZERO)).isEqualTo("0s");
        for (final String s : new String[] {"64k", "1g", "1350"})
        {
            assertThat(ConfigValues.formatSize(ConfigValues.parseSize(s))).isEqualTo(s);
        }
        for (final String d : new String[] {"13d", "1500ms", "90s", "7ns", "3us"})
        {
            assertThat(ConfigValues.formatDuration(ConfigValues.parseDuration(d))).isEqualTo(d);
        }
    }

    private static Throwable catchThrowable(final Runnable r)
    {
        try
        {
            r.run();
            return null;
        }
        catch (final RuntimeException ex)
        {
            return ex;
        }
    }
}
