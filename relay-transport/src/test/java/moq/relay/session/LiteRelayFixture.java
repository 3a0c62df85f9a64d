package moq.relay.session;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.lite.Announce;
import moq.relay.wire.lite.AnnounceOk;
import moq.relay.wire.lite.AnnouncePlease;
import moq.relay.wire.lite.AnnounceStatus;
import moq.relay.wire.lite.LitePaths;
import moq.relay.wire.lite.LiteVersion;
import moq.relay.wire.lite.TrackInfo;

/**
 * The set-up the moq-lite-05 session tests share: a relay on loopback ({@link RelayFixture}), moq-lite peers built
 * from the wire codecs ({@link LiteTestPeer}) closed with it, the streams the relay opens to a peer found by their
 * first message, and a lite-05 publisher of one broadcast.
 */
class LiteRelayFixture implements AutoCloseable
{
    private final Path certDir;
    private final List<LiteTestPeer> peers = new ArrayList<>();
    RelayFixture relay;

    LiteRelayFixture(final Path certDir)
    {
        this(certDir, Map.of());
    }

    /** A relay whose configuration adds {@code overrides} to {@link RelayFixture}'s. */
    LiteRelayFixture(final Path certDir, final Map<String, String> overrides)
    {
        this(certDir, new RelayFixture(certDir, overrides));
    }

    /** Around {@code relay}, whose certificate is in {@code certDir}; {@link LiteRelayExtension} starts it per test. */
    LiteRelayFixture(final Path certDir, final RelayFixture relay)
    {
        this.certDir = certDir;
        this.relay = relay;
    }

    /** A raw QUIC lite-05 peer, closed with the fixture. */
    LiteTestPeer peer() throws Exception
    {
        return peer(LiteVersion.LITE_05);
    }

    LiteTestPeer peer(final LiteVersion version) throws Exception
    {
        final LiteTestPeer p = new LiteTestPeer(certDir, relay.server.localAddress().getPort(), version);
        peers.add(p);
        return p;
    }

    /** A raw QUIC peer granting the relay {@code initialMaxData} bytes of connection credit, closed with the fixture. */
    LiteTestPeer peer(final LiteVersion version, final long initialMaxData, final long maxStreamsUni) throws Exception
    {
        final LiteTestPeer p = new LiteTestPeer(certDir, relay.server.localAddress().getPort(), version,
            initialMaxData, maxStreamsUni);
        peers.add(p);
        return p;
    }

    /** The first stream the relay opened to {@code p} whose messages include a {@code first}, awaited. */
    static LiteTestPeer.Control relayStream(final LiteTestPeer p, final Class<?> first) throws InterruptedException
    {
        RelayFixture.await(() -> p.relayStreams.stream().anyMatch(c -> c.first(first) != null),
            "the relay's " + first.getSimpleName());
        return p.relayStreams.stream().filter(c -> c.first(first) != null).findFirst().orElseThrow();
    }

    /**
     * A lite-05 publisher of broadcast {@code path}: it answers the relay's ANNOUNCE_PLEASE with ANNOUNCE_OK and
     * ANNOUNCE active, and returns once the relay published the broadcast's namespace. {@code info}, when not null,
     * answers every TRACK the relay asks it.
     */
    LiteTestPeer publisher(final String path, final TrackInfo info) throws Exception
    {
        final LiteTestPeer publisher = peer();
        publisher.trackInfo = info;
        final LiteTestPeer.Control announce = relayStream(publisher, AnnouncePlease.class);
        announce.write(new AnnounceOk(9, 1));
        announce.write(new Announce(AnnounceStatus.ACTIVE, path, List.of()));
        final TrackNamespace ns = LitePaths.toNamespace(path);
        RelayFixture.await(() -> relay.relay.isPublished(ns), path + " published");
        return publisher;
    }

    @Override
    public void close()
    {
        closePeers();
        relay.close();
    }

    /** Closes the peers made so far. */
    final void closePeers()
    {
        peers.forEach(LiteTestPeer::close);
        peers.clear();
    }
}
