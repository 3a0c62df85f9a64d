package moq.relay.config;

/**
 * A configuration property whose value the relay cannot use. The message names the property and the value as given
 * and says what to write instead, e.g. {@code invalid -Dmoq.relay.port=abc: write a whole number between 0 and 65535}.
 * An {@link IllegalArgumentException}, so a caller that reports bad arguments reports it too.
 */
public final class ConfigurationException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    private final String property;

    /**
     * @param property the property's name.
     * @param value    its value as given ({@code null}: the value is not the problem, e.g. a missing companion).
     * @param fix      what is wrong and what to write instead.
     */
    public ConfigurationException(final String property, final String value, final String fix)
    {
        super("invalid -D" + property + "=" + (value == null ? "" : value) + ": " + fix);
        this.property = property;
    }

    /** The offending property's name. */
    public String property()
    {
        return property;
    }
}
