// Evaluates ValidatingAdmissionPolicies the way the API server's admission plugin does, for the chart tests:
// variables in order (each may use the earlier ones), then every validation; a request is admitted when every
// validation is true, and denied when one is false or fails (failurePolicy Fail). CEL by @marcbachmann/cel-js.
// stdin: {"policies": [{"variables": [{name, expression}], "validations": [expression]}], "requests": [{name, object, oldObject, request}]}
// stdout: {"<request name>": "admitted" | "denied: <why>"}
import {evaluate} from '@marcbachmann/cel-js'

const input = JSON.parse(await new Promise(resolve => {
  let text = ''
  process.stdin.on('data', chunk => (text += chunk)).on('end', () => resolve(text))
}))
const results = {}
for (const req of input.requests) {
  let verdict = 'admitted'
  for (const policy of req.policies.map(i => input.policies[i])) {
    const context = {object: req.object ?? null, oldObject: req.oldObject ?? null, request: req.request, variables: {}}
    try {
      for (const v of policy.variables ?? []) context.variables[v.name] = evaluate(v.expression, context)
      for (const expression of policy.validations) {
        if (evaluate(expression, context) !== true) { verdict = `denied: ${expression}`; break }
      }
    } catch (error) {
      verdict = `denied (error): ${error.message.split('\n')[0]}`
    }
    if (verdict !== 'admitted') break
  }
  results[req.name] = verdict
}
process.stdout.write(JSON.stringify(results))
