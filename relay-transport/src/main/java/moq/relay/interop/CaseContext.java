package moq.relay.interop;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import moq.relay.client.ClientConfig;
import moq.relay.client.MoqClient;
import moq.relay.client.SessionClose;
import moq.relay.client.SessionClosedException;

/**
 * One run of one test case: its deadline and the sessions it opened, by role ({@code client}, {@code publisher},
 * {@code subscriber}). Every case connects afresh; {@link #closeAll} closes what it opened.
 */
final class CaseContext
{
    private final ClientConfig relay;
    private final Deadline deadline;
    private final Map<String, MoqClient> sessions = new LinkedHashMap<>();

    CaseContext(final ClientConfig relay, final Duration timeout)
    {
        this.relay = relay;
        this.deadline = new Deadline(timeout);
    }

    Deadline deadline()
    {
        return deadline;
    }

    /** Connects (QUIC handshake and SETUP exchange) within what is left of the budget. */
    MoqClient connect(final String role) throws Exception
    {
        final Duration left = Duration.ofMillis(deadline.remainingMillis());
        final CompletableFuture<MoqClient> connecting = MoqClient.connect(relay.withTimeouts(left,
            relay.idleTimeout()));
        final MoqClient client;
        try
        {
            client = deadline.await(connecting, "SETUP");
        }
        catch (final InteropFailure e)
        {
            connecting.thenAccept(MoqClient::close);
            throw new InteropFailure("SETUP", e.received(), role + ": " + e.getMessage());
        }
        catch (final SessionClosedException e)
        {
            throw new InteropFailure("SETUP", "session closed", role + ": " + e.getMessage());
        }
        catch (final Exception e)
        {
            throw new InteropFailure("SETUP", "connection failure", role + ": " + e);
        }
        synchronized (sessions)
        {
            sessions.put(role, client);
        }
        return client;
    }

    /** Role to the ALPN each session selected, for the diagnostics. */
    Map<String, String> alpns()
    {
        final Map<String, String> alpns = new LinkedHashMap<>();
        synchronized (sessions)
        {
            sessions.forEach((role, client) -> alpns.put(role, client.alpn()));
        }
        return alpns;
    }

    /**
     * Closes every session with NO_ERROR. Returns a failure if one had already ended (closed by the relay or a
     * transport error) instead of staying up for this graceful close, else null.
     */
    InteropFailure closeAll()
    {
        InteropFailure failure = null;
        synchronized (sessions)
        {
            for (final Map.Entry<String, MoqClient> e : sessions.entrySet())
            {
                final SessionClose early = e.getValue().closed().getNow(null);
                if (early != null && failure == null)
                {
                    failure = new InteropFailure("session open until the client closes it", "session " + early,
                        e.getKey() + " session ended before the graceful close");
                }
                e.getValue().close();
            }
            sessions.clear();
        }
        return failure;
    }
}
