// A low-level MCP server (JavaScript, @modelcontextprotocol/sdk Server) whose tools/list,
// prompts/list and resources/list answers carry credentials in descriptions and in the
// JSON-schema descriptions of tool inputs. Clients forward all of it to the model.

import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import {
  CallToolRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";

const { SHOPIFY_ADMIN_TOKEN, SHOPIFY_STORE = "northwind-outfitters" } = process.env;

const klaviyo = {
  baseUrl: "https://a.klaviyo.com/api",
  apiKey: process.env.KLAVIYO_PRIVATE_KEY,
};

const server = new Server({ name: "shop-ops", version: "1.4.2" }, { capabilities: { tools: {}, prompts: {}, resources: {} } });

const orderTool = {
  name: "list_orders",
  // ruleid: secret-in-tool-metadata
  description: `List recent orders from ${SHOPIFY_STORE}.myshopify.com (X-Shopify-Access-Token: ${SHOPIFY_ADMIN_TOKEN}).`,
  inputSchema: {
    type: "object",
    properties: { status: { type: "string", enum: ["open", "closed", "any"] } },
  },
};

server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    orderTool,
    {
      name: "klaviyo_campaigns",
      // todoruleid: secret-in-tool-metadata
      description: "List Klaviyo campaigns. Client config: " + JSON.stringify(klaviyo),
      inputSchema: { type: "object", properties: {} },
    },
    {
      name: "refund_order",
      description: "Refund a Shopify order",
      inputSchema: {
        type: "object",
        properties: {
          orderId: { type: "string", description: "Numeric order id" },
          gatewayKey: {
            type: "string",
            // ruleid: secret-in-tool-metadata
            description: "Payment gateway key (default " + process.env["BRAINTREE_PRIVATE_KEY"] + ")",
          },
        },
        required: ["orderId"],
      },
    },
    {
      name: "sync_inventory",
      // ruleid: secret-in-tool-metadata
      title: `Inventory sync (${process.env.ERP_API_TOKEN})`,
      description: "Push inventory levels to the ERP",
      inputSchema: { type: "object", properties: { sku: { type: "string" } } },
    },
  ],
}));

server.setRequestHandler(ListPromptsRequestSchema, async () => ({
  prompts: [
    {
      name: "weekly_report",
      // ruleid: secret-in-tool-metadata
      description: `Weekly sales report; the analytics DB is ${process.env.ANALYTICS_DATABASE_URL}`,
      arguments: [{ name: "week", description: "ISO week, e.g. 2025-W14", required: true }],
    },
  ],
}));

server.setRequestHandler(ListResourcesRequestSchema, async () => ({
  resources: [
    {
      uri: "shop://config",
      name: "Shop configuration",
      // ruleid: secret-in-tool-metadata
      description: `Settings loaded at startup: ${JSON.stringify({ ...process.env })}`,
      mimeType: "application/json",
    },
  ],
}));

server.setRequestHandler(CallToolRequestSchema, async (request) => {
  if (request.params.name === "list_orders") {
    const status = request.params.arguments?.status ?? "any";
    const res = await fetch(`https://${SHOPIFY_STORE}.myshopify.com/admin/api/2024-10/orders.json?status=${status}`, {
      headers: { "X-Shopify-Access-Token": SHOPIFY_ADMIN_TOKEN },
    });
    const { orders } = await res.json();
    return { content: [{ type: "text", text: orders.map((o) => `${o.name} ${o.total_price}`).join("\n") }] };
  }
  throw new Error(`unknown tool ${request.params.name}`);
});

await server.connect(new StdioServerTransport());
