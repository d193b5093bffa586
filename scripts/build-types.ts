/**
 * Public declarations: one self-contained .d.ts per entry. tsc emits declarations; types inferred
 * from zod schemas (`z.infer<typeof s>`) are written out as the plain object types they stand for,
 * so the output needs neither zod nor any other package's declarations; rollup-plugin-dts then
 * keeps only what each entry exports. A leftover import of a package fails the build.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { rollup } from "rollup";
import { dts } from "rollup-plugin-dts";
import ts from "typescript";

const ZOD_ALIAS = /^z\.(infer|input|output)<typeof \w+>$/;

/** `entries`: name -> source file, e.g. { index: "src/index.ts" }; writes `<outDir>/<name>.d.ts`. */
export async function buildTypes(root: string, entries: Record<string, string>, outDir: string): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), "wce-dts-"));
  try {
    const options: ts.CompilerOptions = {
      ...baseOptions(root),
      noEmit: false,
      declaration: true,
      emitDeclarationOnly: true,
      outDir: tmp,
      rootDir: join(root, "src"),
      // some internals type WebGPU, and vite/client types asset imports (`?url`); the output is checked not to mention them
      types: ["@webgpu/types", "vite/client"],
    };
    const program = ts.createProgram(
      Object.values(entries).map((f) => join(root, f)),
      options,
    );
    const checker = program.getTypeChecker();
    const expanded = expandedAliases(program, checker);
    const emit = program.emit(undefined, (file, text) => ts.sys.writeFile(file, rewrite(file, text, expanded, tmp)));
    const errors = ts.getPreEmitDiagnostics(program).concat(emit.diagnostics);
    if (errors.length) throw new Error(ts.formatDiagnosticsWithColorAndContext(errors, ts.createCompilerHost(options)));
    for (const [name, file] of Object.entries(entries)) {
      const input = join(tmp, relative(join(root, "src"), join(root, file))).replace(/\.ts$/, ".d.ts");
      // The schema modules still import zod; only their written-out types are kept, and any import
      // that survives is refused below.
      const bundle = await rollup({ input, plugins: [dts()], onwarn: (w, warn) => w.code !== "UNRESOLVED_IMPORT" && warn(w) });
      const { output } = await bundle.write({ file: join(outDir, `${name}.d.ts`), format: "es" });
      for (const chunk of output) {
        if (chunk.type === "chunk" && chunk.imports.length) throw new Error(`${name}.d.ts imports ${chunk.imports.join(", ")}`);
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function baseOptions(root: string): ts.CompilerOptions {
  const file = join(root, "tsconfig.json");
  const { config } = ts.readConfigFile(file, (p) => readFileSync(p, "utf8"));
  return ts.parseJsonConfigFileContent(config, ts.sys, root).options;
}

/** Declaration file (relative to src, .d.ts) -> alias name -> the alias's type written out. */
function expandedAliases(program: ts.Program, checker: ts.TypeChecker): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile) continue;
    for (const st of sf.statements) {
      if (!ts.isTypeAliasDeclaration(st) || !ZOD_ALIAS.test(st.type.getText(sf))) continue;
      const type = checker.getTypeAtLocation(st.name);
      const text = checker.typeToString(
        type,
        undefined,
        ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias | ts.TypeFormatFlags.MultilineObjectLiterals,
      );
      if (/\bz\.|\$strip|Zod/.test(text)) throw new Error(`${st.name.text}: cannot write out ${text.slice(0, 200)}`);
      const key = sf.fileName.replace(/\.ts$/, ".d.ts");
      if (!out.has(key)) out.set(key, new Map());
      out.get(key)!.set(st.name.text, text);
    }
  }
  return out;
}

function rewrite(file: string, text: string, expanded: Map<string, Map<string, string>>, tmp: string): string {
  for (const [src, aliases] of expanded) {
    if (!src.endsWith("/" + relative(tmp, file))) continue;
    for (const [name, type] of aliases) {
      text = text.replace(
        new RegExp(`export type ${name} = z\\.(infer|input|output)<typeof \\w+>;`),
        `export type ${name} = ${type};`,
      );
    }
  }
  return text;
}
