// A stand-in for Yunfu's agent-api (云蝠智能), written from the vendor's pages
// (docs/vendors/yunfu.md) and nothing else. Where the pages are silent it chooses otherwise than
// cdrsim-mock:
// - calls come oldest first; end_at is exclusive;
// - query values are not validated (no HTTP 422): a reversed or negative score range, or an
//   intention tag past E, simply matches what it matches; a score range takes its lower end and
//   leaves out its upper end ([0,100] and [100,500] then never share a call);
// - keyword matches the start of the callee number;
// - a missing or unknown token is HTTP 401 in the vendor's envelope, an unknown record Laravel's
//   model 404; the retired path without the account (2023-02-01) is gone (404);
// - the call detail is data.records, the rows, as the detail page's example shows;
// - the token's validity names its expiry "expire_time" (the page publishes no members);
// - task lists come oldest created first, each task {id, user_id, name, status, task_type,
//   created_at, updated_at}; all_task adds the one sub-account's task;
// - download-full-voice redirects (302) to the call's play URL, an MP3 that a presigned link on
//   this server serves for two hours; a call nobody answered has none (Laravel's 404);
// - the batch of play URLs is a map record id -> URL (null for a call without a recording or
//   not in the task).
// Usage: node yunfu.js [--drift retype|add]. Credentials: token "standin-yunfu-token" for the
// account and task of the pages' example request.
'use strict';
const { parseArgs, serve, rng, wallClock, parseTime, mp3, links, origin, serveLink } =
  require('./common');

const opts = parseArgs(process.argv.slice(2), {});
const TOKEN = 'standin-yunfu-token';
const USER = '4d99d91c-f5d9-49da-88da-758977cc58a9';
const TASKS = ['287e19c4-1966-49d6-8f02-b53ef11c0a55', 'b0a5e3c1-6f0e-4c36-9d35-2f8f7e1d0c11'];
const SUB_USER = '9a1c2e44-7b3d-4f0e-8c55-1d2e3f4a5b6c';
const TASK_LIST = [
  { id: TASKS[0], user_id: USER, name: '回访任务-六月', status: 2, task_type: 1,
    created_at: '2022-05-28 09:12:40', updated_at: '2022-09-30 18:00:02' },
  { id: TASKS[1], user_id: USER, name: '满意度调查', status: 1, task_type: 1,
    created_at: '2022-06-15 14:03:11', updated_at: '2022-09-12 10:20:45' },
  { id: '5f0b7d1e-2c3a-4b9d-8e6f-0a1b2c3d4e5f', user_id: USER, name: '呼入接待', status: 3, task_type: 2,
    created_at: '2022-08-01 08:00:00', updated_at: '2022-08-01 08:00:00' },
  { id: 'e7d6c5b4-a392-4817-b6f5-e4d3c2b1a090', user_id: SUB_USER, name: '子账号外呼', status: 2,
    task_type: 4, created_at: '2022-07-07 11:30:00', updated_at: '2022-09-01 09:00:00' },
];
const VOICE_TTL = 7200;
const signer = links(`yunfu-standin-${TOKEN}`);
const CALLS = [];

(function generate() {
  const r = rng(20220929);
  const from = parseTime('2022-06-01 00:00:00'), to = parseTime('2022-09-30 23:59:59');
  const provinces = [{ id: 5, city: '安徽', area: '0551' }, { id: 11, city: '浙江', area: '0571' }];
  for (let i = 0; i < 140; i++) {
    const start = r.int(from, to);
    const answered = r.next() < 0.75;
    const ringMs = r.int(2000, 20000);
    const billMs = answered ? r.int(3000, 240000) : 0;
    const answer = start + Math.round(ringMs / 1000);
    const hangup = answered ? answer + Math.round(billMs / 1000) : start + Math.round(ringMs / 1000);
    const id = r.uuid();
    const callid = r.uuid();
    const task = TASKS[i % 3 === 0 ? 1 : 0];
    const callee = `1${r.pick(['35', '58', '86', '39'])}${r.int(10000000, 99999999)}`;
    const province = r.pick(provinces);
    const rows = [];
    const rowCount = answered ? r.int(2, 5) : 0;
    for (let k = 0; k < rowCount; k++) {
      const bot = k % 2 === 0;
      rows.push({
        id: r.uuid(), record_id: id, task_id: task, notify: k === 0 ? 'enter' : bot ? 'playback_result' : 'asrprogress_notify',
        callid, error_code: 0, asrtype: bot ? null : 'aliyunv2', callee, gender: bot ? null : 0,
        asr_elapse: bot ? null : r.int(200, 900), record_ms: bot ? null : r.int(500, 3000),
        volume_gain: bot ? null : Math.round(r.next() * 600) / 100, question: bot ? '' : '嗯，你说。',
        split_question: null, question_index: k, speak_ms: 0, play_ms: r.int(0, 5000),
        keyword: bot ? '' : null, answer_id: bot ? r.uuid() : null, answer_text: bot ? '流程一' : null,
        answer_content: bot ? '您好，这里是客服回访。' : null, word_class: bot ? '16' : null,
        answer_action: null, playback_after_action: 0, upstream_answer_action: null,
        upstream_answer_content: null, upstream_answer_text: null, upstream_answer_id: null,
        score: 0, sequence: k + 1, created_at: wallClock(answer + 3 * k), updated_at: wallClock(answer + 3 * k),
        bridge_status: 0, user_id: USER, is_regular: 0, expression: null, tags: [],
      });
    }
    const intention = r.int(1, 5);
    const disposition = answered ? r.int(1, 2) : 0;
    CALLS.push({
      tags: [], tag_groups: [], operator_name: r.pick(['联通', '移动', '电信']), extra: null,
      name: `客户${i}`, company: r.pick(['杭州云帆贸易', '合肥晨光教育']), send_wechat_data: [], components: [],
      id, task_id: task, group_id: 8801, callid, score: r.int(0, 60) * 10,
      callee, caller_number: '0000000000', duration: ringMs + billMs, error_code: 0,
      gender: r.int(0, 2), level_id: r.uuid(), calldate: wallClock(start), bill: billMs,
      hangupcause: answered ? 'NORMAL_CLEARING' : 'NO_ANSWER', hangupdate: wallClock(hangup),
      answerdate: answered ? wallClock(answer) : null, bridge_callid: null, bridge_number: null,
      bridge_calldate: null, bridge_answerdate: null, hangup_disposition: disposition,
      created_at: wallClock(hangup + 4), updated_at: wallClock(hangup + 4), rounds: rows.length,
      level_name: `${'ABCDE'[intention - 1]}类客户`, read_at: null, province_id: province.id,
      city_id: province.id * 10, operator: r.int(1, 3), customer_id: r.uuid(), user_id: USER,
      processed_at: null, number_created_at: '2022-05-20 10:00:00', intention_results: intention,
      level: null, gender_str: '未知', hangup_disposition_str: ['', 'AI', '客户'][disposition],
      details: rows.slice().reverse(),
      province: { id: province.id, pid: null, city: province.city, area_code: province.area,
        post_code: '230000', created_at: '2021-04-21 10:20:33', updated_at: '2021-04-21 10:20:33' },
      city: { id: province.id * 10, pid: province.id, city: `${province.city}市`,
        area_code: province.area, post_code: '230000', created_at: '2021-04-21 10:20:33',
        updated_at: '2021-04-21 10:20:33' },
      _start: start, _rows: rows,
    });
  }
  CALLS.sort((a, b) => a._start - b._start || (a.id < b.id ? -1 : 1));
})();

const envelope = (code, message, extra) =>
  ({ status: 200, body: Object.assign({ code, status: code === 200 ? 'success' : 'error', message }, extra) });
const laravel404 = (message) => ({ status: 404, body: { message } });

// PHP's bracket arrays: levels[0][]=0&levels[0][]=100 -> [[0,100]], intention_tags[]=1 -> [1].
function phpQuery(url) {
  const out = { scalar: {}, lists: {}, ranges: {} };
  for (const [key, value] of url.searchParams) {
    let m;
    if ((m = /^(\w+)\[(\d+)\]\[\]$/.exec(key))) {
      const list = (out.ranges[m[1]] = out.ranges[m[1]] || []);
      (list[+m[2]] = list[+m[2]] || []).push(value);
    } else if ((m = /^(\w+)\[\]$/.exec(key))) {
      (out.lists[m[1]] = out.lists[m[1]] || []).push(value);
    } else {
      out.scalar[key] = value;
    }
  }
  return out;
}

function wire(call) {
  const out = {};
  for (const [k, v] of Object.entries(call)) if (!k.startsWith('_')) out[k] = v;
  if (opts.drift === 'retype') out.duration = String(out.duration);
  if (opts.drift === 'add') out.promo_code = 'AUTUMN22';
  return out;
}

function list(url, task) {
  const q = phpQuery(url);
  const from = q.scalar.start_at !== undefined ? parseTime(q.scalar.start_at) : -Infinity;
  const to = q.scalar.end_at !== undefined ? parseTime(q.scalar.end_at) : Infinity;
  const levels = (q.ranges.levels || []).filter(Boolean).map((r) => r.map(Number));
  const tags = (q.lists.intention_tags || []).map(Number);
  const hang = (q.lists.hangup_date || []).map(parseTime);
  const keyword = q.scalar.keyword;
  const found = CALLS.filter((c) =>
    c.task_id === task && c._start >= from && c._start < to &&
    (!keyword || c.callee.startsWith(keyword)) &&
    (!levels.length || levels.some(([lo, hi]) => c.score >= lo && c.score < hi)) &&
    (!tags.length || tags.includes(c.intention_results)) &&
    (hang.length !== 2 || (parseTime(c.hangupdate) >= hang[0] && parseTime(c.hangupdate) <= hang[1])));
  const { meta, data } = paged(q, found);
  return envelope(200, '查看通话记录列表成功', { meta, data: data.map(wire) });
}

function detail(task, recordId) {
  const call = CALLS.find((c) => c.id === recordId && c.task_id === task);
  if (!call) return laravel404(`No query results for model [App\\Models\\CallRecord] ${recordId}`);
  return envelope(200, '查看通话记录详情成功', { data: { records: call._rows } });
}

// A Laravel paginator over list, as the record list pages.
function paged(q, list) {
  const given = q.scalar.per_page;
  const perPage = given !== undefined && Number(given) > 0 ? Math.floor(Number(given)) : 15;
  const page = Math.max(1, Math.floor(Number(q.scalar.page)) || 1);
  const last = Math.max(1, Math.ceil(list.length / perPage));
  const meta = {
    has_pages: page !== 1 || page < last, total: list.length, last_page: last,
    current_page: page, per_page: given !== undefined ? given : 15,
  };
  return { meta, data: list.slice((page - 1) * perPage, page * perPage) };
}

function tasks(url, all) {
  const q = phpQuery(url);
  const statuses = (q.lists.status || (q.scalar.status !== undefined ? [q.scalar.status] : []))
    .map(Number);
  const name = q.scalar.name;
  const found = TASK_LIST.filter((t) =>
    (all || t.user_id === USER) && (!name || t.name.includes(name)) &&
    (!statuses.length || statuses.includes(t.status)))
    .sort((a, b) => (a.created_at < b.created_at ? -1 : 1));
  return envelope(200, '获取任务列表成功', paged(q, found));
}

const answered = (call) => call.answerdate !== null;
const playUrl = (req, call) =>
  signer.make(origin(req), `/voice/${call.id}.mp3`, Math.floor(Date.now() / 1000) + VOICE_TTL);

function download(req, task, recordId) {
  const call = CALLS.find((c) => c.id === recordId && c.task_id === task);
  if (!call) return laravel404(`No query results for model [App\\Models\\CallRecord] ${recordId}`);
  if (!answered(call)) return laravel404('录音文件不存在');
  return { status: 302, headers: { Location: playUrl(req, call) }, body: '' };
}

function voiceUrls(req, url, task) {
  const ids = phpQuery(url).lists.recordIds || [];
  if (!ids.length || ids.length > 30)
    return { status: 422, body: { message: 'The given data was invalid.',
      errors: { recordIds: [ids.length ? 'The record ids may not have more than 30 items.' : 'The record ids field is required.'] } } };
  const data = {};
  for (const id of ids) {
    const call = CALLS.find((c) => c.id === id && c.task_id === task);
    data[id] = call && answered(call) ? playUrl(req, call) : null;
  }
  return envelope(200, '获取录音地址成功', { data });
}

function voiceFile(url) {
  const m = /^\/voice\/([^/]+)\.mp3$/.exec(url.pathname);
  const call = m && CALLS.find((c) => c.id === m[1] && answered(c));
  return serveLink(signer, url, call && { type: 'audio/mpeg', bytes: mp3(Math.min(call.bill / 1000, 3)) });
}

const ROUTES = [
  [/^\/agent-api\/user\/([^/]+)\/task\/([^/]+)\/record$/, 'list'],
  [/^\/agent-api\/user\/([^/]+)\/task\/([^/]+)\/detail\/([^/]+)$/, 'detail'],
  [/^\/agent-api\/user\/([^/]+)\/task\/([^/]+)\/record\/([^/]+)\/download-full-voice$/, 'download'],
  [/^\/agent-api\/user\/([^/]+)\/task\/([^/]+)\/batch_record\/download-full-voice$/, 'voice_urls'],
  [/^\/agent-api\/user\/([^/]+)\/task$/, 'tasks'],
  [/^\/agent-api\/user\/([^/]+)\/all_task$/, 'all_tasks'],
  [/^\/agent-api\/token$/, 'token'],
];

serve((req, body, url) => {
  const path = url.pathname;
  if (path.startsWith('/voice/') && req.method === 'GET') return voiceFile(url);
  let m = null, route = null;
  for (const [pattern, name] of ROUTES) if ((m = pattern.exec(path))) { route = name; break; }
  if (!route) return laravel404(`The route ${path.slice(1)} could not be found.`);
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return { status: 405, headers: { Allow: 'GET, HEAD' },
      body: { message: `The ${req.method} method is not supported for this route. Supported methods: GET, HEAD.` } };
  if (req.headers.authorization !== `Bearer ${TOKEN}`)
    return { status: 401, body: { code: 401, status: 'error', message: 'Unauthenticated.' } };
  if (route === 'token')
    return envelope(200, 'token有效', { data: { expire_time: '2026-09-30 00:00:00' } });
  if (m[1] !== USER || (route !== 'all_tasks' && url.searchParams.has('sub_user_id')))
    return envelope(1002, '【user】参数错误,未找到对应云节点', { data: [] });
  if (route === 'tasks' || route === 'all_tasks') return tasks(url, route === 'all_tasks');
  if (!TASKS.includes(m[2])) return envelope(5002, '任务不存在', { data: [] });
  if (route === 'list') return list(url, m[2]);
  if (route === 'detail') return detail(m[2], m[3]);
  if (route === 'download') return download(req, m[2], m[3]);
  return voiceUrls(req, url, m[2]);
});
