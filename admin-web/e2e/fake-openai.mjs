// A tiny OpenAI-compatible upstream for the end-to-end test: real JSON and SSE chat completions on /v1.
import http from 'node:http';

export const REPLY = ['Hello', ' from', ' the', ' fake', ' upstream.'];

export function startFakeOpenAI() {
  const seen = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url });
      if (req.method === 'GET' && req.url === '/v1/models') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: [{ id: 'e2e-model', object: 'model', created: 0, owned_by: 'fake' }] }));
        return;
      }
      if (req.method === 'POST' && req.url === '/v1/chat/completions') {
        const r = JSON.parse(body || '{}');
        const id = 'chatcmpl-e2e-' + seen.length;
        const created = Math.floor(Date.now() / 1000);
        const usage = { prompt_tokens: 7, completion_tokens: REPLY.length, total_tokens: 7 + REPLY.length };
        if (!r.stream) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              id,
              object: 'chat.completion',
              created,
              model: r.model,
              choices: [{ index: 0, message: { role: 'assistant', content: REPLY.join('') }, finish_reason: 'stop' }],
              usage,
            }),
          );
          return;
        }
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        const chunk = (delta, finish) =>
          `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: r.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
        const frames = [chunk({ role: 'assistant', content: '' }, null), ...REPLY.map((t) => chunk({ content: t }, null)), chunk({}, 'stop')];
        if (r.stream_options?.include_usage) {
          frames.push(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: r.model, choices: [], usage })}\n\n`);
        }
        frames.push('data: [DONE]\n\n');
        let i = 0;
        // Frames 15 ms apart; the last one ends the response, as real servers do.
        const next = () => {
          const frame = frames[i++];
          if (i === frames.length) res.end(frame);
          else {
            res.write(frame);
            setTimeout(next, 15);
          }
        };
        next();
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ port: server.address().port, seen, close: () => new Promise((r) => server.close(r)) }),
    ),
  );
}
