// A stand-in for ITNIO's call-center API, written from the vendor's pages (docs/vendors/itnio.md)
// and nothing else. Where the pages are silent it chooses otherwise than cdrsim-mock:
// - status is the string "0" (the table says String; the record example sends a number);
// - the Timestamp window is 10 minutes (ITNIO states none; a white-label says half an hour);
// - records come oldest first, and a call stamped exactly at endTime is out of the range;
// - a start after the end is -25 "out of time range" (a documented code), not -22;
// - voiceGroupId is absent from records as in the page's example record, and null region and
//   mediaDetected are left out; callId is null unless the call came from the dial API, and an
//   unanswered call has no answer time, no recording and a duration of 0;
// - the agent query wants its documented strTime/endTime window, at most 32 days;
// - a group's basic settings name the id voiceGroupId, as the page's table does (its example says
//   seatGroupId);
// - a recording is found by its key or its file name whatever sourceType says; its link lasts 30
//   minutes and is a presigned object-store URL on this server;
// - an unknown group or recording is -24 "Data unexisting" from the global status table.
// Usage: node itnio.js [--drift retype|add]. Credentials: the pages' example pair.
'use strict';
const { parseArgs, serve, rng, wallClock, parseTime, md5, wav, links, origin, serveLink } =
  require('./common');

const opts = parseArgs(process.argv.slice(2), {});
const KEY = 'bDqJFiq9';
const SECRET = '7bz1lzh9';
const WINDOW = 600;
const MAX_RANGE = 93 * 86400;

const LINK_TTL = 1800;
const GROUPS = [
  { voiceGroupId: 301, groupName: 'sales-east', appName: 'crm-east', callinStrategy: 4 },
  { voiceGroupId: 302, groupName: 'support-night', appName: 'crm-support', callinStrategy: 1 },
  { voiceGroupId: 303, groupName: 'collections', appName: null, callinStrategy: 3 },
];
// The basic settings of each group, by voiceGroupId: the page's members, unset ones null.
const SETTINGS = {
  301: { timeoutTransferSec: 30, callinAutoAnswerSec: 3, wrapUpTime: 15, timeoutIdle: 2,
    timeoutWaitSec: 90, turnSeatRing: null, turnSeatRingUrl: null, labelName: ['vip', 'callback'],
    displaySwitch: 0, encryptNumber: 1, fsNode: 'SG_FS' },
  302: { timeoutTransferSec: 45, callinAutoAnswerSec: null, wrapUpTime: 30, timeoutIdle: null,
    timeoutWaitSec: 60, turnSeatRing: 'turnseatring-template/night-queue.mp3',
    turnSeatRingUrl: 'https://cc-assets.example.com/turnseatring-template/night-queue.mp3',
    labelName: [], displaySwitch: 1, encryptNumber: 0, fsNode: 'USA_FS' },
  303: { timeoutTransferSec: null, callinAutoAnswerSec: null, wrapUpTime: 20, timeoutIdle: null,
    timeoutWaitSec: 120, turnSeatRing: null, turnSeatRingUrl: null, labelName: null,
    displaySwitch: 0, encryptNumber: 0, fsNode: 'UAE_FS' },
};
const signer = links(`itnio-standin-${SECRET}`);
const SEATS = [];
const RECORDS = [];

(function generate() {
  const r = rng(20250101);
  const names = ['Lin', 'Zhou', 'Wang', 'Chen', 'Liu', 'Sun', 'Ma', 'Hu', 'Guo'];
  names.forEach((name, i) => {
    const g = GROUPS[i % GROUPS.length];
    SEATS.push({
      keyId: 7100 + i, empNo: `E${1000 + i}`, petName: name.toLowerCase(), name,
      appId: null, deleteFlag: 0, enable: i === 8 ? 1 : 0, priority: 1,
      voiceGroupId: g.voiceGroupId, groupName: g.groupName, account: `agent${i}`,
      password: null, createTime: '2024-11-02 09:00:00', updateTime: '2025-01-02 09:00:00',
      displayNum: null, ccode: '86', status: 1 + (i % 5), num: 0, connectNum: 0,
      connectRate: '0.00%',
    });
  });
  const from = parseTime('2025-01-01 00:00:00'), to = parseTime('2025-04-30 23:59:59');
  const labels = ['vip', 'complaint', 'callback'];
  const countries = ['86(China)', '86(China)', '86(China)', '1(United States)', '65(Singapore)'];
  for (let i = 0; i < 180; i++) {
    const start = r.int(from, to);
    const seat = r.pick(SEATS);
    const callType = r.int(1, 3);
    const answered = r.next() < 0.7;
    const ring = r.int(2, 25);
    const talk = answered ? r.int(5, 900) : 0;
    const answer = start + ring;
    const end = answered ? answer + talk : answer;
    const reason = { 1: answered ? 3 : 2, 2: answered ? 9 : 8, 3: answered ? 1 : 0 }[callType];
    const tags = labels.filter(() => r.next() < 0.2);
    const ccode = r.pick(countries);
    const number = `${ccode.split('(')[0]}1${r.int(300000000, 999999999)}`;
    const session = `${wallClock(start).replace(/[- :]/g, '').slice(2)}${r.int(10000, 99999)}`;
    const rec = {
      keyId: 9100000 + i, callSessionId: session, called: callType === 2 ? null : number,
      encryptCalled: number.slice(0, 5) + '****' + number.slice(-2), calledInfo: null,
      caller: callType === 2 ? number : '8613200000099', seatName: seat.name,
      sipGroupName: seat.groupName, callDuration: talk, callType, hangupReason: reason,
      hangupCode: answered ? '200' : '486', callStartTime: wallClock(start),
      calledAnswerTime: answered ? wallClock(answer) : null, calledHangupTime: wallClock(end),
      voiceUrl: answered ? `agent-call-record-${session.slice(0, 6)}/${session}.wav` : null,
      voiceUrlList: answered ? [`agent-call-record-${session.slice(0, 6)}/${session}.wav`] : [],
      createTime: wallClock(end), updateTime: wallClock(end + 5), ccode,
      hangingDirection: answered ? r.int(0, 1) : 3, labelName: JSON.stringify(tags),
      labelNameList: tags, remark: null, callId: r.next() < 0.2 ? `${session}0100` : null,
      brandId: 101, brandName: 'ITNIO', errorReason: answered ? 'sucess call(200)' : 'busy(486)',
      ringDuration: ring, _start: start, _group: seat.voiceGroupId, _seat: seat.keyId,
    };
    RECORDS.push(rec);
  }
  RECORDS.sort((a, b) => a._start - b._start || a.keyId - b.keyId);
})();

const answer = (status, reason, data) => ({ status: 200, body: { status: String(status), reason, data } });
const refuse = (status, reason) => answer(status, reason, null);

function authenticate(req) {
  const key = req.headers['api-key'];
  const stamp = req.headers.timestamp;
  const sign = req.headers.sign;
  if (key !== KEY || typeof sign !== 'string') return refuse(-1, 'Authentication error');
  if (!/^\d{1,12}$/.test(stamp || '') || Math.abs(Date.now() / 1000 - Number(stamp)) > WINDOW)
    return refuse(-16, 'Timestamp expires');
  if (sign.toLowerCase() !== md5(KEY + SECRET + stamp)) return refuse(-1, 'Authentication error');
  return null;
}

// The body's page request: {current, size, params}; a refusal when it is not one.
function pageRequest(body) {
  let doc;
  try {
    doc = JSON.parse(body);
  } catch (e) {
    return { error: refuse(-22, 'Parameter exception') };
  }
  const { current, size } = doc || {};
  const params = (doc && doc.params) || {};
  if (!Number.isInteger(current) || !Number.isInteger(size) || current < 1 || size < 1 ||
      size > 100 || typeof params !== 'object')
    return { error: refuse(-22, 'Parameter exception') };
  return { current, size, params };
}

function page(list, current, size, extra) {
  const records = list.slice((current - 1) * size, current * size);
  return Object.assign({ total: list.length, size, current }, extra,
    { pages: Math.ceil(list.length / size), records });
}

const isList = (v) => Array.isArray(v);
function matches(rec, p) {
  const inList = (list, v) => !isList(list) || list.length === 0 || list.includes(v);
  if (p.voiceGroupId !== undefined && rec._group !== p.voiceGroupId) return false;
  if (p.sipGroupName !== undefined && rec.sipGroupName !== p.sipGroupName) return false;
  if (!inList(p.seatId, rec._seat) || !inList(p.seatNameList, rec.seatName)) return false;
  if (!inList(p.callType, rec.callType) || !inList(p.hangupReason, rec.hangupReason)) return false;
  if (!inList(p.hangingDirection, rec.hangingDirection)) return false;
  if (isList(p.ccode) && p.ccode.length && !p.ccode.some((c) => rec.ccode.split('(')[0] === String(c)))
    return false;
  if (isList(p.labelNames) && p.labelNames.length &&
      !p.labelNames.some((l) => rec.labelNameList.includes(l)))
    return false;
  if (typeof p.calledOrCaller === 'string' &&
      ![rec.called, rec.caller].some((n) => n && n.includes(p.calledOrCaller)))
    return false;
  return true;
}

// What a record looks like on the wire (the drift switches rewrite it).
function wire(rec) {
  const out = {};
  for (const [k, v] of Object.entries(rec)) if (!k.startsWith('_')) out[k] = v;
  if (opts.drift === 'retype') out.callDuration = String(out.callDuration);
  if (opts.drift === 'add') out.promoCode = 'SPRING25';
  return out;
}

function recordQuery(body) {
  const q = pageRequest(body);
  if (q.error) return q.error;
  const p = q.params;
  const listKeys = ['seatId', 'seatNameList', 'callType', 'hangupReason', 'ccode',
    'hangingDirection', 'labelNames'];
  if (listKeys.some((k) => p[k] !== undefined && !isList(p[k])) ||
      (p.voiceGroupId !== undefined && !Number.isInteger(p.voiceGroupId)))
    return refuse(-22, 'Parameter exception');
  const from = parseTime(p.startTime), to = parseTime(p.endTime);
  if (Number.isNaN(from) || Number.isNaN(to)) return refuse(-22, 'Parameter exception');
  if (from > to) return refuse(-25, 'Out of time range');
  if (to - from > MAX_RANGE)
    return refuse(-76, 'The search time interval cannot be greater than 93 days!');
  const list = RECORDS.filter((r) => r._start >= from && r._start < to && matches(r, p));
  const data = page(list, q.current, q.size, { searchCount: true });
  data.records = data.records.map(wire);
  return answer(0, 'success', data);
}

function groupQuery(body) {
  const q = pageRequest(body);
  if (q.error) return q.error;
  const name = q.params.groupName;
  const list = GROUPS.filter((g) => typeof name !== 'string' || g.groupName.includes(name))
    .map((g) => Object.assign({}, g, { countSeat: SEATS.filter((s) => s.voiceGroupId === g.voiceGroupId).length }));
  return answer(0, 'success', page(list, q.current, q.size, {}));
}

function seatQuery(body) {
  const q = pageRequest(body);
  if (q.error) return q.error;
  const p = q.params;
  const from = parseTime(p.strTime), to = parseTime(p.endTime);
  if (Number.isNaN(from) || Number.isNaN(to) || from > to || to - from > 32 * 86400)
    return refuse(-22, 'Parameter exception');
  const list = SEATS.filter((s) =>
    (p.voiceGroupId === undefined || s.voiceGroupId === p.voiceGroupId) &&
    (typeof p.name !== 'string' || s.name.includes(p.name)) &&
    (p.enable === undefined || s.enable === p.enable) &&
    (p.status === undefined || s.status === p.status));
  return answer(0, 'success', page(list, q.current, q.size, {}));
}

function groupSettings(url) {
  const text = url.searchParams.get('voiceGroupId');
  if (!/^\d{1,10}$/.test(text || '')) return refuse(-22, 'Parameter exception');
  const group = GROUPS.find((g) => g.voiceGroupId === Number(text));
  if (!group) return refuse(-24, 'Data unexisting');
  const { voiceGroupId, groupName, appName, callinStrategy } = group;
  return answer(0, 'success', Object.assign({ voiceGroupId, groupName, appName, callinStrategy },
    SETTINGS[voiceGroupId]));
}

// A recording by its voiceUrl key or the key's file name.
const recordingOf = (id) =>
  RECORDS.find((r) => r.voiceUrl && (r.voiceUrl === id || r.voiceUrl.split('/').pop() === id));

function recordingUrl(url, req) {
  const id = url.searchParams.get('recordingFileId');
  const source = url.searchParams.get('sourceType');
  if (!id || (source !== null && !['group', 'sip'].includes(source)))
    return refuse(-22, 'Parameter exception');
  const rec = recordingOf(id);
  if (!rec) return refuse(-24, 'Data unexisting');
  const expires = Math.floor(Date.now() / 1000) + LINK_TTL;
  return answer(0, 'success', { url: signer.make(origin(req), `/cc-record/${rec.voiceUrl}`, expires),
    expireTime: expires * 1000 });
}

// The audio behind a link: the call's talk, at most 5 s of it, 8 kHz.
function recordingFile(url) {
  const rec = recordingOf(decodeURIComponent(url.pathname.slice('/cc-record/'.length)));
  const audio = rec && { type: 'audio/x-wav', bytes: wav(Math.min(rec.callDuration, 5), 8000) };
  return serveLink(signer, url, audio);
}

const routes = {
  '/v3/cc/record/query': ['POST', recordQuery],
  '/v3/cc/seatGroup/query': ['POST', groupQuery],
  '/v3/cc/seat/query': ['POST', seatQuery],
  '/v3/cc/seatGroup/basicSettingResp': ['GET', (body, url) => groupSettings(url)],
  '/voice/getRecordingFileUrl': ['GET', (body, url, req) => recordingUrl(url, req)],
};

const frameworkError = (status, error, path) =>
  ({ status, body: { timestamp: new Date().toISOString(), status, error, path } });

serve((req, body, url) => {
  if (url.pathname.startsWith('/cc-record/') && req.method === 'GET') return recordingFile(url);
  const route = routes[url.pathname];
  if (!route) return frameworkError(404, 'Not Found', url.pathname);
  if (req.method !== route[0]) return frameworkError(405, 'Method Not Allowed', url.pathname);
  return authenticate(req) || route[1](body, url, req);
});
