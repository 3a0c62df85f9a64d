package moq.relay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The engine's settings: the immutable snapshot read by {@link RelayConfiguration#load()} / {@code from(Map)}. */
class EngineConfigurationTest
{
    @Test
    void defaultsAreTheDocumentedConstants()
    {
        final RelayConfiguration c = RelayConfiguration.defaults();
        assertThat(c.ringSize()).isEqualTo(RelayConfiguration.RING_SIZE_DEFAULT);
        assertThat(c.segmentBytes()).isEqualTo(RelayConfiguration.SEGMENT_BYTES_DEFAULT);
        assertThat(c.trackCacheBytes()).isEqualTo(RelayConfiguration.TRACK_CACHE_BYTES_DEFAULT);
        assertThat(c.trackCacheSegments()).isEqualTo(16);
        assertThat(c.subscriberBacklogBytes()).isEqualTo(RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_DEFAULT);
        assertThat(c.trackIdleTimeout()).isEqualTo(RelayConfiguration.TRACK_IDLE_TIMEOUT_DEFAULT)
            .isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void valuesAcceptSizeSuffixes()
    {
        final RelayConfiguration c = RelayConfiguration.from(Map.of(
            RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "64m",
            RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "64k",
            RelayConfiguration.RING_SIZE_PROP_NAME, "1_024"));
        assertThat(c.trackCacheBytes()).isEqualTo(64L << 20);
        assertThat(c.segmentBytes()).isEqualTo(65536);
        assertThat(c.ringSize()).isEqualTo(1024);
    }

    @Test
    void badValuesFailNamingThePropertyAndTheFix()
    {
        assertThatThrownBy(() -> RelayConfiguration.from(Map.of(RelayConfiguration.RING_SIZE_PROP_NAME, "1000")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("moq.relay.ring.size").hasMessageContaining("power of two");
        assertThatThrownBy(() -> RelayConfiguration.from(Map.of(RelayConfiguration.MAX_TRACKS_PROP_NAME, "lots")))
            .hasMessageContaining("moq.relay.max.tracks").hasMessageContaining("whole number");
        assertThatThrownBy(() -> RelayConfiguration.from(Map.of(
            RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "64m")))
            .hasMessageContaining("moq.relay.subscriber.backlog.bytes").hasMessageContaining("lower the backlog");
        assertThatThrownBy(() -> RelayConfiguration.from(Map.of(RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "-5")))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("-D" + RelayConfiguration.SEGMENT_BYTES_PROP_NAME + "=-5")
            .hasMessageContaining("size in bytes between 4k and 1g");
    }

    @Test
    void trackIdleTimeoutIsADurationAndTheOldMillisecondNameStillMeansMilliseconds()
    {
        assertThat(RelayConfiguration.from(Map.of(RelayConfiguration.TRACK_IDLE_TIMEOUT_PROP_NAME, "2m"))
            .trackIdleTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(RelayConfiguration.from(Map.of(RelayConfiguration.TRACK_IDLE_TIMEOUT_PROP_NAME, "0s"))
            .trackIdleTimeout()).isZero();
        // The old name, as deployed: whole milliseconds, meaning what it always meant (a warning is logged).
        assertThat(RelayConfiguration.from(Map.of(RelayConfiguration.TRACK_IDLE_TIMEOUT_MS_OLD_NAME, "45_000"))
            .trackIdleTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThatThrownBy(() -> RelayConfiguration.from(Map.of(RelayConfiguration.TRACK_IDLE_TIMEOUT_MS_OLD_NAME,
            "1k")))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("-Dmoq.relay.track.idle.timeout.ms=1k")
            .hasMessageContaining("moq.relay.track.idle.timeout=30s");
        assertThatThrownBy(() -> RelayConfiguration.from(Map.of(RelayConfiguration.TRACK_IDLE_TIMEOUT_MS_OLD_NAME,
            "1000", RelayConfiguration.TRACK_IDLE_TIMEOUT_PROP_NAME, "1s")))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("remove the old name");
    }

    @Test
    void everyPropertyHasADefaultAndTheRelayPrefix() throws Exception
    {
        final List<String> names = new ArrayList<>();
        for (final Field f : RelayConfiguration.class.getFields())
        {
            if (Modifier.isStatic(f.getModifiers()) && f.getName().endsWith("_PROP_NAME"))
            {
                final String name = (String)f.get(null);
                if (!name.equals(RelayConfiguration.NETTY_LEAK_DETECTION_PROP_NAME)) // Netty's own, set by the relay
                {
                    assertThat(name).startsWith("moq.relay.");
                }
                final String base = f.getName().substring(0, f.getName().length() - "_PROP_NAME".length());
                assertThat(RelayConfiguration.class.getField(base + "_DEFAULT")).isNotNull();
                names.add(name);
            }
        }
        assertThat(names).doesNotHaveDuplicates().hasSizeGreaterThan(10);
    }
}
