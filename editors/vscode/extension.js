// A minimal VS Code client for `mcpleaks lsp` (not published: see docs/editors.md).
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

// JSON and JSONC: MCP client configs (mcp.json, claude_desktop_config.json, ...); the server
// reads only those and ignores other JSON documents.
const LANGUAGES = ["python", "javascript", "javascriptreact", "typescript", "typescriptreact", "json", "jsonc"];

/** @type {LanguageClient | undefined} */
let client;

function resolveVariables(value) {
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  return folder ? value.replace(/\$\{workspaceFolder\}/g, folder.uri.fsPath) : value;
}

function createClient() {
  const config = vscode.workspace.getConfiguration("mcpleaks");
  const command = resolveVariables(config.get("path", "mcpleaks"));
  const args = ["lsp", ...config.get("args", []).map(resolveVariables)];
  // No `transport` here: the default is stdio, and an explicit TransportKind.stdio would
  // append `--stdio` to the arguments.
  const serverOptions = { command, args };
  const clientOptions = {
    documentSelector: LANGUAGES.flatMap((language) => [
      { scheme: "file", language },
      { scheme: "untitled", language },
    ]),
    synchronize: {
      // settings live in .mcpleaks.toml, mcpleaks.toml or pyproject.toml ([tool.mcpleaks])
      fileEvents: vscode.workspace.createFileSystemWatcher("**/{.mcpleaks.toml,mcpleaks.toml,pyproject.toml}"),
    },
  };
  return new LanguageClient("mcpleaks", "mcpleaks", serverOptions, clientOptions);
}

async function activate(context) {
  client = createClient();
  context.subscriptions.push(
    vscode.commands.registerCommand("mcpleaks.restart", async () => {
      if (client) {
        await client.stop();
      }
      client = createClient();
      await client.start();
    }),
  );
  await client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
