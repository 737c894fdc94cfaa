// A stand-in for Alibaba Cloud AICCS 2019-10-15 (RPC): HotlineSessionQuery, and the recording and
// transcript actions ListHotlineRecord, GetRecordUrl, GetRecordData, DescribeRecordData and
// GetHotlineMessageLog, written from the vendor's pages (docs/vendors/aliyun.md): both signatures
// (V2 parameter, V3 header), the 15-minute timestamp window, nonces, the error documents, 80 calls
// a second, the gateway's Missing<Parameter>. Where the pages are silent it chooses otherwise than
// cdrsim-mock:
// - calls come oldest first, and a call created exactly at QueryEndTime is out of the range;
// - a missing Signature is MissingSignature (what the gateway answers in the wild), not
//   IncompleteSignature; InvalidVersion is HTTP 404;
// - an unknown InstanceId is an empty page, not NoTenantFound; PageSize or PageNo of 0 fall back
//   to the defaults 20 and 1;
// - members the page says can lack a value are null in those cases (outbound: no queue or ring
//   times, no skill group, no rating; unanswered: no talk time or pick-up; not yet assigned: no
//   agent), and TrunkCall, MemberId and MemberName are left out when there is none;
// - throttled calls carry Retry-After;
// - CallResultList's queueClose takes every CallResult the page calls 队列挂机, TouchRingCallLoss
//   (队列挂机,振铃挂机) included, which dailingClose takes too;
// - ListHotlineRecord sends ConnectionId and CallId as numbers (the newer example); links are
//   presigned OSS-style URLs on this server valid 3 days (what GetCallSoundRecord's page says of
//   recording URLs); a call nobody answered has no recording: the link actions answer SystemError;
// - GetRecordUrl refuses another RecordType with InvalidRecordType; GetRecordData's Code is the
//   string "200" (its table's type);
// - DescribeRecordData answers the account 22358888 (BUC_TYPE) alone; no account, or any other, is
//   Permission.NotAuthorized;
// - GetHotlineMessageLog answers the newest utterance first.
// Usage: node aliyun.js [--drift retype|add] [--rate N]. Credentials: access key
// LTAI5tStandinKey0001 / standin-secret, instance ccc_xp_pre-cn-demo001.
'use strict';
const crypto = require('crypto');
const { parseArgs, serve, rng, wallClock, parseTime, wav, links, origin, serveLink } =
  require('./common');

const opts = parseArgs(process.argv.slice(2), { rate: '80' });
const KEYS = { LTAI5tStandinKey0001: 'standin-secret' };
const INSTANCE = 'ccc_xp_pre-cn-demo001';
const RATE = Number(opts.rate);
const ACCOUNT = { AccountType: 'BUC_TYPE', AccountId: '22358888' };
const LINK_TTL = 3 * 86400;
const signer = links('aliyun-standin-oss');
const RECORDS = [];

(function generate() {
  const r = rng(20201002);
  const from = parseTime('2025-01-01 00:00:00'), to = parseTime('2025-04-30 23:59:59');
  const agents = [['600201', '周敏'], ['600202', '陈立'], ['600203', '赵磊']];
  const groups = [[100301, '售前咨询'], [100302, '售后服务']];
  for (let i = 0; i < 130; i++) {
    const created = r.int(from, to);
    const callType = r.pick([1, 1, 2, 2, 2, 3]);
    const outbound = callType === 1;
    const answered = r.next() < 0.7;
    const unanswered = outbound ? 'dailing' : r.pick(['touchRouteError', 'touchInQueue', 'touchInLoss',
      'userHangup', 'sysHangup', 'transferAgent', 'TouchRingCallLoss']);
    const assigned = outbound || r.next() < 0.9;
    const agent = r.pick(agents);
    const group = r.pick(groups);
    const queue = outbound ? 0 : r.int(1, 30);
    const ring = r.int(2, 20);
    const ringStart = created + queue;
    const pickUp = ringStart + ring;
    const talk = answered ? r.int(10, 900) : 0;
    const hangUp = answered ? pickUp + talk : ringStart + ring;
    const member = r.next() < 0.6 ? [String(r.int(1000000, 9999999)), r.pick(['张先生', '李女士', '匿名会员'])] : null;
    const phone = `13${r.int(100000000, 999999999)}`;
    const rec = {
      Id: `acc${r.hex(23)}`, Acid: String(r.int(5000000000, 5999999999)), CallType: callType,
      CallResult: answered ? 'normal' : unanswered,
      CreateTime: wallClock(created), HangUpTime: wallClock(hangUp),
      CallingNumber: outbound ? '057188990001' : phone, CalledNumber: outbound ? phone : '4008205555',
      ServicerName: assigned ? agent[1] : null, ServicerId: assigned ? agent[0] : null,
      GroupName: outbound ? null : group[1], GroupId: outbound ? null : group[0],
      InQueueTime: outbound ? null : wallClock(created), OutQueueTime: outbound ? null : wallClock(ringStart),
      RingStartTime: outbound ? null : wallClock(ringStart), RingEndTime: outbound ? null : wallClock(pickUp),
      RingContinueTime: outbound ? null : ring, PickUpTime: answered ? wallClock(pickUp) : null,
      CallContinueTime: answered ? talk : null, QueueUpContinueTime: queue,
      EvaluationLevel: !outbound && answered ? r.int(2, 5) : null,
      EvaluationScore: !outbound && answered ? r.int(1, 5) : null,
      HangUpRole: r.pick(['1', '2', '3', null]),
      PassiveTransferId: callType === 3 ? agent[0] : null, ActiveTransferId: callType === 3 ? '600299' : null,
      PassiveTransferIdType: callType === 3 ? '1' : null,
      _created: created, _talk: answered ? [pickUp, hangUp] : null,
    };
    if (!outbound) rec.TrunkCall = '4008205555';
    if (member) [rec.MemberId, rec.MemberName] = member;
    RECORDS.push(rec);
  }
  RECORDS.sort((a, b) => a._created - b._created || (a.Id < b.Id ? -1 : 1));
})();

let requestCount = 0;
const requestId = () => `5E3D${(++requestCount).toString(16).padStart(4, '0')}-A1B2-4C3D-9E8F-STANDIN${requestCount}`;

function error(status, code, message, headers) {
  const id = requestId();
  return {
    status, headers,
    body: { RequestId: id, HostId: 'aiccs.aliyuncs.com', Code: code, Message: message,
      Recommend: `https://api.aliyun.com/troubleshoot?q=${code}&product=aiccs&requestId=${id}` },
  };
}

// RFC 3986, as both signatures want it: space %20, * %2A, ~ kept.
const enc = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const canonicalQuery = (pairs) => pairs.map(([k, v]) => [enc(k), enc(v)])
  .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
  .map(([k, v]) => `${k}=${v}`).join('&');
const hmac = (alg, key, text, out) => crypto.createHmac(alg, key).update(text, 'utf8').digest(out);
const sha256 = (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

// Every parameter of the request: the query and a form body (the server merges both).
function parameters(req, body, url) {
  const pairs = [...url.searchParams];
  if ((req.headers['content-type'] || '').startsWith('application/x-www-form-urlencoded'))
    pairs.push(...new URLSearchParams(body));
  return pairs;
}

// Who signed and how: {key, timestamp, nonce, method, action, version, error} per signature kind.
function authenticate(req, body, url, pairs) {
  const params = Object.fromEntries(pairs);
  const auth = req.headers.authorization || '';
  if (auth.startsWith('ACS3-HMAC-SHA256 ')) {
    const m = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]+)$/.exec(auth);
    if (!m) return { error: error(400, 'IncompleteSignature', 'The request signature does not conform to Aliyun standards.') };
    const [, key, signed, signature] = m;
    if (!KEYS[key]) return { error: error(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.') };
    const names = signed.split(';');
    if (names.some((n) => req.headers[n] === undefined) || !names.includes('host'))
      return { error: error(400, 'IncompleteSignature', 'The request signature does not conform to Aliyun standards.') };
    const payload = req.headers['x-acs-content-sha256'];
    if (payload !== sha256(body))
      return { error: error(400, 'SignatureDoesNotMatch', 'The x-acs-content-sha256 does not match the body.') };
    const canonical = [req.method, url.pathname, canonicalQuery(pairs),
      names.map((n) => `${n}:${String(req.headers[n]).trim()}\n`).join(''), signed, payload].join('\n');
    const toSign = `ACS3-HMAC-SHA256\n${sha256(canonical)}`;
    return {
      key, timestamp: req.headers['x-acs-date'], nonce: req.headers['x-acs-signature-nonce'],
      action: req.headers['x-acs-action'], version: req.headers['x-acs-version'],
      valid: hmac('sha256', KEYS[key], toSign, 'hex') === signature,
      mismatch: `Specified signature does not match our calculation. server StringToSign is [${toSign}]`,
    };
  }
  if (params.Signature === undefined)
    return { error: error(400, 'MissingSignature', 'Signature is mandatory for this action.') };
  if (!KEYS[params.AccessKeyId])
    return { error: error(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.') };
  if (params.SignatureMethod !== 'HMAC-SHA1')
    return { error: error(400, 'InvalidSignatureMethod', 'Specified signature method is not valid.') };
  const toSign = `${req.method}&%2F&${enc(canonicalQuery(pairs.filter(([k]) => k !== 'Signature')))}`;
  return {
    key: params.AccessKeyId, timestamp: params.Timestamp, nonce: params.SignatureNonce,
    action: params.Action, version: params.Version,
    valid: hmac('sha1', `${KEYS[params.AccessKeyId]}&`, toSign, 'base64') === params.Signature,
    mismatch: `Specified signature is not matched with our calculation. server string to sign is:${toSign}`,
  };
}

const nonces = new Map(); // nonce -> when it expires (ms)
const recent = []; // when the last calls came (ms), for the rate
function throttled(now) {
  while (recent.length && recent[0] <= now - 1000) recent.shift();
  if (recent.length >= RATE) return true;
  recent.push(now);
  return false;
}

const LISTS = { AcidList: 'Acid', CallTypeList: 'CallType', GroupIdList: 'GroupId',
  CallingNumberList: 'CallingNumber', CalledNumberList: 'CalledNumber', MemberIdList: 'MemberId',
  ServicerIdList: 'ServicerId', CallResultList: 'CallResult' };
const SCALARS = ['Acid', 'CallType', 'CalledNumber', 'CallingNumber', 'GroupId', 'GroupName',
  'MemberId', 'MemberName', 'ServicerName', 'ServicerId', 'Id', 'CallResult'];

// CallResultList's values are groups of CallResult, by the labels the page gives each result.
const RESULT_GROUPS = {
  normal: ['normal'],
  queueClose: ['touchRouteError', 'touchInQueue', 'touchInLoss', 'TouchRingCallLoss'],
  dailingClose: ['dailing', 'TouchRingCallLoss'],
  ivrClose: ['userHangup', 'sysHangup', 'transferAgent'],
};
const listed = (field, values, rec) => (field === 'CallResult'
  ? values.some((v) => (RESULT_GROUPS[v] || [v]).includes(rec.CallResult))
  : values.includes(String(rec[field])));

function query(pairs) {
  const params = Object.fromEntries(pairs);
  if (!params.InstanceId) return error(400, 'MissingInstanceId', 'InstanceId is mandatory for this action.');
  const ms = (v) => (Number(v) < 1e11 ? Number(v) * 1000 : Number(v)); // the page's examples send seconds
  const from = params.QueryStartTime !== undefined ? ms(params.QueryStartTime) / 1000 : -Infinity;
  const to = params.QueryEndTime !== undefined ? ms(params.QueryEndTime) / 1000 : Infinity;
  const lists = {};
  for (const [k, v] of pairs) {
    const m = /^(\w+List)\.\d+$/.exec(k);
    if (m && LISTS[m[1]]) (lists[LISTS[m[1]]] = lists[LISTS[m[1]]] || []).push(v);
  }
  const found = params.InstanceId !== INSTANCE ? [] : RECORDS.filter((r) =>
    r._created >= from && r._created < to &&
    SCALARS.every((f) => params[f] === undefined || String(r[f]) === params[f]) &&
    Object.entries(lists).every(([f, vs]) => listed(f, vs, r)));
  const positive = (v, dflt) => (Number.isInteger(Number(v)) && Number(v) > 0 ? Number(v) : dflt);
  const size = positive(params.PageSize, 20), page = positive(params.PageNo, 1);
  const records = found.slice((page - 1) * size, page * size).map((r) => {
    const out = {};
    for (const [k, v] of Object.entries(r)) if (!k.startsWith('_')) out[k] = v;
    if (opts.drift === 'retype') out.CallType = String(out.CallType);
    if (opts.drift === 'add') out.SatisfactionTag = 'promoter';
    return out;
  });
  return { status: 200, body: { Code: 'Success', Message: 'Success', RequestId: requestId(),
    Success: true, Data: { PageSize: size, PageNumber: page, TotalCount: found.length, CallDetailRecord: records } } };
}

const success = (body) => ({ status: 200, body: Object.assign({ RequestId: requestId() }, body) });
const missing = (name) => error(400, `Missing${name}`, `${name} is mandatory for this action.`);
const noTenant = () => error(500, 'NoTenantFound', 'The specified tenant does not exist.');
const systemError = () => error(500, 'SystemError', 'A system error occurred. Please contact the administrator.');
const callOf = (acid) => RECORDS.find((r) => r.Acid === acid);

// The recorded connections of a call: its talk, split in two at a transfer to another agent.
function connections(rec) {
  if (!rec._talk) return [];
  const [from, to] = rec._talk;
  const middle = Math.floor((from + to) / 2);
  const parts = rec.CallType === 3 ? [[from, middle], [middle, to]] : [[from, to]];
  return parts.map(([a, b], i) => ({ id: Number(rec.Acid) * 10 + i + 1, from: a, to: b }));
}

const link = (req, path) => signer.make(origin(req), path, Math.floor(Date.now() / 1000) + LINK_TTL);
const sessionLink = (req, rec) => link(req, `/aliccrec/${rec.Acid}.wav`);

// The gateway's refusal of the first required parameter missing, or null.
const firstMissing = (params, names) => {
  const absent = names.find((n) => !params[n]);
  return absent ? missing(absent) : null;
};

function listHotlineRecord(req, params) {
  const refusal = firstMissing(params, ['InstanceId', 'CallId']);
  if (refusal) return refusal;
  if (params.InstanceId !== INSTANCE) return noTenant();
  const rec = callOf(params.CallId);
  const data = rec ? connections(rec).map((c) => ({
    ConnectionId: c.id, CallId: Number(rec.Acid), StartTime: c.from * 1000, EndTime: c.to * 1000,
    Url: link(req, `/aliccrec/${rec.Acid}-${c.id}.wav`),
  })) : [];
  return success({ Code: 'Success', Message: 'Success', Success: true, Data: data });
}

function recordLink(req, params, action) {
  const names = action === 'GetRecordUrl' ? ['InstanceId', 'Acid', 'RecordType'] : ['InstanceId', 'Acid'];
  const refusal = firstMissing(params, names);
  if (refusal) return refusal;
  if (action === 'GetRecordUrl' && !['DUP_CALL', 'IVR_CALL', 'SMART_CALL'].includes(params.RecordType))
    return error(400, 'InvalidRecordType', 'Specified parameter RecordType is not valid.');
  if (params.InstanceId !== INSTANCE) return noTenant();
  const rec = callOf(params.Acid);
  if (!rec || !rec._talk) return systemError();
  const data = { Acid: rec.Acid, OssLink: sessionLink(req, rec) };
  if (action === 'GetRecordUrl') return success({ Success: true, Message: 'OK', Data: data });
  return success({ Message: 'OK', HttpStatusCode: 200, Data: data, Code: '200', Success: true });
}

function describeRecordData(req, params) {
  if (!params.Acid) return error(400, 'Parameter.Error', 'Parameter error.');
  if ((params.ProdCode && params.ProdCode !== 'aiccs') ||
      (params.SecLevel && !['1', '2', '3', '4'].includes(params.SecLevel)))
    return error(400, 'Parameter.Error', 'Parameter error.');
  if (params.AccountType !== ACCOUNT.AccountType || params.AccountId !== ACCOUNT.AccountId)
    return error(400, 'Permission.NotAuthorized', 'Insufficient permissions. Please contact the primary account administrator.');
  const rec = callOf(params.Acid);
  if (!rec || !rec._talk) return systemError();
  return success({ Acid: rec.Acid, Message: 'OK', OssLink: sessionLink(req, rec),
    AgentId: rec.ServicerId, Code: '200' });
}

// A conversation over the talk: customer and agent taking turns every 8 s, newest first.
function messageLog(params) {
  const refusal = firstMissing(params, ['InstanceId', 'Acid']);
  if (refusal) return refusal;
  if (params.InstanceId !== INSTANCE) return noTenant();
  const rec = callOf(params.Acid);
  const lines = ['您好，请问有什么可以帮您？', '我想查一下上个月的账单。', '好的，请稍等，我帮您查询。',
    '麻烦快一点。', '已经查到了，稍后短信发给您。', '谢谢，再见。'];
  const out = [];
  if (rec && rec._talk) {
    const [from, to] = rec._talk;
    for (let i = 0, t = from; t + 3 <= to && i < lines.length; i++, t += 8)
      out.push({ Acid: rec.Acid, SenderType: i % 2 === 0 ? 2 : 1, StartTime: t * 1000 + 120,
        EndTime: (t + 3) * 1000, Mid: `${rec.Acid}-m${i + 1}`, Content: lines[i] });
  }
  return success({ Success: true, Code: 'Success', Message: 'Success', Data: out.reverse() });
}

// The audio behind an OSS link: the session's talk (or one connection's), at most 4 s, 8 kHz.
function recordingFile(url) {
  const m = /^\/aliccrec\/(\d+)(?:-(\d+))?\.wav$/.exec(url.pathname);
  const rec = m && callOf(m[1]);
  const whole = rec && rec._talk && { from: rec._talk[0], to: rec._talk[1] };
  const part = m && m[2] ? rec && connections(rec).find((c) => String(c.id) === m[2]) : whole;
  const audio = part && { type: 'audio/wav', bytes: wav(Math.min(part.to - part.from, 4), 8000) };
  return serveLink(signer, url, audio);
}

const ACTIONS = {
  HotlineSessionQuery: (req, pairs) => query(pairs),
  ListHotlineRecord: (req, pairs) => listHotlineRecord(req, Object.fromEntries(pairs)),
  GetRecordUrl: (req, pairs) => recordLink(req, Object.fromEntries(pairs), 'GetRecordUrl'),
  GetRecordData: (req, pairs) => recordLink(req, Object.fromEntries(pairs), 'GetRecordData'),
  DescribeRecordData: (req, pairs) => describeRecordData(req, Object.fromEntries(pairs)),
  GetHotlineMessageLog: (req, pairs) => messageLog(Object.fromEntries(pairs)),
};

serve((req, body, url) => {
  if (url.pathname.startsWith('/aliccrec/') && req.method === 'GET') return recordingFile(url);
  if (url.pathname !== '/' || !['GET', 'POST'].includes(req.method))
    return error(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
  const pairs = parameters(req, body, url);
  const who = authenticate(req, body, url, pairs);
  if (who.error) return who.error;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(who.timestamp || ''))
    return error(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.');
  const now = Date.now();
  if (Math.abs(Date.parse(who.timestamp) - now) > 15 * 60 * 1000)
    return error(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
  if (!who.valid) return error(400, 'SignatureDoesNotMatch', who.mismatch);
  for (const [n, until] of nonces) if (until < now) nonces.delete(n);
  if (!who.nonce || nonces.has(who.nonce))
    return error(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
  nonces.set(who.nonce, now + 30 * 60 * 1000);
  if (throttled(now))
    return error(400, 'Throttling.User', 'Request was denied due to user flow control.', { 'Retry-After': '1' });
  const action = Object.prototype.hasOwnProperty.call(ACTIONS, who.action) && ACTIONS[who.action];
  if (!action)
    return error(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
  if (who.version !== '2019-10-15')
    return error(404, 'InvalidVersion', 'Specified parameter Version is not valid.');
  return action(req, pairs);
});
