package moq.relay.transport.webtransport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The two RFC 9651 structured-field shapes WebTransport protocol negotiation uses (draft-ietf-webtrans-http3-16
 * 3.3): {@code WT-Available-Protocols}, a List whose members must all be Strings, and {@code WT-Protocol}, a
 * String Item. Parameters are parsed (so the syntax is checked) and ignored, as the draft requires.
 *
 * <p>Hostile input: parsing never throws, allocates at most a copy of the input, and gives up (returns null) past
 * {@link #MAX_LIST_MEMBERS} members; a field with any syntax error or any non-String member is ignored whole
 * (RFC 9651 4.2: "the entire field is ignored").
 */
final class StructuredFields
{
    /** More members than any sensible offer; a longer list is ignored. */
    static final int MAX_LIST_MEMBERS = 64;

    private final CharSequence input;
    private int pos;

    private StructuredFields(final CharSequence input)
    {
        this.input = input;
    }

    /**
     * Parses a List of Strings (RFC 9651 4.2.1).
     *
     * @return the strings in order, or null when the field is malformed, has a non-String member, or is too long.
     */
    static List<String> parseStringList(final CharSequence field)
    {
        if (field == null)
        {
            return null;
        }
        final StructuredFields parser = new StructuredFields(field);
        parser.skipSpaces();
        final List<String> members = parser.parseList();
        if (members == null)
        {
            return null;
        }
        parser.skipSpaces();
        return parser.pos == field.length() ? members : null;
    }

    /** Serializes a String Item (RFC 9651 4.1.6); throws for characters a String cannot hold. */
    static String serializeString(final String value)
    {
        final StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e)
            {
                throw new IllegalArgumentException("not a structured-field string: " + value);
            }
            if (c == '"' || c == '\\')
            {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }

    private List<String> parseList()
    {
        final List<String> members = new ArrayList<>();
        while (pos < input.length())
        {
            if (members.size() == MAX_LIST_MEMBERS || peek() != '"')
            {
                return null; // too long, or an inner list / non-String item: ignore the field
            }
            final String member = parseString();
            if (member == null || !skipParameters())
            {
                return null;
            }
            members.add(member);
            skipOws();
            if (pos == input.length())
            {
                return members;
            }
            if (input.charAt(pos++) != ',')
            {
                return null;
            }
            skipOws();
            if (pos == input.length())
            {
                return null; // trailing comma
            }
        }
        return Collections.unmodifiableList(members);
    }

    /** RFC 9651 4.2.5; at a '"'. */
    private String parseString()
    {
        final StringBuilder out = new StringBuilder();
        pos++;
        while (pos < input.length())
        {
            final char c = input.charAt(pos++);
            if (c == '\\')
            {
                if (pos == input.length())
                {
                    return null;
                }
                final char escaped = input.charAt(pos++);
                if (escaped != '"' && escaped != '\\')
                {
                    return null;
                }
                out.append(escaped);
            }
            else if (c == '"')
            {
                return out.toString();
            }
            else if (c < 0x20 || c > 0x7e)
            {
                return null;
            }
            else
            {
                out.append(c);
            }
        }
        return null; // unterminated
    }

    /** RFC 9651 4.2.3.2: {@code *( ";" *SP key [ "=" bare-item ] )}; false on a syntax error. */
    private boolean skipParameters()
    {
        while (pos < input.length() && peek() == ';')
        {
            pos++;
            skipSpaces();
            if (!skipKey())
            {
                return false;
            }
            if (pos < input.length() && peek() == '=')
            {
                pos++;
                if (!skipBareItem())
                {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean skipKey()
    {
        if (pos == input.length() || !(isLcAlpha(peek()) || peek() == '*'))
        {
            return false;
        }
        pos++;
        while (pos < input.length())
        {
            final char c = peek();
            if (!(isLcAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '.' || c == '*'))
            {
                break;
            }
            pos++;
        }
        return true;
    }

    /** RFC 9651 4.2.3.1: any bare item type, syntax-checked and discarded. */
    private boolean skipBareItem()
    {
        if (pos == input.length())
        {
            return false;
        }
        final char c = peek();
        if (c == '-' || isDigit(c))
        {
            return skipNumber();
        }
        if (c == '"')
        {
            return parseString() != null;
        }
        if (c == '*' || isAlpha(c))
        {
            pos++;
            while (pos < input.length() && (isTchar(peek()) || peek() == ':' || peek() == '/'))
            {
                pos++;
            }
            return true;
        }
        if (c == ':')
        {
            pos++;
            while (pos < input.length() && peek() != ':')
            {
                final char b = peek();
                if (!(isAlpha(b) || isDigit(b) || b == '+' || b == '/' || b == '='))
                {
                    return false;
                }
                pos++;
            }
            return pos++ < input.length();
        }
        if (c == '?')
        {
            pos++;
            return pos < input.length() && (input.charAt(pos++) == '0' || input.charAt(pos - 1) == '1');
        }
        if (c == '@')
        {
            pos++;
            return pos < input.length() && (peek() == '-' || isDigit(peek())) && skipNumber();
        }
        if (c == '%')
        {
            return skipDisplayString();
        }
        return false;
    }

    /** RFC 9651 4.2.4: Integer (up to 15 digits) or Decimal (up to 12.3 digits). */
    private boolean skipNumber()
    {
        if (peek() == '-')
        {
            pos++;
        }
        int integerDigits = 0;
        while (pos < input.length() && isDigit(peek()))
        {
            pos++;
            integerDigits++;
        }
        if (integerDigits == 0 || integerDigits > 15)
        {
            return false;
        }
        if (pos < input.length() && peek() == '.')
        {
            pos++;
            int fractionDigits = 0;
            while (pos < input.length() && isDigit(peek()))
            {
                pos++;
                fractionDigits++;
            }
            return integerDigits <= 12 && fractionDigits >= 1 && fractionDigits <= 3;
        }
        return true;
    }

    /** RFC 9651 4.2.10: {@code %"...\"} with %xx lowercase escapes (UTF-8 validity is not checked here). */
    private boolean skipDisplayString()
    {
        pos++;
        if (pos == input.length() || input.charAt(pos++) != '"')
        {
            return false;
        }
        while (pos < input.length())
        {
            final char c = input.charAt(pos++);
            if (c == '"')
            {
                return true;
            }
            if (c < 0x20 || c > 0x7e)
            {
                return false;
            }
            if (c == '%')
            {
                if (pos + 2 > input.length() || !isLcHex(input.charAt(pos)) || !isLcHex(input.charAt(pos + 1)))
                {
                    return false;
                }
                pos += 2;
            }
        }
        return false;
    }

    private char peek()
    {
        return input.charAt(pos);
    }

    private void skipSpaces()
    {
        while (pos < input.length() && peek() == ' ')
        {
            pos++;
        }
    }

    private void skipOws()
    {
        while (pos < input.length() && (peek() == ' ' || peek() == '\t'))
        {
            pos++;
        }
    }

    private static boolean isDigit(final char c)
    {
        return c >= '0' && c <= '9';
    }

    private static boolean isLcAlpha(final char c)
    {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isAlpha(final char c)
    {
        return isLcAlpha(c) || (c >= 'A' && c <= 'Z');
    }

    private static boolean isLcHex(final char c)
    {
        return isDigit(c) || (c >= 'a' && c <= 'f');
    }

    /** RFC 9110 5.6.2 tchar. */
    private static boolean isTchar(final char c)
    {
        return isAlpha(c) || isDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
