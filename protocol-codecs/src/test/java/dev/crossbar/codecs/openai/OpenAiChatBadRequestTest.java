package dev.crossbar.codecs.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.testkit.Golden;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each malformed Chat Completions request is a 400 that names the offending field. */
class OpenAiChatBadRequestTest {

    private final OpenAiChatClientCodec codec = new OpenAiChatClientCodec();

    static Stream<Arguments> malformedRequests() {
        String user = "{'role':'user','content':'hi'}";
        return Stream.of(
                bad("{'messages':[" + user + "]}", "model", "'model' is required"),
                bad("{'model':7,'messages':[" + user + "]}", "model", "must be a string"),
                bad("{'model':'  ','messages':[" + user + "]}", "model", "must not be empty"),
                bad("{'model':'m'}", "messages", "'messages' is required"),
                bad("{'model':'m','messages':[]}", "messages", "at least one message"),
                bad("{'model':'m','messages':{}}", "messages", "must be an array"),
                bad("{'model':'m','messages':['hi']}", "messages[0]", "must be an object"),
                bad("{'model':'m','messages':[{'content':'hi'}]}", "messages[0].role", "is required"),
                bad(
                        "{'model':'m','messages':[{'role':'function','content':'x'}]}",
                        "messages[0].role",
                        "must be one of system, developer, user, assistant, tool; was 'function'"),
                bad(
                        "{'model':'m','messages':[" + user + "," + user + ",{'role':'user','content':5}]}",
                        "messages[2].content",
                        "'messages[2].content' must be a string or an array"),
                bad("{'model':'m','messages':[{'role':'user'}]}", "messages[0].content", "is required"),
                bad("{'model':'m','messages':[{'role':'user','content':[]}]}", "messages[0].content", "empty array"),
                bad(
                        "{'model':'m','messages':[{'role':'user','content':[{'text':'x'}]}]}",
                        "messages[0].content[0].type",
                        "is required"),
                bad(
                        "{'model':'m','messages':[{'role':'user','content':[{'type':'video','text':'x'}]}]}",
                        "messages[0].content[0].type",
                        "must be text or image_url"),
                bad(
                        "{'model':'m','messages':[{'role':'user','content':[{'type':'text'}]}]}",
                        "messages[0].content[0].text",
                        "is required"),
                bad(
                        "{'model':'m','messages':[{'role':'user','content':[{'type':'input_audio','input_audio':{}}]}]}",
                        "messages[0].content[0].type",
                        "not supported"),
                bad(
                        "{'model':'m','messages':[{'role':'user','content':[{'type':'image_url'}]}]}",
                        "messages[0].content[0].image_url",
                        "is required"),
                bad(
                        "{'model':'m','messages':[{'role':'user','content':[{'type':'image_url','image_url':{'url':'ftp://x/y.png'}}]}]}",
                        "messages[0].content[0].image_url.url",
                        "http(s) URL or a base64 data URL"),
                bad(
                        "{'model':'m','messages':[{'role':'user','content':[{'type':'image_url','image_url':{'url':'data:image/png,abc'}}]}]}",
                        "messages[0].content[0].image_url.url",
                        "base64 data URL"),
                bad(
                        "{'model':'m','messages':[{'role':'user','content':[{'type':'image_url','image_url':{'url':'data:;base64,abc'}}]}]}",
                        "messages[0].content[0].image_url.url",
                        "media type"),
                bad(
                        "{'model':'m','messages':[{'role':'system','content':[{'type':'image_url','image_url':{'url':'https://x/y.png'}}]}]}",
                        "messages[0].content[0].type",
                        "only allowed in user messages"),
                bad("{'model':'m','messages':[{'role':'assistant'}]}", "messages[0].content", "no tool_calls"),
                bad(
                        "{'model':'m','messages':[{'role':'assistant','tool_calls':{}}]}",
                        "messages[0].tool_calls",
                        "must be an array"),
                bad(
                        "{'model':'m','messages':[{'role':'assistant','tool_calls':[{'type':'function','function':{'name':'f'}}]}]}",
                        "messages[0].tool_calls[0].id",
                        "is required"),
                bad(
                        "{'model':'m','messages':[{'role':'assistant','tool_calls':[{'id':'c','type':'function'}]}]}",
                        "messages[0].tool_calls[0].function",
                        "is required"),
                bad(
                        "{'model':'m','messages':[{'role':'assistant','tool_calls':[{'id':'c','function':{'arguments':'{}'}}]}]}",
                        "messages[0].tool_calls[0].function.name",
                        "is required"),
                bad(
                        "{'model':'m','messages':[{'role':'assistant','tool_calls':[{'id':'c','function':{'name':'f','arguments':5}}]}]}",
                        "messages[0].tool_calls[0].function.arguments",
                        "must be a string"),
                bad(
                        "{'model':'m','messages':[{'role':'assistant','tool_calls':[{'id':'c','type':'custom','custom':{}}]}]}",
                        "messages[0].tool_calls[0].type",
                        "must be 'function'"),
                bad(
                        "{'model':'m','messages':[{'role':'tool','content':'x'}]}",
                        "messages[0].tool_call_id",
                        "is required"),
                bad(
                        "{'model':'m','messages':[{'role':'tool','tool_call_id':'c','content':[{'type':'image_url','image_url':{'url':'https://x'}}]}]}",
                        "messages[0].content[0].type",
                        "only allowed in user messages"),
                bad("{'model':'m','messages':[" + user + "],'n':2}", "n", "'n' must be 1"),
                bad("{'model':'m','messages':[" + user + "],'max_tokens':0}", "max_tokens", "must be >= 1"),
                bad(
                        "{'model':'m','messages':[" + user + "],'max_completion_tokens':'lots'}",
                        "max_completion_tokens",
                        "must be an integer"),
                bad("{'model':'m','messages':[" + user + "],'temperature':3}", "temperature", "between 0 and 2"),
                bad("{'model':'m','messages':[" + user + "],'temperature':'hot'}", "temperature", "must be a number"),
                bad("{'model':'m','messages':[" + user + "],'top_p':1.5}", "top_p", "between 0 and 1"),
                bad("{'model':'m','messages':[" + user + "],'stop':5}", "stop", "string or an array of strings"),
                bad("{'model':'m','messages':[" + user + "],'stop':['a',1]}", "stop", "string or an array of strings"),
                bad("{'model':'m','messages':[" + user + "],'stream':'yes'}", "stream", "true or false"),
                bad(
                        "{'model':'m','messages':[" + user + "],'stream':true,'stream_options':{'include_usage':1}}",
                        "stream_options.include_usage",
                        "true or false"),
                bad(
                        "{'model':'m','messages':[" + user + "],'tools':[{'type':'function'}]}",
                        "tools[0].function",
                        "is required"),
                bad(
                        "{'model':'m','messages':[" + user + "],'tools':[{'type':'function','function':{}}]}",
                        "tools[0].function.name",
                        "is required"),
                bad(
                        "{'model':'m','messages':[" + user + "],'tools':[{'type':'custom','custom':{'name':'x'}}]}",
                        "tools[0].type",
                        "must be 'function'"),
                bad(
                        "{'model':'m','messages':[" + user
                                + "],'tools':[{'type':'function','function':{'name':'f','parameters':'{}'}}]}",
                        "tools[0].function.parameters",
                        "must be an object"),
                bad("{'model':'m','messages':[" + user + "],'tool_choice':'any'}", "tool_choice", "must be"),
                bad(
                        "{'model':'m','messages':[" + user + "],'tool_choice':{'type':'function','function':{}}}",
                        "tool_choice.function.name",
                        "is required"),
                bad(
                        "{'model':'m','messages':[" + user + "],'response_format':{'type':'yaml'}}",
                        "response_format.type",
                        "text, json_object or json_schema"),
                bad(
                        "{'model':'m','messages':[" + user + "],'response_format':{'type':'json_schema'}}",
                        "response_format.json_schema",
                        "is required"),
                bad(
                        "{'model':'m','messages':[" + user
                                + "],'response_format':{'type':'json_schema','json_schema':{'schema':{}}}}",
                        "response_format.json_schema.name",
                        "is required"),
                bad(
                        "{'model':'m','messages':[" + user
                                + "],'response_format':{'type':'json_schema','json_schema':{'name':'x'}}}",
                        "response_format.json_schema.schema",
                        "is required"),
                bad(
                        "{'model':'m','messages':[" + user + "],'reasoning_effort':'extreme'}",
                        "reasoning_effort",
                        "must be one of none, minimal, low, medium, high"),
                bad("{'model':'m','messages':[" + user + "],'functions':[{'name':'f'}]}", "functions", "send 'tools'"),
                bad("{'model':'m','messages':[" + user + "],'audio':{'voice':'alloy'}}", "audio", "not supported"),
                bad(
                        "{'model':'m','messages':[" + user + "],'modalities':['text','audio']}",
                        "modalities",
                        "only contain"),
                bad("{'model':'m','messages':[" + user + "],'user':42}", "user", "must be a string"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("malformedRequests")
    void shouldRejectMalformedRequestWith400NamingTheField(String body, String param, String fragment) {
        JsonNode json = Golden.parse(body.replace('\'', '"'));
        CodecException e = assertThrows(CodecException.class, () -> codec.decodeRequest(json, null, false));
        ApiError error = e.error();
        assertEquals(400, error.status());
        assertEquals(ErrorKind.INVALID_REQUEST, error.kind());
        assertEquals(param, error.param(), error.message());
        assertTrue(error.message().contains(fragment), () -> "message was: " + error.message());
    }

    @ParameterizedTest
    @MethodSource("nonObjects")
    void shouldRejectABodyThatIsNotAnObject(String body) {
        CodecException e =
                assertThrows(CodecException.class, () -> codec.decodeRequest(Golden.parse(body), null, false));
        assertEquals(400, e.error().status());
    }

    static Stream<String> nonObjects() {
        return Stream.of("[]", "\"text\"", "42", "null");
    }

    private static Arguments bad(String body, String param, String fragment) {
        return Arguments.of(body, param, fragment);
    }
}
