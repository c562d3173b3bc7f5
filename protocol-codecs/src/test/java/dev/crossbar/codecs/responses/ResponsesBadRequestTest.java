package dev.crossbar.codecs.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.testkit.Golden;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each malformed Responses request (or one needing stored prompts, files or background runs) is a 400 that names the offending field. */
class ResponsesBadRequestTest {

    private final OpenAiResponsesClientCodec codec = new OpenAiResponsesClientCodec();

    static Stream<Arguments> malformedRequests() {
        return Stream.of(
                bad("{'input':'hi'}", "model", "is required"),
                bad("{'model':'m'}", "input", "'input' is required"),
                bad("{'model':'m','input':5}", "input", "string or an array"),
                bad("{'model':'m','input':[]}", "input", "at least one item"),
                bad("{'model':'m','input':'hi','prompt':{'id':'pmpt_1'}}", "prompt", "stored prompt"),
                bad("{'model':'m','input':'hi','background':true}", "background", "not supported"),
                bad("{'model':'m','input':['hi']}", "input[0]", "must be an object"),
                bad("{'model':'m','input':[{'content':'hi'}]}", "input[0].type", "is required"),
                bad("{'model':'m','input':[{'type':'message','content':'hi'}]}", "input[0].role", "is required"),
                bad("{'model':'m','input':[{'role':'tool','content':'hi'}]}", "input[0].role", "must be one of"),
                bad("{'model':'m','input':[{'role':'user','content':7}]}", "input[0].content", "string or an array"),
                bad(
                        "{'model':'m','input':[{'role':'user','content':[{'type':'input_text'}]}]}",
                        "input[0].content[0].text",
                        "is required"),
                bad(
                        "{'model':'m','input':[{'role':'user','content':[{'type':'input_image','file_id':'file_1'}]}]}",
                        "input[0].content[0].file_id",
                        "uploaded file"),
                bad(
                        "{'model':'m','input':[{'role':'user','content':[{'type':'input_image','image_url':'file:///x.png'}]}]}",
                        "input[0].content[0].image_url",
                        "http(s) URL"),
                bad(
                        "{'model':'m','input':[{'role':'user','content':[{'type':'input_file','file_id':'f'}]}]}",
                        "input[0].content[0].type",
                        "not supported"),
                bad("{'model':'m','input':[{'type':'compaction','id':'c_1'}]}", "input[0].type", "not supported"),
                bad(
                        "{'model':'m','input':[{'type':'custom_tool_call','call_id':'c','name':'p','input':'x'}]}",
                        "input[0].type",
                        "not supported"),
                bad(
                        "{'model':'m','input':[{'type':'function_call','name':'f','arguments':'{}'}]}",
                        "input[0].call_id",
                        "is required"),
                bad(
                        "{'model':'m','input':[{'type':'function_call','call_id':'c','arguments':'{}'}]}",
                        "input[0].name",
                        "is required"),
                bad(
                        "{'model':'m','input':[{'type':'function_call_output','call_id':'c'}]}",
                        "input[0].output",
                        "is required"),
                bad(
                        "{'model':'m','input':[{'type':'function_call_output','output':'x'}]}",
                        "input[0].call_id",
                        "is required"),
                bad(
                        "{'model':'m','input':'hi','tools':[{'type':'custom','name':'apply_patch'}]}",
                        "tools[0].type",
                        "only function tools"),
                bad(
                        "{'model':'m','input':'hi','tools':[{'type':'namespace','tools':[]}]}",
                        "tools[0].name",
                        "is required"),
                bad(
                        "{'model':'m','input':'hi','tools':[{'type':'namespace','name':'ns','tools':[{'type':'custom','name':'c'}]}]}",
                        "tools[0].tools[0].type",
                        "only function tools"),
                bad(
                        "{'model':'m','input':'hi','tools':[{'type':'function','name':'ns__f'},"
                                + "{'type':'namespace','name':'ns','tools':[{'type':'function','name':'f'}]}]}",
                        "tools[1].tools[0].name",
                        "already goes by the name 'ns__f'"),
                bad("{'model':'m','input':'hi','tools':[{'type':'function'}]}", "tools[0].name", "is required"),
                bad(
                        "{'model':'m','input':'hi','tool_choice':{'type':'allowed_tools','mode':'auto','tools':[]}}",
                        "tool_choice",
                        "allowed_tools and custom tool choices are not supported"),
                bad("{'model':'m','input':'hi','max_output_tokens':0}", "max_output_tokens", ">= 1"),
                bad("{'model':'m','input':'hi','temperature':2.5}", "temperature", "between 0 and 2"),
                bad(
                        "{'model':'m','input':'hi','text':{'format':{'type':'json_schema','schema':{}}}}",
                        "text.format.name",
                        "is required"),
                bad("{'model':'m','input':'hi','text':{'format':{'type':'xml'}}}", "text.format.type", "must be"),
                bad("{'model':'m','input':'hi','reasoning':{'effort':'max'}}", "reasoning.effort", "must be one of"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("malformedRequests")
    void shouldRejectMalformedRequestWith400NamingTheField(String body, String param, String fragment) {
        CodecException e = assertThrows(
                CodecException.class, () -> codec.decodeRequest(Golden.parse(body.replace('\'', '"')), null, false));
        ApiError error = e.error();
        assertEquals(400, error.status());
        assertEquals(param, error.param(), error.message());
        assertTrue(error.message().contains(fragment), () -> "message was: " + error.message());
    }

    private static Arguments bad(String body, String param, String fragment) {
        return Arguments.of(body, param, fragment);
    }
}
