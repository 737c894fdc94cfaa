// Calls AICCS actions through Alibaba Cloud's V2 RPC client, @alicloud/pop-core.
// argv[2]: {"endpoint", "accessKeyId", "accessKeySecret", "securityToken"?, "method",
//           "action"? (HotlineSessionQuery by default), "calls": [params, ...]}
// Prints one JSON line per call: {"ok": true, "body": ...} or {"ok": false, "code", "message"}.
'use strict';
const RPCClient = require('@alicloud/pop-core');

async function main() {
  const spec = JSON.parse(process.argv[2]);
  const client = new RPCClient({
    accessKeyId: spec.accessKeyId,
    accessKeySecret: spec.accessKeySecret,
    securityToken: spec.securityToken,
    endpoint: spec.endpoint,
    apiVersion: '2019-10-15',
  });
  for (const params of spec.calls) {
    try {
      // Arrays are flattened by the SDK itself: AcidList: ['a'] -> AcidList.1=a.
      const body = await client.request(spec.action || 'HotlineSessionQuery', params,
        { method: spec.method, timeout: 10000 });
      console.log(JSON.stringify({ ok: true, body }));
    } catch (e) {
      console.log(JSON.stringify({ ok: false, code: e.code || e.name, message: e.message }));
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
