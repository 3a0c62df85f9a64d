package moq.relay.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import moq.relay.client.ClientConfig;
import moq.relay.client.LiteClient;
import moq.relay.wire.lite.LiteVersion;

/**
 * {@code subscribe --protocol moq-lite-0N}: one moq-lite subscription (track {@code --track} of the broadcast whose
 * path is {@code --namespace}, from the latest group), its frames written and measured as {@code subscribe} does
 * with MoQT objects (object id = the frame's index in its group). Ends at the publisher's FIN of the Subscribe Stream
 * (exit 0), a reset or the connection's end (exit 1), or {@code --count} / {@code --duration}.
 */
final class LiteSubscribe
{
    private final SubscribeCommand options;
    private final ClientOptions connection;
    private final LiteVersion version;

    LiteSubscribe(final SubscribeCommand options, final ClientOptions connection, final LiteVersion version)
    {
        this.options = options;
        this.connection = connection;
        this.version = version;
    }

    int run(final OutputStream payloadOut) throws InterruptedException
    {
        final LiteClient client;
        final ClientConfig config;
        try
        {
            config = connection.config();
            client = LiteClient.connect(config.host(), config.port(), version, config.trust(),
                config.connectTimeout()).get();
        }
        catch (final IllegalArgumentException e)
        {
            System.err.println("subscribe: " + e.getMessage());
            return 2;
        }
        catch (final ExecutionException e)
        {
            System.err.println("subscribe: cannot connect: " + e.getCause());
            return 1;
        }
        final CompletableFuture<Integer> finished = new CompletableFuture<>();
        final PrintStream lines = System.out;
        try
        {
            client.subscribe(connection.broadcastPath(), connection.track, 255 - options.priority,
                new LiteClient.FrameListener()
                {
                    @Override
                    public void onFrame(final long group, final long index, final io.netty.buffer.ByteBuf payload)
                    {
                        options.deliver(group, index, payload, payload.readableBytes(), payloadOut, lines, finished);
                    }

                    @Override
                    public void onEnd(final boolean clean)
                    {
                        if (!options.quiet)
                        {
                            System.err.println("subscribe: track " + (clean ? "ended (FIN)" : "reset or session closed"));
                        }
                        finished.complete(clean ? 0 : 1);
                    }
                }).get(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!options.quiet)
            {
                System.err.println("subscribe: subscribed (" + version + ")");
            }
            client.closed().thenRun(() -> finished.complete(1));
            return options.durationSeconds > 0
                ? finished.completeOnTimeout(0, (long)(options.durationSeconds * 1000), TimeUnit.MILLISECONDS).get()
                : finished.get();
        }
        catch (final ExecutionException e)
        {
            System.err.println("subscribe: " + e.getCause().getMessage());
            return 1;
        }
        catch (final TimeoutException e)
        {
            System.err.println("subscribe: no answer to SUBSCRIBE");
            return 1;
        }
        finally
        {
            client.close();
            try
            {
                payloadOut.flush();
                if (payloadOut != System.out && payloadOut != null)
                {
                    payloadOut.close();
                }
            }
            catch (final IOException e)
            {
                System.err.println("subscribe: writing output: " + e.getMessage());
            }
            lines.flush();
            if (!options.quiet)
            {
                System.err.println(options.stats.summary());
            }
        }
    }
}
