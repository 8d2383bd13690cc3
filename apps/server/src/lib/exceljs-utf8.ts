import { createRequire } from "node:module";

/**
 * exceljs 4.4's streaming reader decodes every zip chunk to text on its own, so a multi-byte UTF-8
 * character (every Chinese character) that straddles two chunks becomes "��" — about one cell in
 * a thousand in a large roster (exceljs issues #2063, #2316; PRs #1665, #2081 unmerged). This
 * replaces its `parse-sax` helper, before exceljs is first loaded, with one that keeps a streaming
 * TextDecoder per parsed entry. Import `./exceljs.ts` (which imports this first), never "exceljs".
 */
const require = createRequire(import.meta.url);
const path = require.resolve("exceljs/lib/utils/parse-sax.js");
const loaded = require(path) as { __jiuyeUtf8?: boolean };
if (!loaded.__jiuyeUtf8) {
  const { SaxesParser } = require("saxes") as typeof import("saxes");
  async function* parseSax(iterable: AsyncIterable<Buffer | string> & { pipe?: unknown }) {
    const decoder = new TextDecoder("utf-8");
    const parser = new SaxesParser();
    let error: Error | undefined;
    parser.on("error", (e) => {
      error = e;
    });
    let events: Array<{ eventType: string; value: unknown }> = [];
    parser.on("opentag", (value) => events.push({ eventType: "opentag", value }));
    parser.on("text", (value) => events.push({ eventType: "text", value }));
    parser.on("closetag", (value) => events.push({ eventType: "closetag", value }));
    for await (const chunk of iterable) {
      parser.write(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
      if (error) throw error;
      yield events;
      events = [];
    }
    const rest = decoder.decode();
    if (rest) {
      parser.write(rest);
      if (error) throw error;
      yield events;
    }
  }
  (parseSax as unknown as { __jiuyeUtf8: boolean }).__jiuyeUtf8 = true;
  const cached = require.cache[path];
  if (!cached) throw new Error("exceljs parse-sax not in the module cache");
  cached.exports = parseSax;
  if (require.cache[require.resolve("exceljs/lib/stream/xlsx/worksheet-reader.js")])
    throw new Error("exceljs was loaded before its UTF-8 fix: import it from apps/server/src/lib/exceljs.ts");
}
