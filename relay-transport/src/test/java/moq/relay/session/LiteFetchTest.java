package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.QuicStreamResetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.TrackPublisher;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.lite.Fetch;
import moq.relay.wire.lite.LiteStreamSide;
import moq.relay.wire.lite.LiteStreamType;
import moq.relay.wire.lite.LiteVersion;
import moq.relay.wire.lite.Subscribe;
import moq.relay.wire.lite.SubscribeStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * moq-lite FETCH (a Fetch Stream asking one whole group) served from the relay's cache like a MoQT FETCH (issue #17):
 * the group's frames byte for byte on the same stream, bare (no GROUP), lite-05 with timestamps, then FIN; on lite-03
 * too (the text that defines it). A FETCH the relay cannot serve resets that stream with DOES_NOT_EXIST and the session
 * lives.
 */
class LiteFetchTest
{
    private static final String TRACK = "video";

    @RegisterExtension
    static final LiteRelayExtension lite = LiteRelayExtension.withDefaults();

    private LiteTestPeer peer(final LiteVersion version) throws Exception
    {
        return lite.peer(version);
    }

    private static List<byte[]> payloads(final long g)
    {
        final Random random = new Random(g * 31 + 5);
        final List<byte[]> out = new ArrayList<>();
        for (int o = 0; o < 3; o++)
        {
            final byte[] p = new byte[o == 1 ? 5000 : 1 + random.nextInt(300)];
            random.nextBytes(p);
            out.add(p);
        }
        return out;
    }

    @Test
    void aFetchIsServedFromTheCacheByteForByte() throws Exception
    {
        final MoqClient moqt = lite.relay.connect(Draft.DRAFT_18);
        final TrackNamespace ns = TrackNamespace.of("live", "fetch");
        moqt.publishNamespace(ns).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = moqt.track(ns, Bytes.utf8(TRACK), 100);

        // A live subscriber makes the relay pull the track, so its groups are in the cache.
        final LiteTestPeer watcher = peer(LiteVersion.LITE_05);
        final LiteTestPeer.Control sub = watcher.open(LiteStreamSide.SUBSCRIBE_REPLY, watcher.opener(
            LiteStreamType.SUBSCRIBE, new Subscribe(1, "live/fetch", TRACK, 10, true, 0, 0, 0)));
        RelayFixture.await(() -> sub.first(SubscribeStart.class) != null, "SUBSCRIBE_START");
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        for (int g = 0; g < 3; g++)
        {
            final List<byte[]> frames = payloads(g);
            final SubgroupWriter w = track.openSubgroup(g, 0);
            for (int o = 0; o < frames.size(); o++)
            {
                w.write(o, Unpooled.wrappedBuffer(frames.get(o)));
            }
            w.close();
        }
        RelayFixture.await(() -> watcher.groups.stream().filter(x -> x.ended).count() == 3, "three Group Streams");

        final long before = System.currentTimeMillis() * 1000;
        final LiteTestPeer.Group fetched = watcher.fetch(new Fetch("live/fetch", TRACK, 20, 1));
        fetched.closed.get(5, TimeUnit.SECONDS);
        assertThat(fetched.error).as("served, not reset").isNull();
        assertThat(fetched.ended).as("FIN after the last frame").isTrue();
        assertThat(fetched.frames).as("group 1 byte for byte").usingElementComparator(java.util.Arrays::compare)
            .containsExactlyElementsOf(payloads(1));
        assertThat(fetched.timestamps).as("lite-05: the relay's clock in µs").isSorted()
            .allSatisfy(t -> assertThat(t).isBetween(before - 1_000_000, System.currentTimeMillis() * 1000 + 1000));

        final LiteTestPeer old = peer(LiteVersion.LITE_03);
        final LiteTestPeer.Group fetched03 = old.fetch(new Fetch("live/fetch", TRACK, 20, 2));
        fetched03.closed.get(5, TimeUnit.SECONDS);
        assertThat(fetched03.error).as("lite-03: served, not reset").isNull();
        assertThat(fetched03.frames).as("lite-03: group 2 byte for byte")
            .usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(payloads(2));
        assertThat(watcher.connection.channel().isActive()).isTrue();
    }

    @Test
    void aFetchTheRelayCannotServeResetsThatStreamOnly() throws Exception
    {
        final LiteTestPeer p = peer(LiteVersion.LITE_05);
        final LiteTestPeer.Group unknown = p.fetch(new Fetch("nobody/here", TRACK, 1, 0));
        unknown.closed.get(5, TimeUnit.SECONDS);
        assertThat(unknown.frames).isEmpty();
        assertThat(unknown.error).isInstanceOf(QuicStreamResetException.class);
        assertThat(((QuicStreamResetException)unknown.error).applicationProtocolCode()).as("DOES_NOT_EXIST")
            .isEqualTo(0x10);
        assertThat(p.connection.channel().isActive()).isTrue();
    }

    /**
     * A FETCH of a group the relay's cache does not hold, of a moq-lite publisher's track, is asked of the publisher
     * (after its TRACK_INFO, lite-05) on a Fetch Stream of the relay's own, as an upstream MoQT FETCH is; its frames
     * come back byte for byte with the publisher's timestamps, then FIN. A publisher's reset before any frame resets
     * the subscriber's Fetch Stream with DOES_NOT_EXIST; the sessions live.
     */
    @Test
    void aFetchTheCacheLacksIsAskedOfTheLitePublisher() throws Exception
    {
        final LiteTestPeer publisher = lite.publisher("room/vod",
            new moq.relay.wire.lite.TrackInfo(100, true, 0, 48_000));
        final LiteTestPeer watcher = peer(LiteVersion.LITE_05);
        final LiteTestPeer.Group fetched = watcher.fetch(new Fetch("room/vod", TRACK, 20, 7));

        final LiteTestPeer.Control asked = LiteRelayFixture.relayStream(publisher, Fetch.class);
        assertThat(asked.first(Fetch.class)).as("the relay's FETCH: the group, priority as asked")
            .isEqualTo(new Fetch("room/vod", TRACK, 20, 7));
        final List<Long> timestamps = List.of(48_000L * 7, 48_000L * 7 + 960, 48_000L * 7 + 1920);
        asked.writeFrames(payloads(7), timestamps, true);

        fetched.closed.get(5, TimeUnit.SECONDS);
        assertThat(fetched.error).as("served, not reset").isNull();
        assertThat(fetched.ended).as("FIN after the last frame").isTrue();
        assertThat(fetched.frames).as("group 7 byte for byte").usingElementComparator(java.util.Arrays::compare)
            .containsExactlyElementsOf(payloads(7));
        assertThat(fetched.timestamps).as("the publisher's timestamps").containsExactlyElementsOf(timestamps);

        final LiteTestPeer.Group missing = watcher.fetch(new Fetch("room/vod", TRACK, 20, 99));
        RelayFixture.await(() -> publisher.relayStreams.stream().filter(c -> c.first(Fetch.class) != null).count() == 2,
            "the relay's second FETCH");
        final LiteTestPeer.Control refused = publisher.relayStreams.stream()
            .filter(c -> c.first(Fetch.class) != null && c.first(Fetch.class).group() == 99).findFirst().orElseThrow();
        refused.channel.shutdownOutput(0x10); // @moq/net resets a fetch of a group it lacks
        missing.closed.get(5, TimeUnit.SECONDS);
        assertThat(missing.error).isInstanceOf(QuicStreamResetException.class);
        assertThat(((QuicStreamResetException)missing.error).applicationProtocolCode()).as("DOES_NOT_EXIST")
            .isEqualTo(0x10);
        assertThat(publisher.connection.channel().isActive()).isTrue();
        assertThat(watcher.connection.channel().isActive()).isTrue();
    }
}
