// What every stand-in shares: an HTTP server on an ephemeral loopback port that says where it
// listens the way cdrsim-mock does, command-line switches, a seeded generator, and the vendors'
// wall-clock time (UTC+8). The stand-ins are written from the vendors' pages alone (see
// docs/vendors/<vendor>.md for the sources) and make their own choices wherever the pages are
// silent; they share no code with cdrsim-mock on purpose.
'use strict';
const http = require('http');
const crypto = require('crypto');

// --drift retype|add, --NAME VALUE for the stand-in's own switches.
function parseArgs(argv, defaults) {
  const opts = Object.assign({ drift: 'none' }, defaults);
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)$/.exec(argv[i]);
    if (!m || i + 1 >= argv.length) {
      console.error(`usage: [--drift retype|add] [--NAME VALUE]...: ${argv[i]}`);
      process.exit(2);
    }
    opts[m[1].replace(/-/g, '_')] = argv[++i];
  }
  if (!['none', 'retype', 'add'].includes(opts.drift)) {
    console.error(`--drift takes retype or add: ${opts.drift}`);
    process.exit(2);
  }
  return opts;
}

// Serves handler(req, body, url) -> {status, headers, body} (body a string, a Buffer, or an object
// sent as JSON), possibly a promise. Prints "listening on http://127.0.0.1:PORT" first.
function serve(handler) {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url, 'http://localhost');
      let answer;
      try {
        answer = await handler(req, body, url);
      } catch (e) {
        console.error(e);
        answer = { status: 500, body: { message: 'Server Error' } };
      }
      const headers = Object.assign({}, answer.headers || {});
      let text = answer.body;
      if (typeof text !== 'string' && !Buffer.isBuffer(text)) {
        text = JSON.stringify(text);
        headers['Content-Type'] = headers['Content-Type'] || 'application/json;charset=UTF-8';
      }
      res.writeHead(answer.status || 200, headers);
      res.end(text);
    });
  });
  server.keepAliveTimeout = 5000;
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
  });
  // Kept-alive connections would hold close() open: half a second, then out.
  const stop = () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 500).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return server;
}

// A small seeded generator (mulberry32): the same dataset on every start.
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    hex: (n) => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join(''),
    uuid() {
      const h = this.hex(32);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
    },
  };
}

const CHINA = 8 * 3600;

// Unix seconds -> "YYYY-MM-DD HH:MM:SS" in UTC+8.
function wallClock(seconds) {
  return new Date((seconds + CHINA) * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

// "YYYY-MM-DD HH:MM:SS" (UTC+8) or ISO 8601 with a zone -> Unix seconds, or NaN.
function parseTime(text) {
  if (typeof text !== 'string') return NaN;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (m) return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000 - CHINA;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.test(text))
    return Math.floor(Date.parse(text) / 1000);
  return NaN;
}

const md5 = (text) => crypto.createHash('md5').update(text, 'utf8').digest('hex');

module.exports = { parseArgs, serve, rng, wallClock, parseTime, md5, CHINA };
