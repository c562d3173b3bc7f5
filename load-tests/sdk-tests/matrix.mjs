// Drives a Crossbar gateway with the official SDKs, unchanged: every SDK against every demo model,
// plain and streamed, with and without tools, and the Anthropic SDK's token counter on every model. The gateway must serve the demo's models
// (examples/demo.yaml) backed by the mock providers, which answer "echo: <last user text>", call the
// first offered tool with each required string parameter set to the last user text, and answer
// "tool said: <result>" after a tool result (load-tests/MOCKS.md).
//
//   node matrix.mjs <gateway base URL, e.g. http://127.0.0.1:8080> <client key>
//
// Prints one JSON line per case, {"sdk","model","mode","tools","ok","detail"}, and exits 1 when any
// case failed. SdkMatrixIT runs it against a real node.
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { GoogleGenAI, Type } from "@google/genai";

const [baseArg, keyArg] = process.argv.slice(2);
const BASE = (baseArg || process.env.CROSSBAR_URL || "http://127.0.0.1:8080").replace(/\/+$/, "");
const KEY = keyArg || process.env.CROSSBAR_KEY || "crossbar-demo";
const TIMEOUT_MS = 10_000;

const MODELS = ["demo-openai", "demo-openai-responses", "demo-anthropic", "demo-gemini"];
const MODES = ["plain", "stream"];
const PROMPT = "Paris in spring";
const TOOL_RESULT = "sunny, 21 degrees";
const TOOL = {
  name: "get_weather",
  description: "The current weather in a city",
  schema: {
    type: "object",
    properties: { city: { type: "string", description: "the city" } },
    required: ["city"],
  },
};

class CaseFailure extends Error {}

function check(condition, message) {
  if (!condition) {
    throw new CaseFailure(message);
  }
}

function checkEq(actual, expected, what) {
  check(actual === expected, `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

function checkArgs(args, what) {
  const parsed = typeof args === "string" ? JSON.parse(args) : args;
  check(parsed && typeof parsed === "object", `${what}: arguments are not an object: ${JSON.stringify(args)}`);
  checkEq(parsed.city, PROMPT, `${what} argument 'city'`);
}

// The mock streams one word per chunk: a reply of several words must arrive in several deltas.
function checkStreamed(text, deltas) {
  if (text && text.includes(" ")) {
    check(deltas > 1, `the reply came in ${deltas} delta(s), not streamed word by word`);
  }
}

function checkCount(n, what) {
  check(Number.isInteger(n) && n > 0, `${what}: expected a positive token count, got ${JSON.stringify(n)}`);
}

// ---- OpenAI Chat Completions ---------------------------------------------------------------------

const openai = new OpenAI({ baseURL: `${BASE}/v1`, apiKey: KEY, maxRetries: 0, timeout: TIMEOUT_MS });

const chatTools = [{ type: "function", function: { name: TOOL.name, description: TOOL.description, parameters: TOOL.schema } }];

async function chatTurn(model, mode, messages, tools) {
  const params = { model, messages, ...(tools ? { tools } : {}) };
  if (mode === "plain") {
    const r = await openai.chat.completions.create(params);
    checkEq(r.object, "chat.completion", "object");
    check(r.usage, "usage is missing");
    checkCount(r.usage.prompt_tokens, "usage.prompt_tokens");
    checkCount(r.usage.completion_tokens, "usage.completion_tokens");
    checkEq(r.usage.total_tokens, r.usage.prompt_tokens + r.usage.completion_tokens, "usage.total_tokens");
    const c = r.choices[0];
    return { text: c.message.content, toolCalls: c.message.tool_calls || [], finish: c.finish_reason };
  }
  // The SDK's stream helper rebuilds the completion from the chunks and refuses incomplete ones.
  const stream = openai.chat.completions.stream({ ...params, stream: true, stream_options: { include_usage: true } });
  let usage = null;
  let textDeltas = 0;
  for await (const chunk of stream) {
    checkEq(chunk.object, "chat.completion.chunk", "chunk object");
    if (chunk.usage) {
      usage = chunk.usage;
    }
    if (chunk.choices[0]?.delta?.content) {
      textDeltas++;
    }
  }
  const final = await stream.finalChatCompletion();
  check(usage, "no usage chunk although include_usage was set");
  checkCount(usage.prompt_tokens, "usage.prompt_tokens");
  checkCount(usage.completion_tokens, "usage.completion_tokens");
  const c = final.choices[0];
  checkStreamed(c.message.content, textDeltas);
  return { text: c.message.content, toolCalls: c.message.tool_calls || [], finish: c.finish_reason };
}

async function openaiChat(model, mode, tools) {
  const messages = [{ role: "user", content: PROMPT }];
  if (!tools) {
    const r = await chatTurn(model, mode, messages, null);
    checkEq(r.text, `echo: ${PROMPT}`, "text");
    checkEq(r.finish, "stop", "finish_reason");
    return r.text;
  }
  const first = await chatTurn(model, mode, messages, chatTools);
  checkEq(first.finish, "tool_calls", "finish_reason");
  checkEq(first.toolCalls.length, 1, "tool call count");
  const call = first.toolCalls[0];
  check(call.id, "the tool call has no id");
  checkEq(call.function.name, TOOL.name, "tool name");
  checkArgs(call.function.arguments, "tool call");
  messages.push({ role: "assistant", content: first.text || null, tool_calls: [call] });
  messages.push({ role: "tool", tool_call_id: call.id, content: TOOL_RESULT });
  const second = await chatTurn(model, mode, messages, chatTools);
  checkEq(second.text, `tool said: ${TOOL_RESULT}`, "text after the tool result");
  checkEq(second.finish, "stop", "finish_reason after the tool result");
  return `${call.function.name}(${call.function.arguments}) -> ${second.text}`;
}

// ---- OpenAI Responses ----------------------------------------------------------------------------

const responsesTools = [{ type: "function", name: TOOL.name, description: TOOL.description, parameters: TOOL.schema, strict: false }];

async function responsesTurn(model, mode, input, tools) {
  const params = { model, input, ...(tools ? { tools } : {}) };
  let r;
  if (mode === "plain") {
    r = await openai.responses.create(params);
  } else {
    // The SDK's stream helper checks the event sequence and rebuilds the Response from it.
    const stream = openai.responses.stream(params);
    const seen = new Set();
    let textDeltas = 0;
    for await (const event of stream) {
      seen.add(event.type);
      if (event.type === "response.output_text.delta") {
        textDeltas++;
      }
    }
    r = await stream.finalResponse();
    checkStreamed(r.output_text, textDeltas);
    check(seen.has("response.created"), "no response.created event");
    check(seen.has("response.completed"), "no response.completed event");
  }
  checkEq(r.object, "response", "object");
  checkEq(r.status, "completed", "status");
  check(r.usage, "usage is missing");
  checkCount(r.usage.input_tokens, "usage.input_tokens");
  checkCount(r.usage.output_tokens, "usage.output_tokens");
  checkEq(r.usage.total_tokens, r.usage.input_tokens + r.usage.output_tokens, "usage.total_tokens");
  return r;
}

async function openaiResponses(model, mode, tools) {
  if (!tools) {
    const r = await responsesTurn(model, mode, PROMPT, null);
    checkEq(r.output_text, `echo: ${PROMPT}`, "output_text");
    return r.output_text;
  }
  const input = [{ role: "user", content: PROMPT }];
  const first = await responsesTurn(model, mode, input, responsesTools);
  const calls = first.output.filter((item) => item.type === "function_call");
  checkEq(calls.length, 1, "function_call items");
  const call = calls[0];
  check(call.call_id, "the function_call has no call_id");
  checkEq(call.name, TOOL.name, "tool name");
  checkArgs(call.arguments, "function_call");
  input.push(...first.output);
  input.push({ type: "function_call_output", call_id: call.call_id, output: TOOL_RESULT });
  const second = await responsesTurn(model, mode, input, responsesTools);
  checkEq(second.output_text, `tool said: ${TOOL_RESULT}`, "output_text after the tool result");
  return `${call.name}(${call.arguments}) -> ${second.output_text}`;
}

// ---- Anthropic Messages --------------------------------------------------------------------------

// Both header forms must reach the gateway. The SDK's 0.x releases sent `apiKey` as x-api-key; 1.x
// sends it as Authorization: Bearer, like `authToken`. So the apiKey client also sets the x-api-key
// header the way 0.x clients (and curl users) do and drops Authorization; each client checks what
// the SDK actually sent.
function expectingAuth(kind) {
  return (url, init) => {
    const headers = new Headers(init?.headers);
    const bearer = headers.get("authorization");
    const apiKey = headers.get("x-api-key");
    const ok = kind === "apiKey" ? apiKey === KEY && bearer === null : bearer === `Bearer ${KEY}` && apiKey === null;
    if (!ok) {
      return Promise.reject(new CaseFailure(`${kind} auth sent x-api-key=${apiKey}, authorization=${bearer}`));
    }
    return fetch(url, init);
  };
}

const anthropicByApiKey = new Anthropic({
  baseURL: BASE, apiKey: KEY, defaultHeaders: { "x-api-key": KEY, authorization: null },
  maxRetries: 0, timeout: TIMEOUT_MS, fetch: expectingAuth("apiKey"),
});
const anthropicByToken = new Anthropic({
  baseURL: BASE, authToken: KEY, apiKey: null, maxRetries: 0, timeout: TIMEOUT_MS, fetch: expectingAuth("authToken"),
});

const anthropicTools = [{ name: TOOL.name, description: TOOL.description, input_schema: TOOL.schema }];

async function messagesTurn(client, model, mode, messages, tools) {
  const params = { model, max_tokens: 256, messages, ...(tools ? { tools } : {}) };
  let m;
  if (mode === "plain") {
    m = await client.messages.create(params);
  } else {
    // The SDK's MessageStream checks the event sequence and rebuilds the Message from it.
    const stream = client.messages.stream(params);
    let deltas = "";
    let count = 0;
    stream.on("text", (t) => {
      deltas += t;
      count++;
    });
    m = await stream.finalMessage();
    const text = m.content.filter((b) => b.type === "text").map((b) => b.text).join("");
    checkEq(deltas, text, "streamed text deltas");
    checkStreamed(text, count);
  }
  checkEq(m.type, "message", "type");
  checkEq(m.role, "assistant", "role");
  check(m.usage, "usage is missing");
  checkCount(m.usage.input_tokens, "usage.input_tokens");
  checkCount(m.usage.output_tokens, "usage.output_tokens");
  return m;
}

function anthropic(client) {
  return async (model, mode, tools) => {
    const messages = [{ role: "user", content: PROMPT }];
    if (!tools) {
      const m = await messagesTurn(client, model, mode, messages, null);
      checkEq(m.stop_reason, "end_turn", "stop_reason");
      const text = m.content.map((b) => b.text).join("");
      checkEq(text, `echo: ${PROMPT}`, "text");
      return text;
    }
    const first = await messagesTurn(client, model, mode, messages, anthropicTools);
    checkEq(first.stop_reason, "tool_use", "stop_reason");
    const uses = first.content.filter((b) => b.type === "tool_use");
    checkEq(uses.length, 1, "tool_use blocks");
    const use = uses[0];
    check(use.id, "the tool_use block has no id");
    checkEq(use.name, TOOL.name, "tool name");
    checkArgs(use.input, "tool_use");
    messages.push({ role: "assistant", content: first.content });
    messages.push({ role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: TOOL_RESULT }] });
    const second = await messagesTurn(client, model, mode, messages, anthropicTools);
    checkEq(second.stop_reason, "end_turn", "stop_reason after the tool result");
    const text = second.content.filter((b) => b.type === "text").map((b) => b.text).join("");
    checkEq(text, `tool said: ${TOOL_RESULT}`, "text after the tool result");
    return `${use.name}(${JSON.stringify(use.input)}) -> ${text}`;
  };
}

// ---- Google GenAI --------------------------------------------------------------------------------

const genai = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: BASE, timeout: TIMEOUT_MS } });

const geminiTools = [{
  functionDeclarations: [{
    name: TOOL.name,
    description: TOOL.description,
    parameters: {
      type: Type.OBJECT,
      properties: { city: { type: Type.STRING, description: "the city" } },
      required: ["city"],
    },
  }],
}];

async function generateTurn(model, mode, contents, tools) {
  const params = { model, contents, ...(tools ? { config: { tools } } : {}) };
  if (mode === "plain") {
    const r = await genai.models.generateContent(params);
    return summarise(r, [r]);
  }
  const chunks = [];
  for await (const chunk of await genai.models.generateContentStream(params)) {
    chunks.push(chunk);
  }
  check(chunks.length > 0, "the stream had no chunks");
  const summary = summarise(chunks[chunks.length - 1], chunks);
  checkStreamed(summary.text, chunks.filter((c) => c.candidates?.[0]?.content?.parts?.some((p) => p.text)).length);
  return summary;
}

function summarise(last, chunks) {
  let text = "";
  const calls = [];
  const parts = [];
  let finish = null;
  for (const c of chunks) {
    const candidate = c.candidates?.[0];
    for (const p of candidate?.content?.parts ?? []) {
      parts.push(p);
      if (typeof p.text === "string" && !p.thought) text += p.text;
      if (p.functionCall) calls.push(p.functionCall);
    }
    if (candidate?.finishReason) finish = candidate.finishReason;
  }
  const usage = last.usageMetadata;
  check(usage, "usageMetadata is missing from the last chunk");
  checkCount(usage.promptTokenCount, "usageMetadata.promptTokenCount");
  checkCount(usage.candidatesTokenCount, "usageMetadata.candidatesTokenCount");
  checkEq(usage.totalTokenCount, usage.promptTokenCount + usage.candidatesTokenCount, "usageMetadata.totalTokenCount");
  return { text, calls, finish, parts };
}

async function googleGenai(model, mode, tools) {
  const contents = [{ role: "user", parts: [{ text: PROMPT }] }];
  if (!tools) {
    const r = await generateTurn(model, mode, contents, null);
    checkEq(r.text, `echo: ${PROMPT}`, "text");
    checkEq(r.finish, "STOP", "finishReason");
    return r.text;
  }
  const first = await generateTurn(model, mode, contents, geminiTools);
  checkEq(first.finish, "STOP", "finishReason");
  checkEq(first.calls.length, 1, "functionCall parts");
  const call = first.calls[0];
  checkEq(call.name, TOOL.name, "tool name");
  checkArgs(call.args, "functionCall");
  contents.push({ role: "model", parts: first.parts.filter((p) => p.functionCall || (p.text ?? "") !== "") });
  contents.push({ role: "user", parts: [{ functionResponse: { id: call.id, name: call.name, response: { result: TOOL_RESULT } } }] });
  const second = await generateTurn(model, mode, contents, geminiTools);
  checkEq(second.text, `tool said: ${TOOL_RESULT}`, "text after the tool result");
  checkEq(second.finish, "STOP", "finishReason after the tool result");
  return `${call.name}(${JSON.stringify(call.args)}) -> ${second.text}`;
}

// ---- the matrix ----------------------------------------------------------------------------------

const SDKS = {
  "openai-chat": openaiChat,
  "openai-responses": openaiResponses,
  "anthropic-apikey": anthropic(anthropicByApiKey),
  "anthropic-authtoken": anthropic(anthropicByToken),
  "google-genai": googleGenai,
};

function describe(error) {
  if (error instanceof CaseFailure) {
    return error.message;
  }
  if (error?.cause instanceof CaseFailure) {
    return error.cause.message;
  }
  const status = error?.status ? ` (HTTP ${error.status})` : "";
  return `${error?.name ?? "Error"}${status}: ${error?.message ?? String(error)}`;
}

let failures = 0;
for (const [sdk, run] of Object.entries(SDKS)) {
  for (const model of MODELS) {
    for (const mode of MODES) {
      for (const tools of [false, true]) {
        let ok = false;
        let detail;
        try {
          detail = await run(model, mode, tools);
          ok = true;
        } catch (error) {
          detail = describe(error);
          failures++;
        }
        console.log(JSON.stringify({ sdk, model, mode, tools, ok, detail }));
      }
    }
  }
}
// messages.countTokens: forwarded to the provider for an Anthropic model, estimated by Crossbar otherwise.
for (const model of MODELS) {
  let ok = false;
  let detail;
  try {
    const counted = await anthropicByApiKey.messages.countTokens({ model, messages: [{ role: "user", content: PROMPT }] });
    checkCount(counted.input_tokens, "input_tokens");
    detail = `${counted.input_tokens} input tokens`;
    ok = true;
  } catch (error) {
    detail = describe(error);
    failures++;
  }
  console.log(JSON.stringify({ sdk: "anthropic-count-tokens", model, mode: "plain", tools: false, ok, detail }));
}
process.exit(failures === 0 ? 0 : 1);
