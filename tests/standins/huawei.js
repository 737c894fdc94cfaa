// A stand-in for Huawei CEC's AgentGateway, written from the vendor's pages
// (docs/vendors/huawei.md): sign-in, forced sign-in, sign-out, the Guid on every request, the
// event long poll, a refreshed Guid, the agent's calls, the documented retcodes, the sign-out of
// an agent that stops polling for 2 minutes. Where the pages are silent or allow two readings it
// chooses otherwise than cdrsim-mock:
// - AUTHMODE=1: the sign-in Guid lasts the session (no rotation); a refreshed Guid replaces it;
// - isNoContainLastCall=true leaves the last call out (the parameter's name), false includes it;
// - the last call's trace leaves out what the page says cannot be queried (the wait, answer and
//   talk end times, the leave reason) instead of sending null;
// - caller and called are numbers, as the table types them (the examples send strings);
// - an error answer has no "result" member; no JSESSIONID cookie is set;
// - the heartbeat's service_token takes letters and digits only;
// and, for the CC-Management call history behind an AK/SK token (tokenByAkSk,
// queryCallDetailRecord, getRecordingAddress):
// - records come newest first, their times and durations strings (as the table types them);
// - a page asks at most 1000 records (the page documents no maximum);
// - a wrong app secret gets HTTP 401 with no body.
// Usage: node huawei.js [--drift retype|add] [--poll-seconds S]. Credentials: agent 291, password
// standin-pass-291, phone 70291; app key standin-ak, secret standin-sk. The history holds April
// 2025 (China time).
'use strict';
const crypto = require('crypto');
const { parseArgs, serve, rng, CHINA } = require('./common');

const opts = parseArgs(process.argv.slice(2), { poll_seconds: '10' });
const POLL_MS = Number(opts.poll_seconds) * 1000;
const IDLE_MS = 120 * 1000;
const AGENTS = { 291: { password: 'standin-pass-291', session: null, events: [], lastPoll: 0 } };
const NOW = Date.now();
// The agent's last call: ended an hour ago, inbound, taken and ended by the customer.
const LAST_CALL = {
  callfeature: 0, callid: `${Math.floor(NOW / 1000) - 3700}-17`, caller: 13800138000, called: 60015,
  callskill: 'voice', callskillid: 20011, orgicallednum: '', calldata: '',
  begintime: NOW - 3700 * 1000, endtime: NOW - 3600 * 1000, userPriority: 0, trunkNo: 65535,
  logontimes: 0, mediaType: 5, mediaAbility: 1, waitTime: 0,
  trace: { waitBeginTime: NOW - 3700 * 1000, answerBeginTime: NOW - 3695 * 1000,
    talkBeginTime: NOW - 3690 * 1000, deviceNo: 291, deviceType: 2,
    callDirectMode: 'RELEASE_DIRECT', enterReason: 0, enterReasonDesc: 'Normal reason', vdnId: 214 },
};

const ok = (result, message = '', headers) => ({ status: 200, headers, body: { message, retcode: '0', result } });
const refuse = (retcode, message) => ({ status: 200, body: { message, retcode } });
const newGuid = () => `${crypto.randomUUID()}.AgentGateway1`;

// A signed-in agent that stopped polling for 2 minutes is signed out.
function expire(agent, now) {
  if (agent.session && now - agent.lastPoll > IDLE_MS) agent.session = null;
}

function signIn(id, agent, body, force) {
  let doc;
  try {
    doc = JSON.parse(body);
  } catch (e) {
    return refuse('100-001', 'The sign-in parameter is empty or invalid.');
  }
  const valid = doc && typeof doc.password === 'string' && doc.password.length > 0 &&
    doc.password.length <= 32 && typeof doc.phonenum === 'string' && /^\d{1,24}$/.test(doc.phonenum);
  if (!valid) return refuse('100-001', 'The sign-in parameter is empty or invalid.');
  if (!agent || doc.password !== agent.password) return refuse('100-004', 'Incorrect user name or password.');
  if (agent.session && !force) return refuse('100-002', 'The agent has signed in.');
  const guid = newGuid();
  agent.session = guid;
  agent.lastPoll = Date.now();
  agent.events = [{ eventType: 'AgentOther_InService', workNo: String(id), content: null }];
  return ok({ vdnid: 1, workno: String(id), mediatype: 'TTF', loginTime: String(Date.now()),
    isForceChange: 'false', serverName: 'AgentGateway', timeRemaining: '9' }, '',
  { Guid: guid, 'Set-GUID': `JSESSIONID=${guid}` });
}

function wire(call) {
  const out = JSON.parse(JSON.stringify(call));
  if (opts.drift === 'retype') out.callfeature = String(out.callfeature);
  if (opts.drift === 'add') out.recordingUrl = null;
  return out;
}

const waitFor = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function signedIn(id, agent, req, path, url) {
  const guid = req.headers.guid;
  if (!agent.session) return refuse(path === 'logout' ? '100-008' : '100-006',
    path === 'logout' ? 'The agent has signed out.' : 'The agent has not signed in.');
  if (guid !== agent.session) return refuse('000-003', 'No right to access the resource.');
  switch (path) {
    case 'logout':
      agent.session = null;
      return ok({}, 'success');
    case 'updateGuid':
      agent.session = newGuid();
      return ok({ guid: agent.session }, 'success');
    case 'poll': {
      agent.lastPoll = Date.now();
      if (!agent.events.length) await waitFor(POLL_MS);
      const event = agent.events.shift();
      return { status: 200, body: event ? { message: '', retcode: '0', event } : { message: '', retcode: '0' } };
    }
    case 'callinfo': {
      const flag = url.searchParams.get('isNoContainLastCall');
      if (flag !== null && !/^(true|false)$/i.test(flag)) return refuse('000-002', 'The parameter is invalid.');
      return ok(flag !== null && flag.toLowerCase() === 'true' ? null : wire(LAST_CALL));
    }
    case 'holdlist':
      return ok([]);
    case 'handshake':
      return handshake(req);
    default:
      return ok(null);
  }
}

// The handshake: a signed-in agent's heartbeat, an optional service_token of at most 50
// characters without special ones.
function handshake(req) {
  const token = req.headers.service_token;
  if (token !== undefined && !/^[A-Za-z0-9]{1,50}$/.test(token))
    return refuse('100-001', 'The parameter is empty or invalid.');
  return { status: 200, body: { message: 'success', retcode: '0' } };
}

// ---- the call history behind an AK/SK token ----
const APP = { key: 'standin-ak', secret: 'standin-sk' };
const TOKENS = new Map(); // token -> expiry (ms)
const HISTORY = (() => {
  const r = rng(20250401);
  const first = Date.UTC(2025, 3, 1) - CHINA * 1000;
  const list = [];
  for (let day = 0; day < 30; day++) {
    const calls = r.int(1, 3);
    for (let i = 0; i < calls; i++) {
      const start = first + day * 86400000 + r.int(8 * 3600, 20 * 3600) * 1000;
      const ring = r.int(2, 15), talk = r.int(0, 600);
      const alerting = start + 1000, talking = alerting + ring * 1000, release = talking + talk * 1000;
      list.push({
        callSerialNo: `19${String(start).padStart(15, '0')}${r.int(10, 99)}`,
        caller: `8888${r.int(1000, 9999)}`, called: `1${r.int(3000000000, 8999999999)}`,
        startTime: String(start), endTime: String(release), state: 3, reasonCode: r.int(0, 1),
        callerPresent: '640003', alertingTime: String(alerting), talkingTime: String(talking),
        releaseTime: String(release), talkDuration: String(talk),
        agentAlertingTime: String(start), agentTalkingTime: String(start + 2000),
      });
    }
  }
  return list.sort((a, b) => Number(b.startTime) - Number(a.startTime));
})();

function token(req, body) {
  let doc;
  try {
    doc = JSON.parse(body);
  } catch (e) {
    return { status: 400, body: '' };
  }
  if (!doc || doc.app_key !== APP.key || doc.app_secret !== APP.secret) return { status: 401, body: '' };
  const life = /^\d{1,4}$/.test(req.headers['x-token-expire'] || '') ? Math.min(Number(req.headers['x-token-expire']), 3600) : 600;
  const value = crypto.randomBytes(24).toString('hex');
  TOKENS.set(value, Date.now() + life * 1000);
  return { status: 200, body: { AccessToken: value, ApplyType: 'Bearer', CreateTime: String(Math.floor(Date.now() / 1000)),
    Expires: String(life), Scope: 'default', AppKey: APP.key, UserID: 'Anonymous' } };
}

function bearer(req) {
  const m = /^Bearer (\S+)$/.exec(req.headers.authorization || '');
  return m && TOKENS.has(m[1]) && TOKENS.get(m[1]) > Date.now();
}

const digits = (v, def) => (v === undefined ? def : typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : NaN);

function history(body) {
  let doc;
  try {
    doc = JSON.parse(body);
  } catch (e) {
    return { status: 400, body: '' };
  }
  const fail = (retCode, retMsg) => ({ status: 200, body: { retCode, retMsg } });
  const from = digits(doc.startTime), to = digits(doc.endTime);
  if (!(from <= to) || to - from > 7 * 86400000) return fail('2', 'The start time or end time is invalid.');
  const offset = digits(doc.offset, 0), limit = digits(doc.limit, 100);
  if (Number.isNaN(offset) || !(limit >= 1 && limit <= 1000)) return fail('4', 'The limit or offset is invalid.');
  if (doc.caller !== undefined && (typeof doc.caller !== 'string' || doc.caller.length > 32))
    return fail('12', 'The caller number is invalid.');
  const found = HISTORY.filter((c) => Number(c.startTime) >= from && Number(c.startTime) <= to &&
    (!doc.caller || c.caller === doc.caller));
  if (!found.length) return fail('1', 'No data found.');
  return { status: 200, body: { result: { total: found.length, callInfo: found.slice(offset, offset + limit) },
    retCode: '0', retMsg: 'Query call detail record successfully' } };
}

function recordingAddress(body, req) {
  let doc;
  try {
    doc = JSON.parse(body);
  } catch (e) {
    return { status: 400, body: '' };
  }
  const serial = doc && doc.callSerialNo;
  if (typeof serial !== 'string' || serial.length > 50) return { status: 200, body: { retCode: 12, retMsg: 'The call serial number is too long.' } };
  const call = HISTORY.find((c) => c.callSerialNo === serial);
  if (!call) return { status: 200, body: { retCode: 5, retMsg: 'The history record does not exist.' } };
  return { status: 200, body: { retMsg: 'success', result: { url: `http://${req.headers.host}/recordings/${serial}.wav` }, retCode: 0 } };
}

// A second of silence, G.711 A-law, 8 kHz: the recording of every call.
function wav() {
  const data = Buffer.alloc(8000, 0xd5);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0); h.writeUInt32LE(36 + data.length, 4); h.write('WAVEfmt ', 8);
  h.writeUInt32LE(16, 16); h.writeUInt16LE(6, 20); h.writeUInt16LE(1, 22); h.writeUInt32LE(8000, 24);
  h.writeUInt32LE(8000, 28); h.writeUInt16LE(1, 32); h.writeUInt16LE(8, 34); h.write('data', 36);
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

const FABRIC = {
  '/apigovernance/api/oauth/tokenByAkSk': token,
  '/apiaccess/CC-Management/v1/mobileAgent/queryCallDetailRecord': (req, body) => history(body),
  '/apiaccess/CC-Management/v1/mobileAgent/getRecordingAddress': (req, body) => recordingAddress(body, req),
};

serve(async (req, body, url) => {
  const fabric = FABRIC[url.pathname];
  if (fabric) {
    if (req.method !== 'POST') return { status: 405, headers: { Allow: 'POST' }, body: '' };
    if (fabric !== token && !bearer(req)) return { status: 401, body: '' };
    return fabric(req, body);
  }
  const rec = /^\/recordings\/(\d+)\.wav$/.exec(url.pathname);
  if (rec && HISTORY.some((c) => c.callSerialNo === rec[1]))
    return { status: 200, headers: { 'Content-Type': 'audio/wav' }, body: wav() };
  const m = /^\/agentgateway\/resource\/(onlineagent|agentevent|calldata)\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(url.pathname);
  if (!m) return { status: 404, body: '' };
  const [, family, id, sub, callid] = m;
  const route = family === 'agentevent' && !sub ? ['GET', 'poll']
    : family === 'onlineagent' && !sub ? ['PUT', 'signin']
      : family === 'onlineagent' && sub === 'forcelogin' ? ['PUT', 'force']
        : family === 'onlineagent' && sub === 'logout' ? ['DELETE', 'logout']
          : family === 'onlineagent' && sub === 'updateGuid' ? ['PUT', 'updateGuid']
            : family === 'onlineagent' && sub === 'handshake' ? ['POST', 'handshake']
            : family === 'calldata' && sub === 'callinfo' ? ['GET', 'callinfo']
              : family === 'calldata' && sub === 'holdlist' ? ['GET', 'holdlist']
                : family === 'calldata' && sub === 'callinfobycallid' && callid ? ['GET', 'bycallid'] : null;
  if (!route) return { status: 404, body: '' };
  if (req.method !== route[0]) return { status: 405, headers: { Allow: route[0] }, body: '' };
  if (!/^\d+$/.test(id) || Number(id) < 101 || Number(id) > 59999)
    return refuse('000-002', 'The parameter is invalid.');
  const agent = AGENTS[id];
  if (agent) expire(agent, Date.now());
  if (route[1] === 'signin' || route[1] === 'force') return signIn(id, agent, body, route[1] === 'force');
  if (!agent) return refuse('100-006', 'The agent has not signed in.');
  return signedIn(id, agent, req, route[1], url);
});
