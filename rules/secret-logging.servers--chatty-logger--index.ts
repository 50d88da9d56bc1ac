#!/usr/bin/env node
/**
 * Slack MCP server (trimmed), modelled on the reference Slack server: list channels,
 * post messages and read channel history with a bot token.
 *
 * Its logging is chatty: every CallToolRequest (message text included) goes to stderr
 * whole, and the bot token is printed at startup. The rest of its logging is honest.
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import {
  CallToolRequest,
  CallToolRequestSchema,
  ListToolsRequestSchema,
  Tool,
} from "@modelcontextprotocol/sdk/types.js";

interface ListChannelsArgs {
  limit?: number;
  cursor?: string;
}

interface PostMessageArgs {
  channel_id: string;
  text: string;
}

interface GetChannelHistoryArgs {
  channel_id: string;
  limit?: number;
}

const tools: Tool[] = [
  {
    name: "slack_list_channels",
    description: "List public channels in the workspace with pagination",
    inputSchema: {
      type: "object",
      properties: { limit: { type: "number", default: 100 }, cursor: { type: "string" } },
    },
  },
  {
    name: "slack_post_message",
    description: "Post a new message to a Slack channel",
    inputSchema: {
      type: "object",
      properties: { channel_id: { type: "string" }, text: { type: "string" } },
      required: ["channel_id", "text"],
    },
  },
  {
    name: "slack_get_channel_history",
    description: "Get recent messages from a channel",
    inputSchema: {
      type: "object",
      properties: { channel_id: { type: "string" }, limit: { type: "number", default: 10 } },
      required: ["channel_id"],
    },
  },
];

class SlackClient {
  private botHeaders: { Authorization: string; "Content-Type": string };

  constructor(botToken: string, private readonly teamId: string) {
    this.botHeaders = { Authorization: `Bearer ${botToken}`, "Content-Type": "application/json" };
  }

  async getChannels(limit = 100, cursor?: string): Promise<any> {
    const params = new URLSearchParams({
      types: "public_channel",
      exclude_archived: "true",
      limit: Math.min(limit, 200).toString(),
      team_id: this.teamId,
    });
    if (cursor) params.append("cursor", cursor);
    const response = await fetch(`https://slack.com/api/conversations.list?${params}`, { headers: this.botHeaders });
    return response.json();
  }

  async postMessage(channel_id: string, text: string): Promise<any> {
    const response = await fetch("https://slack.com/api/chat.postMessage", {
      method: "POST",
      headers: this.botHeaders,
      body: JSON.stringify({ channel: channel_id, text }),
    });
    return response.json();
  }

  async getChannelHistory(channel_id: string, limit = 10): Promise<any> {
    const params = new URLSearchParams({ channel: channel_id, limit: limit.toString() });
    const response = await fetch(`https://slack.com/api/conversations.history?${params}`, { headers: this.botHeaders });
    return response.json();
  }
}

async function main() {
  const botToken = process.env.SLACK_BOT_TOKEN;
  const teamId = process.env.SLACK_TEAM_ID;

  if (!botToken || !teamId) {
    // ok: secret-logging
    console.error("Please set SLACK_BOT_TOKEN and SLACK_TEAM_ID environment variables");
    process.exit(1);
  }

  // ruleid: secret-logging
  console.error(`Starting Slack MCP Server for team ${teamId} with token ${botToken}`);
  const server = new Server({ name: "Slack MCP Server", version: "1.0.0" }, { capabilities: { tools: {} } });
  const slackClient = new SlackClient(botToken, teamId);

  server.setRequestHandler(CallToolRequestSchema, async (request: CallToolRequest) => {
    // ruleid (other rule or none expected here) raw-payload-logging
    console.error("Received CallToolRequest:", request);
    try {
      if (!request.params.arguments) {
        throw new Error("No arguments provided");
      }
      let response: any;
      switch (request.params.name) {
        case "slack_list_channels": {
          const args = request.params.arguments as unknown as ListChannelsArgs;
          response = await slackClient.getChannels(args.limit, args.cursor);
          break;
        }
        case "slack_post_message": {
          const args = request.params.arguments as unknown as PostMessageArgs;
          if (!args.channel_id || !args.text) {
            throw new Error("Missing required arguments: channel_id and text");
          }
          response = await slackClient.postMessage(args.channel_id, args.text);
          // ok (other rule or none expected here) raw-payload-logging
          console.error(`Posted message to ${args.channel_id} (ts ${response.ts ?? "?"})`);
          break;
        }
        case "slack_get_channel_history": {
          const args = request.params.arguments as unknown as GetChannelHistoryArgs;
          response = await slackClient.getChannelHistory(args.channel_id, args.limit);
          break;
        }
        default:
          throw new Error(`Unknown tool: ${request.params.name}`);
      }
      return { content: [{ type: "text", text: JSON.stringify(response) }] };
    } catch (error) {
      // ok (other rule or none expected here) raw-payload-logging
      console.error("Error executing tool:", error instanceof Error ? error.message : String(error));
      return {
        content: [{ type: "text", text: JSON.stringify({ error: error instanceof Error ? error.message : String(error) }) }],
        isError: true,
      };
    }
  });

  server.setRequestHandler(ListToolsRequestSchema, async () => {
    // ok (other rule or none expected here) raw-payload-logging
    console.error("Received ListToolsRequest");
    return { tools };
  });

  const transport = new StdioServerTransport();
  await server.connect(transport);
  // ok: secret-logging
  console.error("Slack MCP Server running on stdio");
}

main().catch((error) => {
  // ok (other rule or none expected here) raw-payload-logging
  console.error("Fatal error in main():", error);
  process.exit(1);
});
