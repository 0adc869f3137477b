// Runs axe's colour-contrast checks on XHTML files in headless Chromium, as a reading system shows
// them in its light theme and in its night theme (a user stylesheet that makes the page white on
// black, as e-readers and phone apps do), and prints the violations as JSON.
//
// Usage: node contrast.js FILE...   (with PUPPETEER_EXECUTABLE_PATH naming Chromium)
// Puppeteer and axe are those DAISY Ace installs, found under `npm root -g`.

const path = require("path");
const { execSync } = require("child_process");

const root = path.join(execSync("npm root -g").toString().trim(), "@daisy", "ace", "node_modules");
const puppeteer = require(path.join(root, "puppeteer"));
const axePath = path.join(root, "@daisy", "axe-core-for-ace", "axe.min.js");

const THEMES = {
  light: "",
  dark: "html, body { background: #000 !important; color: #fff !important; }",
};

(async () => {
  const browser = await puppeteer.launch({
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  // Each file is loaded once and axe injected once: the light theme is checked as loaded, then the
  // night theme's stylesheet is added and the page checked again. A few pages work side by side.
  const files = process.argv.slice(2);
  const results = new Array(files.length);
  let next = 0;
  const worker = async () => {
    const page = await browser.newPage();
    await page.setViewport({ width: 600, height: 800 });
    while (next < files.length) {
      const index = next++;
      const file = files[index];
      await page.goto("file://" + path.resolve(file), { waitUntil: "load" });
      await page.addScriptTag({ path: axePath });
      const found = [];
      for (const [theme, css] of Object.entries(THEMES)) {
        if (css) await page.addStyleTag({ content: css });
        const violations = await page.evaluate(async () => {
          const result = await window.axe.run(document, {
            runOnly: { type: "rule", values: ["color-contrast", "link-in-text-block"] },
          });
          return result.violations.map((v) => ({
            rule: v.id,
            impact: v.impact,
            nodes: v.nodes.map((n) => n.html.slice(0, 200)),
          }));
        });
        // An empty page checks nothing: count the elements axe looked at.
        const checked = await page.evaluate(() => document.querySelectorAll("body *").length);
        found.push({ file, theme, checked, violations });
      }
      results[index] = found;
    }
    await page.close();
  };
  try {
    await Promise.all([worker(), worker(), worker()]);
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(results.flat()));
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
