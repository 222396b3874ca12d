package io.wsrouter.quality;

import io.wsrouter.core.WireJson;
import io.wsrouter.core.ErrorCode;
import io.wsrouter.core.Message;
import io.wsrouter.core.MessageHandler;
import io.wsrouter.core.RoutingContext;
import java.util.Map;
import java.util.Set;

/**
 * {@code validate_content}: runs the gate with the requested type and strictness (the legacy handler
 * passed {@code strict_mode} positionally into the context parameter, so strict mode never applied).
 */
final class ContentValidationHandler implements MessageHandler {

    private final QualityGateService gate;
    private final int maxContentLength;

    ContentValidationHandler(QualityGateService gate, int maxContentLength) {
        this.gate = gate;
        this.maxContentLength = maxContentLength;
    }

    @Override
    public Set<String> messageTypes() {
        return Set.of("validate_content");
    }

    @Override
    public boolean handle(RoutingContext context, Message message) throws BadPayload {
        String content = Payloads.text(message, "content", ErrorCode.INVALID_PAYLOAD).orElse("");
        if (content.isEmpty()) {
            throw new BadPayload(ErrorCode.CONTENT_MISSING, "'content' is required and must not be empty");
        }
        if (content.length() > maxContentLength) {
            throw new BadPayload(ErrorCode.CONTENT_TOO_LARGE,
                    "'content' is longer than " + maxContentLength + " characters");
        }
        ContentType type = ContentType.fromWire(
                Payloads.text(message, "content_type", ErrorCode.INVALID_PAYLOAD).orElse(null));
        boolean strict = Payloads.bool(message, "strict_mode", false);
        Map<String, Object> validationContext = Payloads.object(message, "context");
        ValidationResult result = gate.validate(content, type, validationContext, strict);
        if (result == null) {
            throw new IllegalStateException("the quality gate returned null");
        }
        Map<String, Object> data = WireJson.toMap(result);
        data.put("content_type", type.wireValue());
        data.put("strict_mode", strict);
        context.reply("content_validation_result", data);
        return true;
    }
}
