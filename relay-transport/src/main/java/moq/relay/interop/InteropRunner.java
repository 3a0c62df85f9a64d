package moq.relay.interop;

import java.util.List;
import java.util.Map;
import moq.relay.client.ClientConfig;
import moq.relay.client.RequestRejectedException;
import moq.relay.client.SessionClosedException;

/** Runs test cases one after the other against one relay, each with fresh connections, and reports them in TAP. */
public final class InteropRunner
{
    private final ClientConfig relay;
    private final TapWriter tap;

    /** @param relay where and how to connect; its timeouts are replaced by each case's budget. */
    public InteropRunner(final ClientConfig relay, final TapWriter tap)
    {
        this.relay = relay;
        this.tap = tap;
    }

    /** Runs {@code cases} (the plan must already be written); true if all passed. */
    public boolean run(final List<InteropCase> cases)
    {
        Warmup.run(relay);
        boolean allPassed = true;
        for (final InteropCase c : cases)
        {
            final CaseResult r = run(c);
            tap.result(r, relay.draft());
            allPassed &= r.passed();
        }
        return allPassed;
    }

    CaseResult run(final InteropCase c)
    {
        final CaseContext context = new CaseContext(relay, c.timeout());
        String expected = null;
        String received;
        String message = null;
        boolean passed;
        try
        {
            received = c.procedure().run(context);
            passed = true;
        }
        catch (final InteropFailure e)
        {
            passed = false;
            expected = e.expected();
            received = e.received();
            message = e.getMessage();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            passed = false;
            received = "interrupted";
        }
        catch (final SessionClosedException | RequestRejectedException e)
        {
            passed = false;
            received = e.getClass().getSimpleName();
            message = e.getMessage();
        }
        catch (final Exception e)
        {
            passed = false;
            received = "error";
            message = String.valueOf(e);
        }
        final Map<String, String> alpns = context.alpns();
        final InteropFailure closing = context.closeAll();
        if (passed && closing != null)
        {
            passed = false;
            expected = closing.expected();
            received = closing.received();
            message = closing.getMessage();
        }
        return new CaseResult(c.name(), passed, context.deadline().elapsedMillis(), expected, received, message,
            alpns);
    }
}
