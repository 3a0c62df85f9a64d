package moq.relay.transport.quic;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

import io.netty.channel.Channel;

/**
 * The one way in to netty 4.2.18's package-private quiche bindings: a connection channel's native quiche connection
 * and the {@code Quiche} class's methods. The relay needs them where netty's API stops short (a 64-bit stream reset
 * code, a close that outlives a spent congestion window); netty is on the class path, so its package-private
 * members are reachable by reflection. When they are not found (netty on the module path, or internals that
 * differ), {@link #AVAILABLE} is false and each caller falls back to netty's own API.
 *
 * <p>Threading: call on the connection's event loop.
 */
public final class NettyQuiche
{
    /** The connection channel's field, its connection's accessors and the {@code Quiche} class were all found. */
    public static final boolean AVAILABLE;
    private static final String PACKAGE = "io.netty.handler.codec.quic.";
    private static final Class<?> QUICHE;
    private static final Field CONNECTION;
    private static final Method IS_FREED;
    private static final Method ADDRESS;

    static
    {
        Class<?> quiche = null;
        Field connection = null;
        Method isFreed = null;
        Method address = null;
        try
        {
            final Class<?> conn = Class.forName(PACKAGE + "QuicheQuicConnection");
            quiche = Class.forName(PACKAGE + "Quiche");
            connection = accessible(Class.forName(PACKAGE + "QuicheQuicChannel").getDeclaredField("connection"));
            isFreed = accessible(conn.getDeclaredMethod("isFreed"));
            address = accessible(conn.getDeclaredMethod("address"));
        }
        catch (final ReflectiveOperationException | RuntimeException | LinkageError ex)
        {
            connection = null;
        }
        QUICHE = quiche;
        CONNECTION = connection;
        IS_FREED = isFreed;
        ADDRESS = address;
        AVAILABLE = connection != null;
    }

    private NettyQuiche()
    {
    }

    /**
     * The native address of {@code channel}'s quiche connection, or 0 when there is none (not a quiche channel,
     * freed, or the internals were not found).
     */
    public static long connectionAddress(final Channel channel) throws ReflectiveOperationException
    {
        if (!AVAILABLE || !CONNECTION.getDeclaringClass().isInstance(channel))
        {
            return 0;
        }
        final Object conn = CONNECTION.get(channel);
        return conn == null || (Boolean)IS_FREED.invoke(conn) ? 0 : (Long)ADDRESS.invoke(conn);
    }

    /** A method of netty's {@code Quiche} class, made accessible. */
    public static Method quicheMethod(final String name, final Class<?>... parameters)
        throws ReflectiveOperationException
    {
        if (!AVAILABLE)
        {
            throw new ReflectiveOperationException("netty's quiche bindings were not found");
        }
        return accessible(QUICHE.getDeclaredMethod(name, parameters));
    }

    /** A static int constant of netty's {@code Quiche} class. */
    public static int quicheConstant(final String name) throws ReflectiveOperationException
    {
        if (!AVAILABLE)
        {
            throw new ReflectiveOperationException("netty's quiche bindings were not found");
        }
        return accessible(QUICHE.getDeclaredField(name)).getInt(null);
    }

    /** A method of netty's {@code QuicheQuicChannel}, made accessible. */
    public static Method channelMethod(final String name, final Class<?>... parameters)
        throws ReflectiveOperationException
    {
        return accessible(Class.forName(PACKAGE + "QuicheQuicChannel").getDeclaredMethod(name, parameters));
    }

    private static <T extends AccessibleObject> T accessible(final T member)
    {
        member.setAccessible(true);
        return member;
    }
}
