/**
 * A scripted conversation for visitors without a real model: what the page shows for tool calls and
 * token probabilities, played into the transcript. It is labelled as scripted; the tool results
 * come from the demo's real tools; no model runs and nothing goes into the chat history.
 */
import type { TokenLogprob } from "../index.js";
import { runTool } from "./tools.js";
import type { Transcript } from "./transcript.js";

const enc = new TextEncoder();

/** A token with its probability and alternatives; `bytes` when it holds only part of a character. */
function tok(token: string, p: number, alts: [string, number][] = [], bytes?: number[]): TokenLogprob {
  const entry = (t: string, q: number, b = [...enc.encode(t)]) => ({ token: t, logprob: Math.log(q), bytes: b });
  const self = entry(token, p, bytes);
  return { ...self, top_logprobs: [self, ...alts.map(([t, q]) => entry(t, q))] };
}

const QUESTION = "How far is a 10 km run in miles, and what is 12 × 7?";

const CALLS = [
  { name: "convert_units", arguments: JSON.stringify({ value: 10, from: "km", to: "mi" }) },
  { name: "calculator", arguments: JSON.stringify({ expression: "12*7" }) },
];

/** The final answer, token by token; " ≈" is split inside its character, as byte-level tokenizers do. */
function answerTokens(miles: string, product: string): TokenLogprob[] {
  return [
    tok("A", 0.91, [
      ["Ten", 0.05],
      ["The", 0.03],
    ]),
    tok(" 10", 0.97, [[" ten", 0.02]]),
    tok(" km", 0.95, [[" kilometre", 0.03]]),
    tok(" run", 0.88, [
      [" race", 0.07],
      [" distance", 0.03],
    ]),
    tok(" is", 0.93, [[" equals", 0.04]]),
    // "≈" is E2 89 88 in UTF-8: the first token ends inside it, the second completes it.
    tok(
      " â‰",
      0.41,
      [
        [" about", 0.38],
        [" roughly", 0.12],
      ],
      [0x20, 0xe2, 0x89],
    ),
    tok("ˆ", 0.99, [], [0x88]),
    tok(` ${miles}`, 0.86, [
      [" 6.2", 0.09],
      [" 6", 0.03],
    ]),
    tok(" miles", 0.98, [[" mi", 0.01]]),
    tok(",", 0.62, [
      [".", 0.3],
      [";", 0.05],
    ]),
    tok(" and", 0.9, [[" while", 0.05]]),
    tok(" 12", 0.96, [[" twelve", 0.02]]),
    tok(" ×", 0.8, [
      [" times", 0.15],
      [" *", 0.04],
    ]),
    tok(" 7", 0.99, []),
    tok(" is", 0.85, [[" =", 0.12]]),
    tok(` ${product}`, 0.97, [
      [" 82", 0.01],
      [" 74", 0.01],
    ]),
    tok(".", 0.94, [["!", 0.04]]),
  ];
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });

/** Play the conversation; `signal` stops it (the transcript keeps what was shown). */
export async function playDemo(transcript: Transcript, signal: AbortSignal, stepMs = 35): Promise<void> {
  transcript.notice("Scripted demo: pre-written messages showing tool calls and token probabilities. No model ran.");
  transcript.user(QUESTION);
  await sleep(stepMs * 6, signal);
  const calling = transcript.answer("Assistant (scripted)");
  for (const c of CALLS) {
    if (signal.aborted) return;
    calling.append(`→ ${c.name}(${c.arguments})\n`, null);
    await sleep(stepMs * 4, signal);
  }
  calling.stats("finish: tool_calls · scripted");
  const results = CALLS.map((c) => runTool(c.name, c.arguments));
  CALLS.forEach((c, i) => transcript.tool(`${c.name}(${c.arguments}) → ${results[i]}`));
  const miles = Number.parseFloat(results[0]!).toFixed(2);
  const answer = transcript.answer("Assistant (scripted)");
  for (const t of answerTokens(miles, results[1]!)) {
    if (signal.aborted) return;
    answer.append(t.token, [t]);
    await sleep(stepMs, signal);
  }
  answer.stats("finish: stop · scripted · hover or focus a token to see its alternatives");
  const code = transcript.answer("Assistant (scripted)");
  code.append(
    "Answers are rendered as **markdown**, safely: text only, no raw HTML. The same numbers in code:\n\n" +
      "```js\nconst miles = 10 / 1.609344; // " +
      miles +
      "\nconst product = 12 * 7; // " +
      results[1] +
      "\n```",
    null,
  );
  code.stats("finish: stop · scripted");
}
