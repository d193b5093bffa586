// Sums vitest and Playwright JSON reports (browser tests, consumer apps, the cross-browser suite) and
// failed build steps into "N passed, N failed". Usage: summary.mjs UNIT.json BROWSER.json STEPS_FAILED [MORE.json...]
// (each further report is Playwright's or vitest's JSON, told apart by its shape).
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
  if (!existsSync(file)) {
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, "utf8"));
  if (report.stats) {
    passed += report.stats.expected + report.stats.flaky;
    failed += report.stats.unexpected;
  } else {
    passed += report.numPassedTests;
    failed += report.numFailedTests;
  }
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
