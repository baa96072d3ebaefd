package io.ssewatch.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class WatchUrisTest {

    private static String withWatch(String uri) {
        return WatchUris.withWatchParameter(URI.create(uri)).toString();
    }

    @Test
    void watchParameter_addedWhenMissing() {
        assertThat(withWatch("http://h/volumes/")).isEqualTo("http://h/volumes/?watch=true");
        assertThat(withWatch("http://h/volumes/?")).isEqualTo("http://h/volumes/?watch=true");
        assertThat(withWatch("https://h:8443/v/?a=1&b=%20"))
                .isEqualTo("https://h:8443/v/?a=1&b=%20&watch=true");
    }

    @Test
    void watchParameter_keptWhenTrue() {
        assertThat(withWatch("http://h/v/?watch=true&a=1")).isEqualTo("http://h/v/?watch=true&a=1");
    }

    @Test
    void watchParameter_otherValueRejected() {
        assertThatThrownBy(() -> withWatch("http://h/v/?watch=false"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("watch=false");
        assertThatThrownBy(() -> withWatch("http://h/v/?watch"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fragment_removed() {
        assertThat(withWatch("http://h/v/?a=1#top")).isEqualTo("http://h/v/?a=1&watch=true");
    }

    @Test
    void nonHttpUri_rejected() {
        for (String uri : new String[] {"ftp://h/v/", "/volumes/", "mailto:a@b", "http:/v"}) {
            assertThatThrownBy(() -> withWatch(uri)).as(uri)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected: an absolute http or https URI");
        }
    }
}
