package moq.relay.session.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import moq.relay.config.RelayConfiguration;
import moq.relay.engine.DownstreamSubscription;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.GroupOrder;
import moq.relay.fanout.PublishDoneStatus;
import moq.relay.engine.Publisher;
import moq.relay.engine.Relay;
import moq.relay.engine.RequestCallback;
import moq.relay.engine.RequestErrorCode;
import moq.relay.fanout.StreamResetCode;
import moq.relay.engine.SubscribeCallback;
import moq.relay.engine.SubscribeOptions;
import moq.relay.engine.TrackIngest;
import moq.relay.engine.UpstreamSubscription;
import moq.relay.fanout.EgressLoop;
import moq.relay.fanout.ObjectWriter;
import moq.relay.wire.Draft;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.WireException;
import moq.relay.wire.data.ObjectStatus;
import moq.relay.wire.data.SubgroupHeaderType;
import moq.relay.wire.data.SubgroupStreamEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A publisher's subgroup stream as the relay reads it (embedded channels below the transport, the real engine).
 *
 * <p>A publisher cannot make the relay hold unbounded memory by leaving many streams partway through large objects:
 * what a session's streams gather (objects spanning reads) is bounded; the stream that would exceed the bound is
 * abandoned (its objects dropped; a subgroup already begun downstream is reset with EXCESSIVE_LOAD) while the others
 * carry on, and a finished stream gives its share back. Publisher streams are embedded channels (below the transport); the engine is the real one.
 */
class SubgroupIngestHandlerTest
{
    private static final long ALIAS = 3;
    private static final int BUDGET = 10_000;
    private static final int LARGE = 8_000;

    private final Relay relay = new Relay(RelayConfiguration.from(Map.of(
        RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "64k",
        RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "1m",
        RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "256k")), 1);
    private final EgressLoop loop = relay.egressLoop(0);
    private final Recorder downstream = new Recorder();
    private long held;
    /** STOP_SENDING codes the handlers asked for, and the aliases of dropped objects. */
    private final List<Long> stopped = new ArrayList<>();
    private final List<Long> drops = new ArrayList<>();
    private TrackIngest ingest;
    /** How the fake session answers a stream that waits for its alias; by default it does not let it wait. */
    private AliasWait waitingTracks = (alias, onKnown) -> false;

    private interface AliasWait
    {
        boolean await(long alias, Runnable onKnown);
    }

    @AfterEach
    void close()
    {
        relay.close();
    }

    private final SubgroupIngestHandler.Tracks tracks = new SubgroupIngestHandler.Tracks()
    {
        @Override
        public TrackIngest ingestFor(final long trackAlias)
        {
            return trackAlias == ALIAS ? ingest : null;
        }

        @Override
        public boolean awaitAlias(final long trackAlias, final Runnable onKnown)
        {
            return waitingTracks.await(trackAlias, onKnown);
        }

        @Override
        public void cancelAwait(final long trackAlias, final Runnable onKnown)
        {
        }

        @Override
        public boolean reserveGathered(final int bytes)
        {
            if (held + bytes > BUDGET)
            {
                return false;
            }
            held += bytes;
            return true;
        }

        @Override
        public void releaseGathered(final int bytes)
        {
            held -= bytes;
        }

        @Override
        public void stopStream(final io.netty.channel.Channel stream, final long code)
        {
            stopped.add(code);
        }

        @Override
        public void objectDropped(final long trackAlias)
        {
            drops.add(trackAlias);
        }

        @Override
        public void streamStarted(final long trackAlias)
        {
        }

        @Override
        public void streamEnded(final long trackAlias)
        {
        }

        @Override
        public void fail(final WireException e)
        {
            throw new AssertionError(e);
        }
    };

    @Test
    void streamsPartwayThroughLargeObjectsAreBoundedAndTheOverflowingOneIsAbandoned()
    {
        publishAndSubscribe(FullTrackName.of("t", "video"));

        // Stream A: group 1, an 8,000-byte object of which only the first 100 bytes have arrived: the gather buffer
        // holds what arrived (at least 4,096), not the declared 8,000.
        final byte[] a = stream(1, LARGE);
        final EmbeddedChannel streamA = open(a, a.length - LARGE + 100);
        assertThat(held).isEqualTo(4096);
        // Stream B: group 2, the same; then the rest of B arrives: 4,096 + 8,000 would exceed the 10,000 bound, so B
        // is given up (STOP_SENDING EXCESSIVE_LOAD) and gives its share back.
        final byte[] b = stream(2, LARGE);
        final EmbeddedChannel streamB = open(b, b.length - LARGE + 100);
        assertThat(held).isEqualTo(2 * 4096);
        feed(streamB, b, b.length - LARGE + 100, b.length);
        assertThat(held).as("B gave its share back").isEqualTo(4096);
        assertThat(stopped).containsExactly(StreamResetCode.EXCESSIVE_LOAD.code());
        assertThat(drops).as("a budget refusal is no drop of the track's objects").isEmpty();
        fin(streamB);
        drainLoop();
        assertThat(downstream.objects).as("B's object is dropped, not delivered").isEmpty();

        // A completes and is delivered whole; its FIN gives its share back.
        feed(streamA, a, a.length - LARGE + 100, a.length);
        fin(streamA);
        drainLoop();
        assertThat(downstream.objects).containsExactly("1/0/0 " + LARGE);
        assertThat(held).isZero();

        // Room again: stream C gathers its large object and delivers it.
        final byte[] c = stream(3, LARGE);
        final EmbeddedChannel streamC = open(c, c.length - LARGE + 100);
        feed(streamC, c, c.length - LARGE + 100, c.length);
        fin(streamC);
        drainLoop();
        assertThat(downstream.objects).containsExactly("1/0/0 " + LARGE, "3/0/0 " + LARGE);
        assertThat(held).isZero();
    }

    @Test
    void aPayloadLengthOf2To64Minus1IsAnOversizedObjectNotAnAllocation()
    {
        publishAndSubscribe(FullTrackName.of("t", "huge"));

        // Draft-18: type 0x10, alias 3, group 7, priority 0x80, object 0, Payload Length 2^64-1 (9-byte varint), then
        // payload. Compared signed, the length was negative and passed the size check; cast to int it was -1, and
        // the gather buffer grew past its 4,096-byte reservation with every byte that arrived.
        final byte[] header = java.util.HexFormat.of().parseHex("1003078000ffffffffffffffffff");
        final EmbeddedChannel ch = open(header, header.length);
        final byte[] payload = new byte[64 * 1024];
        for (int i = 0; i < 16; i++)
        {
            feed(ch, payload, 0, payload.length);
            assertThat(held).as("bytes held after %d KiB of payload", 64 * (i + 1)).isZero();
        }
        assertThat(stopped).as("STOP_SENDING EXCESSIVE_LOAD").containsExactly(StreamResetCode.EXCESSIVE_LOAD.code());
        assertThat(drops).as("above the largest object: its subgroup is reset, no drop that ends the track")
            .isEmpty();
        drainLoop();
        assertThat(downstream.objects).isEmpty();
    }

    @Test
    void aSplitHeaderDeclaringLargePropertiesHoldsOnlyWhatArrivedAndIsCharged()
    {
        publishAndSubscribe(FullTrackName.of("t", "props"));

        // A subgroup header with PROPERTIES, object 0, and a properties length of 4,000 with nothing after it yet:
        // the decoder keeps the few bytes that came, charged to the budget, not 4,000.
        final UnsafeBuffer b = new UnsafeBuffer(new byte[32]);
        final int type = SubgroupHeaderType.of(Draft.DRAFT_18, true, SubgroupHeaderType.MODE_EXPLICIT, false, false,
            false);
        int n = new SubgroupStreamEncoder(Draft.DRAFT_18).writeHeader(Draft.DRAFT_18, b, 0, type, ALIAS, 1, 0, 128);
        n += Draft.DRAFT_18.varint().encode(b, n, 0);
        n += Draft.DRAFT_18.varint().encode(b, n, 4000);
        final byte[] header = new byte[n];
        b.getBytes(0, header);
        final EmbeddedChannel ch = open(header, header.length);
        assertThat(held).as("charged for the %d bytes that arrived", n).isPositive().isLessThanOrEqualTo(64);
        ch.close();
        assertThat(held).as("given back when the stream goes").isZero();
    }

    @Test
    void aStreamIsClosedAtItsFinEvenIfItHadToWaitForItsAlias()
    {
        publishAndSubscribe(FullTrackName.of("t", "audio"));

        // A whole stream and its FIN in one go: decoded, and the channel closed (Netty would keep it otherwise).
        final byte[] bytes = stream(1, 10);
        final EmbeddedChannel done = open(bytes, bytes.length);
        done.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        drainLoop();
        assertThat(done.isOpen()).as("closed at FIN").isFalse();
        assertThat(downstream.objects).containsExactly("1/0/0 10");

        // A stream whose alias is not known yet holds its bytes and its FIN, and closes only once it is decoded.
        final TrackIngest known = ingest;
        ingest = null;
        final Runnable[] waiter = new Runnable[1];
        waitingTracks = (alias, onKnown) ->
        {
            waiter[0] = onKnown;
            return true;
        };
        final byte[] later = stream(2, 10);
        final EmbeddedChannel waiting = new EmbeddedChannel(new SubgroupIngestHandler(Draft.DRAFT_18, tracks, 4096,
            1 << 16, 60_000));
        feed(waiting, later, 0, later.length);
        waiting.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertThat(waiting.isOpen()).as("still waiting for its alias").isTrue();
        assertThat(waiter[0]).isNotNull();
        ingest = known;
        waiter[0].run();
        drainLoop();
        assertThat(waiting.isOpen()).isFalse();
        assertThat(downstream.objects).containsExactly("1/0/0 10", "2/0/0 10");
    }

    /** A subgroup stream (draft 18): header for group {@code group}, one object of {@code size} bytes. */
    /** A publisher of {@code track} (its ingest in {@link #ingest}) and the recording subscriber to it. */
    private void publishAndSubscribe(final FullTrackName track)
    {
        ingest = relay.openSession("publisher", 0).publish(1, track, List.of(), null, NO_UPSTREAM, OK).ingest();
        relay.openSession("subscriber", 0).subscribe(1, track,
            new SubscribeOptions(null, true, 128, GroupOrder.PUBLISHER, false), downstream, new SubscribeCallback()
            {
                @Override
                public void ok(final DownstreamSubscription s, final Location l, final List<KeyValuePair> p)
                {
                }

                @Override
                public void error(final RequestErrorCode code, final String reason)
                {
                    throw new AssertionError(code + ": " + reason);
                }
            });
        drainLoop();
    }

    private static byte[] stream(final long group, final int size)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[64 + size]);
        final SubgroupStreamEncoder e = new SubgroupStreamEncoder(Draft.DRAFT_18);
        final int type = SubgroupHeaderType.of(Draft.DRAFT_18, false, SubgroupHeaderType.MODE_EXPLICIT, false, false,
            false);
        int n = e.writeHeader(Draft.DRAFT_18, b, 0, type, ALIAS, group, 0, 128);
        n += e.writeObject(b, n, 0, ObjectStatus.NORMAL, null, 0, 0, size);
        for (int i = 0; i < size; i++)
        {
            b.putByte(n + i, (byte)i);
        }
        final byte[] out = new byte[n + size];
        b.getBytes(0, out);
        return out;
    }

    private EmbeddedChannel open(final byte[] bytes, final int firstChunk)
    {
        final EmbeddedChannel ch = new EmbeddedChannel(new SubgroupIngestHandler(Draft.DRAFT_18, tracks, 4096, 1 << 16,
            0));
        feed(ch, bytes, 0, firstChunk);
        return ch;
    }

    private static void feed(final EmbeddedChannel ch, final byte[] bytes, final int from, final int to)
    {
        final ByteBuf buf = Unpooled.directBuffer(to - from).writeBytes(bytes, from, to - from);
        ch.pipeline().fireChannelRead(buf);
    }

    private static void fin(final EmbeddedChannel ch)
    {
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        ch.close();
    }

    private void drainLoop()
    {
        while (loop.poll() > 0)
        {
            // deliver everything ingested so far
        }
    }

    /** What the subscriber was given: objects as group/subgroup/object size, resets as group/subgroup code. */
    private static final class Recorder implements ObjectWriter
    {
        final List<String> objects = new ArrayList<>();
        final List<String> resets = new ArrayList<>();

        @Override
        public boolean isWritable()
        {
            return true;
        }

        @Override
        public void openSubgroup(final long group, final long subgroup, final long firstObject, final int priority)
        {
        }

        @Override
        public void writeObject(final long group, final long subgroup, final long objectId, final int priority,
            final int status, final DirectBuffer buffer, final int propertiesOffset, final int propertiesLength,
            final int payloadOffset, final int payloadLength)
        {
            if (status == 0 && payloadLength > 0)
            {
                objects.add(group + "/" + subgroup + "/" + objectId + " " + payloadLength);
            }
        }

        @Override
        public void endSubgroup(final long group, final long subgroup)
        {
        }

        @Override
        public void resetSubgroup(final long group, final long subgroup, final StreamResetCode code)
        {
            resets.add(group + "/" + subgroup + " " + code);
        }

        @Override
        public void publishDone(final PublishDoneStatus status, final String reason)
        {
        }
    }

    private static final Publisher NO_UPSTREAM = new Publisher()
    {
        @Override
        public void subscribe(final UpstreamSubscription subscription)
        {
        }

        @Override
        public void updateForward(final UpstreamSubscription subscription, final boolean forward)
        {
        }

        @Override
        public void unsubscribe(final UpstreamSubscription subscription)
        {
        }
    };

    private static final RequestCallback OK = new RequestCallback()
    {
        @Override
        public void ok()
        {
        }

        @Override
        public void error(final RequestErrorCode code, final String reason)
        {
            throw new AssertionError(code + ": " + reason);
        }
    };
}
