package moq.relay.transport.quic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.netty.handler.codec.quic.QLogConfiguration;

/**
 * The qlog trace of {@code moq.relay.quic.qlog.dir}: netty names a file per connection only when the configured path
 * is an existing directory (otherwise every connection would write the same file), so the directory is created first.
 */
final class QLogs
{
    private QLogs()
    {
    }

    static QLogConfiguration configuration(final String dir)
    {
        try
        {
            Files.createDirectories(Path.of(dir));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create the qlog directory " + dir, ex);
        }
        return new QLogConfiguration(dir, "moq-relay", "moq-relay QUIC connection");
    }
}
