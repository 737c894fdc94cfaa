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
// - an error answer has no "result" member; no JSESSIONID cookie is set.
// Usage: node huawei.js [--drift retype|add] [--poll-seconds S]. Credentials: agent 291, password
// standin-pass-291, phone 70291.
'use strict';
const crypto = require('crypto');
const { parseArgs, serve } = require('./common');

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
    default:
      return ok(null);
  }
}

serve(async (req, body, url) => {
  const m = /^\/agentgateway\/resource\/(onlineagent|agentevent|calldata)\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(url.pathname);
  if (!m) return { status: 404, body: '' };
  const [, family, id, sub, callid] = m;
  const route = family === 'agentevent' && !sub ? ['GET', 'poll']
    : family === 'onlineagent' && !sub ? ['PUT', 'signin']
      : family === 'onlineagent' && sub === 'forcelogin' ? ['PUT', 'force']
        : family === 'onlineagent' && sub === 'logout' ? ['DELETE', 'logout']
          : family === 'onlineagent' && sub === 'updateGuid' ? ['PUT', 'updateGuid']
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
