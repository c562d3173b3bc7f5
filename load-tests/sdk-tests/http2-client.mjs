// Node's own HTTP/2 client (node:http2, on nghttp2; no npm package) against a node behind TLS: one session,
// negotiated by ALPN, carries plain, streamed, concurrent, coded, refused and cancelled requests, and every one
// gets its answer on it. Prints one JSON line per case ({"case", "ok", "detail"}); exits 1 if any failed.
//
//   node http2-client.mjs <https://host:port> <client key> <max body bytes>
import http2 from 'node:http2';
import zlib from 'node:zlib';

const [url, key, maxBodyArg] = process.argv.slice(2);
const maxBody = Number(maxBodyArg);
let failures = 0;

function report(name, ok, detail) {
  if (!ok) failures++;
  console.log(JSON.stringify({ case: name, ok, detail }));
}

function chat(text, extra = {}) {
  return JSON.stringify({ model: 'test-model', messages: [{ role: 'user', content: text }], ...extra });
}

/** One request on the session: its status, headers and whole body. */
function post(session, path, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = session.request({
      ':method': 'POST',
      ':path': path,
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      ...headers,
    });
    const chunks = [];
    let head;
    req.on('response', (h) => (head = h));
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve({ status: head?.[':status'], headers: head ?? {}, body: Buffer.concat(chunks).toString() }));
    req.on('error', reject);
    req.end(body);
  });
}

async function check(name, run) {
  try {
    const detail = await run();
    report(name, true, detail);
  } catch (e) {
    report(name, false, String(e?.stack ?? e));
  }
}

function expect(cond, what) {
  if (!cond) throw new Error(what);
}

const session = http2.connect(url, { rejectUnauthorized: false });
let goAways = 0;
session.on('goaway', () => goAways++);
session.on('error', (e) => report('session', false, String(e)));
await new Promise((resolve, reject) => {
  session.once('connect', resolve);
  session.once('error', reject);
});

await check('alpn', async () => {
  expect(session.alpnProtocol === 'h2', `negotiated ${session.alpnProtocol}`);
  return session.alpnProtocol;
});

await check('chat', async () => {
  const a = await post(session, '/v1/chat/completions', chat('hello over h2'));
  expect(a.status === 200, `status ${a.status}: ${a.body}`);
  expect(JSON.parse(a.body).choices?.[0]?.message?.content, a.body);
  expect(a.headers['x-request-id'], 'no x-request-id');
  return a.headers['x-request-id'];
});

await check('stream', async () => {
  const a = await post(session, '/v1/chat/completions', chat('stream over h2', { stream: true }));
  expect(a.status === 200, `status ${a.status}: ${a.body}`);
  expect(String(a.headers['content-type']).startsWith('text/event-stream'), a.headers['content-type']);
  const events = a.body.split('\n').filter((l) => l.startsWith('data: '));
  expect(events.length >= 2 && events.at(-1) === 'data: [DONE]', a.body);
  return `${events.length} events`;
});

await check('anthropic messages', async () => {
  const a = await post(
    session,
    '/v1/messages',
    JSON.stringify({ model: 'test-model', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }),
    { 'anthropic-version': '2023-06-01' },
  );
  expect(a.status === 200, `status ${a.status}: ${a.body}`);
  expect(JSON.parse(a.body).type === 'message', a.body);
});

await check('concurrent streams', async () => {
  const answers = await Promise.all(
    Array.from({ length: 8 }, (_, i) => post(session, '/v1/chat/completions', chat(`concurrent ${i}`))),
  );
  const statuses = answers.map((a) => a.status);
  expect(statuses.every((s) => s === 200), statuses.join(','));
  return statuses.join(',');
});

await check('gzip body', async () => {
  const a = await post(session, '/v1/chat/completions', zlib.gzipSync(chat('coded over h2')), {
    'content-encoding': 'gzip',
  });
  expect(a.status === 200, `status ${a.status}: ${a.body}`);
});

await check('body over the limit', async () => {
  const a = await post(session, '/v1/chat/completions', chat('x'.repeat(maxBody)));
  expect(a.status === 413, `status ${a.status}: ${a.body}`);
  expect(JSON.parse(a.body).error?.message?.includes(String(maxBody)), a.body);
});

await check('invalid json', async () => {
  const a = await post(session, '/v1/chat/completions', '{"model": ');
  expect(a.status === 400, `status ${a.status}: ${a.body}`);
  expect(JSON.parse(a.body).error?.message, a.body);
});

await check('cancelled stream', async () => {
  const req = session.request({
    ':method': 'POST',
    ':path': '/v1/chat/completions',
    authorization: `Bearer ${key}`,
    'content-type': 'application/json',
  });
  await new Promise((resolve, reject) => {
    req.on('response', (h) => (h[':status'] === 200 ? resolve() : reject(new Error(`status ${h[':status']}`))));
    req.on('error', reject);
    req.end(chat('cancelled over h2', { stream: true }));
  });
  req.close(http2.constants.NGHTTP2_CANCEL);
  const a = await post(session, '/v1/chat/completions', chat('after the cancel'));
  expect(a.status === 200, `status ${a.status}: ${a.body}`);
});

await check('one session, no goaway', async () => {
  expect(!session.destroyed && !session.closed, 'the session ended');
  expect(goAways === 0, `${goAways} GOAWAY frames`);
});

session.close();
process.exit(failures === 0 ? 0 : 1);
