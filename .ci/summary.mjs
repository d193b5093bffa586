// Sums vitest and Playwright JSON reports and failed build steps into "N passed, N failed".
import { existsSync, readFileSync } from "node:fs";

const [unitFile, browserFile, stepsFailed] = process.argv.slice(2);
let passed = 0;
let failed = Number(stepsFailed) || 0;

if (existsSync(unitFile)) {
  const unit = JSON.parse(readFileSync(unitFile, "utf8"));
  passed += unit.numPassedTests;
  failed += unit.numFailedTests;
} else failed += 1;

if (existsSync(browserFile)) {
  const s = JSON.parse(readFileSync(browserFile, "utf8")).stats;
  passed += s.expected + s.flaky;
  failed += s.unexpected;
} else failed += 1;

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
