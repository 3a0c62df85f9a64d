package moq.relay.session;

import moq.relay.session.ingest.SubgroupIngestHandler;
import moq.relay.session.egress.SubgroupStreamWriter;
import moq.relay.session.egress.ObjectView;

import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.QuicStreamFrame;
import moq.relay.bench.FanoutBenchmark;
import moq.relay.config.RelayConfiguration;
import moq.relay.engine.DownstreamSubscription;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.GroupOrder;
import moq.relay.engine.Relay;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.SubscribeCallback;
import moq.relay.engine.SubscribeOptions;
import moq.relay.engine.TrackIngest;
import moq.relay.engine.UpstreamSubscription;
import moq.relay.fanout.EgressLoop;
import moq.relay.wire.Draft;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.WireException;
import moq.relay.wire.data.ObjectStatus;
import moq.relay.wire.data.SubgroupHeaderType;
import moq.relay.wire.data.SubgroupStreamEncoder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The relay's whole forwarding path in one thread, with only the QUIC streams replaced (by {@link EmbeddedQuicStream}):
 * a publisher's subgroup stream read by {@link SubgroupIngestHandler} (decode, one copy into the track's off-heap log),
 * the engine's ring and {@link EgressLoop}, and one {@link SubgroupStreamWriter} per subscriber writing each subgroup's
 * header buffer and each object as one recycled {@link ObjectView} (header + zero-copy payload) to its streams, which
 * {@link #drain} then takes and releases as quiche would once sent.
 * Draft 18; one subgroup per group; objects numbered consecutively. With {@code properties}, every object carries that
 * Object Properties block, and subscribers of {@code subscriberDraft} 14 get it converted into Extension Headers (the
 * egress loop's conversion on every object and subscriber).
 */
final class ForwardingPath implements AutoCloseable
{
    private static final long ALIAS = 1;

    private final Relay relay;
    /** The relay's metrics, registered as a running relay's are (the benchmark checks they cost nothing per object). */
    private final moq.relay.metrics.RelayMetrics metrics;
    private final EgressLoop loop;
    private final TrackIngest ingest;
    private final EmbeddedMoqTransport[] subscribers;
    private final ByteBuf objectChunk;
    /** Each group's End of Group status object (the video call's audio shape), or null: groups end at FIN only. */
    private final ByteBuf endOfGroupChunk;
    /** The End of Group object's bytes on a subscriber stream (0 without one). */
    private final int endOfGroupLength;
    private final int groupLength;
    private final int payloadSize;
    /** Every object's properties (draft-18 form), null for none. */
    private final byte[] properties;
    private EmbeddedChannel ingestStream;
    private long group;
    private int object;

    // What the drained streams carried, for checks.
    long payloadViews;
    long payloadBytes;
    long otherBytes;
    /** Writes other than an object view (a header on its own, or a FIN frame's content that is not one). */
    long separateWrites;
    long fins;
    /** FINs that carried the group's last object (rather than an empty frame of their own). */
    long finsWithObject;
    long mismatches;

    /**
     * Range Filters that pass every object, for measuring their evaluation: Object ID 0..2^64-1 and Publisher Priority
     * 0..255 (SetID 0), or Subgroup 0..2^64-1 (SetID 1).
     */
    static final moq.relay.fanout.ObjectFilter PASS_ALL = moq.relay.fanout.ObjectFilter.of(java.util.List.of(
        new moq.relay.fanout.ObjectFilter.Term(0, moq.relay.fanout.ObjectFilter.Field.OBJECT_ID, 0, new long[] {0, -1}),
        new moq.relay.fanout.ObjectFilter.Term(0, moq.relay.fanout.ObjectFilter.Field.PUBLISHER_PRIORITY, 0,
            new long[] {0, 255}),
        new moq.relay.fanout.ObjectFilter.Term(1, moq.relay.fanout.ObjectFilter.Field.SUBGROUP_ID, 0,
            new long[] {0, -1})));

    ForwardingPath(final int subscriberCount, final int payloadSize, final int groupLength)
    {
        this(subscriberCount, payloadSize, groupLength, null);
    }

    /** @param filter each subscription's Range Filters (draft 20), null for none; it must pass every object. */
    ForwardingPath(final int subscriberCount, final int payloadSize, final int groupLength,
        final moq.relay.fanout.ObjectFilter filter)
    {
        this(subscriberCount, payloadSize, groupLength, filter, null, Draft.DRAFT_18);
    }

    /**
     * @param properties      every object's Object Properties (draft-18 form), null for none
     * @param subscriberDraft the subscribers' draft: 14 makes the egress loop convert the properties for them
     */
    ForwardingPath(final int subscriberCount, final int payloadSize, final int groupLength,
        final moq.relay.fanout.ObjectFilter filter, final byte[] properties, final Draft subscriberDraft)
    {
        this(subscriberCount, payloadSize, groupLength, filter, properties, subscriberDraft, false);
    }

    /**
     * @param endOfGroup each group ends with an End of Group status object before its FIN, as the load suite's and
     *                   moq-dev's publishers end theirs (with a group length of 1: the video call's audio)
     */
    ForwardingPath(final int subscriberCount, final int payloadSize, final int groupLength,
        final moq.relay.fanout.ObjectFilter filter, final byte[] properties, final Draft subscriberDraft,
        final boolean endOfGroup)
    {
        this.properties = properties;
        this.groupLength = groupLength;
        this.payloadSize = payloadSize;
        relay = new Relay(RelayConfiguration.from(Map.of(
            RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "1m",
            RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "32m",
            RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "16m")), 1);
        // Metrics on, as a relay with its admin listener runs: the observer hears the control plane, and the
        // engine's data-plane counters (always on) are what the scrape would read.
        metrics = new moq.relay.metrics.RelayMetrics(relay);
        relay.observer(metrics);
        loop = relay.egressLoop(0);
        final FullTrackName track = FullTrackName.of("video", "bench");
        final UpstreamSubscription up = relay.openSession("publisher", 0)
            .publish(1, track, List.of(), null, FanoutBenchmark.NO_UPSTREAM, FanoutBenchmark.IGNORE);
        ingest = up.ingest();

        final EmbeddedChannel eventLoopOwner = new EmbeddedChannel();
        subscribers = new EmbeddedMoqTransport[subscriberCount];
        for (int i = 0; i < subscriberCount; i++)
        {
            final EmbeddedMoqTransport transport = new EmbeddedMoqTransport(eventLoopOwner.eventLoop());
            subscribers[i] = transport;
            final SubgroupStreamWriter writer = new SubgroupStreamWriter(transport, loop, subscriberDraft, ALIAS,
                (status, streams, reason) -> { });
            relay.openSession("subscriber-" + i, 0).subscribe(1, track,
                new SubscribeOptions(null, true, 128, GroupOrder.PUBLISHER, true).withObjectFilter(filter), writer,
                new SubscribeCallback()
                {
                    @Override
                    public void ok(final DownstreamSubscription s, final Location l, final List<KeyValuePair> p)
                    {
                        writer.start(s);
                    }

                    @Override
                    public void error(final RequestErrorCode code, final String reason)
                    {
                        throw new IllegalStateException(code + ": " + reason);
                    }
                });
        }
        while (loop.poll() > 0)
        {
            // let the subscriptions in
        }

        // Every object of a group encodes to the same bytes (object id delta 0), so one chunk serves them all.
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64 + (properties == null ? 0 : properties.length)]);
        final SubgroupStreamEncoder encoder = new SubgroupStreamEncoder(Draft.DRAFT_18);
        encoder.writeHeader(Draft.DRAFT_18, scratch, 0, headerType(), ALIAS, 0, 0, 128);
        final int n = encoder.writeObject(scratch, 0, 0, ObjectStatus.NORMAL,
            properties == null ? null : new UnsafeBuffer(properties), 0, properties == null ? 0 : properties.length,
            payloadSize);
        objectChunk = ByteBufAllocator.DEFAULT.directBuffer(n + payloadSize);
        objectChunk.writeBytes(scratch.byteArray(), 0, n);
        for (int i = 0; i < payloadSize; i++)
        {
            objectChunk.writeByte(i);
        }
        if (endOfGroup)
        {
            // Object id groupLength after groupLength - 1: the same delta on the publisher's and the relay's streams.
            final SubgroupStreamEncoder e = new SubgroupStreamEncoder(Draft.DRAFT_18);
            e.writeHeader(Draft.DRAFT_18, scratch, 0, headerType(), ALIAS, 0, 0, 128);
            e.writeObject(scratch, 0, groupLength - 1, ObjectStatus.NORMAL, null, 0, 0, payloadSize);
            endOfGroupLength = e.writeObject(scratch, 0, groupLength, ObjectStatus.END_OF_GROUP, null, 0, 0, 0);
            endOfGroupChunk = ByteBufAllocator.DEFAULT.directBuffer(endOfGroupLength)
                .writeBytes(scratch.byteArray(), 0, endOfGroupLength);
        }
        else
        {
            endOfGroupLength = 0;
            endOfGroupChunk = null;
        }
    }

    private int headerType()
    {
        return SubgroupHeaderType.of(Draft.DRAFT_18, properties != null, SubgroupHeaderType.MODE_EXPLICIT, false,
            false, false);
    }

    /** One object in through the publisher's stream, fanned out, written to every subscriber's stream and drained. */
    /** The engine (its counters are what the metrics read). */
    Relay relay()
    {
        return relay;
    }

    int forwardOne()
    {
        if (object == 0)
        {
            openIngestStream();
        }
        // The chunk is reused: the handler releases what it reads, so take one reference per read.
        ingestStream.pipeline().fireChannelRead(objectChunk.retain());
        if (++object == groupLength)
        {
            if (endOfGroupChunk != null)
            {
                ingestStream.pipeline().fireChannelRead(endOfGroupChunk.retain());
            }
            ingestStream.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE); // FIN
            ingestStream.close();
            object = 0;
            group++;
        }
        int events = 0;
        int n;
        while ((n = loop.poll()) > 0)
        {
            events += n;
        }
        drain();
        return events;
    }

    private void openIngestStream()
    {
        final SubgroupIngestHandler handler = new SubgroupIngestHandler(Draft.DRAFT_18, new SubgroupIngestHandler.Tracks()
        {
            @Override
            public TrackIngest ingestFor(final long trackAlias)
            {
                return trackAlias == ALIAS ? ingest : null;
            }

            @Override
            public boolean awaitAlias(final long trackAlias, final Runnable onKnown)
            {
                return false;
            }

            @Override
            public void cancelAwait(final long trackAlias, final Runnable onKnown)
            {
            }

            @Override
            public boolean reserveGathered(final int bytes)
            {
                return true;
            }

            @Override
            public void releaseGathered(final int bytes)
            {
            }

            @Override
            public void stopStream(final io.netty.channel.Channel stream, final long code)
            {
            }

            @Override
            public void objectDropped(final long trackAlias)
            {
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
                throw new IllegalStateException(e);
            }
        }, 4096, 1 << 20, 0);
        ingestStream = new EmbeddedChannel(handler);
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64]);
        final int n = new SubgroupStreamEncoder(Draft.DRAFT_18).writeHeader(Draft.DRAFT_18, scratch, 0, headerType(),
            ALIAS, group, 0, 128);
        final ByteBuf header = ByteBufAllocator.DEFAULT.directBuffer(n).writeBytes(scratch.byteArray(), 0, n);
        ingestStream.pipeline().fireChannelRead(header);
    }

    /** Takes what each subscriber stream was given, as the QUIC stack would after sending it, and releases it. */
    private void drain()
    {
        for (final EmbeddedMoqTransport t : subscribers)
        {
            for (int i = t.streams.size() - 1; i >= 0; i--)
            {
                final EmbeddedQuicStream stream = t.streams.get(i);
                Object m;
                while ((m = stream.outboundMessages().poll()) != null)
                {
                    if (m instanceof QuicStreamFrame)
                    {
                        final QuicStreamFrame frame = (QuicStreamFrame)m;
                        if (frame.content().isReadable())
                        {
                            count(frame.content());
                        }
                        if (frame.hasFin())
                        {
                            fins++;
                            finsWithObject += frame.content() instanceof ObjectView ? 1 : 0;
                            t.streams.remove(i);
                            stream.close();
                        }
                        frame.release();
                        continue;
                    }
                    final ByteBuf b = (ByteBuf)m;
                    count(b);
                    b.release();
                }
            }
        }
    }

    private void count(final ByteBuf b)
    {
        if (b instanceof ObjectView && b.readableBytes() > payloadSize)
        {
            // One write per object: its header, then the payload framed in the log (not copied).
            payloadViews++;
            payloadBytes += payloadSize;
            otherBytes += b.readableBytes() - payloadSize;
            final boolean last = b.getByte(b.writerIndex() - 1) == (byte)(payloadSize - 1) ||
                endOfGroupLength > 0 && b.getByte(b.writerIndex() - 1 - endOfGroupLength) == (byte)(payloadSize - 1);
            if (!last)
            {
                mismatches++;
            }
        }
        else
        {
            otherBytes += b.readableBytes();
            separateWrites++;
        }
    }

    @Override
    public void close()
    {
        relay.close();
        objectChunk.release();
        if (endOfGroupChunk != null)
        {
            endOfGroupChunk.release();
        }
    }
}
