package moq.relay.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import moq.relay.client.MoqClient;
import moq.relay.media.HangRecorder;

/**
 * {@code subscribe --broadcast NAME --output FILE}: records a hang broadcast into a fragmented MP4 with
 * {@link HangRecorder} until its tracks end, {@code --duration} passes, or the session closes.
 */
final class BroadcastRecording
{
    private final ClientOptions connection;
    private final String output;
    private final double durationSeconds;
    private final boolean quiet;

    BroadcastRecording(final ClientOptions connection, final String output, final double durationSeconds,
        final boolean quiet)
    {
        this.connection = connection;
        this.output = output;
        this.durationSeconds = durationSeconds;
        this.quiet = quiet;
    }

    int run() throws InterruptedException
    {
        final OutputStream out;
        try
        {
            out = new BufferedOutputStream("-".equals(output) ? System.out : Files.newOutputStream(Path.of(output)),
                1 << 16);
        }
        catch (final IOException e)
        {
            System.err.println("subscribe: " + e.getMessage());
            return 2;
        }
        final MoqClient client;
        try
        {
            client = connection.connect("subscribe");
        }
        catch (final ClientOptions.CannotConnect e)
        {
            return e.exitCode;
        }
        final HangRecorder recorder = new HangRecorder(client, connection.trackNamespace(), out, System.err);
        int code;
        try
        {
            code = SubscribeCommand.untilEnd(recorder.start(Duration.ofSeconds(connection.connectTimeoutSeconds)),
                durationSeconds);
        }
        catch (final ExecutionException e)
        {
            System.err.println("subscribe: " + e.getCause().getMessage());
            code = 1;
        }
        finally
        {
            client.close();
        }
        try
        {
            recorder.finish();
            if (!"-".equals(output))
            {
                out.close();
            }
        }
        catch (final IOException e)
        {
            System.err.println("subscribe: writing " + output + ": " + e.getMessage());
            code = 1;
        }
        if (!quiet)
        {
            System.err.println("subscribe: recorded " + recorder.summary() + " to " + output);
        }
        return code;
    }
}
