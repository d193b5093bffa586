// `prepare`: build dist/ only when npm installs this repository as a git dependency (it then runs
// prepare in its clone: _PACOTE_NO_PREPARE_ is set while it installs the clone's dependencies,
// npm_package_resolved while it packs it). A plain `npm ci` here skips the build (~1.5 min).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const asGitDependency = process.env._PACOTE_NO_PREPARE_ !== undefined || process.env.npm_package_resolved !== undefined;
if (asGitDependency && !existsSync("dist/index.js")) {
  execFileSync("npm", ["run", "build:lib"], { stdio: "inherit" });
}
