package io.modelmaestro.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class UriCacheTest {

    @Test
    void a_url_is_parsed_once_with_its_raw_path_and_query_kept() {
        UriCache cache = new UriCache();
        String url = "http://10.0.0.7:11434/v1/models/a%2Fb:generate?alt=sse&key=x%20y";
        URI first = cache.get(url);
        assertThat(first).isNotNull();
        assertThat(cache.get(url)).isSameAs(first);
        assertThat(first.getHost()).isEqualTo("10.0.0.7");
        assertThat(first.getPort()).isEqualTo(11434);
        assertThat(first.getRawPath()).isEqualTo("/v1/models/a%2Fb:generate");
        assertThat(first.getRawQuery()).isEqualTo("alt=sse&key=x%20y");
        assertThat(cache.get("http://[::1]:8000/v1/chat/completions").getHost()).isEqualTo("[::1]");
    }

    @Test
    void what_is_no_absolute_uri_with_a_host_is_left_to_reactor_netty() {
        UriCache cache = new UriCache();
        assertThat(cache.get("http://host/a path")).isNull();
        assertThat(cache.get("/v1/chat/completions")).isNull();
        assertThat(cache.get("mailto:x@y")).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void the_cache_is_bounded() {
        UriCache cache = new UriCache();
        for (int i = 0; i < UriCache.MAX_ENTRIES * 3; i++) {
            assertThat(cache.get("http://h/" + i)).isNotNull();
        }
        assertThat(cache.size()).isLessThanOrEqualTo(UriCache.MAX_ENTRIES);
    }
}
