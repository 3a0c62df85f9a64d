package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.SubscriptionListener;
import moq.relay.client.TrackPublisher;
import moq.relay.transport.LogCapture;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.lite.Announce;
import moq.relay.wire.lite.AnnounceOk;
import moq.relay.wire.lite.AnnouncePlease;
import moq.relay.wire.lite.AnnounceStatus;
import moq.relay.wire.lite.LiteStreamSide;
import moq.relay.wire.lite.LiteStreamType;
import moq.relay.wire.lite.LiteVersion;
import moq.relay.wire.lite.Probe;
import moq.relay.wire.lite.Setup;
import moq.relay.wire.lite.Subscribe;
import moq.relay.wire.lite.SubscribeEnd;
import moq.relay.wire.lite.SubscribeOk;
import moq.relay.wire.lite.SubscribeStart;
import moq.relay.wire.lite.TrackInfo;
import moq.relay.wire.lite.TrackRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * moq-lite-05 sessions over raw QUIC with a peer built from the wire codecs ({@link LiteTestPeer}), as
 * {@link LiteSessionTest} for 03/04: the relay's SETUP (Probe = Report, its Origin, no Path), TRACK answered with
 * TRACK_INFO, ANNOUNCE_OK before the announcements, SUBSCRIBE_START / SUBSCRIBE_END around Group Streams whose frames
 * carry timestamps, PROBE with the RTT, a lite-05 publisher's broadcast (ANNOUNCE_OK, SUBSCRIBE_START, timestamped
 * frames) reaching a draft-18 subscriber byte for byte, and a second SETUP closing the session.
 */
class LiteSession05Test
{
    private static final String TRACK = "video";

    @TempDir
    static Path certDir;

    @RegisterExtension
    final LogCapture sessionLog = new LogCapture("moq.relay.session");

    private LiteRelayFixture lite;

    @BeforeEach
    void start()
    {
        lite = new LiteRelayFixture(certDir);
    }

    @AfterEach
    void stop()
    {
        lite.close();
    }

    private LiteTestPeer peer() throws Exception
    {
        return lite.peer();
    }

    private static List<byte[]> payloads(final long g, final int n)
    {
        final Random random = new Random(g * 17 + n);
        final List<byte[]> out = new ArrayList<>();
        for (int o = 0; o < n; o++)
        {
            final byte[] p = new byte[o == 1 ? 4000 : 1 + random.nextInt(200)];
            random.nextBytes(p);
            out.add(p);
        }
        return out;
    }

    private static long varint(final Bytes value)
    {
        final byte[] b = value.array();
        long v = b[0] & 0x3F;
        for (int i = 1; i < 1 << ((b[0] & 0xC0) >> 6); i++)
        {
            v = v << 8 | b[i] & 0xFF;
        }
        return v;
    }

    private static Setup relaySetup(final LiteTestPeer p) throws InterruptedException
    {
        RelayFixture.await(() -> !p.setups.isEmpty() && p.setups.get(0).first(Setup.class) != null &&
            p.setups.get(0).fin.isDone(), "the relay's SETUP and its FIN");
        return p.setups.get(0).first(Setup.class);
    }

    @Test
    void theRelaySendsSetupAndAnswersTrackWithTrackInfo() throws Exception
    {
        final LiteTestPeer p = peer();
        final Setup setup = relaySetup(p);
        assertThat(varint(setup.parameter(Setup.PROBE))).as("Probe = Report").isEqualTo(1);
        assertThat(varint(setup.parameter(Setup.ORIGIN))).as("a known origin").isBetween(1L, (1L << 53) - 1);
        assertThat(setup.parameter(Setup.PATH)).as("a server sends no Path").isNull();
        assertThat(p.setups).hasSize(1);
        assertThat(sessionLog.messages()).anyMatch(m -> m.contains("moq-lite-05 over raw QUIC, live (SETUP sent)"));

        p.sendSetup(new Setup(List.of(new Setup.Parameter(Setup.PROBE, Bytes.wrap(new byte[] {1})))));
        final LiteTestPeer.Control track = p.open(LiteStreamSide.TRACK_REPLY,
            p.opener(LiteStreamType.TRACK, new TrackRequest("room/alice", TRACK)));
        RelayFixture.await(() -> track.first(TrackInfo.class) != null, "TRACK_INFO");
        assertThat(track.first(TrackInfo.class).timescale()).as("microseconds").isEqualTo(1_000_000);
        assertThat(track.first(TrackInfo.class).ordered()).isTrue();
        track.fin.get(5, TimeUnit.SECONDS);

        final LiteTestPeer.Control probe = p.open(LiteStreamSide.PROBE_REPLY, new byte[] {LiteStreamType.PROBE});
        RelayFixture.await(() -> probe.first(Probe.class) != null, "a PROBE report");
        assertThat(probe.first(Probe.class).rttMs()).as("the connection's RTT in ms").isBetween(1L, 332L);
        assertThat(p.connection.channel().isActive()).isTrue();
    }

    @Test
    void aMoqtTrackReachesALite05SubscriberWithStartEndAndTimestampedFrames() throws Exception
    {
        final MoqClient moqt = lite.relay.connect(Draft.DRAFT_18);
        final TrackNamespace ns = TrackNamespace.of("live", "bob");
        moqt.publishNamespace(ns).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = moqt.track(ns, Bytes.utf8(TRACK), 100);

        final LiteTestPeer subscriber = peer();
        final long origin = varint(relaySetup(subscriber).parameter(Setup.ORIGIN));
        final LiteTestPeer.Control announced = subscriber.open(LiteStreamSide.ANNOUNCE_REPLY,
            subscriber.opener(LiteStreamType.ANNOUNCE, new AnnouncePlease("live", 0)));
        RelayFixture.await(() -> announced.first(Announce.class) != null, "ANNOUNCE of live/bob");
        assertThat(announced.messages.get(0)).as("ANNOUNCE_OK first, naming the relay's origin")
            .isEqualTo(new AnnounceOk(origin, 0));
        assertThat(announced.first(Announce.class)).isEqualTo(new Announce(AnnounceStatus.ACTIVE, "bob", List.of()));

        final LiteTestPeer.Control sub = subscriber.open(LiteStreamSide.SUBSCRIBE_REPLY, subscriber.opener(
            LiteStreamType.SUBSCRIBE, new Subscribe(4, "live/bob", TRACK, 10, true, 0, 0, 0)));
        RelayFixture.await(() -> sub.first(SubscribeStart.class) != null, "SUBSCRIBE_START");
        assertThat(sub.first(SubscribeOk.class)).as("no SUBSCRIBE_OK on lite-05").isNull();
        track.firstSubscriber().get(5, TimeUnit.SECONDS);

        final long before = System.currentTimeMillis() * 1000;
        final List<List<byte[]>> sent = new ArrayList<>();
        for (int g = 0; g < 2; g++)
        {
            final List<byte[]> frames = payloads(g, 3);
            final SubgroupWriter w = track.openSubgroup(g, 0);
            for (int o = 0; o < frames.size(); o++)
            {
                w.write(o, Unpooled.wrappedBuffer(frames.get(o)));
            }
            w.close();
            sent.add(frames);
        }
        RelayFixture.await(() -> subscriber.groups.stream().filter(x -> x.ended).count() == 2, "two Group Streams");
        final long after = System.currentTimeMillis() * 1000 + 1000;
        for (final LiteTestPeer.Group g : subscriber.groups)
        {
            assertThat(g.error).isNull();
            assertThat(g.subscribeId).isEqualTo(4);
            assertThat(g.frames).as("group " + g.sequence + " byte for byte")
                .usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(sent.get((int)g.sequence));
            assertThat(g.timestamps).as("the relay's clock in µs, non-decreasing").isSorted()
                .allSatisfy(t -> assertThat(t).isBetween(before - 1_000_000, after));
        }

        track.finish(0x2, "bye");
        sub.fin.get(5, TimeUnit.SECONDS);
        assertThat(sub.first(SubscribeEnd.class)).as("exclusive end: the group after the last one")
            .isEqualTo(new SubscribeEnd(2));
    }

    /**
     * TRACK_INFO carries what the relay knows of the track (issue #17): a lite-04 publisher's SUBSCRIBE_OK priority
     * and group order, not the relay's defaults (which an unknown track still gets).
     */
    @Test
    void trackInfoCarriesThePublishersPriorityAndOrder() throws Exception
    {
        final LiteTestPeer publisher = lite.peer(LiteVersion.LITE_04);
        LiteRelayFixture.relayStream(publisher, AnnouncePlease.class)
            .write(new Announce(AnnounceStatus.ACTIVE, "room/erin", List.of(7L)));
        RelayFixture.await(() -> lite.relay.relay.isPublished(TrackNamespace.of("room", "erin")), "room/erin published");

        final LiteTestPeer subscriber = peer();
        final LiteTestPeer.Control sub = subscriber.open(LiteStreamSide.SUBSCRIBE_REPLY, subscriber.opener(
            LiteStreamType.SUBSCRIBE, new Subscribe(1, "room/erin", TRACK, 10, true, 0, 0, 0)));
        LiteRelayFixture.relayStream(publisher, Subscribe.class)
            .write(new SubscribeOk(200, false, 0, 0, 0));
        RelayFixture.await(() -> sub.first(SubscribeStart.class) != null, "SUBSCRIBE_START");

        final LiteTestPeer.Control known = subscriber.open(LiteStreamSide.TRACK_REPLY,
            subscriber.opener(LiteStreamType.TRACK, new TrackRequest("room/erin", TRACK)));
        RelayFixture.await(() -> known.first(TrackInfo.class) != null, "TRACK_INFO of room/erin");
        assertThat(known.first(TrackInfo.class)).isEqualTo(new TrackInfo(200, false, 0, 1_000_000));

        final LiteTestPeer.Control unknown = subscriber.open(LiteStreamSide.TRACK_REPLY,
            subscriber.opener(LiteStreamType.TRACK, new TrackRequest("room/nobody", TRACK)));
        RelayFixture.await(() -> unknown.first(TrackInfo.class) != null, "TRACK_INFO of room/nobody");
        assertThat(unknown.first(TrackInfo.class)).as("nothing known: the defaults")
            .isEqualTo(new TrackInfo(128, true, 0, 1_000_000));
    }

    @Test
    void aLite05PublishersBroadcastReachesADraft18SubscriberByteForByte() throws Exception
    {
        final LiteTestPeer publisher = peer();
        publisher.trackInfo = new TrackInfo(128, true, 0, 90_000);
        publisher.sendSetup(new Setup(List.of(new Setup.Parameter(Setup.ORIGIN, Bytes.wrap(new byte[] {9})))));
        final LiteTestPeer.Control announce = LiteRelayFixture.relayStream(publisher, AnnouncePlease.class);
        announce.write(new AnnounceOk(9, 1));
        announce.write(new Announce(AnnounceStatus.ACTIVE, "room/carol", List.of()));
        final TrackNamespace ns = TrackNamespace.of("room", "carol");
        RelayFixture.await(() -> lite.relay.relay.isPublished(ns), "room/carol published");
        announce.write(new Announce(AnnounceStatus.RESTART, "room/carol", List.of()));

        final List<ReceivedObject> received = new CopyOnWriteArrayList<>();
        final List<String> hex = new CopyOnWriteArrayList<>();
        final CompletableFuture<Long> done = new CompletableFuture<>();
        final CompletableFuture<?> s = lite.relay.connect(Draft.DRAFT_18).subscribe(ns, Bytes.utf8(TRACK),
            SubscribeOptions.LATEST, new SubscriptionListener()
            {
                @Override
                public void onObject(final ReceivedObject o)
                {
                    if (o.status() == 0)
                    {
                        received.add(o);
                        hex.add(o.groupId() + "/" + o.objectId() + ":" + HexFormat.of().formatHex(o.payloadBytes()));
                    }
                }

                @Override
                public void onPublishDone(final long statusCode, final long streamCount, final String reason)
                {
                    done.complete(statusCode);
                }
            });
        final LiteTestPeer.Control sub = LiteRelayFixture.relayStream(publisher, Subscribe.class);
        // A lite-05 publisher says nothing on the Subscribe Stream before its first group: the relay accepts the
        // subscription when its SUBSCRIBE is out, as lite-05 does implicitly (after asking the track's TRACK_INFO).
        s.get(5, TimeUnit.SECONDS);
        assertThat(publisher.relayStreams).as("TRACK asked of the publisher once")
            .filteredOn(c -> c.first(TrackRequest.class) != null).hasSize(1);
        sub.write(new SubscribeStart(0));

        final List<String> expected = new ArrayList<>();
        for (long g = 0; g < 3; g++)
        {
            final List<byte[]> frames = payloads(g, 3);
            publisher.writeGroup(sub.first(Subscribe.class).id(), g, frames, true, 90_000 * g);
            for (int o = 0; o < frames.size(); o++)
            {
                expected.add(g + "/" + o + ":" + HexFormat.of().formatHex(frames.get(o)));
            }
            final int n = expected.size();
            RelayFixture.await(() -> hex.size() >= n, () -> "objects " + hex.size() + " of " + n);
        }
        assertThat(hex).as("timestamped frames as objects, byte for byte").containsExactlyElementsOf(expected);

        sub.write(new SubscribeEnd(3));
        sub.fin();
        assertThat(done.get(5, TimeUnit.SECONDS)).as("TRACK_ENDED").isEqualTo(0x2L);
        assertThat(publisher.connection.channel().isActive()).isTrue();
    }

    @Test
    void aLite05PublishersResetOfTheSubscribeStreamEndsTheMoqtSubscriptionWithAnError() throws Exception
    {
        final LiteTestPeer publisher = lite.publisher("gone", new TrackInfo(128, true, 0, 1_000_000));
        final CompletableFuture<Long> done = new CompletableFuture<>();
        lite.relay.connect(Draft.DRAFT_18).subscribe(TrackNamespace.of("gone"), Bytes.utf8(TRACK), SubscribeOptions.LATEST,
            new SubscriptionListener()
            {
                @Override
                public void onObject(final ReceivedObject o)
                {
                }

                @Override
                public void onPublishDone(final long statusCode, final long streamCount, final String reason)
                {
                    done.complete(statusCode);
                }
            }).get(5, TimeUnit.SECONDS);
        final LiteTestPeer.Control sub = LiteRelayFixture.relayStream(publisher, Subscribe.class);
        sub.channel.shutdownOutput(0x10); // "not found": @moq/net resets the stream
        sub.channel.shutdownInput(0x10);
        assertThat(done.get(5, TimeUnit.SECONDS)).as("an error, not TRACK_ENDED").isNotEqualTo(0x2L);
        assertThat(publisher.connection.channel().isActive()).isTrue();
    }

    @Test
    void aLitePublishersBroadcastsBeyondTheConfiguredCapAreNotPublished() throws Exception
    {
        lite.close();
        lite = new LiteRelayFixture(certDir, java.util.Map.of(
            moq.relay.config.RelayConfiguration.LITE_MAX_BROADCASTS_PROP_NAME, "2"));
        final LiteTestPeer publisher = peer();
        final LiteTestPeer.Control announce = LiteRelayFixture.relayStream(publisher, AnnouncePlease.class);
        announce.write(new AnnounceOk(0, 3));
        for (final String b : List.of("cap/a", "cap/b", "cap/c"))
        {
            announce.write(new Announce(AnnounceStatus.ACTIVE, b, List.of()));
        }
        RelayFixture.await(() -> lite.relay.relay.isPublished(TrackNamespace.of("cap", "b")), "cap/b published");
        Thread.sleep(200);
        assertThat(lite.relay.relay.isPublished(TrackNamespace.of("cap", "a"))).isTrue();
        assertThat(lite.relay.relay.isPublished(TrackNamespace.of("cap", "c"))).as("beyond the cap of 2").isFalse();
        assertThat(publisher.connection.channel().isActive()).isTrue();
    }

    @Test
    void aSecondSetupIsAProtocolViolation() throws Exception
    {
        final LiteTestPeer p = peer();
        relaySetup(p);
        final Setup setup = new Setup(List.of(new Setup.Parameter(Setup.PROBE, Bytes.wrap(new byte[] {0}))));
        p.sendSetup(setup);
        p.sendSetup(setup);
        assertThat(p.awaitClose().error()).isEqualTo(0x3);
    }
}
