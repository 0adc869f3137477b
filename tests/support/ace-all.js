// Runs DAISY Ace on several EPUBs in one Node process with one browser, and writes each EPUB's
// reports into OUTDIR/<its position in the list>/ as `ace` does (report.json among them).
//
// Usage: node ace-all.js OUTDIR EPUB...   (with PUPPETEER_EXECUTABLE_PATH naming Chromium)
// Ace's own modules are used, found under `npm root -g`, with the same checks and options as
// `ace-puppeteer --silent --force --outdir`. What this saves is the start of Node, of Ace and of a
// browser for each EPUB; Ace itself launches and closes its browser around every EPUB, so the runner
// given to it launches once and closes at the end.

const path = require("path");
const { execSync } = require("child_process");

const root = path.join(execSync("npm root -g").toString().trim(), "@daisy", "ace", "node_modules");
const ace = require(path.join(root, "@daisy", "ace-core"));
const runner = require(path.join(root, "@daisy", "ace-axe-runner-puppeteer"));
const logger = require(path.join(root, "@daisy", "ace-logger"));

(async () => {
  logger.initLogger({ verbose: false, silent: true });
  const [outdir, ...epubs] = process.argv.slice(2);
  await runner.launch();
  const shared = Object.assign({}, runner, { launch: async () => {}, close: async () => {} });
  try {
    for (const [n, epub] of epubs.entries()) {
      const options = { cwd: process.cwd(), outdir: path.join(outdir, String(n)), silent: true, jobId: "" };
      await ace(epub, options, shared);
    }
  } finally {
    await runner.close();
  }
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
