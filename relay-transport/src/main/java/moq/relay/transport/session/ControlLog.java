package moq.relay.transport.session;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Optional;
import java.util.regex.Pattern;

import moq.relay.wire.Bytes;
import moq.relay.wire.KeyValuePair;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DEBUG line per control message a relay session sends ({@code >}) or receives ({@code <}), decoded, on logger
 * {@code moq.relay.control} (turned on by {@code moq.relay.log.control=DEBUG}), e.g.
 * {@code session 7 < SUBSCRIBE Subscribe[requestId=0, namespace=[room], track=video, ...]}. One instance per session.
 *
 * <p>Never logs a token: AUTHORIZATION TOKEN values (every draft's parameter and SETUP option) print as their length,
 * and a {@code jwt} query value (the WebTransport path, draft-18's SETUP PATH) as {@code <redacted>}. Cost with DEBUG
 * off: one {@code isDebugEnabled} per control message (never per object); the reflective rendering runs only when on.
 */
public final class ControlLog
{
    private static final Logger LOG = LoggerFactory.getLogger("moq.relay.control");
    /** KeyValuePair type of AUTHORIZATION TOKEN in draft 14's parameters and in drafts 18/20's SETUP options. */
    private static final long AUTHORIZATION_TOKEN = 0x03;
    /** A byte string printing longer than this prints its start and its length: a line stays readable. */
    private static final int MAX_CHARS_SHOWN = 128;
    private static final Pattern JWT_QUERY = Pattern.compile("([?&]jwt=)[^&\\s,\\]\\)]*");

    private final long sessionId;

    /** @param sessionId the engine session's id (the {@code session N} of the session's other lines). */
    public ControlLog(final long sessionId)
    {
        this.sessionId = sessionId;
    }

    /** A message the session received and decoded. */
    public void received(final Object message)
    {
        if (LOG.isDebugEnabled())
        {
            LOG.debug("session {} < {}", sessionId, render(message));
        }
    }

    /** A message the session sends. */
    public void sent(final Object message)
    {
        if (LOG.isDebugEnabled())
        {
            LOG.debug("session {} > {}", sessionId, render(message));
        }
    }

    /** The message as its record's components, tokens redacted. */
    static String render(final Object message)
    {
        final StringBuilder out = new StringBuilder(128);
        append(out, message, 0);
        return JWT_QUERY.matcher(out).replaceAll("$1<redacted>");
    }

    private static void append(final StringBuilder out, final Object value, final int depth)
    {
        if (value == null)
        {
            out.append("null");
        }
        else if (value instanceof Bytes)
        {
            appendBytes(out, (Bytes)value);
        }
        else if (value instanceof KeyValuePair)
        {
            final KeyValuePair pair = (KeyValuePair)value;
            out.append("0x").append(Long.toHexString(pair.type())).append('=');
            if (pair.bytesValue() == null)
            {
                out.append(pair.intValue());
            }
            else if (pair.type() == AUTHORIZATION_TOKEN)
            {
                redacted(out, pair.bytesValue());
            }
            else
            {
                appendBytes(out, pair.bytesValue());
            }
        }
        else if (value instanceof Collection)
        {
            out.append('[');
            boolean first = true;
            for (final Object element : (Collection<?>)value)
            {
                out.append(first ? "" : ", ");
                first = false;
                append(out, element, depth + 1);
            }
            out.append(']');
        }
        else if (value instanceof Optional)
        {
            append(out, ((Optional<?>)value).orElse(null), depth);
        }
        else if (value.getClass().isRecord() && depth < 8)
        {
            appendRecord(out, value, depth);
        }
        else
        {
            out.append(value);
        }
    }

    private static void appendRecord(final StringBuilder out, final Object record, final int depth)
    {
        final Class<?> type = record.getClass();
        // Every draft's token record (AuthToken, AuthorizationToken) holds its secret in a Bytes component.
        final boolean token = type.getSimpleName().startsWith("Auth");
        out.append(type.getSimpleName()).append('[');
        final RecordComponent[] components = type.getRecordComponents();
        for (int i = 0; i < components.length; i++)
        {
            out.append(i == 0 ? "" : ", ").append(components[i].getName()).append('=');
            final Object value;
            try
            {
                value = components[i].getAccessor().invoke(record);
            }
            catch (final ReflectiveOperationException | RuntimeException e)
            {
                out.append('?');
                continue;
            }
            if (token && value instanceof Bytes)
            {
                redacted(out, (Bytes)value);
            }
            else
            {
                append(out, value, depth + 1);
            }
        }
        out.append(']');
    }

    private static void redacted(final StringBuilder out, final Bytes secret)
    {
        out.append("<redacted ").append(secret.length()).append(" bytes>");
    }

    /** Text (a path, a name) with its {@code jwt} redacted, then cut; other bytes as hex, cut. */
    private static void appendBytes(final StringBuilder out, final Bytes bytes)
    {
        final String text = bytes.isPrintableAscii() ?
            JWT_QUERY.matcher(bytes.utf8()).replaceAll("$1<redacted>") : "0x" + bytes.hex();
        if (text.length() <= MAX_CHARS_SHOWN)
        {
            out.append(text);
            return;
        }
        out.append(text, 0, MAX_CHARS_SHOWN).append("...(").append(bytes.length()).append(" bytes)");
    }
}
