/** The demo's built-in toolset: OpenAI tool definitions and the functions that run them in the page. */
import type { Tool } from "../index.js";

type Args = Record<string, unknown>;

export const DEMO_TOOLS: Tool[] = [
  fn(
    "calculator",
    "Evaluate an arithmetic expression with + - * / and parentheses",
    { expression: { type: "string", maxLength: 40 } },
    ["expression"],
  ),
  fn(
    "convert_units",
    "Convert a length or temperature",
    {
      value: { type: "number" },
      from: { enum: ["km", "mi", "m", "ft", "C", "F"] },
      to: { enum: ["km", "mi", "m", "ft", "C", "F"] },
    },
    ["value", "from", "to"],
  ),
  fn(
    "current_time",
    "The current date and time in a time zone",
    { timezone: { enum: ["UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo"] } },
    ["timezone"],
  ),
  fn("lookup", "Look up a fact about a planet", { planet: { enum: ["Mercury", "Venus", "Earth", "Mars", "Jupiter"] } }, [
    "planet",
  ]),
];

function fn(name: string, description: string, properties: Record<string, unknown>, required: string[]): Tool {
  return {
    type: "function",
    function: { name, description, parameters: { type: "object", properties, required, additionalProperties: false } },
  };
}

const PLANETS: Record<string, string> = {
  Mercury: "closest to the Sun; a year is 88 days",
  Venus: "hottest planet, about 465 °C at the surface",
  Earth: "the only known planet with life",
  Mars: "two moons, Phobos and Deimos",
  Jupiter: "largest planet; 95 known moons",
};

const TO_METERS: Record<string, number> = { km: 1000, mi: 1609.344, m: 1, ft: 0.3048 };

/** Run a call; bad arguments come back as an error string for the model, never thrown. */
export function runTool(name: string, argsJson: string): string {
  let args: Args;
  try {
    args = JSON.parse(argsJson) as Args;
  } catch {
    return `error: arguments are not JSON: ${argsJson}`;
  }
  try {
    switch (name) {
      case "calculator":
        return String(rounded(evaluate(String(args.expression ?? ""))));
      case "convert_units":
        return convert(Number(args.value), String(args.from), String(args.to));
      case "current_time":
        return new Date().toLocaleString("en-GB", { timeZone: String(args.timezone) });
      case "lookup":
        return PLANETS[String(args.planet)] ?? `no entry for ${String(args.planet)}`;
      default:
        return `error: unknown tool ${name}`;
    }
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

function convert(value: number, from: string, to: string): string {
  if (!Number.isFinite(value)) throw new Error("value must be a number");
  if ((from === "C" || from === "F") !== (to === "C" || to === "F")) throw new Error(`cannot convert ${from} to ${to}`);
  if (from === "C" || from === "F") {
    const c = from === "C" ? value : ((value - 32) * 5) / 9;
    return `${rounded(to === "C" ? c : (c * 9) / 5 + 32)} ${to}`;
  }
  return `${rounded((value * TO_METERS[from]!) / TO_METERS[to]!)} ${to}`;
}

/** Six significant digits: what a person reads, and all a small model needs (6.213711922373339 → 6.21371). */
function rounded(v: number): number {
  return Number(v.toPrecision(6));
}

/** + - * / and parentheses over numbers: a recursive-descent parser, never eval. */
function evaluate(text: string): number {
  const tokens = text.match(/\d+(?:\.\d+)?|[-+*/()]|\S/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const expr = (): number => {
    let v = term();
    while (peek() === "+" || peek() === "-") v = tokens[i++] === "+" ? v + term() : v - term();
    return v;
  };
  const term = (): number => {
    let v = factor();
    while (peek() === "*" || peek() === "/") v = tokens[i++] === "*" ? v * factor() : v / factor();
    return v;
  };
  const factor = (): number => {
    const t = tokens[i++];
    if (t === "-") return -factor();
    if (t === "(") {
      const v = expr();
      if (tokens[i++] !== ")") throw new Error("missing )");
      return v;
    }
    if (t === undefined || !/^\d/.test(t)) throw new Error(`unexpected ${t ?? "end"}`);
    return Number(t);
  };
  const v = expr();
  if (i < tokens.length) throw new Error(`unexpected ${tokens[i]}`);
  return v;
}
