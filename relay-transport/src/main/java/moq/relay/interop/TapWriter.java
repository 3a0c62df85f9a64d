package moq.relay.interop;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import moq.relay.wire.Draft;

/**
 * Writes TAP version 14 as the interop runner's TEST-CLIENT-INTERFACE.md asks: the version line, run comments, the
 * plan, one test point per case with a YAML diagnostic block indented by two spaces (fields from its
 * TAP-YAML-METADATA.md: {@code duration_ms}, {@code expected}, {@code received}, {@code message}, {@code sessions}).
 */
public final class TapWriter
{
    private final PrintStream out;
    private int number;

    public TapWriter(final PrintStream out)
    {
        this.out = out;
    }

    public void header(final List<String> comments)
    {
        out.println("TAP version 14");
        comments.forEach(c -> out.println("# " + c));
    }

    public void plan(final int count)
    {
        out.println("1.." + count);
        out.flush();
    }

    /** A plan that skips everything (TAP 14 "1..0 # SKIP reason"). */
    public void skipAll(final String reason)
    {
        out.println("1..0 # SKIP " + reason);
        out.flush();
    }

    public void skip(final String name, final String reason)
    {
        out.println("ok " + ++number + " - " + name + " # SKIP " + reason);
        out.flush();
    }

    public void result(final CaseResult r, final Draft draft)
    {
        out.println((r.passed() ? "ok " : "not ok ") + ++number + " - " + r.name());
        out.println("  ---");
        out.println("  duration_ms: " + r.durationMs());
        if (r.expected() != null)
        {
            out.println("  expected: " + quote(r.expected()));
        }
        if (r.received() != null)
        {
            out.println("  received: " + quote(r.received()));
        }
        if (r.message() != null)
        {
            out.println("  message: " + quote(r.message()));
        }
        if (!r.alpns().isEmpty())
        {
            out.println("  sessions:");
            for (final Map.Entry<String, String> s : r.alpns().entrySet())
            {
                out.println("    " + s.getKey() + ":");
                out.println("      moqt_version: " + quote("moqt-" + draft.number()));
                out.println("      transport: \"quic\"");
                out.println("      alpn: " + quote(s.getValue()));
            }
        }
        out.println("  ...");
        out.flush();
    }

    /** A YAML double-quoted scalar. */
    static String quote(final String s)
    {
        final StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c == '"' || c == '\\')
            {
                b.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                b.append(String.format("\\x%02x", (int)c));
            }
            else
            {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
