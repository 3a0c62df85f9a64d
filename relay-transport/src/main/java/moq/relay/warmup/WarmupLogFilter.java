package moq.relay.warmup;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Keeps the start-up warm-up's routine lines (its throwaway relay's "listening" and "stopped", a dozen session
 * opens and closes) out of the relay's log: events below WARN logged on a warm-up thread ({@value
 * StartupWarmup#THREAD_PREFIX}...) are dropped, except the warm-up's own summary. Warnings and errors pass, so a
 * warm-up that breaks is seen, but for the one warning per pair that the warm-up provokes on purpose: its object above
 * {@code moq.relay.store.max.object.bytes} ({@link LargeFrames}). Set on the console appender of the relay's {@code logback.xml}; an application that
 * embeds the relay with its own logging configuration may add it there.
 */
public final class WarmupLogFilter extends Filter<ILoggingEvent>
{
    private static final String OWN_LOGGERS = "moq.relay.warmup.";
    private static final String OVERSIZED_LOGGER = moq.relay.engine.TrackIngest.class.getName();
    private static final String OVERSIZED_MESSAGE = "exceeds moq.relay.store.max.object.bytes";

    @Override
    public FilterReply decide(final ILoggingEvent event)
    {
        final String thread = event.getThreadName();
        if (thread != null && thread.startsWith(StartupWarmup.THREAD_PREFIX) &&
            !event.getLevel().isGreaterOrEqual(Level.WARN) && !event.getLoggerName().startsWith(OWN_LOGGERS))
        {
            return FilterReply.DENY;
        }
        if (thread != null && thread.startsWith(StartupWarmup.THREAD_PREFIX) &&
            event.getLevel() == Level.WARN && OVERSIZED_LOGGER.equals(event.getLoggerName()) &&
            event.getMessage() != null && event.getMessage().contains(OVERSIZED_MESSAGE))
        {
            return FilterReply.DENY; // the warm-up's own oversized object
        }
        return FilterReply.NEUTRAL;
    }
}
