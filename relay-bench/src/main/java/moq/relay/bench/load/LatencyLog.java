package moq.relay.bench.load;

import java.io.FileNotFoundException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.Recorder;

/**
 * End-to-end latency of one run: every subscriber thread records into one HdrHistogram {@link Recorder}
 * (wait-free for writers); once a second the interval histogram is appended to an HdrHistogram log (readable with
 * HistogramLogProcessor or HdrHistogram's online plotter) and added to the run's total.
 */
public final class LatencyLog implements AutoCloseable
{
    /** Latencies up to 60 s, 3 significant digits, in nanoseconds. */
    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Recorder recorder = new Recorder(HIGHEST_NANOS, 3);
    private final Histogram total = new Histogram(HIGHEST_NANOS, 3);
    private final PrintStream file;
    private final HistogramLogWriter writer;
    private final ScheduledExecutorService timer;
    private Histogram interval;
    private volatile boolean recording;

    /** @param logFile where the interval log goes, or null for none. */
    public LatencyLog(final Path logFile)
    {
        try
        {
            file = logFile == null ? null : new PrintStream(logFile.toFile());
        }
        catch (final FileNotFoundException e)
        {
            throw new IllegalArgumentException("cannot write " + logFile, e);
        }
        writer = file == null ? null : new HistogramLogWriter(file);
        timer = Executors.newSingleThreadScheduledExecutor(r ->
        {
            final Thread t = new Thread(r, "latency-log");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts recording (the end of warm-up); values offered before are dropped. */
    public void start()
    {
        recorder.reset();
        final long now = System.currentTimeMillis();
        if (writer != null)
        {
            writer.outputLogFormatVersion();
            writer.outputStartTime(now);
            writer.setBaseTime(now);
            writer.outputLegend();
        }
        recording = true;
        timer.scheduleAtFixedRate(this::roll, 1, 1, TimeUnit.SECONDS);
    }

    /** From any thread. */
    public void record(final long nanos)
    {
        if (recording)
        {
            recorder.recordValue(Math.min(Math.max(nanos, 0), HIGHEST_NANOS));
        }
    }

    private synchronized void roll()
    {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        if (writer != null)
        {
            writer.outputIntervalHistogram(interval);
        }
    }

    /** Stops recording and returns every value recorded since {@link #start}. */
    public synchronized Histogram finish()
    {
        recording = false;
        timer.shutdownNow();
        try
        {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        roll();
        return total.copy();
    }

    @Override
    public void close()
    {
        timer.shutdownNow();
        if (file != null)
        {
            file.close();
        }
    }
}
