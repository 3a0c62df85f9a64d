package moq.relay.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the top-level boxes of an MP4 stream (ftyp, moov, moof, mdat, ...) one by one from an {@link InputStream},
 * such as ffmpeg's stdout. Each box is read whole into a byte array sized from its header, after checking that size
 * against {@code maxBoxBytes}: a header cannot make the reader allocate more than that. Size 0 ("to the end of the
 * file") is refused, since a live stream has no end to measure.
 */
public final class BoxReader
{
    /** One top-level box: its type and its bytes, header included; {@code position} is its offset in the stream. */
    public record Box(String type, byte[] bytes, int headerLength, long position)
    {
        BoxCursor payload()
        {
            return new BoxCursor(type, bytes, headerLength, bytes.length - headerLength);
        }
    }

    private final InputStream in;
    private final int maxBoxBytes;
    private final byte[] header = new byte[16];
    private long position;

    public BoxReader(final InputStream in, final int maxBoxBytes)
    {
        this.in = in;
        this.maxBoxBytes = maxBoxBytes;
    }

    /** The next box, or null at the end of input on a box boundary. */
    public Box next() throws IOException
    {
        final int first = in.readNBytes(header, 0, 8);
        if (first == 0)
        {
            return null;
        }
        if (first < 8)
        {
            throw new Mp4FormatException("input ends inside a box header at byte " + position);
        }
        long size = (header[0] & 0xffL) << 24 | (header[1] & 0xff) << 16 | (header[2] & 0xff) << 8 |
            header[3] & 0xff;
        final String type = new String(header, 4, 4, StandardCharsets.ISO_8859_1);
        int headerLength = 8;
        if (size == 1)
        {
            readFully(header, 8, 8, type);
            size = 0;
            for (int i = 8; i < 16; i++)
            {
                size = size << 8 | header[i] & 0xff;
            }
            headerLength = 16;
        }
        else if (size == 0)
        {
            throw new Mp4FormatException("box '" + type + "' at byte " + position + " has size 0 (to end of file), " +
                "which a stream cannot use");
        }
        if (size < headerLength || size > maxBoxBytes)
        {
            throw new Mp4FormatException("box '" + type + "' at byte " + position + " declares " + size +
                " bytes; allowed " + headerLength + ".." + maxBoxBytes);
        }
        final byte[] bytes = new byte[(int)size];
        System.arraycopy(header, 0, bytes, 0, headerLength);
        readFully(bytes, headerLength, bytes.length - headerLength, type);
        final Box box = new Box(type, bytes, headerLength, position);
        position += size;
        return box;
    }

    private void readFully(final byte[] b, final int off, final int len, final String type) throws IOException
    {
        if (in.readNBytes(b, off, len) < len)
        {
            throw new Mp4FormatException("input ends inside box '" + type + "' at byte " + position);
        }
    }
}
