import {
  Grammar,
  GrammarCompiler,
  GrammarMatcher,
  StructuralTagItem,
  TokenizerInfo,
  type CompiledGrammar,
} from "@mlc-ai/web-xgrammar";
import { ApiError } from "../../protocol/index.js";
import type { LoadedModel } from "../model.js";
import { applyBitmask } from "./bitmask.js";
import type { ConstraintProvider, GrammarRequest, TokenConstraint } from "./constraint.js";
import { capJsonWhitespace, grammarRecipe, startRule, strictJsonStrings, type GrammarRecipe } from "./recipe.js";

/**
 * Compiled grammars kept per model (a compile takes 0.1-10 s; a mask, a fraction of a ms), at most
 * this many and at most twice limits.maxGrammarSize in total size: xgrammar's wasm heap holds them
 * all, and it aborted once three large ones were cached.
 */
const CACHE_SIZE = 32;

interface Compiled {
  grammar: CompiledGrammar;
  size: number;
}

interface ModelGrammars {
  compiler: GrammarCompiler;
  info: TokenizerInfo;
  cache: Map<string, Promise<Compiled>>;
  sizes: Map<string, number>;
}

/** Structured outputs through @mlc-ai/web-xgrammar, the grammar engine web-llm itself uses. */
export class XGrammarProvider implements ConstraintProvider {
  private readonly models = new Map<LoadedModel, Promise<ModelGrammars>>();

  async prepare(model: LoadedModel, g: GrammarRequest): Promise<() => Promise<TokenConstraint>> {
    const recipe = grammarRecipe(g);
    const mg = await this.forModel(model);
    const key = JSON.stringify(recipe);
    let compiled = mg.cache.get(key);
    if (compiled) {
      mg.cache.delete(key); // most recently used goes last
    } else {
      compiled = compile(mg.compiler, recipe, g.maxSize);
      compiled.catch(() => mg.cache.delete(key));
    }
    mg.cache.set(key, compiled);
    let grammar: CompiledGrammar;
    try {
      const c = await compiled;
      grammar = c.grammar;
      mg.sizes.set(key, c.size);
      evict(mg, key, 2 * g.maxSize);
    } catch (e) {
      if (e instanceof TooComplex) {
        throw ApiError.invalid(
          g.param,
          `The ${what(g)} expands to a grammar of size ${e.size} (rules plus wide character classes; bounds such as maxLength, maxItems or {m,n} add one or two per step), over limits.maxGrammarSize = ${g.maxSize}: compiling it would hold the engine for many seconds. Lower those bounds, or raise the limit.`,
          "grammar_too_complex",
        );
      }
      if (e instanceof WebAssembly.RuntimeError) {
        // xgrammar aborts on a grammar syntax error and when its heap runs out; the module stays usable,
        // so free the cached grammars in case it was memory.
        evict(mg, key, 0);
        throw ApiError.invalid(
          g.param,
          `The ${what(g)} does not compile: xgrammar aborted (${reason(e)}): a syntax error it does not describe, or out of memory; cached grammars were freed.`,
          "invalid_grammar",
        );
      }
      throw ApiError.invalid(g.param, `The ${what(g)} does not compile: ${reason(e)}`, "invalid_grammar");
    }
    const vocabSize = model.runner.vocabSize;
    return async () => new XGrammarConstraint(await GrammarMatcher.createGrammarMatcher(grammar), vocabSize);
  }

  forget(model: LoadedModel): void {
    const mg = this.models.get(model);
    this.models.delete(model);
    void mg?.then(
      (m) => {
        for (const c of m.cache.values())
          void c.then(
            (x) => x.grammar.dispose(),
            () => {},
          );
        m.compiler.dispose();
        m.info.dispose();
      },
      () => {},
    );
  }

  /** xgrammar's view of the vocabulary, built once per model (~0.3 s for 151,936 tokens). */
  private forModel(model: LoadedModel): Promise<ModelGrammars> {
    let mg = this.models.get(model);
    if (!mg) {
      mg = (async () => {
        const tok = model.tokenizer;
        const vocab = Array.from({ length: model.runner.vocabSize }, (_, i) => tok.idToToken(i));
        const info = await TokenizerInfo.createTokenizerInfo(vocab, tok.encoding, false, vocab.length, model.eosIds);
        return { info, compiler: await GrammarCompiler.createGrammarCompiler(info), cache: new Map(), sizes: new Map() };
      })();
      mg.catch(() => this.models.delete(model));
      this.models.set(model, mg);
    }
    return mg;
  }
}

class TooComplex extends Error {
  constructor(readonly size: number) {
    super(`grammar size ${size}`);
  }
}

/**
 * Compile time grows with every rule of the expanded grammar and with every position holding a wide
 * character class (negated like `[^"\\]`, or up to U+10FFFF like regex `.`: it admits most of the
 * vocabulary, so each one costs a pass over it). xgrammar 0.1.27 spells out bounded repeats
 * (maxLength 50 is 50 such rules) and compiles in one blocking wasm call that cannot be cancelled,
 * so the size is measured first and a grammar over `maxSize` is refused.
 */
function grammarSize(printed: string): number {
  return (printed.match(/^\w+ ::=/gm)?.length ?? 0) + (printed.match(/\[\^|-\\U0010ffff\]/gi)?.length ?? 0);
}

/**
 * Drop the least recently used grammars until the cache is within count and total size; never `keep`
 * nor one still compiling (another request awaits it). A matcher in use keeps its own grammar alive.
 */
function evict(mg: ModelGrammars, keep: string, budget: number): void {
  let total = [...mg.sizes.values()].reduce((a, b) => a + b, 0);
  for (const [key, entry] of mg.cache) {
    if (mg.cache.size <= CACHE_SIZE && total <= budget) return;
    if (key === keep || !mg.sizes.has(key)) continue;
    mg.cache.delete(key);
    total -= mg.sizes.get(key) ?? 0;
    mg.sizes.delete(key);
    void entry.then(
      (c) => c.grammar.dispose(),
      () => {},
    );
  }
}

async function compile(compiler: GrammarCompiler, r: GrammarRecipe, maxSize: number): Promise<Compiled> {
  const grammar = r.kind === "ebnf" ? await Grammar.fromEBNF(r.ebnf) : await jsonGrammar(r);
  try {
    const printed = grammar.toString();
    const size = grammarSize(printed);
    if (size > maxSize) throw new TooComplex(size);
    if (r.kind === "ebnf") return { grammar: await compiler.compileGrammar(grammar), size }; // parsed once, above
    const ebnf = capJsonWhitespace(strictJsonStrings(printed));
    return { grammar: await compiler.compileGrammar(ebnf, startRule(ebnf)), size };
  } finally {
    grammar.dispose();
  }
}

function jsonGrammar(r: Exclude<GrammarRecipe, { kind: "ebnf" }>): Promise<Grammar> {
  switch (r.kind) {
    case "json_schema":
      return Grammar.fromJSONSchema(r.schema, r.anyWhitespace, r.indent, r.separators, true);
    case "structural_tag":
      return Grammar.fromStructuralTag(r.tag);
    case "legacy_structural_tag":
      return Grammar.fromStructuralTag(
        r.items.map((i) => new StructuralTagItem(i.begin, i.schema, i.end)),
        r.triggers,
      );
  }
}

class XGrammarConstraint implements TokenConstraint {
  constructor(
    private readonly matcher: GrammarMatcher,
    private readonly vocabSize: number,
  ) {}

  get terminated(): boolean {
    return this.matcher.isTerminated();
  }

  async mask(logits: Float32Array): Promise<void> {
    applyBitmask(logits.subarray(0, this.vocabSize), await this.matcher.getNextTokenBitmask());
  }

  tryAccept(token: number): boolean {
    return this.matcher.acceptToken(token);
  }

  accept(token: number): void {
    // The mask allowed only acceptable tokens, so a refusal means the engine broke its own rule.
    if (!this.matcher.acceptToken(token)) throw new Error(`grammar matcher refused token ${token} that its own mask allowed`);
  }

  dispose(): void {
    this.matcher.dispose();
  }
}

function what(g: GrammarRequest): string {
  const kinds = {
    json_schema: "JSON schema",
    json_object: "JSON object grammar",
    regex: "regex",
    choice: "choice list",
    grammar: "grammar",
    structural_tag: "structural tag",
    legacy_structural_tag: "structural tag",
  };
  return kinds[g.constraint.kind];
}

/** xgrammar throws Error objects, strings, or (from wasm) bare numbers. */
function reason(e: unknown): string {
  if (e instanceof Error) return e.message;
  return typeof e === "string" ? e : `xgrammar error ${String(e)}`;
}
