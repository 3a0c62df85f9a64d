package moq.relay.transport.quic;

import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Answers an Initial packet that {@link InitialAdmission} drops with a stateless CONNECTION_CLOSE
 * (CONNECTION_REFUSED, {@link StatelessClose}), so that a client over a connection cap fails at once rather than at
 * its handshake timeout, while the relay still creates no connection and runs no TLS.
 *
 * <p>Why two hooks: netty's codec asks the token handler whether an Initial creates a connection (only there is it
 * known that the packet's connection id is new) but hands it only the id and the address, not the client's source
 * connection id the answer is addressed to. So {@link InitialPacketGate}, in front of the codec, {@link #enter
 * offers} each Initial datagram for the time the codec reads it, on that event loop's thread, and the admission's
 * refusal {@link #refuse answers} from it. The codec reads a datagram synchronously; the packet is alive throughout.
 *
 * <p>Answers are rate-limited relay-wide ({@link #closesPerSecond}, a burst of as many), so a flood of Initials from
 * spoofed addresses costs at most that many key derivations and small datagrams a second; beyond it Initials are
 * dropped unanswered, as before. Lock-free (one compare-and-set per answer).
 */
public final class InitialRefusals
{
    /** Answers nothing: every refused Initial is dropped unanswered. */
    public static final InitialRefusals NONE = new InitialRefusals(0);

    private static final String REASON = "connection limit";
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final FastThreadLocal<Offer> offers = new FastThreadLocal<>()
    {
        @Override
        protected Offer initialValue()
        {
            return new Offer();
        }
    };
    /** GCRA's theoretical arrival time of the next answer ({@link System#nanoTime()}). */
    private final AtomicLong nextAnswerAt = new AtomicLong(System.nanoTime());
    private volatile int closesPerSecond;
    private volatile Runnable onAnswer = () -> { };

    /** @param closesPerSecond answers a second relay-wide, and the burst allowed; 0 answers none. */
    public InitialRefusals(final int closesPerSecond)
    {
        closesPerSecond(closesPerSecond);
    }

    public void closesPerSecond(final int closesPerSecond)
    {
        if (closesPerSecond < 0)
        {
            throw new IllegalArgumentException("closes per second must be >= 0: " + closesPerSecond);
        }
        this.closesPerSecond = closesPerSecond;
    }

    /** Called on the I/O thread after each answer sent (a metric). */
    public void onAnswer(final Runnable onAnswer)
    {
        this.onAnswer = onAnswer;
    }

    /** The gate offers an Initial datagram for the time the codec reads it; {@link #exit()} ends the offer. */
    void enter(final ChannelHandlerContext ctx, final DatagramPacket packet)
    {
        if (closesPerSecond > 0)
        {
            final Offer offer = offers.get();
            offer.ctx = ctx;
            offer.packet = packet;
        }
    }

    void exit()
    {
        if (closesPerSecond > 0)
        {
            final Offer offer = offers.get();
            offer.ctx = null;
            offer.packet = null;
        }
    }

    /**
     * The admission refused the Initial being read on this thread from {@code sender}: answers it with a
     * CONNECTION_CLOSE when one is offered and the rate allows.
     *
     * @return whether an answer was sent.
     */
    boolean refuse(final InetSocketAddress sender)
    {
        if (closesPerSecond == 0)
        {
            return false;
        }
        final Offer offer = offers.get();
        if (offer.packet == null || !sender.equals(offer.packet.sender()) || !takeToken())
        {
            return false;
        }
        final byte[] close;
        try
        {
            close = StatelessClose.refuse(offer.packet.content(), StatelessClose.CONNECTION_REFUSED, REASON);
        }
        catch (final GeneralSecurityException e)
        {
            return false; // the JDK lacks AES-GCM or HMAC-SHA256: drop unanswered, as without this class
        }
        if (close == null)
        {
            return false;
        }
        // Ownership: the new datagram's buffer wraps our array and passes to the channel, which releases it.
        offer.ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(close), sender));
        onAnswer.run();
        return true;
    }

    /** GCRA (a token bucket as one timestamp): {@code rate} a second, in bursts of up to a second's worth. */
    private boolean takeToken()
    {
        final long interval = NANOS_PER_SECOND / closesPerSecond;
        final long tolerance = NANOS_PER_SECOND - interval;
        while (true)
        {
            final long now = System.nanoTime();
            final long tat = nextAnswerAt.get();
            if (tat - now > tolerance)
            {
                return false;
            }
            if (nextAnswerAt.compareAndSet(tat, Math.max(tat, now) + interval))
            {
                return true;
            }
        }
    }

    /** The Initial datagram the codec is reading on this thread, if any. */
    private static final class Offer
    {
        ChannelHandlerContext ctx;
        DatagramPacket packet;
    }
}
