package io.wsrouter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wsrouter.core.Broker;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectTextTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the publish script does to the text it is given (Scripts.PUBLISH), spelled out in Java. */
    private static String stampedAsTheScriptDoes(String text, long offset, String epoch) {
        String sep = text.charAt(text.length() - 2) == '{' ? "" : ",";
        return text.substring(0, text.length() - 1) + sep + "\"offset\":" + offset + ",\"epoch\":\"" + epoch + "\"}";
    }

    @Test
    void objectsWithWhitespaceComeOutAsTheScriptCanStampIntoValidJson() throws Exception {
        for (String frame : List.of("{}", "{ }", "{\n}", "{\"a\":1} ", "  {\"a\":1}\r\n", "{\"a\":[1] \t}", "{\"a\":{}}")) {
            String stamped = stampedAsTheScriptDoes(ObjectText.of(frame), 7, "e1");
            JsonNode node = JSON.readTree(stamped);
            assertThat(node.get("offset").asLong()).as(frame).isEqualTo(7);
            assertThat(node.get("epoch").asText()).as(frame).isEqualTo("e1");
            assertThat(node.size()).as(frame).isEqualTo(JSON.readTree(frame).size() + 2);
            assertThat(JSON.readTree(Broker.stamp(frame, 7, "e1"))).as(frame).isEqualTo(node); // core's rule
        }
    }

    @Test
    void textThatIsNoObjectIsRefused() {
        for (String notAnObject : List.of("1}", "x{}", "\"}", "}", "{", "", "   ", "[1]", "{}x")) {
            assertThatThrownBy(() -> ObjectText.of(notAnObject)).as(notAnObject)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("an event frame must be a JSON object");
        }
    }
}
