package moq.relay.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * Reads a relay process's skip counters from its admin endpoint ({@code GET /metrics}, Prometheus text format), the
 * way an operator would: {@code moq_relay_subscribers_too_far_behind_total} and {@code moq_relay_subgroups_skipped_total}.
 */
final class AdminScrape
{
    private static final String TOO_FAR_BEHIND = "moq_relay_subscribers_too_far_behind";
    private static final String SUBGROUPS_SKIPPED = "moq_relay_subgroups_skipped";

    private AdminScrape()
    {
    }

    /** The counters of the relay whose admin endpoint is on loopback port {@code port}, or null when unreachable. */
    static RelaySkipCounters skipCounters(final int port)
    {
        try
        {
            final HttpURLConnection c = (HttpURLConnection)new URL("http://127.0.0.1:" + port + "/metrics")
                .openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(5000);
            try (InputStream in = c.getInputStream())
            {
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            finally
            {
                c.disconnect();
            }
        }
        catch (final IOException e)
        {
            System.err.println("admin endpoint on port " + port + " unreadable: " + e);
            return null;
        }
    }

    /** The two counters of a Prometheus text exposition (absent: 0). */
    static RelaySkipCounters parse(final String text)
    {
        long tooFarBehind = 0;
        long subgroupsSkipped = 0;
        for (final String line : text.split("\n"))
        {
            if (line.startsWith("#"))
            {
                continue;
            }
            final int space = line.lastIndexOf(' ');
            if (space < 0)
            {
                continue;
            }
            final String name = line.substring(0, space).trim();
            if (name.equals(TOO_FAR_BEHIND) || name.equals(TOO_FAR_BEHIND + "_total"))
            {
                tooFarBehind = (long)Double.parseDouble(line.substring(space + 1).trim());
            }
            else if (name.equals(SUBGROUPS_SKIPPED) || name.equals(SUBGROUPS_SKIPPED + "_total"))
            {
                subgroupsSkipped = (long)Double.parseDouble(line.substring(space + 1).trim());
            }
        }
        return new RelaySkipCounters(tooFarBehind, subgroupsSkipped);
    }
}
