// Sums vitest and Playwright JSON reports (browser tests, consumer apps) and failed build steps
// into "N passed, N failed". Usage: summary.mjs UNIT.json BROWSER.json STEPS_FAILED [MORE_PLAYWRIGHT.json...]
import { existsSync, readFileSync } from "node:fs";

const [unitFile, browserFile, stepsFailed, ...moreBrowserFiles] = process.argv.slice(2);
let passed = 0;
let failed = Number(stepsFailed) || 0;

if (existsSync(unitFile)) {
  const unit = JSON.parse(readFileSync(unitFile, "utf8"));
  passed += unit.numPassedTests;
  failed += unit.numFailedTests;
} else failed += 1;

for (const file of [browserFile, ...moreBrowserFiles]) {
  if (existsSync(file)) {
    const s = JSON.parse(readFileSync(file, "utf8")).stats;
    passed += s.expected + s.flaky;
    failed += s.unexpected;
  } else failed += 1;
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
