/**
 * The baseline for `registry-read`: a bare HTTP route doing one primary-key query on `persons`
 * (no session, scope, masking or audit) — what the platform's read path is measured against.
 */
import { createServer } from "node:http";
import pg from "pg";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const port = Number(process.env.BARE_PORT ?? 18_099);
createServer(async (req, res) => {
  const id = (req.url ?? "").split("/").pop();
  try {
    const r = await pool.query("select id, name, id_number_masked from persons where id = $1", [id]);
    res.writeHead(r.rows.length ? 200 : 404, { "content-type": "application/json" });
    res.end(JSON.stringify(r.rows[0] ?? null));
  } catch {
    res.writeHead(500);
    res.end();
  }
}).listen(port, "127.0.0.1");
