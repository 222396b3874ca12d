package io.wsrouter.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OriginPolicyTest {

    @Test
    void normaliseLowersCaseAndDropsDefaultPortsAndATrailingSlash() {
        assertThat(OriginPolicy.normalise("HTTPS://App.Example.COM:443")).isEqualTo("https://app.example.com");
        assertThat(OriginPolicy.normalise("http://app.example.com:80/")).isEqualTo("http://app.example.com");
        assertThat(OriginPolicy.normalise("http://localhost:8080")).isEqualTo("http://localhost:8080");
        assertThat(OriginPolicy.normalise("http://[::1]:8080")).isEqualTo("http://[::1]:8080");
    }

    @Test
    void normaliseRefusesWhatIsNotAnHttpOrigin() {
        assertThat(OriginPolicy.normalise("null")).isNull();
        assertThat(OriginPolicy.normalise("file:///etc/passwd")).isNull();
        assertThat(OriginPolicy.normalise("chrome-extension://abc")).isNull();
        assertThat(OriginPolicy.normalise("http://user@evil.example")).isNull();
        assertThat(OriginPolicy.normalise("http://app.example.com/path")).isNull();
        assertThat(OriginPolicy.normalise("http://app.example.com?x=1")).isNull();
        assertThat(OriginPolicy.normalise("not an origin")).isNull();
    }

    @Test
    void anAllowedOriginMustBeAnOriginOrTheWildcard() {
        assertThat(OriginPolicy.normaliseAllowed("*")).isEqualTo("*");
        assertThat(OriginPolicy.normaliseAllowed("https://app.example.com/")).isEqualTo("https://app.example.com");
        assertThatThrownBy(() -> OriginPolicy.normaliseAllowed("app.example.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'app.example.com'");
    }
}
