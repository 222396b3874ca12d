package io.wsrouter.jakarta;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OriginsTest {

    @Test
    void sameOriginByDefaultWithDefaultPortsMadeExplicit() {
        Origins same = new Origins(List.of());
        assertThat(same.permits("http://chat.example.com", false, "chat.example.com:80")).isTrue();
        assertThat(same.permits("https://CHAT.example.com", true, "chat.example.com")).isTrue();
        assertThat(same.permits("http://chat.example.com", true, "chat.example.com")).isFalse();
        assertThat(same.permits("https://evil.example", true, "chat.example.com")).isFalse();
        assertThat(same.permits("null", false, "chat.example.com")).isFalse();
        assertThat(same.permits(null, false, "chat.example.com")).as("not a browser").isTrue();
    }

    @Test
    void listedOriginsAreAllowedBesidesTheSameOriginAndStarAllowsAny() {
        Origins list = new Origins(List.of("https://chat.example.com"));
        assertThat(list.permits("https://chat.example.com:443", false, "api.example.com")).isTrue();
        assertThat(list.permits("https://api.example.com", true, "api.example.com")).isTrue();
        assertThat(list.permits("https://evil.example", true, "api.example.com")).isFalse();
        assertThat(new Origins(List.of("*")).permits("https://anything.example", false, "x")).isTrue();
    }
}
