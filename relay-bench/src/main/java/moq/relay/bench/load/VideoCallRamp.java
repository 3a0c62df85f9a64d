package moq.relay.bench.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code video-call} scenario: for each call size, more and more concurrent calls ({@link Scenarios#calls}: 1, 2,
 * 4, ... calls, one relay run each) until the relay's p99 end-to-end latency exceeds the limit (50 ms), a run loses
 * more than 1 % of its frames, or the participants would exceed the cap. Each relay run is followed by the direct hop
 * with the same participants (the {@code ceiling} series: the plain sender generating every participant's tracks and
 * sending them straight to the others), so the table says how much of the latency is the relay's. The table says per
 * call size and count the frames delivered of those expected, skipped, the latency percentiles, the direct hop's, the
 * relay's CPU per participant, the generator's CPU, and the number of calls at which p99 first exceeded the limit.
 */
final class VideoCallRamp
{
    /** A run losing more frames than this share of those expected ends the ramp of its call size. */
    static final double MAX_LOST_SHARE = 0.01;

    /** One run of the ramp: the relay's, and the direct hop's with the same participants (null if not run). */
    record Step(int callSize, int calls, RunResult result, RunResult direct)
    {
        int participants()
        {
            return callSize * calls;
        }

        double p99Ms()
        {
            return result.p99Us() / 1000;
        }

        /** Relay CPU over the window, in percent of one core, per participant. */
        double cpuPercentPerParticipant()
        {
            return result.cpuSeconds() / result.windowSeconds() * 100 / participants();
        }

        /** Frames not delivered, lost or skipped by the relay: either way the call degraded. */
        boolean lossy()
        {
            return result.expected() > 0 && result.lost() + result.skipped() > result.expected() * MAX_LOST_SHARE;
        }
    }

    private VideoCallRamp()
    {
    }

    /**
     * @param counts null or empty: for each size the ramp 1, 2, 4, ... calls; else only these numbers of calls per
     *               size, each run whatever the one before measured (a point of the ramp on its own).
     */
    static List<Step> run(final SuiteOptions suite, final Scenarios.Knobs k, final List<Integer> sizes,
        final int maxParticipants, final double p99LimitMs, final List<Integer> counts, final Path dir)
        throws Exception
    {
        final List<Step> steps = new ArrayList<>();
        final boolean ramp = counts == null || counts.isEmpty();
        for (final int size : sizes)
        {
            final List<Integer> plan = new ArrayList<>();
            for (int calls = 1; ramp && size * calls <= maxParticipants; calls *= 2)
            {
                plan.add(calls);
            }
            if (!ramp)
            {
                plan.addAll(counts);
            }
            for (final int calls : plan)
            {
                final String point = "call" + size + "x" + calls;
                final Workload w = Scenarios.calls(k, size, calls);
                final RunResult r = suite.runPoint("video-call", "relay", point, w, dir);
                final RunResult direct = k.series().contains("ceiling")
                    ? suite.runPoint("video-call", "ceiling", point, w, dir) : null;
                final Step step = new Step(size, calls, r, direct);
                steps.add(step);
                if (ramp && (step.p99Ms() > p99LimitMs || step.lossy()))
                {
                    break;
                }
            }
        }
        return steps;
    }

    static String markdown(final List<Step> steps, final double p99LimitMs, final int maxParticipants)
    {
        final StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "| call size | calls | participants | "
            + "frames delivered / expected | skipped | p50 ms | p90 ms | p99 ms | p99.9 ms | direct hop p50 / p99 ms | "
            + "relay p99 / direct p99 | relay CPU per participant (%% of a core) | generator CPU (cores) |%n"
            + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n"));
        for (final Step st : steps)
        {
            final RunResult r = st.result();
            final RunResult d = st.direct();
            s.append(String.format(Locale.ROOT, "| %d | %d | %d | %,d / %,d | %,d | %.1f | %.1f | %.1f | %.1f | %s | %s "
                + "| %.2f | %.2f |%n", st.callSize(), st.calls(), st.participants(), r.delivered(), r.expected(),
                r.skipped(), r.p50Us() / 1000, r.p90Us() / 1000, st.p99Ms(), r.p999Us() / 1000,
                d == null ? "-" : String.format(Locale.ROOT, "%.1f / %.1f", d.p50Us() / 1000, d.p99Us() / 1000),
                d == null || d.p99Us() <= 0 ? "-" : String.format(Locale.ROOT, "%.2f", r.p99Us() / d.p99Us()),
                st.cpuPercentPerParticipant(), r.generatorCpuSeconds() / r.windowSeconds()));
        }
        s.append(String.format(Locale.ROOT, "%n| call size | calls at which p99 exceeds %.0f ms |%n|---:|---|%n",
            p99LimitMs));
        steps.stream().map(Step::callSize).distinct().forEach(size ->
        {
            final List<Step> mine = steps.stream().filter(st -> st.callSize() == size).toList();
            final Step last = mine.get(mine.size() - 1);
            final String verdict = last.p99Ms() > p99LimitMs
                ? (mine.size() == 1 ? "1 (already the first call)" : last.calls() + " (" +
                    mine.get(mine.size() - 2).calls() + " stayed below)")
                : last.lossy() ? "not reached; " + last.calls() + " calls lost more than 1 % of the frames"
                : "not reached up to " + last.calls() + " calls (" + last.participants() + " participants; cap " +
                    maxParticipants + ")";
            s.append("| ").append(size).append(" | ").append(verdict).append(" |\n");
        });
        return s.toString();
    }
}
