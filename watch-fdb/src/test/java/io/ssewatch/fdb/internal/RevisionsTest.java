package io.ssewatch.fdb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ssewatch.api.InvalidRevisionException;
import io.ssewatch.api.Revision;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RevisionsTest {

    private final Revisions revisions = new Revisions(0x9c1e44d2);

    @Test
    void change_tokenIsHexAndEpoch() {
        byte[] stamp = HexFormat.of().parseHex("00000000075bcd150001");

        Revision revision = revisions.change(stamp, 2);

        assertThat(revision.token()).isEqualTo("00000000075bcd1500010002-9c1e44d2");
        assertThat(revision.bytes()).hasSize(12);
    }

    @Test
    void snapshot_isReadVersionThenOnes() {
        Revision revision = revisions.snapshot(0x0102030405060708L);

        assertThat(revision.bytes()).isEqualTo(
                HexFormat.of().parseHex("0102030405060708ffffffff"));
        assertThat(Revisions.commitVersion(revision)).isEqualTo(0x0102030405060708L);
    }

    @Test
    void snapshot_sortsBetweenVersions() {
        Revision snapshot = revisions.snapshot(100);
        Revision atVersion = revisions.change(HexFormat.of().parseHex("0000000000000064ffff"),
                Revisions.MAX_USER_VERSION);
        Revision later = revisions.change(HexFormat.of().parseHex("00000000000000650000"), 0);

        assertThat(snapshot).isGreaterThan(atVersion);
        assertThat(snapshot).isLessThan(later);
    }

    @Test
    void parse_roundTrips() {
        Revision revision = revisions.snapshot(42);

        assertThat(revisions.parse(revision.token())).contains(revision);
    }

    @Test
    void parse_otherEpoch_isEmpty() {
        assertThat(revisions.parse("00000000075bcd1500010002-00000001")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "00000000075bcd1500010002",
            "00000000075bcd15000100-9c1e44d2",
            "00000000075BCD1500010002-9c1e44d2", "00000000075bcd1500010002-9c1e44d2x",
            "17-9c1e44d2"})
    void parse_malformed_throwsNamingValue(String token) {
        assertThatThrownBy(() -> revisions.parse(token))
                .isInstanceOf(InvalidRevisionException.class)
                .hasMessageContaining("\"" + token + "\"")
                .hasMessageContaining("expected");
    }

    @Test
    void bytes_ofOtherStore_rejected() {
        Revision foreign = Revision.of(new byte[8], "17-9c1e44d2");

        assertThatThrownBy(() -> Revisions.bytes(foreign))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("17-9c1e44d2");
    }
}
