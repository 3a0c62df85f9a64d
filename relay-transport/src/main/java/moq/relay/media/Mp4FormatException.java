package moq.relay.media;

import java.io.IOException;

/** Malformed or unsupported MP4 input: the message names the box and what is wrong with it. */
public final class Mp4FormatException extends IOException
{
    private static final long serialVersionUID = 1L;

    public Mp4FormatException(final String message)
    {
        super(message);
    }
}
