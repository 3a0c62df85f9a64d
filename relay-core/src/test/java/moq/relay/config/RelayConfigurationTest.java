package moq.relay.config;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RelayConfigurationTest
{
    private final List<String> touched = new java.util.ArrayList<>();

    @AfterEach
    void clearProperties()
    {
        touched.forEach(System::clearProperty);
    }

    private void set(final String name, final String value)
    {
        touched.add(name);
        System.setProperty(name, value);
    }

    private void assertRejected(final String name, final String value, final Supplier<?> accessor,
        final String hint)
    {
        set(name, value);
        assertThatThrownBy(accessor::get)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("-D" + name + "=" + value)
            .hasMessageContaining(hint);
    }

    @Test
    void unsetPropertiesYieldTheDocumentedDefaults()
    {
        assertThat(RelayConfiguration.load().port()).isEqualTo(RelayConfiguration.PORT_DEFAULT);
        assertThat(RelayConfiguration.load().alpn()).containsExactly("moqt-18", "moqt-20", "moq-00", "moq-lite-05",
            "moq-lite-04", "moq-lite-03", "h3");
        assertThat(RelayConfiguration.load().quicInitialMaxStreamDataUni()).isEqualTo(1L << 20);
        assertThat(RelayConfiguration.load().quicIdleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(RelayConfiguration.load().quicCongestionControl())
            .isEqualTo(RelayConfiguration.CongestionControl.CUBIC);
    }

    @Test
    void nonNumericPortFailsNamingTheProperty()
    {
        assertRejected(RelayConfiguration.PORT_PROP_NAME, "abc", () -> RelayConfiguration.load().port(), "whole number");
    }

    @Test
    void portOutOfRangeFailsNamingTheRange()
    {
        assertRejected(RelayConfiguration.PORT_PROP_NAME, "70000", () -> RelayConfiguration.load().port(), "between 0 and 65535");
    }

    @Test
    void negativeFlowControlWindowFailsNamingTheProperty()
    {
        assertRejected(RelayConfiguration.QUIC_INITIAL_MAX_DATA_PROP_NAME, "-1",
            () -> RelayConfiguration.load().quicInitialMaxData(), "size in bytes");
    }

    /**
     * Issue 12, defect 3's latency: what one fresh connection may send before the relay reads it waits in the UDP
     * receive queue its socket shares with other connections; with a credit above the receive buffer one bulk
     * publisher overflowed it, dropping the healthy connections' datagrams too (docs/hardening.md).
     */
    @Test
    void aPeersInitialCreditFitsInTheSocketReceiveBuffer()
    {
        final RelayConfiguration c = RelayConfiguration.load();
        assertThat(c.quicInitialMaxData()).isLessThanOrEqualTo(c.udpSoRcvbuf() / 2);
        // Each new subgroup stream starts with its own credit: a burst of a few new streams stays within the above.
        assertThat(c.quicInitialMaxStreamDataUni()).isLessThanOrEqualTo(c.udpSoRcvbuf() / 4);
    }

    @Test
    void sizesAcceptBinarySuffixes()
    {
        set(RelayConfiguration.QUIC_INITIAL_MAX_DATA_PROP_NAME, "32m");
        set(RelayConfiguration.QUIC_INITIAL_MAX_STREAM_DATA_UNI_PROP_NAME, "512KiB");
        assertThat(RelayConfiguration.load().quicInitialMaxData()).isEqualTo(32L << 20);
        assertThat(RelayConfiguration.load().quicInitialMaxStreamDataUni()).isEqualTo(512L << 10);
    }

    @Test
    void durationWithoutUnitFailsAskingForOne()
    {
        assertRejected(RelayConfiguration.QUIC_IDLE_TIMEOUT_PROP_NAME, "30",
            () -> RelayConfiguration.load().quicIdleTimeout(), "unit");
    }

    @Test
    void durationsAcceptUnits()
    {
        set(RelayConfiguration.QUIC_IDLE_TIMEOUT_PROP_NAME, "1500ms");
        set(RelayConfiguration.SHUTDOWN_DRAIN_TIMEOUT_PROP_NAME, "2m");
        assertThat(RelayConfiguration.load().quicIdleTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(RelayConfiguration.load().shutdownDrainTimeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void unknownCongestionControlFailsListingTheChoices()
    {
        assertRejected(RelayConfiguration.QUIC_CONGESTION_CONTROL_PROP_NAME, "vegas",
            () -> RelayConfiguration.load().quicCongestionControl(), "RENO, CUBIC, BBR");
    }

    @Test
    void congestionControlIsCaseInsensitive()
    {
        set(RelayConfiguration.QUIC_CONGESTION_CONTROL_PROP_NAME, "bbr");
        assertThat(RelayConfiguration.load().quicCongestionControl()).isEqualTo(RelayConfiguration.CongestionControl.BBR);
    }

    @Test
    void misspelledBooleanFailsInsteadOfMeaningFalse()
    {
        assertRejected(RelayConfiguration.QUIC_GSO_PROP_NAME, "yes", () -> RelayConfiguration.load().quicGso(), "true or false");
    }

    @Test
    void selfSignedValidityOverFourteenDaysFails()
    {
        assertRejected(RelayConfiguration.TLS_SELF_SIGNED_VALIDITY_PROP_NAME, "15d",
            () -> RelayConfiguration.load().tlsSelfSignedValidity(), "14d");
    }

    @Test
    void tooManyEventLoopsFails()
    {
        assertRejected(RelayConfiguration.EVENT_LOOPS_PROP_NAME, "1025", () -> RelayConfiguration.load().eventLoops(),
            "between 0 and");
    }

    @Test
    void eventLoopsDefaultToEveryCore()
    {
        final int cores = Runtime.getRuntime().availableProcessors();
        assertThat(RelayConfiguration.from(java.util.Map.of()).eventLoops()).isEqualTo(cores);
        assertThat(RelayConfiguration.from(java.util.Map.of(RelayConfiguration.EVENT_LOOPS_PROP_NAME, "0"))
            .eventLoops()).isEqualTo(cores);
        assertThat(RelayConfiguration.from(java.util.Map.of(RelayConfiguration.EVENT_LOOPS_PROP_NAME, "3"))
            .eventLoops()).isEqualTo(3);
    }

    @Test
    void alpnTokenWithSpaceFails()
    {
        assertRejected(RelayConfiguration.ALPN_PROP_NAME, "moqt-18,moq 00", () -> RelayConfiguration.load().alpn(),
            "not an ALPN token");
    }

    @Test
    void udpPayloadBelowQuicMinimumFails()
    {
        assertRejected(RelayConfiguration.QUIC_MAX_SEND_UDP_PAYLOAD_PROP_NAME, "1000",
            () -> RelayConfiguration.load().quicMaxSendUdpPayloadSize(), "between 1200 and 65527");
    }

    @Test
    void webTransportDefaultsServeMoqt18AndMoqt20OnSlashMoqToAnyOrigin()
    {
        assertThat(RelayConfiguration.load().webTransportPath()).isEqualTo("/moq");
        assertThat(RelayConfiguration.load().webTransportAllowedOrigins()).containsExactly("*");
        assertThat(RelayConfiguration.load().webTransportProtocols()).containsExactly("moq-lite-05", "moq-lite-04",
            "moq-lite-03", "moqt-18", "moqt-20");
        assertThat(RelayConfiguration.load().webTransportMaxCapsuleSize()).isEqualTo(65536);
    }

    @Test
    void webTransportPathMustBeAbsolute()
    {
        assertRejected(RelayConfiguration.WEBTRANSPORT_PATH_PROP_NAME, "moq", () -> RelayConfiguration.load().webTransportPath(),
            "absolute path");
    }

    @Test
    void webTransportProtocolWithAQuoteFails()
    {
        assertRejected(RelayConfiguration.WEBTRANSPORT_PROTOCOLS_PROP_NAME, "moqt-18,mo\"q",
            () -> RelayConfiguration.load().webTransportProtocols(), "not a structured-field string");
    }

    @Test
    void webTransportCapsuleLimitBelowACloseCapsuleFails()
    {
        assertRejected(RelayConfiguration.WEBTRANSPORT_MAX_CAPSULE_SIZE_PROP_NAME, "1k",
            () -> RelayConfiguration.load().webTransportMaxCapsuleSize(), "between 1028 and");
    }

    @Test
    void maxObjectBytesDefaultsToEightMebibytesFitsTheCacheAndTheGatherBudget()
    {
        assertThat(RelayConfiguration.defaults().storeMaxObjectBytes()).isEqualTo(8 << 20);
        // Unset with a small cache: lowered to the cache minus one segment, minus the record header.
        assertThat(RelayConfiguration.from(java.util.Map.of(RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "256k",
            RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "1m",
            RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "512k")).storeMaxObjectBytes())
            .isEqualTo(3 * (256 << 10) - 64);
        assertThatThrownBy(() -> RelayConfiguration.from(java.util.Map.of(
            RelayConfiguration.STORE_MAX_OBJECT_BYTES_PROP_NAME, "16m")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(RelayConfiguration.STORE_MAX_OBJECT_BYTES_PROP_NAME)
            .hasMessageContaining(RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME);
        assertThatThrownBy(() -> RelayConfiguration.from(java.util.Map.of(
            RelayConfiguration.STORE_MAX_OBJECT_BYTES_PROP_NAME, "8m",
            RelayConfiguration.SESSION_MAX_GATHERED_BYTES_PROP_NAME, "4m")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(RelayConfiguration.SESSION_MAX_GATHERED_BYTES_PROP_NAME);
    }
}
