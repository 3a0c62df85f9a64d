package moq.relay.cli;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import moq.relay.client.MoqClient;
import moq.relay.media.BoxReader;
import moq.relay.media.Fmp4Source;
import moq.relay.media.HangPublisher;
import moq.relay.media.Mp4Track;

/**
 * {@code publish --fmp4 --broadcast NAME}: reads the init segment from the input, connects, announces the broadcast
 * (PUBLISH_NAMESPACE) and publishes it with {@link HangPublisher} until the input ends, then PUBLISH_DONE on every
 * track. The input is read only as fast as QUIC takes the frames, so a piped ffmpeg is paced by the network.
 */
final class Fmp4Publish
{
    private final ClientOptions connection;
    private final int maxBoxBytes;
    private final int waitSubscriberSeconds;
    private final long maxQueuedBytes;
    private final double lingerSeconds;

    Fmp4Publish(final ClientOptions connection, final int maxBoxBytes, final int waitSubscriberSeconds,
        final long maxQueuedBytes, final double lingerSeconds)
    {
        this.connection = connection;
        this.maxBoxBytes = maxBoxBytes;
        this.waitSubscriberSeconds = waitSubscriberSeconds;
        this.maxQueuedBytes = maxQueuedBytes;
        this.lingerSeconds = lingerSeconds;
    }

    int run(final InputStream in) throws InterruptedException
    {
        final Fmp4Source source;
        try
        {
            source = Fmp4Source.open(new BoxReader(in, maxBoxBytes));
        }
        catch (final IOException e)
        {
            System.err.println("publish: reading the MP4 init segment: " + e.getMessage());
            return 1;
        }
        for (final Mp4Track t : source.tracks())
        {
            System.err.println("publish: MP4 track " + t.trackId() + ": " + t.kind().name().toLowerCase() + " " +
                t.codec() + (t.width() > 0 ? " " + t.width() + "x" + t.height() : "") +
                (t.sampleRate() > 0 ? " " + t.sampleRate() + " Hz " + t.channels() + " ch" : ""));
        }
        final MoqClient client;
        try
        {
            client = connection.connect("publish");
        }
        catch (final ClientOptions.CannotConnect e)
        {
            return e.exitCode;
        }
        HangPublisher broadcast = null;
        try
        {
            broadcast = new HangPublisher(client, connection.trackNamespace(), source.tracks(), System.err);
            client.publishNamespace(connection.trackNamespace()).get(10, TimeUnit.SECONDS);
            System.err.println("publish: broadcast " + connection.trackNamespace() + " announced, catalog " +
                new String(broadcast.catalogJson(), java.nio.charset.StandardCharsets.UTF_8));
            if (waitSubscriberSeconds > 0 && !broadcast.awaitSubscribers(Duration.ofSeconds(waitSubscriberSeconds)))
            {
                System.err.println("publish: not every track has a subscriber after " + waitSubscriberSeconds +
                    " s; sending anyway");
            }
            Fmp4Source.Fragment fragment;
            while ((fragment = source.next()) != null)
            {
                broadcast.send(fragment, maxQueuedBytes);
            }
            broadcast.finish();
            System.err.println("publish: input ended; sent " + broadcast.summary() + "; PUBLISH_DONE");
            if (!broadcast.awaitDrained(Duration.ofSeconds(10)))
            {
                System.err.println("publish: data still waiting for QUIC flow control after 10 s; closing anyway");
            }
            // QUIC may still be sending (or resending) what it took: closing at once would cut it off.
            Thread.sleep((long)(lingerSeconds * 1000));
            return 0;
        }
        catch (final IllegalArgumentException e)
        {
            System.err.println("publish: " + e.getMessage());
            return 1;
        }
        catch (final IOException e)
        {
            System.err.println("publish: reading the MP4 stream: " + e.getMessage());
            if (broadcast != null)
            {
                broadcast.finish();
            }
            return 1;
        }
        catch (final ExecutionException e)
        {
            System.err.println("publish: " + e.getCause().getMessage());
            return 1;
        }
        catch (final TimeoutException e)
        {
            System.err.println("publish: no answer from the server");
            return 1;
        }
        finally
        {
            if (broadcast != null)
            {
                broadcast.close();
            }
            client.close();
        }
    }
}
