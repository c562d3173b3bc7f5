package dev.crossbar.codecs.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class TreeReaderTest {

    @Test
    void shouldBuildTheTreeJacksonBuildsForEveryKindOfValue() throws Exception {
        String[] documents = {
            "{\"a\":1,\"b\":-2147483649,\"c\":123456789012345678901234567890,\"d\":2147483647,\"e\":-0}",
            "{\"f\":1.5,\"g\":-0.0,\"h\":1e400,\"i\":2.5E-3,\"j\":1E2,\"k\":0.1000000000000000055511151231257827}",
            "{\"s\":\"\\u00fc\\n\\\"q\\\"\",\"t\":true,\"u\":false,\"n\":null,\"e\":{},\"x\":[]}",
            "{\"r\":1,\"r\":{\"deep\":[[1,[2,{\"z\":[null]}]],\"w\"]},\"r2\":[{\"a\":1,\"a\":2}]}",
            "[1,\"two\",3.0,[],{}]",
            "\"alone\"",
            "42",
        };
        for (String document : documents) {
            byte[] bytes = document.getBytes(UTF_8);
            try (JsonParser p = Json.MAPPER.getFactory().createParser(bytes)) {
                p.nextToken();
                JsonNode read = TreeReader.read(p);
                JsonNode expected = Json.MAPPER.readTree(bytes);
                assertEquals(expected, read, document);
                assertEquals(expected.toString(), read.toString(), document);
                assertEquals(null, p.nextToken(), "the parser is left on the value's last token");
            }
        }
    }
}
