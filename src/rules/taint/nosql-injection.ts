import { defineTaintRule } from './define.js';

export default defineTaintRule({
  meta: {
    id: 'py/nosql-injection',
    name: 'NoSQL query built from untrusted data',
    cwes: [943],
    severity: 'high',
    securitySeverity: 8.1,
    precision: 'medium',
    docs: {
      summary: 'Untrusted data shapes a MongoDB query filter.',
      what: 'Follows untrusted data into filter documents passed to pymongo `find`, `find_one`, `update_*`, `delete_*` and `aggregate`.',
      why: 'Operators such as `$where`, `$ne` or `$regex` supplied by the client change what the query matches, or run JavaScript on the server.',
      example: 'db.users.find({"$where": "this.name == \'" + request.args["name"] + "\'"})',
      fix: 'db.users.find({"name": str(request.args["name"])})',
    },
  },
  sinkKinds: ['nosql'],
  confidence: 'medium',
  effect: 'uses it in a database query filter',
  fix: () => 'Build the filter from constant operators and pass the value only as a string field value (`{"name": str(value)}`); never parse client JSON into a filter or use `$where`.',
});
