// Calls AICCS actions through Alibaba Cloud's V3 client, @alicloud/openapi-client, with the same
// request the generated aiccs 2019-10-15 client builds: RPC style, parameters in the query, a
// JSON answer.
// argv[2]: {"endpoint" (host:port), "accessKeyId", "accessKeySecret", "securityToken"?, "method",
//           "action"? (HotlineSessionQuery by default), "calls": [...]}
// Prints one JSON line per call: {"ok": true, "body": ...} or {"ok": false, "code", "message"}.
'use strict';
const OpenApi = require('@alicloud/openapi-client');
const OpenApiUtil = require('@alicloud/openapi-util').default;
const Util = require('@alicloud/tea-util');

async function main() {
  const spec = JSON.parse(process.argv[2]);
  const client = new OpenApi.default(new OpenApi.Config({
    accessKeyId: spec.accessKeyId,
    accessKeySecret: spec.accessKeySecret,
    securityToken: spec.securityToken,
    endpoint: spec.endpoint,
    protocol: 'HTTP',
  }));
  const params = new OpenApi.Params({
    action: spec.action || 'HotlineSessionQuery',
    version: '2019-10-15',
    protocol: 'HTTP',
    pathname: '/',
    method: spec.method,
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  });
  // One attempt: a retried call would only hide what the server said.
  const runtime = new Util.RuntimeOptions({ autoretry: false, readTimeout: 10000, connectTimeout: 5000 });
  for (const query of spec.calls) {
    try {
      const request = new OpenApi.OpenApiRequest({ query: OpenApiUtil.query(query) });
      const resp = await client.callApi(params, request, runtime);
      console.log(JSON.stringify({ ok: true, status: resp.statusCode, body: resp.body }));
    } catch (e) {
      console.log(JSON.stringify({ ok: false, code: e.code, message: e.message }));
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
