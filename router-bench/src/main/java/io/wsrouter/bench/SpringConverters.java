package io.wsrouter.bench;

import java.util.List;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.DefaultContentTypeResolver;
import org.springframework.messaging.converter.MappingJackson2MessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.util.MimeTypeUtils;

/** The converter chain Spring's {@code @EnableWebSocketMessageBroker} configuration builds. */
final class SpringConverters {

    private SpringConverters() {
    }

    /** As {@code AbstractMessageBrokerConfiguration.brokerMessageConverter()} with Jackson present. */
    static CompositeMessageConverter brokerMessageConverter() {
        DefaultContentTypeResolver resolver = new DefaultContentTypeResolver();
        resolver.setDefaultMimeType(MimeTypeUtils.APPLICATION_JSON);
        MappingJackson2MessageConverter jackson = new MappingJackson2MessageConverter();
        jackson.setContentTypeResolver(resolver);
        return new CompositeMessageConverter(List.of(new StringMessageConverter(), new ByteArrayMessageConverter(), jackson));
    }
}
