package moq.relay.wire.data;

import moq.relay.wire.Draft;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Test helpers: feed bytes to a fresh decoder whole or in given chunk sizes. */
final class Feed
{
    static final int MAX_PROPERTIES = 256;

    private Feed()
    {
    }

    static byte[] hex(final String hex)
    {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** Events from feeding {@code bytes} split after each offset in {@code cuts}, then FIN if asked. */
    static List<String> decode(final Draft draft, final byte[] bytes, final int[] cuts, final boolean fin, final boolean descending)
        throws WireException
    {
        final Recorder recorder = new Recorder();
        recorder.descending = descending;
        final DataStreamDecoder decoder = new DataStreamDecoder(draft, recorder, MAX_PROPERTIES);
        // Copy each chunk into its own buffer, so views into earlier chunks cannot pass by accident.
        int from = 0;
        for (int i = 0; i <= cuts.length; i++)
        {
            final int to = i < cuts.length ? cuts[i] : bytes.length;
            final byte[] chunk = new byte[to - from + 3];
            System.arraycopy(bytes, from, chunk, 3, to - from);
            decoder.onData(new UnsafeBuffer(chunk), 3, to - from);
            from = to;
        }
        if (fin)
        {
            decoder.onFin();
        }
        return recorder.events;
    }

    static List<String> decode(final Draft draft, final byte[] bytes) throws WireException
    {
        return decode(draft, bytes, new int[0], true, false);
    }

    static List<String> decodeBytewise(final Draft draft, final byte[] bytes, final boolean fin) throws WireException
    {
        final int[] cuts = new int[Math.max(0, bytes.length - 1)];
        for (int i = 0; i < cuts.length; i++)
        {
            cuts[i] = i + 1;
        }
        return decode(draft, bytes, cuts, fin, false);
    }

    static SessionError errorOf(final Draft draft, final byte[] bytes, final boolean fin)
    {
        SessionError whole = null;
        try
        {
            decode(draft, bytes, new int[0], fin, false);
            fail("expected a WireException");
        }
        catch (final WireException ex)
        {
            whole = ex.error();
        }
        try
        {
            decodeBytewise(draft, bytes, fin);
            fail("expected a WireException byte by byte");
        }
        catch (final WireException ex)
        {
            assertThat(ex.error()).isEqualTo(whole);
        }
        return whole;
    }

    static List<String> decodeBytewiseNoError(final Draft draft, final byte[] bytes)
    {
        try
        {
            return decodeBytewise(draft, bytes, false);
        }
        catch (final WireException ex)
        {
            throw new AssertionError(ex);
        }
    }
}
