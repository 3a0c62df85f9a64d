package moq.relay.wire.param;

import java.util.EnumSet;
import java.util.Set;

/** The Message Parameter types one draft defines: how that draft restricts the shared {@link ParameterType}s. */
public final class ParameterTypes
{
    private final String draft;
    private final Set<ParameterType> types;

    public ParameterTypes(final String draft, final ParameterType... types)
    {
        this.draft = draft;
        this.types = EnumSet.noneOf(ParameterType.class);
        for (final ParameterType t : types)
        {
            for (final ParameterType other : this.types)
            {
                if (other.code() == t.code())
                {
                    throw new IllegalArgumentException(draft + " defines 0x" + Long.toHexString(t.code()) + " twice");
                }
            }
            this.types.add(t);
        }
    }

    /** The type {@code code} names in this draft, or null if the draft defines none. */
    public ParameterType of(final long code)
    {
        for (final ParameterType t : types)
        {
            if (t.code() == code)
            {
                return t;
            }
        }
        return null;
    }

    public boolean defines(final ParameterType type)
    {
        return types.contains(type);
    }

    public String draft()
    {
        return draft;
    }
}
