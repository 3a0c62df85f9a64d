package moq.relay.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;

/** The cluster's small parts: namespace keys, relay URLs, the peer marker in SETUP's PATH. */
class ClusterUnitsTest
{
    @Test
    void namespaceKeysAreReadableAndRoundTripAnyBytes()
    {
        final TrackNamespace plain = TrackNamespace.of("live", "room1");
        assertThat(NamespaceKeys.encode(plain)).isEqualTo("live/room1");
        final TrackNamespace odd = new TrackNamespace(List.of(Bytes.utf8("a/b@c d"), Bytes.EMPTY,
            Bytes.wrap(new byte[] {0, (byte)0xff, '%'})));
        final String key = NamespaceKeys.encode(odd);
        assertThat(key).isEqualTo("a%2Fb%40c%20d//%00%FF%25").doesNotContain("@");
        assertThat(NamespaceKeys.decode(key)).isEqualTo(odd);
        assertThatThrownBy(() -> NamespaceKeys.decode("ab%4")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void redisKeysNameTheNamespaceAndTheRelay()
    {
        assertThat(RedisOriginDirectory.key(TrackNamespace.of("live", "room1"), RelayUrl.parse("moqt://h:4443")))
            .isEqualTo("moq:origin:live/room1@moqt://h:4443");
    }

    @Test
    void relayUrlsAreMoqtWithHostAndPort()
    {
        final RelayUrl u = RelayUrl.parse("moqt://[::1]:4443/relay");
        assertThat(u.host()).isEqualTo("::1");
        assertThat(u.port()).isEqualTo(4443);
        assertThat(u.path()).isEqualTo("/relay");
        assertThat(RelayUrl.parse("moqt://10.0.0.5:4443").path()).isEqualTo("/");
        assertThatThrownBy(() -> RelayUrl.parse("https://h:4443")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RelayUrl.parse("moqt://h")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRelayUrlNamesTheDraftOfAStaticUpstreamOutsideItsName()
    {
        assertThat(RelayUrl.parse("moqt://h:4443/x").draft()).isEqualTo(moq.relay.wire.Draft.DRAFT_18);
        final RelayUrl d14 = RelayUrl.parse("moqt://h:4443/x?draft=14");
        assertThat(d14.draft()).isEqualTo(moq.relay.wire.Draft.DRAFT_14);
        assertThat(d14.text()).isEqualTo("moqt://h:4443/x"); // its name on relay paths, as it advertises itself
        assertThat(d14.path()).isEqualTo("/x");
        assertThat(RelayUrl.parse("moqt://h:4443?a=1&draft=18").text()).isEqualTo("moqt://h:4443?a=1");
        assertThatThrownBy(() -> RelayUrl.parse("moqt://h:4443?draft=9")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void trackPropertiesRoundTripAsText()
    {
        final List<moq.relay.wire.KeyValuePair> properties = List.of(
            moq.relay.wire.KeyValuePair.ofVarint(2, 7), moq.relay.wire.KeyValuePair.ofVarint(4, -1L),
            moq.relay.wire.KeyValuePair.ofBytes(3, Bytes.wrap(new byte[] {0x0a, (byte)0xff})));
        final String text = TrackPropertiesText.encode(properties);
        assertThat(text).isEqualTo("2=7,4=18446744073709551615,3=x0aff").doesNotContain(" ");
        assertThat(TrackPropertiesText.decode(text)).isEqualTo(properties);
        assertThat(TrackPropertiesText.decode("")).isEmpty();
        assertThatThrownBy(() -> TrackPropertiesText.decode("3=7")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thePeerMarkerRidesInThePathQuery()
    {
        final String path = PeerRelays.setupPath("/", java.util.List.of("moqt://10.0.0.5:4443/x"));
        assertThat(path).isEqualTo("/?moq-relay-peer=moqt%3A%2F%2F10.0.0.5%3A4443%2Fx");
        assertThat(PeerRelays.peerOf(path)).isEqualTo("moqt://10.0.0.5:4443/x");
        assertThat(PeerRelays.peerOf("/moq")).isNull();
        assertThat(PeerRelays.peerOf("/moq?other=1")).isNull();
        // A chain: the relays in order, the sender last.
        final String chain = PeerRelays.setupPath("/moq", java.util.List.of("moqt://c:1", "moqt://b:2"));
        assertThat(chain).isEqualTo("/moq?moq-relay-peer=moqt%3A%2F%2Fc%3A1&moq-relay-peer=moqt%3A%2F%2Fb%3A2");
        assertThat(PeerRelays.peerOf(chain)).isEqualTo("moqt://c:1 moqt://b:2");
    }

    @Test
    void aRequestIsForwardedOffItsPathAndWithinTheHopBound()
    {
        final RelayUrl a = RelayUrl.parse("moqt://a:1");
        final RelayUrl b = RelayUrl.parse("moqt://b:1");
        // Relay B, asked by C (which a client asked), may ask A: two hops with a bound of 2.
        assertThat(PeerRelays.forwardable("moqt://c:1", b, a, 2)).isTrue();
        assertThat(PeerRelays.forwardable("moqt://c:1", b, a, 1)).isFalse(); // the one-hop rule
        // A ring: the request already crossed A, or this relay.
        assertThat(PeerRelays.forwardable("moqt://a:1", b, a, 3)).isFalse();
        assertThat(PeerRelays.forwardable("moqt://b:1 moqt://c:1", b, a, 3)).isFalse();
        assertThat(PeerRelays.extended("moqt://c:1", b)).containsExactly("moqt://c:1", "moqt://b:1");
        assertThat(PeerRelays.extended(null, b)).containsExactly("moqt://b:1");
    }

    @Test
    void peerTrustSettings()
    {
        assertThat(Cluster.trust("system").mode()).isEqualTo(moq.relay.client.ClientTrust.Mode.SYSTEM);
        assertThat(Cluster.trust("insecure").mode()).isEqualTo(moq.relay.client.ClientTrust.Mode.INSECURE);
        assertThatThrownBy(() -> Cluster.validate(moq.relay.config.RelayConfiguration.from(java.util.Map.of(
            moq.relay.config.RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, "http://nope"))))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("moq.relay.cluster.upstreams");
    }
}
