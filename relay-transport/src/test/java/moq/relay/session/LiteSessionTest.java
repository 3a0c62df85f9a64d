package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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
import moq.relay.config.RelayConfiguration;
import moq.relay.transport.LogCapture;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.lite.Announce;
import moq.relay.wire.lite.AnnouncePlease;
import moq.relay.wire.lite.AnnounceStatus;
import moq.relay.wire.lite.LiteStreamSide;
import moq.relay.wire.lite.LiteStreamType;
import moq.relay.wire.lite.LiteVersion;
import moq.relay.wire.lite.Probe;
import moq.relay.wire.lite.Subscribe;
import moq.relay.wire.lite.SubscribeOk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The relay's moq-lite sessions over raw QUIC with a peer built from the wire codecs ({@link LiteTestPeer}): a
 * moq-lite publisher's broadcast reaches draft-18 and draft-14 subscribers as a namespace with tracks, a MoQT
 * publisher's namespace reaches a moq-lite subscriber as a broadcast (announced, groups as Group Streams, byte for
 * byte), a late joiner starts at the current group, PROBE reports the RTT, and malformed input closes only the
 * offending session with PROTOCOL_VIOLATION.
 */
class LiteSessionTest
{
    private static final String TRACK = "video";

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withSettings(Map.of(
        RelayConfiguration.SESSION_MAX_GATHERED_BYTES_PROP_NAME, "64k"));
    private static final Path certDir = relay.certDir();

    @RegisterExtension
    final LogCapture sessionLog = new LogCapture("moq.relay.session");

    private final List<LiteTestPeer> peers = new ArrayList<>();

    @AfterEach
    void stop()
    {
        peers.forEach(LiteTestPeer::close);
    }

    private LiteTestPeer peer(final LiteVersion version) throws Exception
    {
        final LiteTestPeer p = new LiteTestPeer(certDir, relay.server.localAddress().getPort(), version);
        peers.add(p);
        return p;
    }

    /** The relay opens an Announce Stream to every moq-lite peer: the peer answers it as a publisher. */
    private static LiteTestPeer.Control announceStream(final LiteTestPeer p) throws InterruptedException
    {
        RelayFixture.await(() -> p.relayStreams.stream().anyMatch(c -> c.first(AnnouncePlease.class) != null),
            "the relay's ANNOUNCE_PLEASE");
        return p.relayStreams.stream().filter(c -> c.first(AnnouncePlease.class) != null).findFirst().orElseThrow();
    }

    private static List<byte[]> payloads(final long g, final int n)
    {
        final Random random = new Random(g * 31 + n);
        final List<byte[]> out = new ArrayList<>();
        for (int o = 0; o < n; o++)
        {
            final byte[] p = new byte[o == 1 ? 5000 : 1 + random.nextInt(300)];
            random.nextBytes(p);
            out.add(p);
        }
        return out;
    }

    private record Obj(long group, long object, String hex)
    {
    }

    private static final class Recorder implements SubscriptionListener
    {
        final List<Obj> objects = new CopyOnWriteArrayList<>();
        final CompletableFuture<Long> done = new CompletableFuture<>();

        @Override
        public void onObject(final ReceivedObject o)
        {
            if (o.status() == 0)
            {
                objects.add(new Obj(o.groupId(), o.objectId(), HexFormat.of().formatHex(o.payloadBytes())));
            }
        }

        @Override
        public void onPublishDone(final long statusCode, final long streamCount, final String reason)
        {
            done.complete(statusCode);
        }
    }

    @Test
    void liteBroadcastReachesDraft18AndDraft14SubscribersAsANamespaceWithTracks() throws Exception
    {
        final LiteTestPeer publisher = peer(LiteVersion.LITE_04);
        final LiteTestPeer.Control announce = announceStream(publisher);
        assertThat(announce.first(AnnouncePlease.class).prefix()).isEmpty();
        announce.write(new Announce(AnnounceStatus.ACTIVE, "room/alice", List.of(7L)));
        final TrackNamespace ns = TrackNamespace.of("room", "alice");
        RelayFixture.await(() -> relay.relay.isPublished(ns), "room/alice published");

        final Recorder d18 = new Recorder();
        final Recorder d14 = new Recorder();
        final MoqClient c18 = relay.connect(Draft.DRAFT_18);
        final CompletableFuture<?> s18 = c18.subscribe(ns, Bytes.utf8(TRACK), SubscribeOptions.LATEST, d18);
        RelayFixture.await(() -> publisher.relayStreams.stream().anyMatch(c -> c.first(Subscribe.class) != null),
            "the relay's SUBSCRIBE");
        final LiteTestPeer.Control sub = publisher.relayStreams.stream()
            .filter(c -> c.first(Subscribe.class) != null).findFirst().orElseThrow();
        final Subscribe subscribe = sub.first(Subscribe.class);
        assertThat(subscribe.broadcast()).isEqualTo("room/alice");
        assertThat(subscribe.track()).isEqualTo(TRACK);
        assertThat(subscribe.startGroup()).as("latest group").isZero();
        sub.write(new SubscribeOk(200, true, 0, 0, 0));
        s18.get(5, TimeUnit.SECONDS);
        final MoqClient c14 = relay.connect(Draft.DRAFT_14);
        c14.subscribe(ns, Bytes.utf8(TRACK), SubscribeOptions.LATEST, d14).get(5, TimeUnit.SECONDS);

        final List<Obj> expected = new ArrayList<>();
        for (long g = 0; g < 3; g++)
        {
            final List<byte[]> frames = payloads(g, 4);
            publisher.writeGroup(subscribe.id(), g, frames, true);
            for (int o = 0; o < frames.size(); o++)
            {
                expected.add(new Obj(g, o, HexFormat.of().formatHex(frames.get(o))));
            }
            final int n = expected.size();
            RelayFixture.await(() -> d18.objects.size() >= n && d14.objects.size() >= n,
                () -> "objects: d18 " + d18.objects.size() + ", d14 " + d14.objects.size() + " of " + n);
        }
        assertThat(d18.objects).as("draft 18: frames as objects, byte for byte").containsExactlyElementsOf(expected);
        assertThat(d14.objects).as("draft 14: frames as objects, byte for byte").containsExactlyElementsOf(expected);

        // The publisher ends the track: FIN of its side of the Subscribe Stream = PUBLISH_DONE TRACK_ENDED.
        sub.fin();
        assertThat(d18.done.get(5, TimeUnit.SECONDS)).isEqualTo(0x2L);
        assertThat(d14.done.get(5, TimeUnit.SECONDS)).isEqualTo(0x2L);
        assertThat(sessionLog.messages()).anyMatch(m -> m.contains("moq-lite session of peer") &&
            m.contains("moq-lite-04 over raw QUIC"));
    }

    @Test
    void moqtNamespaceReachesALiteSubscriberAsABroadcastAndALateJoinerStartsAtTheCurrentGroup() throws Exception
    {
        final MoqClient moqt = relay.connect(Draft.DRAFT_18);
        final TrackNamespace ns = TrackNamespace.of("live", "bob");
        moqt.publishNamespace(ns).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = moqt.track(ns, Bytes.utf8(TRACK), 100);

        final LiteTestPeer subscriber = peer(LiteVersion.LITE_03);
        final LiteTestPeer.Control announced = subscriber.open(LiteStreamSide.ANNOUNCE_REPLY,
            subscriber.opener(LiteStreamType.ANNOUNCE, new AnnouncePlease("live")));
        RelayFixture.await(() -> announced.first(Announce.class) != null, "ANNOUNCE of live/bob");
        final Announce a = announced.first(Announce.class);
        assertThat(a.status()).isEqualTo(AnnounceStatus.ACTIVE);
        assertThat(a.suffix()).isEqualTo("bob");
        assertThat(a.hops()).hasSize(1);

        final LiteTestPeer.Control sub = subscriber.open(LiteStreamSide.SUBSCRIBE_REPLY, subscriber.opener(
            LiteStreamType.SUBSCRIBE, new Subscribe(5, "live/bob", TRACK, 10, true, 0, 0, 0)));
        RelayFixture.await(() -> sub.first(SubscribeOk.class) != null, "SUBSCRIBE_OK");
        track.firstSubscriber().get(5, TimeUnit.SECONDS);

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
        for (final LiteTestPeer.Group g : subscriber.groups)
        {
            assertThat(g.subscribeId).isEqualTo(5);
            assertThat(g.frames).as("group " + g.sequence + " byte for byte")
                .usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(sent.get((int)g.sequence));
        }

        // Group 2 is in progress (two objects) when a second moq-lite subscriber joins with Start Group 0.
        final List<byte[]> current = payloads(2, 4);
        final SubgroupWriter w2 = track.openSubgroup(2, 0);
        w2.write(0, Unpooled.wrappedBuffer(current.get(0)));
        w2.write(1, Unpooled.wrappedBuffer(current.get(1)));
        RelayFixture.await(() -> subscriber.groups.stream().anyMatch(x -> x.sequence == 2 && x.frames.size() == 2),
            "group 2 begun");
        final LiteTestPeer late = peer(LiteVersion.LITE_04);
        final LiteTestPeer.Control lateSub = late.open(LiteStreamSide.SUBSCRIBE_REPLY, late.opener(
            LiteStreamType.SUBSCRIBE, new Subscribe(0, "live/bob", TRACK, 10, true, 0, 0, 0)));
        RelayFixture.await(() -> lateSub.first(SubscribeOk.class) != null, "late SUBSCRIBE_OK");
        assertThat(lateSub.first(SubscribeOk.class).startGroup()).as("resolved start: group 2 (+1)").isEqualTo(3);
        w2.write(2, Unpooled.wrappedBuffer(current.get(2)));
        w2.write(3, Unpooled.wrappedBuffer(current.get(3)));
        w2.close();
        RelayFixture.await(() -> late.groups.stream().anyMatch(x -> x.ended), "the late joiner's group");
        assertThat(late.groups).hasSize(1);
        assertThat(late.groups.get(0).sequence).isEqualTo(2);
        assertThat(late.groups.get(0).frames).as("from the current group's first object")
            .usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(current);

        // The MoQT publisher ends the track: the relay FINs its side of the Subscribe Stream.
        track.finish(0x2, "bye");
        sub.fin.get(5, TimeUnit.SECONDS);
        lateSub.fin.get(5, TimeUnit.SECONDS);
    }

    @Test
    void probeReportsTheConnectionsRtt() throws Exception
    {
        final LiteTestPeer p = peer(LiteVersion.LITE_04);
        final LiteTestPeer.Control probe = p.open(LiteStreamSide.PROBE_REPLY, new byte[] {LiteStreamType.PROBE});
        RelayFixture.await(() -> probe.first(Probe.class) != null, "a PROBE report");
        final Probe report = probe.first(Probe.class);
        assertThat(report.rttMs()).as("known (quiche's smoothed RTT, whole ms rounded up), under its 333 ms initial guess")
            .isBetween(1L, 332L);
    }

    @Test
    void malformedInputClosesOnlyThatSessionWithProtocolViolation() throws Exception
    {
        final LiteTestPeer healthy = peer(LiteVersion.LITE_04);
        final LiteTestPeer bad = peer(LiteVersion.LITE_04);
        // SUBSCRIBE whose Subscriber Ordered byte is 2 (must be 0 or 1).
        final byte[] b = bad.opener(LiteStreamType.SUBSCRIBE, new Subscribe(1, "a", "b", 1, true, 0, 0, 0));
        b[b.length - 4] = 2;
        bad.open(LiteStreamSide.SUBSCRIBE_REPLY, b);
        assertThat(bad.awaitClose().error()).isEqualTo(0x3);
        assertThat(healthy.connection.channel().isActive()).isTrue();
        final LiteTestPeer.Control probe = healthy.open(LiteStreamSide.PROBE_REPLY, new byte[] {LiteStreamType.PROBE});
        RelayFixture.await(() -> probe.first(Probe.class) != null, "the healthy session still answers");
    }

    @Test
    void aReusedSubscribeIdIsAProtocolViolation() throws Exception
    {
        final MoqClient moqt = relay.connect(Draft.DRAFT_18);
        final TrackNamespace ns = TrackNamespace.of("dup");
        moqt.publishNamespace(ns).get(5, TimeUnit.SECONDS);
        moqt.track(ns, Bytes.utf8(TRACK), 100);
        final LiteTestPeer p = peer(LiteVersion.LITE_04);
        final LiteTestPeer.Control first = p.open(LiteStreamSide.SUBSCRIBE_REPLY,
            p.opener(LiteStreamType.SUBSCRIBE, new Subscribe(3, "dup", TRACK, 1, true, 0, 0, 0)));
        RelayFixture.await(() -> first.first(SubscribeOk.class) != null, "SUBSCRIBE_OK");
        p.open(LiteStreamSide.SUBSCRIBE_REPLY,
            p.opener(LiteStreamType.SUBSCRIBE, new Subscribe(3, "dup", TRACK, 1, true, 0, 0, 0)));
        assertThat(p.awaitClose().error()).isEqualTo(0x3);
    }

    @Test
    void anUnknownStreamTypeResetsThatStreamOnly() throws Exception
    {
        final LiteTestPeer p = peer(LiteVersion.LITE_04);
        final LiteTestPeer.Control unknown = p.open(LiteStreamSide.PROBE_REPLY, new byte[] {0x30, 1, 2, 3});
        unknown.ended.get(5, TimeUnit.SECONDS);
        final LiteTestPeer.Control probe = p.open(LiteStreamSide.PROBE_REPLY, new byte[] {LiteStreamType.PROBE});
        RelayFixture.await(() -> probe.first(Probe.class) != null, "the session still answers");
        assertThat(p.connection.channel().isActive()).isTrue();
    }

    @Test
    void aGroupStreamBeyondTheGatherBudgetIsGivenUpAndTheSessionLives() throws Exception
    {
        final LiteTestPeer publisher = peer(LiteVersion.LITE_04);
        final LiteTestPeer.Control announce = announceStream(publisher);
        announce.write(Announce.of(AnnounceStatus.ACTIVE, "big", 0));
        final TrackNamespace ns = TrackNamespace.of("big");
        RelayFixture.await(() -> relay.relay.isPublished(ns), "big published");
        final Recorder r = new Recorder();
        final CompletableFuture<?> s = relay.connect(Draft.DRAFT_18).subscribe(ns, Bytes.utf8(TRACK),
            SubscribeOptions.LATEST, r);
        RelayFixture.await(() -> publisher.relayStreams.stream().anyMatch(c -> c.first(Subscribe.class) != null),
            "the relay's SUBSCRIBE");
        final LiteTestPeer.Control sub = publisher.relayStreams.stream()
            .filter(c -> c.first(Subscribe.class) != null).findFirst().orElseThrow();
        sub.write(new SubscribeOk(1, true, 0, 0, 0));
        s.get(5, TimeUnit.SECONDS);
        final long id = sub.first(Subscribe.class).id();
        // Several streams each part-way through a 60 KB frame: together above the session's 64 KiB gather budget.
        final List<io.netty.handler.codec.quic.QuicStreamChannel> open = new ArrayList<>();
        for (int g = 0; g < 4; g++)
        {
            final io.netty.handler.codec.quic.QuicStreamChannel st = publisher.connection.channel().createStream(
                io.netty.handler.codec.quic.QuicStreamType.UNIDIRECTIONAL,
                new io.netty.channel.ChannelInboundHandlerAdapter()).get(5, TimeUnit.SECONDS);
            final org.agrona.concurrent.UnsafeBuffer h = new org.agrona.concurrent.UnsafeBuffer(new byte[32]);
            int n = moq.relay.wire.lite.LiteFrameEncoder.groupStreamHeader(h, 0, id, g);
            n += moq.relay.wire.lite.LiteFrameEncoder.frameHeader(h, n, LiteVersion.LITE_04, 60_000, 0, 0);
            st.write(Unpooled.copiedBuffer(h.byteArray(), 0, n));
            st.writeAndFlush(Unpooled.wrappedBuffer(new byte[30_000])).sync();
            open.add(st);
        }
        Thread.sleep(300);
        assertThat(publisher.connection.channel().isActive()).as("only streams are given up").isTrue();
        // A small group on a fresh stream still goes through.
        final byte[] small = "still here".getBytes(StandardCharsets.UTF_8);
        publisher.writeGroup(id, 9, List.of(small), true);
        RelayFixture.await(() -> r.objects.stream().anyMatch(o -> o.group == 9), "group 9 through the relay");
    }

    @Test
    void aLitePublishersAnnouncementsPublishAndWithdrawNamespacesAndADuplicateActiveIsAViolation() throws Exception
    {
        final LiteTestPeer publisher = peer(LiteVersion.LITE_04);
        final LiteTestPeer.Control announce = announceStream(publisher);
        final TrackNamespace a = TrackNamespace.of("rooms", "a");
        final TrackNamespace b = TrackNamespace.of("rooms", "b");
        // Paths are normalised as @moq/net does: "/rooms//a/" is rooms/a.
        announce.write(new Announce(AnnounceStatus.ACTIVE, "/rooms//a/", List.of(1L)));
        announce.write(new Announce(AnnounceStatus.ACTIVE, "rooms/b", List.of(1L)));
        RelayFixture.await(() -> relay.relay.isPublished(a) && relay.relay.isPublished(b), "rooms/a and rooms/b");
        announce.write(new Announce(AnnounceStatus.ENDED, "rooms/a", List.of(1L)));
        RelayFixture.await(() -> !relay.relay.isPublished(a), "rooms/a withdrawn");
        assertThat(relay.relay.isPublished(b)).isTrue();
        announce.write(new Announce(AnnounceStatus.ACTIVE, "rooms/b", List.of(1L)));
        assertThat(publisher.awaitClose().error()).as("a second active for an active path").isEqualTo(0x3);
        RelayFixture.await(() -> !relay.relay.isPublished(b), "rooms/b withdrawn with the session");
    }

    @Test
    void aSubscribeToAnUnknownBroadcastIsResetAndTheSessionLives() throws Exception
    {
        final LiteTestPeer p = peer(LiteVersion.LITE_03);
        final LiteTestPeer.Control sub = p.open(LiteStreamSide.SUBSCRIBE_REPLY,
            p.opener(LiteStreamType.SUBSCRIBE, new Subscribe(0, "nobody/here", TRACK, 1, true, 0, 0, 0)));
        sub.ended.get(5, TimeUnit.SECONDS);
        assertThat(sub.first(SubscribeOk.class)).isNull();
        assertThat(p.connection.channel().isActive()).isTrue();
        // The id is free again: the same id subscribes to a track that exists.
        final MoqClient moqt = relay.connect(Draft.DRAFT_18);
        moqt.publishNamespace(TrackNamespace.of("here")).get(5, TimeUnit.SECONDS);
        moqt.track(TrackNamespace.of("here"), Bytes.utf8(TRACK), 100);
        final LiteTestPeer.Control again = p.open(LiteStreamSide.SUBSCRIBE_REPLY,
            p.opener(LiteStreamType.SUBSCRIBE, new Subscribe(0, "here", TRACK, 1, true, 0, 0, 0)));
        RelayFixture.await(() -> again.first(SubscribeOk.class) != null, "SUBSCRIBE_OK");
    }

    @Test
    void aGroupStreamReadBeforeSubscribeOkIsNotLost() throws Exception
    {
        final LiteTestPeer publisher = peer(LiteVersion.LITE_04);
        announceStream(publisher).write(Announce.of(AnnounceStatus.ACTIVE, "early", 1));
        final TrackNamespace ns = TrackNamespace.of("early");
        RelayFixture.await(() -> relay.relay.isPublished(ns), "early published");
        final Recorder r = new Recorder();
        final CompletableFuture<?> s = relay.connect(Draft.DRAFT_18).subscribe(ns, Bytes.utf8(TRACK),
            SubscribeOptions.LATEST, r);
        RelayFixture.await(() -> publisher.relayStreams.stream().anyMatch(c -> c.first(Subscribe.class) != null),
            "the relay's SUBSCRIBE");
        final LiteTestPeer.Control sub = publisher.relayStreams.stream()
            .filter(c -> c.first(Subscribe.class) != null).findFirst().orElseThrow();
        final byte[] frame = "first".getBytes(StandardCharsets.UTF_8);
        publisher.writeGroup(sub.first(Subscribe.class).id(), 0, List.of(frame), true);
        s.get(5, TimeUnit.SECONDS);
        RelayFixture.await(() -> r.objects.size() == 1, "the group sent before SUBSCRIBE_OK");
        assertThat(r.objects.get(0)).isEqualTo(new Obj(0, 0, HexFormat.of().formatHex(frame)));
        sub.write(new SubscribeOk(1, true, 0, 0, 0)); // late: changes nothing
        publisher.writeGroup(sub.first(Subscribe.class).id(), 1, List.of(frame), true);
        RelayFixture.await(() -> r.objects.size() == 2, "the next group");
    }
}
