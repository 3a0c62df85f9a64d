package moq.relay.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
        try
        {
            client = connection.connectLite("subscribe", version);
        }
        catch (final ClientOptions.CannotConnect e)
        {
            return e.exitCode;
        }
        final CompletableFuture<Integer> finished = new CompletableFuture<>();
        final PrintStream lines = System.out;
        return options.follow(client::close, payloadOut, lines, () ->
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
                }).get(connection.connectTimeoutSeconds, TimeUnit.SECONDS);
            if (!options.quiet)
            {
                System.err.println("subscribe: subscribed (" + version + ")");
            }
            return options.awaitEnd(client.closed(), finished);
        });
    }
}
