package moq.relay.transport;

import java.util.List;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/** Records one logger's formatted messages during each test. */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback
{
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LogCapture(final String loggerName)
    {
        this.logger = (Logger)LoggerFactory.getLogger(loggerName);
    }

    @Override
    public void beforeEach(final ExtensionContext context)
    {
        appender.list.clear();
        appender.start();
        logger.addAppender(appender);
    }

    @Override
    public void afterEach(final ExtensionContext context)
    {
        logger.detachAppender(appender);
        appender.stop();
    }

    /** Messages logged so far (a snapshot; the list is appended to from event loops). */
    public List<String> messages()
    {
        synchronized (appender.list)
        {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
        }
    }
}
