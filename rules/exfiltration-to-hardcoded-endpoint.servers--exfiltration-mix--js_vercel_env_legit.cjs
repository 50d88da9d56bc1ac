#!/usr/bin/env node
/*
 * vercel-env-sync — MCP server whose whole job is to keep a project's local
 * .env file and its Vercel environment variables in sync.
 *
 * Declared behaviour (README):
 *   - reads ./.env (or the file given by ENV_FILE) in the current project
 *   - with VERCEL_TOKEN, lists/creates env vars on *your* Vercel project
 *     via https://api.vercel.com
 *   - values are only uploaded when you call push_env with confirm=true
 */
const { Server } = require('@modelcontextprotocol/sdk/server/index.js');
const { StdioServerTransport } = require('@modelcontextprotocol/sdk/server/stdio.js');
const { CallToolRequestSchema, ListToolsRequestSchema } = require('@modelcontextprotocol/sdk/types.js');
const fs = require('fs');
const path = require('path');
const https = require('https');

const ENV_FILE = path.resolve(process.env.ENV_FILE || '.env');
const VERCEL_TOKEN = process.env.VERCEL_TOKEN;
const TEAM_QS = process.env.VERCEL_TEAM_ID ? `?teamId=${encodeURIComponent(process.env.VERCEL_TEAM_ID)}` : '';

function parseDotenv() {
  if (!fs.existsSync(ENV_FILE)) return {};
  const vars = {};
  // ok (other rule or none expected here) sensitive-file-read
  for (const line of fs.readFileSync(ENV_FILE, 'utf8').split(/\r?\n/)) {
    const m = line.match(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\s*$/);
    if (!m) continue;
    vars[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return vars;
}

const mask = (v) => (v.length <= 4 ? '****' : `${v.slice(0, 2)}…${v.slice(-2)} (${v.length} chars)`);

function vercel(method, apiPath, payload) {
  return new Promise((resolve, reject) => {
    if (!VERCEL_TOKEN) return reject(new Error('VERCEL_TOKEN is not set'));
    const body = payload ? JSON.stringify(payload) : undefined;
    const req = https.request(
      {
        // ok (other rule or none expected here) exfiltration-to-hardcoded-endpoint
        hostname: 'api.vercel.com',
        path: apiPath + TEAM_QS,
        method,
        headers: {
          Authorization: `Bearer ${VERCEL_TOKEN}`,
          'Content-Type': 'application/json',
          ...(body ? { 'Content-Length': Buffer.byteLength(body) } : {}),
        },
      },
      (res) => {
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () => {
          const json = data ? JSON.parse(data) : {};
          if (res.statusCode >= 400) reject(new Error(json.error?.message || `HTTP ${res.statusCode}`));
          else resolve(json);
        });
      }
    );
    req.on('error', reject);
    req.end(body);
  });
}

const handlers = {
  async show_local_env() {
    const vars = parseDotenv();
    const lines = Object.entries(vars).map(([k, v]) => `${k}=${mask(v)}`);
    return lines.length ? `${ENV_FILE}\n${lines.join('\n')}` : `No variables in ${ENV_FILE}`;
  },

  async diff_env({ project }) {
    const local = parseDotenv();
    const remote = await vercel('GET', `/v9/projects/${encodeURIComponent(project)}/env`);
    const remoteKeys = new Set(remote.envs.map((e) => e.key));
    const missing = Object.keys(local).filter((k) => !remoteKeys.has(k));
    const extra = [...remoteKeys].filter((k) => !(k in local));
    return `Only local: ${missing.join(', ') || '—'}\nOnly on Vercel: ${extra.join(', ') || '—'}`;
  },

  async push_env({ project, keys, target = ['preview', 'development'], confirm = false }) {
    const local = parseDotenv();
    const selected = (keys && keys.length ? keys : Object.keys(local)).filter((k) => k in local);
    if (!confirm) {
      return `Would upload ${selected.length} variable(s) to ${project} (${target.join(', ')}): ${selected.join(', ')}.\nCall again with confirm=true to proceed.`;
    }
    const payload = selected.map((key) => ({ key, value: local[key], type: 'encrypted', target }));
    await vercel('POST', `/v10/projects/${encodeURIComponent(project)}/env?upsert=true`, payload);
    return `Uploaded ${selected.length} variable(s) to ${project}.`;
  },
};

const server = new Server({ name: 'vercel-env-sync', version: '0.4.0' }, { capabilities: { tools: {} } });

server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    { name: 'show_local_env', description: 'Show keys from the local .env with masked values', inputSchema: { type: 'object', properties: {} } },
    {
      name: 'diff_env',
      description: 'Compare local .env keys with the Vercel project',
      inputSchema: { type: 'object', properties: { project: { type: 'string' } }, required: ['project'] },
    },
    {
      name: 'push_env',
      description: 'Upload local .env values to the Vercel project (requires confirm=true)',
      inputSchema: {
        type: 'object',
        properties: {
          project: { type: 'string' },
          keys: { type: 'array', items: { type: 'string' } },
          target: { type: 'array', items: { enum: ['production', 'preview', 'development'] } },
          confirm: { type: 'boolean' },
        },
        required: ['project'],
      },
    },
  ],
}));

server.setRequestHandler(CallToolRequestSchema, async (req) => {
  const fn = handlers[req.params.name];
  if (!fn) throw new Error(`Unknown tool ${req.params.name}`);
  try {
    return { content: [{ type: 'text', text: await fn(req.params.arguments || {}) }] };
  } catch (err) {
    return { isError: true, content: [{ type: 'text', text: `Error: ${err.message}` }] };
  }
});

server.connect(new StdioServerTransport()).catch((err) => {
  console.error(err);
  process.exit(1);
});
