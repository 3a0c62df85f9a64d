package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import moq.relay.wire.Location;
import moq.relay.wire.d20.LocationFilter;
import org.junit.jupiter.api.Test;

/** The fill range of FILL_PARAMETERS' LOCATION_FILTER, "evaluated using the rules for a Fetch" (draft-21 §3.4). */
class Draft20FillTest
{
    private static final Location LARGEST = new Location(7, 3);

    private static String range(final LocationFilter f, final Location largest)
    {
        final Location[] r = Draft20Fill.range(f, largest);
        return r == null ? "none" : r[0] + ".." + r[1];
    }

    @Test
    void aZeroLengthFilterIsTheWholeTrackUpToTheLargestObject()
    {
        assertThat(range(LocationFilter.NONE, LARGEST)).isEqualTo(new Location(0, 0) + ".." + LARGEST);
    }

    @Test
    void aRelativeStartCountsBackFromTheNextGroup()
    {
        // §9.20.10: StartGroup=1 is the current group, 2 the one before, 0 the Next Group (after Largest: none).
        assertThat(range(LocationFilter.relativeStartGroup(1), LARGEST)).isEqualTo(new Location(7, 0) + ".." + LARGEST);
        assertThat(range(LocationFilter.relativeStartGroup(3), LARGEST)).isEqualTo(new Location(5, 0) + ".." + LARGEST);
        assertThat(range(LocationFilter.relativeStartGroup(0), LARGEST)).isEqualTo("none");
        assertThat(range(LocationFilter.relativeStartGroup(100), LARGEST))
            .as("clamped to group 0").isEqualTo(new Location(0, 0) + ".." + LARGEST);
    }

    @Test
    void theNextObjectIsAnEmptyFill()
    {
        assertThat(range(LocationFilter.NEXT_OBJECT, LARGEST)).isEqualTo("none");
    }

    @Test
    void anAbsoluteEndIsKeptBelowTheLargestObjectAndClippedAboveIt()
    {
        assertThat(range(LocationFilter.absoluteRange(new Location(2, 1), 2, 5), LARGEST))
            .isEqualTo(new Location(2, 1) + ".." + new Location(4, 5));
        assertThat(range(LocationFilter.absoluteRange(new Location(2, 1), 2), LARGEST))
            .as("the whole end group").isEqualTo(new Location(2, 1) + ".." + new Location(4, -1));
        assertThat(range(LocationFilter.absoluteRange(new Location(6, 0), 9), LARGEST))
            .isEqualTo(new Location(6, 0) + ".." + LARGEST);
        assertThat(range(LocationFilter.absoluteStart(new Location(3, 2)), LARGEST))
            .isEqualTo(new Location(3, 2) + ".." + LARGEST);
    }

    @Test
    void aRangeAfterTheLargestObjectOrOfAnEmptyTrackOpensNoStream()
    {
        assertThat(range(LocationFilter.absoluteStart(new Location(8, 0)), LARGEST)).isEqualTo("none");
        assertThat(range(LocationFilter.absoluteRange(new Location(3, 5), 0, 2), LARGEST)).isEqualTo("none");
        assertThat(range(LocationFilter.NONE, null)).isEqualTo("none");
    }
}
