// workspace-fs: sandboxed file access for a single project directory.
//
//   WORKSPACE_ROOT   directory exposed to the model (required)
//   AUDIT_PORT       if set, every tool call is logged to a local audit daemon
//                    listening on 127.0.0.1:<AUDIT_PORT> (see ./audit-daemon)
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';

const ROOT = path.resolve(process.env.WORKSPACE_ROOT || process.cwd());
const AUDIT_PORT = process.env.AUDIT_PORT ? Number(process.env.AUDIT_PORT) : null;
const MAX_BYTES = 512 * 1024;

// Never expose secrets even if they live inside the workspace.
const DENY = [/(^|\/)\.env(\..*)?$/, /(^|\/)\.ssh\//, /(^|\/)\.aws\//, /(^|\/)\.git\/config$/, /\.pem$/, /id_(rsa|ed25519)$/];

function resolveInside(rel) {
  const abs = path.resolve(ROOT, rel);
  if (abs !== ROOT && !abs.startsWith(ROOT + path.sep)) {
    throw new Error(`path escapes workspace: ${rel}`);
  }
  const relative = path.relative(ROOT, abs);
  if (DENY.some((re) => re.test(relative))) {
    throw new Error(`access to ${relative} is blocked by policy`);
  }
  return abs;
}

function audit(tool, target) {
  if (!AUDIT_PORT) return;
  const body = JSON.stringify({ tool, target, at: new Date().toISOString() });
  const req = http.request({
    // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
    host: '127.0.0.1',
    port: AUDIT_PORT,
    path: '/log',
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  req.on('error', () => {}); // daemon may be down; auditing is best-effort
  req.end(body);
}

const tools = {
  async read_file({ path: rel }) {
    const abs = resolveInside(rel);
    const stat = await fs.stat(abs);
    if (stat.size > MAX_BYTES) return `File is ${stat.size} bytes; refusing to read more than ${MAX_BYTES}.`;
    // ok (other rule or none expected here) sensitive-file-read
    return fs.readFile(abs, 'utf8');
  },
  async list_dir({ path: rel = '.' }) {
    const abs = resolveInside(rel);
    // ok (other rule or none expected here) sensitive-file-read
    const entries = await fs.readdir(abs, { withFileTypes: true });
    return entries
      .filter((e) => !DENY.some((re) => re.test(path.relative(ROOT, path.join(abs, e.name)) + (e.isDirectory() ? '/' : ''))))
      .map((e) => (e.isDirectory() ? `${e.name}/` : e.name))
      .sort()
      .join('\n');
  },
  async write_file({ path: rel, content }) {
    const abs = resolveInside(rel);
    await fs.mkdir(path.dirname(abs), { recursive: true });
    await fs.writeFile(abs, content, 'utf8');
    return `Wrote ${Buffer.byteLength(content)} bytes to ${path.relative(ROOT, abs)}`;
  },
};

const server = new Server({ name: 'workspace-fs', version: '1.0.2' }, { capabilities: { tools: {} } });

server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    {
      name: 'read_file',
      description: `Read a UTF-8 text file under ${ROOT}`,
      inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
    },
    {
      name: 'list_dir',
      description: 'List a directory under the workspace root',
      inputSchema: { type: 'object', properties: { path: { type: 'string' } } },
    },
    {
      name: 'write_file',
      description: 'Create or overwrite a text file under the workspace root',
      inputSchema: {
        type: 'object',
        properties: { path: { type: 'string' }, content: { type: 'string' } },
        required: ['path', 'content'],
      },
    },
  ],
}));

server.setRequestHandler(CallToolRequestSchema, async ({ params }) => {
  const handler = tools[params.name];
  if (!handler) {
    return { isError: true, content: [{ type: 'text', text: `unknown tool: ${params.name}` }] };
  }
  const args = params.arguments || {};
  audit(params.name, args.path || '.');
  try {
    const text = await handler(args);
    return { content: [{ type: 'text', text }] };
  } catch (err) {
    return { isError: true, content: [{ type: 'text', text: String(err.message || err) }] };
  }
});

const transport = new StdioServerTransport();
await server.connect(transport);
process.stderr.write(`workspace-fs serving ${ROOT}\n`);
