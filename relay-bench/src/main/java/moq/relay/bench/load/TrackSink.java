package moq.relay.bench.load;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;
import moq.relay.client.LiteTrackWriter;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.TrackPublisher;

/**
 * Where one sender thread's objects go: a MoQT track of a {@code MoqClient} (one subgroup stream per group, ended with
 * an End of Group object, PUBLISH_DONE at the end) or a moq-lite track of a {@code LiteClient} (one Group Stream per
 * group and relay subscription, FIN at the group's end; lite-05 SUBSCRIBE_END then the Subscribe Stream's FIN at the
 * end). Payload ownership passes with {@link #object}. Called from the sender thread only.
 */
interface TrackSink
{
    /** Completes when the relay first subscribes. */
    CompletableFuture<Void> firstSubscriber();

    /** Object {@code object} of {@code group} (object 0 opens the group). */
    void object(long group, long object, ByteBuf payload);

    /** The group is complete with {@code objects} objects. */
    void endGroup(long group, long objects);

    /** The track ended. */
    void finish();

    /** Bytes handed to the client and not yet taken by its streams. */
    long queuedBytes();

    /** Of the first {@code sequence} objects, how many the client's event loop has not yet written. */
    long unwritten(long sequence, TrackSpec spec);

    /** A MoQT track. */
    static TrackSink moqt(final TrackPublisher track)
    {
        return new TrackSink()
        {
            private static final long TRACK_ENDED = 0x2;
            private SubgroupWriter writer;

            @Override
            public CompletableFuture<Void> firstSubscriber()
            {
                return track.firstSubscriber();
            }

            @Override
            public void object(final long group, final long object, final ByteBuf payload)
            {
                if (object == 0)
                {
                    writer = track.openSubgroup(group, 0);
                }
                writer.write(object, payload);
            }

            @Override
            public void endGroup(final long group, final long objects)
            {
                if (writer != null)
                {
                    writer.endGroup(objects);
                    writer = null;
                }
            }

            @Override
            public void finish()
            {
                track.finish(TRACK_ENDED, "load run ended");
            }

            @Override
            public long queuedBytes()
            {
                return track.queuedBytes();
            }

            @Override
            public long unwritten(final long sequence, final TrackSpec spec)
            {
                final moq.relay.wire.Location l = track.largest();
                return sequence - (l == null ? 0 : l.group() * spec.groupLength() + l.object() + 1);
            }
        };
    }

    /** A moq-lite track: frames are the objects, the Group Stream's FIN ends the group. */
    static TrackSink lite(final LiteTrackWriter track)
    {
        return new TrackSink()
        {
            @Override
            public CompletableFuture<Void> firstSubscriber()
            {
                return track.firstSubscriber();
            }

            @Override
            public void object(final long group, final long object, final ByteBuf payload)
            {
                track.frame(group, payload);
            }

            @Override
            public void endGroup(final long group, final long objects)
            {
                track.endGroup(group);
            }

            @Override
            public void finish()
            {
                track.finish();
            }

            @Override
            public long queuedBytes()
            {
                return track.queuedBytes();
            }

            /** Frames not yet written are the queued bytes, bounded by the caller on their own. */
            @Override
            public long unwritten(final long sequence, final TrackSpec spec)
            {
                return 0;
            }
        };
    }
}
