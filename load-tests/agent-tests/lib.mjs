// What the agent and AI SDK scripts share: a recording proxy in front of the gateway (so every case can
// say which request Crossbar refused and why), scratch directories, an offline environment, and running
// a program with a deadline.
import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";

export const MODELS = ["demo-openai", "demo-openai-responses", "demo-anthropic", "demo-gemini"];

// A unique line in the scratch directory's notes.txt: a tool round trip passes when it comes back.
export const NOTES_TOKEN = "crossbar-scratch-token-7f3a";

/** Parses `<base URL> <client key> [--capture DIR] [filter...]` from the command line. */
export function parseArgs(argv) {
  const positional = [];
  let capture = null;
  let list = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--capture") {
      capture = argv[++i];
    } else if (argv[i] === "--list") {
      list = true;
    } else {
      positional.push(argv[i]);
    }
  }
  const [base, key, ...filters] = positional;
  return {
    base: (base || process.env.CROSSBAR_URL || "http://127.0.0.1:8080").replace(/\/+$/, ""),
    key: key || process.env.CROSSBAR_KEY || "crossbar-demo",
    filters,
    capture,
    list,
  };
}

export function selected(id, filters) {
  return filters.length === 0 || filters.some((f) => id === f || id.startsWith(f + "/"));
}

/**
 * An HTTP proxy on 127.0.0.1 that forwards to `target` and keeps every exchange: method, path, status,
 * the request body and the first 4 KiB of the answer. Programs under test talk to it instead of the node.
 */
export async function startRecorder(target) {
  const exchanges = [];
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const headers = { ...req.headers, host: upstream.host };
      const exchange = { method: req.method, path: req.url, headers: req.headers, body: body.toString("utf8") };
      exchanges.push(exchange);
      const out = http.request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers },
        (up) => {
          exchange.status = up.statusCode;
          const head = [];
          let kept = 0;
          res.writeHead(up.statusCode, up.headers);
          up.on("data", (c) => {
            if (kept < 4096) {
              head.push(c);
              kept += c.length;
            }
            res.write(c);
          });
          up.on("end", () => {
            exchange.answer = Buffer.concat(head).toString("utf8").slice(0, 4096);
            res.end();
          });
          up.on("error", () => res.destroy());
        },
      );
      out.on("error", (e) => {
        exchange.status = 502;
        exchange.answer = String(e);
        res.writeHead(502);
        res.end(String(e));
      });
      out.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    exchanges,
    reset() {
      exchanges.length = 0;
    },
    close() {
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The requests Crossbar answered with an error, as "POST /v1/messages -> 400 <message>". */
export function refusals(exchanges) {
  return exchanges
    .filter((e) => e.status === undefined || e.status >= 400)
    .map((e) => `${e.method} ${e.path.split("?")[0]} -> ${e.status ?? "no answer"} ${errorMessage(e.answer)}`);
}

function errorMessage(answer) {
  if (!answer) {
    return "";
  }
  try {
    const json = JSON.parse(answer);
    return json.error?.message || json.message || answer.slice(0, 300);
  } catch {
    return answer.slice(0, 300);
  }
}

/** A fresh scratch directory: `work/` (the program's cwd, with notes.txt) and `home/` (its HOME). */
export function scratch(name) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `crossbar-${name}-`));
  const work = path.join(root, "work");
  const home = path.join(root, "home");
  fs.mkdirSync(work);
  fs.mkdirSync(home);
  fs.writeFileSync(path.join(work, "notes.txt"), `${NOTES_TOKEN}\n`);
  return {
    root,
    work,
    home,
    remove() {
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * A minimal environment: nothing of the caller's but PATH and the locale, HOME in the scratch directory,
 * every proxy-aware client sent to a closed port for anything but loopback, telemetry and updates off.
 */
export function offlineEnv(dir, extra) {
  return {
    PATH: process.env.PATH,
    LANG: process.env.LANG || "C.UTF-8",
    HOME: dir.home,
    TMPDIR: dir.root,
    HTTP_PROXY: "http://127.0.0.1:9",
    HTTPS_PROXY: "http://127.0.0.1:9",
    http_proxy: "http://127.0.0.1:9",
    https_proxy: "http://127.0.0.1:9",
    NO_PROXY: "127.0.0.1,localhost",
    no_proxy: "127.0.0.1,localhost",
    DO_NOT_TRACK: "1",
    CI: "true",
    NO_COLOR: "1",
    ...extra,
  };
}

/** Runs a program to its end or its deadline; stdin is closed. */
export function run(command, args, { cwd, env, timeoutMs }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const out = [];
    const err = [];
    child.stdout.on("data", (c) => out.push(c));
    child.stderr.on("data", (c) => err.push(c));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, "SIGKILL"); // the program and whatever it started
      } catch {
        child.kill("SIGKILL");
      }
    }, timeoutMs);
    child.on("error", (e) => err.push(Buffer.from(String(e))));
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({
        code,
        timedOut,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      });
    });
  });
}

/** Writes the first request of `exchanges` matching `pathPart` as a fixture, scrubbed of machine details. */
export function capture(dir, name, exchanges, pathPart, scrubs) {
  if (!dir) {
    return;
  }
  const e = exchanges.find((x) => x.path.includes(pathPart) && x.body);
  if (!e) {
    return;
  }
  const headers = {};
  for (const [k, v] of Object.entries(e.headers)) {
    if (!["host", "content-length", "connection", "authorization", "x-api-key", "x-goog-api-key"].includes(k)) {
      headers[k] = v;
    }
  }
  const fixture = { method: e.method, path: e.path, headers, status: e.status, body: "BODY" };
  const text = scrub(JSON.stringify(fixture, null, 2).replace('"BODY"', () => e.body), scrubs);
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    return;
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(json, null, 2) + "\n");
}

/** The text without this machine's paths, host name, kernel and random ids (UUIDs, 64-digit hex). */
function scrub(text, scrubs) {
  let out = text;
  for (const [from, to] of [...scrubs, [os.hostname(), "host"], [os.release(), "6.0.0"]]) {
    if (from && from.length > 5) {
      out = out.split(from).join(to);
    }
  }
  return out
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "00000000-0000-0000-0000-000000000000")
    .replace(/\b[0-9a-f]{64}\b/g, "0".repeat(64));
}

/** One result line: {"case","ok","detail"} and, when Crossbar refused requests, "refused". */
export function report(id, ok, detail, exchanges) {
  const line = { case: id, ok, detail };
  const refused = exchanges ? refusals(exchanges) : [];
  if (refused.length > 0) {
    line.refused = refused;
  }
  console.log(JSON.stringify(line));
}
