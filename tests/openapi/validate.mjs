// Validates each OpenAPI document named on the command line with swagger-parser (structure, the
// OpenAPI 3.0 schema, every $ref resolved).
import SwaggerParser from '@apidevtools/swagger-parser';

let failed = 0;
for (const file of process.argv.slice(2)) {
  try {
    const api = await SwaggerParser.validate(file);
    console.log(`${file}: valid OpenAPI ${api.openapi}, ${Object.keys(api.paths).length} paths`);
  } catch (err) {
    console.error(`${file}: ${err.message}`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
