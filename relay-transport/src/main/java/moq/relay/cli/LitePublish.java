package moq.relay.cli;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.concurrent.locks.LockSupport;
import moq.relay.client.LiteClient;
import moq.relay.client.LiteTrackWriter;
import moq.relay.wire.lite.LiteVersion;

/**
 * {@code publish --protocol moq-lite-0N}: the same objects as over MoQT (the stamped pattern or stdin, cut into
 * groups of {@code --group-length}) as frames of a moq-lite track: the broadcast {@code --namespace} (its path) is
 * announced when the relay asks, each group is one Group Stream per subscriber, and the track ends with the FIN of
 * the Subscribe Streams (lite-05: SUBSCRIBE_END first). MoQT-only options (--publish, --datagrams, --no-announce) do
 * not apply.
 */
final class LitePublish
{
    private final PublishCommand options;
    private final ClientOptions connection;
    private final LiteVersion version;

    LitePublish(final PublishCommand options, final ClientOptions connection, final LiteVersion version)
    {
        this.options = options;
        this.connection = connection;
        this.version = version;
    }

    int run() throws InterruptedException
    {
        final LiteClient client;
        try
        {
            client = connection.connectLite("publish", version);
        }
        catch (final ClientOptions.CannotConnect e)
        {
            return e.exitCode;
        }
        return options.run(client::close, () ->
        {
            System.err.println("publish: connected, " + version);
            final LiteTrackWriter track = client.publish(connection.broadcastPath(), connection.track,
                255 - options.priority);
            options.awaitFirstSubscriber(track.firstSubscriber());
            final long sent = publish(track);
            track.finish();
            System.err.println("publish: sent " + sent + " frames, track ended");
            Thread.sleep((long)(options.lingerSeconds * 1000));
            return 0;
        });
    }

    private long publish(final LiteTrackWriter track) throws IOException
    {
        final long sent = options.produce((sequence, payload) -> send(track, sequence, payload));
        end(track, sent);
        return sent;
    }

    /** Frame {@code sequence} (ownership of {@code payload} passes on); the group it completes is ended. */
    private void send(final LiteTrackWriter track, final long sequence, final ByteBuf payload)
    {
        while (track.queuedBytes() > options.maxQueuedBytes)
        {
            LockSupport.parkNanos(200_000);
        }
        final long group = sequence / options.groupLength;
        track.frame(group, payload);
        if ((sequence + 1) % options.groupLength == 0)
        {
            track.endGroup(group);
        }
    }

    private void end(final LiteTrackWriter track, final long sequence)
    {
        if (sequence % options.groupLength != 0)
        {
            track.endGroup(sequence / options.groupLength);
        }
    }
}
