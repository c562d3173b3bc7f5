// Runs the real coding agents, unchanged, against a Crossbar node: Claude Code (`claude -p`), Codex CLI
// (`codex exec`, Responses API) and Gemini CLI (`gemini -p`), each on every demo model. Every program runs
// in a fresh scratch directory (its cwd and HOME), offline but for 127.0.0.1, with telemetry and updates
// off, and may run tools only there: a tool round trip reads notes.txt from that directory.
//
//   node agents.mjs <gateway base URL> <client key> [--capture DIR] [--list] [case id or prefix...]
//
// The mock providers behind the demo pick the tool to call from a directive in the prompt
// (`mock:call NAME {args}`, `mock:text`: see load-tests/MOCKS.md). Prints one JSON line per case,
// {"case","ok","detail","refused"?}: a case passes when the program succeeds, its answer carries what the
// mock said, and Crossbar refused none of its requests ("refused" lists those it did, with their status
// and message). RealClientsIT runs one case per JUnit test. --capture DIR writes the first model request
// of each client (on demo-anthropic) as a JSON fixture.
import path from "node:path";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import {
  MODELS,
  NOTES_TOKEN,
  capture,
  offlineEnv,
  parseArgs,
  report,
  run,
  scratch,
  selected,
  startRecorder,
} from "./lib.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.join(HERE, "node_modules", ".bin");
const TIMEOUT_MS = 60_000;

const args = parseArgs(process.argv.slice(2));

class CaseFailure extends Error {}

function check(condition, message) {
  if (!condition) {
    throw new CaseFailure(message);
  }
}

function tail(text, n = 600) {
  const t = (text || "").trim();
  return t.length > n ? "..." + t.slice(-n) : t;
}

function processFailure(what, r) {
  if (r.timedOut) {
    return `${what} did not finish within ${TIMEOUT_MS / 1000} s; stderr: ${tail(r.stderr)}; stdout: ${tail(r.stdout)}`;
  }
  return `${what} exited ${r.code}; stderr: ${tail(r.stderr)}; stdout: ${tail(r.stdout)}`;
}

function jsonLines(text) {
  const out = [];
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (t.startsWith("{")) {
      try {
        out.push(JSON.parse(t));
      } catch {
        // a log line that happens to start with a brace
      }
    }
  }
  return out;
}

// ---- Claude Code ---------------------------------------------------------------------------------

function claudeEnv(dir, base, model) {
  return offlineEnv(dir, {
    ANTHROPIC_BASE_URL: base,
    ANTHROPIC_API_KEY: args.key,
    ANTHROPIC_MODEL: model,
    ANTHROPIC_SMALL_FAST_MODEL: model,
    ANTHROPIC_DEFAULT_HAIKU_MODEL: model,
    ANTHROPIC_DEFAULT_SONNET_MODEL: model,
    ANTHROPIC_DEFAULT_OPUS_MODEL: model,
    DISABLE_TELEMETRY: "1",
    DISABLE_AUTOUPDATER: "1",
    DISABLE_ERROR_REPORTING: "1",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
  });
}

async function claude(dir, base, model, prompt, extra) {
  const r = await run(path.join(BIN, "claude"), ["-p", prompt, "--max-turns", "4", ...extra], {
    cwd: dir.work,
    env: claudeEnv(dir, base, model),
    timeoutMs: TIMEOUT_MS,
  });
  check(!r.timedOut && r.code === 0, processFailure("claude", r));
  return r;
}

function claudeResult(r) {
  const result = jsonLines(r.stdout).find((e) => e.type === "result");
  check(result, `claude printed no result: ${tail(r.stdout)}`);
  check(!result.is_error, `claude reported an error: ${result.result ?? result.subtype}`);
  return result;
}

const claudeCases = {
  // Text with --output-format json.
  async json(dir, base, model) {
    const r = await claude(dir, base, model, "Say hello. mock:text", ["--output-format", "json"]);
    const result = claudeResult(r);
    check(result.result.startsWith("echo:") && result.result.includes("Say hello"), `unexpected answer: ${tail(result.result)}`);
    return `result: ${tail(result.result, 80)}`;
  },
  // A tool round trip with --output-format stream-json: the model asks for Read, Claude Code reads
  // notes.txt in the scratch directory and sends its content back, the model answers with it.
  async "stream-json-tool"(dir, base, model) {
    const file = path.join(dir.work, "notes.txt");
    const r = await claude(dir, base, model, `Read my notes. mock:call Read {"file_path":"${file}"}`, [
      "--output-format",
      "stream-json",
      "--verbose",
      "--allowedTools",
      "Read",
    ]);
    const events = jsonLines(r.stdout);
    const toolUse = events
      .filter((e) => e.type === "assistant")
      .flatMap((e) => e.message.content)
      .find((b) => b.type === "tool_use");
    check(toolUse && toolUse.name === "Read", `no Read tool call in the stream: ${tail(r.stdout)}`);
    const result = claudeResult(r);
    check(result.result.includes(NOTES_TOKEN), `the notes did not come back: ${tail(result.result)}`);
    return `Read -> ${tail(result.result, 80)}`;
  },
  // A deferred tool: the model calls ToolSearch, Claude Code answers with a tool_reference block and
  // the provider is to load that tool's definition.
  async "tool-search"(dir, base, model) {
    const r = await claude(dir, base, model, `Find the fetch tool. mock:call ToolSearch {"query":"select:WebFetch"}`, [
      "--output-format",
      "json",
    ]);
    const result = claudeResult(r);
    check(result.result.startsWith("tool said:"), `unexpected answer: ${tail(result.result)}`);
    return `ToolSearch -> ${tail(result.result, 80)}`;
  },
};

// ---- Codex CLI -----------------------------------------------------------------------------------

function codexHome(dir, base, model) {
  const home = path.join(dir.home, ".codex");
  fs.mkdirSync(home, { recursive: true });
  fs.writeFileSync(
    path.join(home, "config.toml"),
    [
      `model = "${model}"`,
      `model_provider = "crossbar"`,
      `check_for_update_on_startup = false`,
      ``,
      `[model_providers.crossbar]`,
      `name = "Crossbar"`,
      `base_url = "${base}/v1"`,
      `wire_api = "responses"`,
      `env_key = "CROSSBAR_API_KEY"`,
      ``,
      `[analytics]`,
      `enabled = false`,
      ``,
    ].join("\n"),
  );
  return home;
}

async function codex(dir, base, model, prompt, extra) {
  const env = offlineEnv(dir, { CODEX_HOME: codexHome(dir, base, model), CROSSBAR_API_KEY: args.key });
  const r = await run(
    path.join(BIN, "codex"),
    ["exec", "--skip-git-repo-check", "--sandbox", "read-only", "--ephemeral", "--json", ...extra, prompt],
    { cwd: dir.work, env, timeoutMs: TIMEOUT_MS },
  );
  const events = jsonLines(r.stdout);
  const failed = events.find((e) => e.type === "turn.failed" || e.type === "error");
  check(!failed, `codex: ${failed?.error?.message ?? failed?.message ?? JSON.stringify(failed)}`);
  check(!r.timedOut && r.code === 0, processFailure("codex", r));
  return events;
}

function codexItems(events, type) {
  return events.filter((e) => e.type === "item.completed" && e.item?.type === type).map((e) => e.item);
}

function codexAnswer(events) {
  const messages = codexItems(events, "agent_message");
  check(messages.length > 0, `codex printed no agent message: ${tail(JSON.stringify(events))}`);
  return messages[messages.length - 1].text;
}

async function codexTool(dir, base, model, extra) {
  const events = await codex(dir, base, model, `Show my notes. mock:call exec_command {"cmd":"cat notes.txt"}`, extra);
  const commands = codexItems(events, "command_execution");
  check(commands.length > 0, `codex ran no command: ${tail(JSON.stringify(events))}`);
  check(
    (commands[0].aggregated_output || "").includes(NOTES_TOKEN),
    `the command did not read the notes: ${JSON.stringify(commands[0]).slice(0, 400)}`,
  );
  const answer = codexAnswer(events);
  check(answer.startsWith("tool said:") && answer.includes(NOTES_TOKEN), `unexpected answer: ${tail(answer)}`);
  return `${commands[0].command} -> ${tail(answer, 80)}`;
}

// Codex's default tools include a `namespace` group (multi_agent_v1) and `web_search`.
const NO_BUILTINS = ["--disable", "multi_agent", "-c", 'web_search="disabled"'];

const codexCases = {
  // Text with the default tools.
  async exec(dir, base, model) {
    const answer = codexAnswer(await codex(dir, base, model, "Say hello. mock:text", []));
    check(answer.startsWith("echo:") && answer.includes("Say hello"), `unexpected answer: ${tail(answer)}`);
    return `answer: ${tail(answer, 80)}`;
  },
  // exec_command round trip with the default tools, in the read-only sandbox.
  async "exec-tool"(dir, base, model) {
    return codexTool(dir, base, model, []);
  },
  // The same without the namespace group and web search: function tools alone.
  async "exec-tool-no-builtins"(dir, base, model) {
    return codexTool(dir, base, model, NO_BUILTINS);
  },
};

// ---- Gemini CLI ----------------------------------------------------------------------------------

// Gemini CLI takes GOOGLE_GEMINI_BASE_URL as a "gateway" login that non-interactive mode refuses
// ("Invalid auth method selected."): the settings file must name the API-key login (README).
function geminiSettings(dir) {
  const settings = path.join(dir.home, ".gemini");
  fs.mkdirSync(settings, { recursive: true });
  fs.writeFileSync(
    path.join(settings, "settings.json"),
    JSON.stringify({
      security: { auth: { selectedType: "gemini-api-key" } },
      general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
      privacy: { usageStatisticsEnabled: false },
      telemetry: { enabled: false },
    }),
  );
}

async function gemini(dir, base, model, prompt, format) {
  geminiSettings(dir);
  const env = offlineEnv(dir, {
    GEMINI_API_KEY: args.key,
    GOOGLE_GEMINI_BASE_URL: base,
    GEMINI_CLI_TRUST_WORKSPACE: "true",
    GEMINI_CLI_NO_RELAUNCH: "true",
  });
  const r = await run(path.join(BIN, "gemini"), ["-p", prompt, "-m", model, "-o", format], {
    cwd: dir.work,
    env,
    timeoutMs: TIMEOUT_MS,
  });
  check(!r.timedOut && r.code === 0, processFailure("gemini", r));
  return r;
}

const geminiCases = {
  // Text with -o json.
  async json(dir, base, model) {
    const r = await gemini(dir, base, model, "Say hello. mock:text", "json");
    let out;
    try {
      out = JSON.parse(r.stdout.slice(r.stdout.indexOf("{")));
    } catch {
      throw new CaseFailure(`gemini printed no JSON: ${tail(r.stdout)}`);
    }
    check(!out.error, `gemini reported an error: ${JSON.stringify(out.error)}`);
    check(out.response?.startsWith("echo:") && out.response.includes("Say hello"), `unexpected answer: ${tail(out.response)}`);
    return `response: ${tail(out.response, 80)}`;
  },
  // read_file round trip with -o stream-json.
  async "stream-json-tool"(dir, base, model) {
    const r = await gemini(dir, base, model, `Read my notes. mock:call read_file {"file_path":"notes.txt"}`, "stream-json");
    const events = jsonLines(r.stdout);
    const call = events.find((e) => e.type === "tool_use");
    check(call && call.tool_name === "read_file", `no read_file call in the stream: ${tail(r.stdout)}`);
    const text = events
      .filter((e) => e.type === "message" && e.role === "assistant")
      .map((e) => e.content)
      .join("");
    const result = events.find((e) => e.type === "result");
    check(result && result.status === "success", `gemini did not succeed: ${JSON.stringify(result)}`);
    check(text.includes("tool said:") && text.includes(NOTES_TOKEN), `the notes did not come back: ${tail(text)}`);
    return `read_file -> ${tail(text, 80)}`;
  },
};

// ---- the cases -----------------------------------------------------------------------------------

const CLIENTS = { claude: claudeCases, codex: codexCases, gemini: geminiCases };

// Which model requests --capture keeps as fixtures: [file name, path part, index among those requests].
// -1 takes the first request Crossbar refused.
const CAPTURES = {
  "claude/demo-anthropic/stream-json-tool": [
    ["claude-code.first-turn", "/v1/messages", 0],
    ["claude-code.tool-result", "/v1/messages", 1],
  ],
  "claude/demo-anthropic/tool-search": [["claude-code.tool-reference", "/v1/messages", -1]],
  "codex/demo-anthropic/exec-tool": [["codex.default-tools", "/v1/responses", 0]],
  "codex/demo-anthropic/exec-tool-no-builtins": [["codex.function-call-output", "/v1/responses", 1]],
  "gemini/demo-anthropic/stream-json-tool": [
    ["gemini-cli.first-turn", ":streamGenerateContent", 0],
    ["gemini-cli.function-response", ":streamGenerateContent", 1],
  ],
};

function captureAll(id, exchanges, dir) {
  for (const [name, pathPart, index] of CAPTURES[id] || []) {
    const matching = exchanges.filter((e) => e.path.includes(pathPart));
    const chosen = index < 0 ? matching.filter((e) => e.status >= 400) : matching.slice(index);
    capture(args.capture, name, chosen, pathPart, [[dir.root, "/scratch"]]);
  }
}

function cases() {
  const out = [];
  for (const [client, modes] of Object.entries(CLIENTS)) {
    for (const model of MODELS) {
      for (const mode of Object.keys(modes)) {
        out.push({ id: `${client}/${model}/${mode}`, fn: modes[mode], model });
      }
    }
  }
  return out;
}

async function main() {
  const all = cases().filter((c) => selected(c.id, args.filters));
  if (args.list) {
    all.forEach((c) => console.log(c.id));
    return;
  }
  const recorder = await startRecorder(args.base);
  let failures = 0;
  try {
    for (const c of all) {
      recorder.reset();
      const dir = scratch(c.id.split("/")[0]);
      let ok = false;
      let detail;
      try {
        detail = await c.fn(dir, recorder.url, c.model);
        ok = recorder.exchanges.every((e) => e.status !== undefined && e.status < 400);
        if (!ok) {
          detail = `the program coped, but Crossbar refused requests: ${detail}`;
        }
      } catch (e) {
        detail = e instanceof CaseFailure ? e.message : `${e?.stack ?? e}`;
      }
      captureAll(c.id, recorder.exchanges, dir);
      report(c.id, ok, detail, recorder.exchanges);
      failures += ok ? 0 : 1;
      dir.remove();
    }
  } finally {
    await recorder.close();
  }
  process.exitCode = failures === 0 ? 0 : 1;
}

await main();
