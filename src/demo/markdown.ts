/**
 * A small markdown subset (paragraphs, headings, lists, fenced code with a copy button, inline code,
 * bold, italics) built as DOM nodes. Text only ever goes in through text nodes, never as HTML, so a
 * message cannot create an element the renderer did not choose (no links, images or raw HTML).
 */

/** Replace `target`'s children with `text` rendered; an unclosed fence (mid-stream) renders as code. */
export function renderMarkdown(target: HTMLElement, text: string): void {
  const out: Node[] = [];
  const lines = text.split("\n");
  let para: string[] = [];
  let list: { ordered: boolean; items: string[] } | null = null;
  const flush = () => {
    if (para.length) out.push(paragraph(para));
    if (list) out.push(listNode(list.ordered, list.items));
    para = [];
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^\s*```\s*([\w+#.-]*)/.exec(line);
    if (fence) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]!); i++) code.push(lines[i]!);
      out.push(codeBlock(code.join("\n"), fence[1] ?? ""));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const item = /^\s*(?:([-*+])|(\d+)[.)])\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      const h = document.createElement(heading[1]!.length <= 2 ? "h3" : "h4");
      inline(h, heading[2]!);
      out.push(h);
    } else if (item) {
      const ordered = !item[1];
      if (para.length || (list && list.ordered !== ordered)) flush();
      list ??= { ordered, items: [] };
      list.items.push(item[3]!);
    } else if (!line.trim()) {
      flush();
    } else {
      if (list) flush();
      para.push(line);
    }
  }
  flush();
  target.replaceChildren(...out);
}

function paragraph(lines: string[]): HTMLElement {
  const p = document.createElement("p");
  lines.forEach((l, i) => {
    if (i) p.append(document.createElement("br"));
    inline(p, l);
  });
  return p;
}

function listNode(ordered: boolean, items: string[]): HTMLElement {
  const l = document.createElement(ordered ? "ol" : "ul");
  for (const t of items) inline(l.appendChild(document.createElement("li")), t);
  return l;
}

function codeBlock(code: string, lang: string): HTMLElement {
  const box = document.createElement("div");
  box.className = "codeblock";
  const pre = box.appendChild(document.createElement("pre"));
  pre.tabIndex = 0; // scrollable: reachable by keyboard
  pre.appendChild(document.createElement("code")).textContent = code;
  if (lang) {
    const tag = box.appendChild(document.createElement("span"));
    tag.className = "lang";
    tag.textContent = lang;
  }
  const copy = box.appendChild(document.createElement("button"));
  copy.type = "button";
  copy.textContent = "Copy code";
  copy.addEventListener("click", () => {
    void navigator.clipboard?.writeText(code).then(
      () => (copy.textContent = "Copied"),
      () => (copy.textContent = "Copy failed"),
    );
  });
  return box;
}

/** `code`, **bold**, *italic* / _italic_; anything else is text. */
function inline(parent: HTMLElement, text: string): void {
  const re = /`([^`]+)`|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|\b_([^_]+)_\b/g;
  let at = 0;
  for (const m of text.matchAll(re)) {
    parent.append(text.slice(at, m.index));
    const [tag, inner] = m[1] !== undefined ? ["code", m[1]] : m[2] !== undefined ? ["strong", m[2]] : ["em", m[3] ?? m[4]!];
    parent.appendChild(document.createElement(tag)).textContent = inner;
    at = m.index + m[0].length;
  }
  parent.append(text.slice(at));
}
