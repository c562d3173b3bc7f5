// Drives a Crossbar node with the Vercel AI SDK (`ai` 7) and its OpenAI (Responses and Chat), Anthropic
// and Google providers, with their default settings, against every demo model: text, stream, a tool loop
// (plain and streamed), structured output (plain and streamed) and a two-turn chat (plain and streamed).
//
//   node aisdk.mjs <gateway base URL> <client key> [--capture DIR] [--list] [case id or prefix...]
//
// Case ids are <provider>/<model>/<mode>. Prints one JSON line per case, {"case","ok","detail","refused"?}:
// a case passes when the SDK returns what the mock providers answer (load-tests/MOCKS.md) and Crossbar
// refused none of its requests. RealClientsIT runs one JUnit test per case.
import { generateText, streamText, tool, Output, isStepCount } from "ai";
import { createOpenAI } from "@ai-sdk/openai";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createGoogleGenerativeAI } from "@ai-sdk/google";
import { z } from "zod";
import { MODELS, capture, parseArgs, report, selected, startRecorder } from "./lib.mjs";

const args = parseArgs(process.argv.slice(2));
globalThis.AI_SDK_LOG_WARNINGS = false;
const TIMEOUT_MS = 15_000;
const PROMPT = "Paris in spring";
const FOLLOW_UP = "And in autumn?";

class CaseFailure extends Error {}

function check(condition, message) {
  if (!condition) {
    throw new CaseFailure(message);
  }
}

function checkEq(actual, expected, what) {
  check(
    JSON.stringify(actual) === JSON.stringify(expected),
    `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
  );
}

const PROVIDERS = {
  "openai-responses": (base) => createOpenAI({ baseURL: `${base}/v1`, apiKey: args.key }).responses,
  "openai-chat": (base) => createOpenAI({ baseURL: `${base}/v1`, apiKey: args.key }).chat,
  anthropic: (base) => createAnthropic({ baseURL: `${base}/v1`, apiKey: args.key }),
  google: (base) => createGoogleGenerativeAI({ baseURL: `${base}/v1beta`, apiKey: args.key }),
};

const weather = tool({
  description: "The current weather in a city",
  inputSchema: z.object({ city: z.string().describe("the city") }),
  execute: async ({ city }) => `sunny in ${city}`,
});

const cityPlan = z.object({ city: z.string(), days: z.number() });

function common(model) {
  return { model, maxRetries: 0, abortSignal: AbortSignal.timeout(TIMEOUT_MS), onError: () => {} };
}

async function drained(result) {
  let deltas = 0;
  for await (const part of result.fullStream) {
    if (part.type === "error") {
      throw part.error;
    }
    if (part.type === "text-delta") {
      deltas++;
    }
  }
  return deltas;
}

function checkTools(steps, text) {
  const calls = steps.flatMap((s) => s.toolCalls);
  checkEq(calls.length, 1, "tool calls");
  checkEq(calls[0].toolName, "get_weather", "tool name");
  checkEq(calls[0].input, { city: PROMPT }, "tool input");
  // The tool's output, whatever the protocols: a Gemini functionResponse {name, content} crossing to another
  // protocol arrives as its content, not as the object's JSON (docs/protocols.md, section 4a).
  checkEq(text, `tool said: sunny in ${PROMPT}`, "text after the tool result");
  return `get_weather(${JSON.stringify(calls[0].input)}) -> ${text}`;
}

const MODES = {
  async text(model) {
    const r = await generateText({ ...common(model), prompt: PROMPT });
    checkEq(r.text, `echo: ${PROMPT}`, "text");
    checkEq(r.finishReason, "stop", "finishReason");
    check(r.usage.inputTokens > 0 && r.usage.outputTokens > 0, `usage: ${JSON.stringify(r.usage)}`);
    return r.text;
  },
  async stream(model) {
    const r = streamText({ ...common(model), prompt: PROMPT });
    const deltas = await drained(r);
    checkEq(await r.text, `echo: ${PROMPT}`, "text");
    check(deltas > 1, `the reply came in ${deltas} delta(s), not streamed word by word`);
    const usage = await r.usage;
    check(usage.inputTokens > 0 && usage.outputTokens > 0, `usage: ${JSON.stringify(usage)}`);
    return `${await r.text} (${deltas} deltas)`;
  },
  async tools(model) {
    const r = await generateText({ ...common(model), prompt: PROMPT, tools: { get_weather: weather }, stopWhen: isStepCount(3) });
    return checkTools(r.steps, r.text);
  },
  async "tools-stream"(model) {
    const r = streamText({ ...common(model), prompt: PROMPT, tools: { get_weather: weather }, stopWhen: isStepCount(3) });
    await drained(r);
    return checkTools(await r.steps, await r.text);
  },
  async object(model) {
    const r = await generateText({ ...common(model), prompt: PROMPT, output: Output.object({ schema: cityPlan }) });
    checkEq(r.output, { city: PROMPT, days: 0 }, "output");
    return JSON.stringify(r.output);
  },
  async "object-stream"(model) {
    const r = streamText({ ...common(model), prompt: PROMPT, output: Output.object({ schema: cityPlan }) });
    await drained(r);
    const output = await r.output;
    checkEq(output, { city: PROMPT, days: 0 }, "output");
    return JSON.stringify(output);
  },
  async "multi-turn"(model) {
    const messages = [{ role: "user", content: PROMPT }];
    const first = await generateText({ ...common(model), messages });
    checkEq(first.text, `echo: ${PROMPT}`, "first answer");
    messages.push(...first.response.messages, { role: "user", content: FOLLOW_UP });
    const second = await generateText({ ...common(model), messages });
    checkEq(second.text, `echo: ${FOLLOW_UP}`, "second answer");
    return `${first.text} / ${second.text}`;
  },
  async "multi-turn-stream"(model) {
    const messages = [{ role: "user", content: PROMPT }];
    const first = streamText({ ...common(model), messages });
    await drained(first);
    checkEq(await first.text, `echo: ${PROMPT}`, "first answer");
    messages.push(...(await first.response).messages, { role: "user", content: FOLLOW_UP });
    const second = streamText({ ...common(model), messages });
    await drained(second);
    checkEq(await second.text, `echo: ${FOLLOW_UP}`, "second answer");
    return `${await first.text} / ${await second.text}`;
  },
};

// Which model requests --capture keeps as fixtures: [file name, path part, index among those requests].
const CAPTURES = {
  "openai-responses/demo-anthropic/multi-turn": ["ai-sdk.openai-responses.second-turn", "/v1/responses", 1],
  "openai-chat/demo-anthropic/tools": ["ai-sdk.openai-chat.tool-result", "/v1/chat/completions", 1],
  "anthropic/demo-openai/tools": ["ai-sdk.anthropic.tool-result", "/v1/messages", 1],
  "google/demo-openai/tools": ["ai-sdk.google.tool-result", ":generateContent", 1],
};

function describe(e) {
  if (e instanceof CaseFailure) {
    return e.message;
  }
  const status = e?.statusCode ? `HTTP ${e.statusCode}: ` : "";
  const body = e?.responseBody ? ` (body: ${String(e.responseBody).slice(0, 400)})` : "";
  return `${e?.name ?? "Error"}: ${status}${e?.message ?? e}${body}`.slice(0, 1200);
}

async function main() {
  const all = [];
  for (const provider of Object.keys(PROVIDERS)) {
    for (const model of MODELS) {
      for (const mode of Object.keys(MODES)) {
        all.push({ id: `${provider}/${model}/${mode}`, provider, model, mode });
      }
    }
  }
  const chosen = all.filter((c) => selected(c.id, args.filters));
  if (args.list) {
    chosen.forEach((c) => console.log(c.id));
    return;
  }
  const recorder = await startRecorder(args.base);
  let failures = 0;
  try {
    for (const c of chosen) {
      recorder.reset();
      let ok = false;
      let detail;
      try {
        detail = await MODES[c.mode](PROVIDERS[c.provider](recorder.url)(c.model));
        ok = recorder.exchanges.every((e) => e.status !== undefined && e.status < 400);
      } catch (e) {
        detail = describe(e);
      }
      if (CAPTURES[c.id]) {
        const [name, pathPart, index] = CAPTURES[c.id];
        const later = recorder.exchanges.filter((e) => e.path.includes(pathPart)).slice(index);
        capture(args.capture, name, later, pathPart, []);
      }
      report(c.id, ok, detail, recorder.exchanges);
      failures += ok ? 0 : 1;
    }
  } finally {
    await recorder.close();
  }
  process.exitCode = failures === 0 ? 0 : 1;
}

await main();
